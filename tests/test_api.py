"""The public Python API (``pipeline.api``, re-exported from ``pipeline``), called directly as a
script would: result objects, never printing, the project's own errors."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import pipeline
from pipeline import api
from pipeline.errors import PipelineError
from pipeline.locking import LockedError, run_lock

from .helpers import ROOT, SAMPLE, EchoBackend

GLOSSARY = ROOT / "glossary"


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working folder with one article, as a newsroom script would run in."""
    (tmp_path / "articles").mkdir()
    shutil.copy(SAMPLE, tmp_path / "articles" / SAMPLE.name)
    (tmp_path / "articles" / "short.txt").write_text(
        "Dispatch from Mosul\n\nIraqi forces said the road to Mosul was open.\n", encoding="utf-8"
    )
    monkeypatch.chdir(tmp_path)
    return tmp_path


def translated(site: Path, **kw: object) -> api.TranslateResult:
    return api.translate("articles", "ar", backend="identity", glossary=GLOSSARY, **kw)  # type: ignore[arg-type]


def test_the_package_re_exports_the_api_lazily() -> None:
    assert pipeline.translate is api.translate and pipeline.render_pages is api.render
    assert pipeline.status is api.status and pipeline.TextResult is api.TextResult
    assert pipeline.PipelineError is PipelineError
    assert set(pipeline.__all__) <= set(dir(pipeline))
    with pytest.raises(AttributeError):
        pipeline.no_such_thing  # noqa: B018
    probe = "import sys, pipeline; print('pipeline.api' in sys.modules, 'pipeline.job' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert result.stdout.split() == ["False", "False"]


def test_translate_a_folder_returns_what_it_did(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    result = translated(site)
    assert capsys.readouterr() == ("", "")  # the API never prints
    assert result.ok and result.errors == []
    assert (result.articles, result.languages, result.locales, result.out) == (
        2,
        ["ar"],
        Path("locales"),
        Path("build"),
    )
    assert result.units > 0 and result.translated == result.units and result.reused == 0
    assert result.names > 0
    po = Path("locales/ar/LC_MESSAGES/short.po")
    assert po in result.written and Path("build/ar/short.html") in result.written
    assert "الموصل" in po.read_text(encoding="utf-8")  # the identity backend, names still in Arabic
    again = translated(site)
    assert (again.translated, again.reused, again.written) == (0, result.units, [])


def test_translate_takes_a_translator_object_and_skips_rendering(site: Path) -> None:
    echo = EchoBackend()
    result = api.translate(["articles/short.txt"], ["ar"], backend=echo, glossary=GLOSSARY, out=None)
    assert result.out is None and echo.calls == result.translated > 0
    assert not Path("build").exists()
    assert "X-Machine-Translation: echo" in Path("locales/ar/LC_MESSAGES/short.po").read_text(
        encoding="utf-8"
    )


def test_translate_reports_bad_articles_and_raises_what_stops_it(site: Path) -> None:
    result = api.translate(
        ["articles/short.txt", "articles/nope.txt"], "ar", backend="identity", glossary=GLOSSARY
    )
    assert result.articles == 1 and not result.ok
    assert all(isinstance(e, PipelineError) for e in result.errors) and "nope.txt" in str(result.errors[0])
    with pytest.raises(PipelineError, match="nope.txt"):
        api.translate(["articles/nope.txt"], "ar", backend="identity", glossary=GLOSSARY, keep_going=False)
    with pytest.raises(PipelineError, match="unknown target language 'xx'"):
        api.translate("articles", "ar,xx", backend="identity", glossary=GLOSSARY)
    with pytest.raises(PipelineError, match="unknown backend 'marian'"):
        api.translate("articles", "ar", backend="marian", glossary=GLOSSARY)  # type: ignore[arg-type]
    with pytest.raises(PipelineError):
        api.translate("articles", "ar", backend="identity", glossary=site / "no-glossary")


def test_translate_takes_the_locales_lock(site: Path) -> None:
    notes: list[str] = []
    with run_lock(Path("locales")), pytest.raises(LockedError, match="another translate run"):
        translated(site, notify=notes.append)
    assert issubclass(LockedError, PipelineError)
    assert not list(Path("locales").glob("*/LC_MESSAGES/*.po"))


def test_render_status_and_compile(site: Path) -> None:
    translated(site, out=None)
    pages = api.render(to="ar")
    assert {p.slug for p in pages.pages} == {"sample-article", "short"} and pages.errors == []
    assert pages.total > 0 and pages.reviewed == 0  # machine output is fuzzy
    assert Path("build/ar/short.html") in pages.written
    assert api.render(to="ar").written == []  # unchanged pages are not rewritten
    state = api.status(to=["ar"])
    assert [f.lang for f in state.summary.files] == ["ar", "ar"] and state.drifted == []
    assert state.summary.total.machine == pages.total
    assert state.as_dict()["total"] == state.summary.total.as_dict() and "short.po" in state.table()
    mo = api.compile_catalogs(use_fuzzy=True)
    assert sorted(p.name for p in mo.written) == ["sample-article.mo", "short.mo"] and mo.errors == []


def test_model_free_entry_points_raise_when_there_is_nothing_to_do(site: Path) -> None:
    with pytest.raises(PipelineError, match="no such folder"):
        api.status("locales")
    Path("locales").mkdir()
    with pytest.raises(PipelineError, match="no article layouts here"):
        api.render("locales")
    with pytest.raises(PipelineError, match="no PO files here"):
        api.status("locales")
    with pytest.raises(PipelineError, match="no PO files here"):
        api.compile_catalogs("locales")


def test_render_never_imports_the_model_stack(site: Path) -> None:
    translated(site, out=None)
    probe = (
        "import sys, pipeline; r = pipeline.render_pages(out='pages'); s = pipeline.status();"
        "print(len(r.pages), len(s.summary.files), sorted(m for m in sys.modules if m.split('.')[0] in"
        " {'torch', 'transformers'}))"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=site)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip().split(maxsplit=2) == ["2", "2", "[]"]


def test_check_glossary(tmp_path: Path) -> None:
    report = api.check_glossary(GLOSSARY, to="ar,fr")
    assert report.ok and report.own_terms > 0 and report.builtin_terms > 0
    assert set(report.missing) == {"ar", "fr"} and len(report.missing["fr"]) >= len(report.missing["ar"])
    bad = tmp_path / "bad.tsv"
    bad.write_text("en\tar\nMosul\tالموصل\nMosul\tموصل\n", encoding="utf-8")
    broken = api.check_glossary(bad)  # reported, not raised: check lists every problem
    assert not broken.ok and all(i.severity == "error" for i in broken.errors) and broken.issues


def test_suggest_names(site: Path) -> None:
    result = api.suggest_names("articles", glossary=GLOSSARY, output="names.tsv")
    assert result.written == Path("names.tsv") and result.tsv.startswith("en\tar\t")
    assert Path("names.tsv").read_text(encoding="utf-8") == result.tsv
    assert len(result.tsv.splitlines()) == len(result.candidates) + 1
    with pytest.raises(PipelineError, match="will not write unreviewed suggestions"):
        api.suggest_names("articles", glossary=GLOSSARY, output=GLOSSARY / "new.tsv")


def test_translate_text_protects_names() -> None:
    result = api.translate_text("Iraqi forces entered Mosul.", "ar", backend="identity", glossary=GLOSSARY)
    assert result.text == "Iraqi forces entered الموصل." and result.source == "Iraqi forces entered Mosul."
    assert result.terms == ["Mosul = الموصل"] and result.repairs == ()
    with pytest.raises(PipelineError, match="unknown target language"):
        api.translate_text("Mosul", "xx", backend="identity", glossary=GLOSSARY)


def test_translate_text_with_a_local_model(tiny_model_dir: Path) -> None:
    result = api.translate_text(
        "The governor of Mosul spoke in Baghdad.", "ar", model=str(tiny_model_dir), glossary=GLOSSARY
    )
    assert result.lang == "ar" and "الموصل" in result.text and "Mosul" not in result.text
    assert "Mosul = الموصل" in result.terms
