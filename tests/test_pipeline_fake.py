"""The whole pipeline with a fake backend: PO output, pages, and re-runs that keep human work."""

from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from pipeline.catalog.po import po_path, read_po, write_po
from pipeline.names.glossary import find_targets, load_glossary
from pipeline.render.pages import render_all

from .helpers import ROOT, SAMPLE, EchoBackend, msgfmt_check, run_fake


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "articles").mkdir()
    (tmp_path / "articles" / "sample-article.txt").write_bytes(SAMPLE.read_bytes())
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(backend: EchoBackend, policy: str = "machine"):
    return run_fake(backend, policy=policy)


def test_sample_article_to_po_and_page(workdir: Path) -> None:
    backend = EchoBackend()
    report = run(backend)
    assert not report.errors
    po_file = po_path(Path("locales"), "ar", "sample-article")
    msgfmt_check(po_file)
    po = read_po(po_file)
    assert len(po) == report.units == backend.calls
    # the repeated caption is one entry referenced twice
    caption = [e for e in po if e.msgctxt.startswith("caption:") and e.msgid.startswith("Iraqi forces")]
    assert len(caption) == 1 and len(caption[0].occurrences) == 2
    # boilerplate never reaches the catalog
    assert not [e for e in po if "Comment" in e.msgid or "like this article" in e.msgid]
    # the model never saw a protected name
    assert not any("Diyaruna" in text or "ISIS" in text for text in backend.seen)
    page = BeautifulSoup(
        (workdir / "build" / "ar" / "sample-article.html").read_text(encoding="utf-8"), "html.parser"
    )
    assert page.html["lang"] == "ar" and page.html["dir"] == "rtl"
    assert page.h1 is not None and len(page.find_all("figcaption")) == 2
    assert page.find("p", class_="byline") is not None
    assert (workdir / "build" / "ar" / "sample-article.txt").read_text(encoding="utf-8").strip()
    assert (workdir / "build" / "ar" / "index.html").exists()


def test_every_name_appears_as_often_as_in_the_source(workdir: Path) -> None:
    run(EchoBackend())
    glossary = load_glossary(ROOT / "glossary")
    from pipeline.ingest import load_document

    doc = load_document(workdir / "articles" / "sample-article.txt")
    expected = sorted(m.term.en for b in doc.blocks for m in glossary.find(b.text))
    text = (workdir / "build" / "ar" / "sample-article.txt").read_text(encoding="utf-8")
    assert sorted(t.en for _, _, t in find_targets(glossary, text, "ar")) == expected


def test_rerun_keeps_reviewed_work_and_calls_no_model(workdir: Path) -> None:
    run(EchoBackend())
    po_file = po_path(Path("locales"), "ar", "sample-article")
    po = read_po(po_file)
    entry = next(e for e in po if e.msgctxt.startswith("headline:"))
    entry.msgstr = "مع تزايد الخسائر، عناصر داعش تفقد الرغبة في القتال"
    entry.flags.remove("fuzzy")
    write_po(po, po_file)
    edited = po_file.read_bytes()
    again = EchoBackend()
    report = run(again)
    assert again.calls == 0 and report.translated == 0
    assert po_file.read_bytes() == edited
    html = (workdir / "build" / "ar" / "sample-article.html").read_text(encoding="utf-8")
    assert "مع تزايد الخسائر، عناصر داعش تفقد الرغبة في القتال" in html


def test_reviewed_only_policy_keeps_english_marked(workdir: Path) -> None:
    run(EchoBackend())
    render_all(Path("locales"), Path("build"), ["ar"], policy="reviewed")
    page = BeautifulSoup(
        (workdir / "build" / "ar" / "sample-article.html").read_text(encoding="utf-8"), "html.parser"
    )
    english = page.find_all(attrs={"lang": "en", "class": "untranslated"})
    assert english and "As losses mount" in page.h1.get_text()


def test_latin_runs_are_isolated_in_rtl() -> None:
    from pipeline.render.pages import isolate_latin

    html = str(isolate_latin("قالت وكالة AFP إن <b> 2% فقط"))
    assert '<bdi dir="ltr">AFP</bdi>' in html and "&lt;" in html and "<b>" not in html


def test_broken_po_file_is_reported_and_left_alone(workdir: Path) -> None:
    run(EchoBackend())
    po_file = po_path(Path("locales"), "ar", "sample-article")
    broken = po_file.read_text(encoding="utf-8").replace('msgstr "', 'msgstr "unterminated\n', 1)
    po_file.write_text(broken, encoding="utf-8")
    report = run(EchoBackend())
    assert report.errors and str(po_file) in str(report.errors[0])
    assert po_file.read_text(encoding="utf-8") == broken
