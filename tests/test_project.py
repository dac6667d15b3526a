"""The project file (newsroom.toml), ``init`` and ``languages``, one language's failure not stopping
the others, and the messages the CLI prints: counts, pages, next steps, phases, global flags."""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from pathlib import Path

import pytest

from pipeline.cli import main
from pipeline.errors import PipelineError
from pipeline.mt import marian
from pipeline.mt.base import IdentityBackend
from pipeline.mt.registry import REGISTRY_PATH
from pipeline.names.glossary import load_glossary
from pipeline.names.protection import protect, translate_protected
from pipeline.project import ProjectError, load_project, parse_project

from .helpers import ROOT, msgfmt_check

#: With a headline: an article without one is translated with a "no headline found" warning (issue 13).
SHORT = (
    "Report from Mosul\n\nIraqi forces entered Mosul on Monday.\n\nThe army said 1,500 soldiers took part.\n"
)


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A newsroom folder: one short article, the shipped glossary; the current folder."""
    (tmp_path / "articles").mkdir()
    (tmp_path / "articles" / "short.txt").write_text(SHORT, encoding="utf-8")
    shutil.copytree(ROOT / "glossary", tmp_path / "glossary")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(marian, "_hub_reachable", lambda timeout=0: False)  # offline, at once
    return tmp_path


def load(text: str, tmp_path: Path) -> object:
    path = tmp_path / "newsroom.toml"
    path.write_text(text, encoding="utf-8")
    return load_project(path)


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ('[project]\nlanguages = ["ar"]\nlocale = "po"\n', 3, "unknown key 'locale' in [project]"),
        ('[project]\nlanguages = ["ar"]\n\n[styles]\nx = 1\n', 4, "unknown table [styles]"),
        (
            '[languages.nl]\nmodel = "a"\n\n[languages.nl]\nmodel = "b"\n',
            4,
            "[languages.nl] is declared twice",
        ),
        ("[project]\nlanguages = [ar]\n", 2, "not valid TOML"),
        ('[translate]\nbeams = "four"\n', 2, "beams must be a whole number"),
        ('[languages.nl]\nmodel = "m"\nmodle = "x"\n', 3, "unknown key 'modle' in [languages.\"nl\"]"),
        ('[languages.Dutch]\nmodel = "m"\n', 1, "'Dutch' is not a language code"),
        ('[render]\npolicy = "all"\n', 2, 'policy must be "machine" or "reviewed"'),
    ],
)
def test_a_bad_project_file_is_one_error_naming_file_and_line(
    tmp_path: Path, text: str, line: int, words: str
) -> None:
    with pytest.raises(ProjectError) as err:
        load(text, tmp_path)
    assert err.value.path == str(tmp_path / "newsroom.toml") and err.value.line == line, str(err.value)
    assert words in str(err.value)


def test_project_language_codes_are_checked_like_to(tmp_path: Path) -> None:
    """The project file takes the codes --to takes (regional ones with a hyphen too) and refuses the
    ones --to refuses, with the same reason."""
    project = load('[project]\nlanguages = ["ar-EG", "fr"]\n\n[languages.ar-EG]\nmodel = "m"\n', tmp_path)
    assert project is not None
    for bad in ('"AR"', '"ar-../../x"', '"ar-zz"'):
        with pytest.raises(ProjectError, match="must be a list of language codes"):
            load(f"[project]\nlanguages = [{bad}]\n", tmp_path)


def test_project_languages_lie_over_the_shipped_registry(tmp_path: Path) -> None:
    shipped = REGISTRY_PATH.read_bytes()
    (tmp_path / "models" / "nl").mkdir(parents=True)
    project = parse_project(
        '[project]\nlanguages = ["ar", "nl"]\n\n[languages.nl]\nmodel = "models/nl"\n\n'
        '[languages.de]\nmodel = "Example/own-de"\n',
        tmp_path / "newsroom.toml",
    )
    assert project.languages == ("ar", "nl")
    assert project.registry.default_model("nl") == str(
        tmp_path / "models" / "nl"
    )  # absolute: kept  # from the file's folder
    assert project.registry.default_model("de") == "Example/own-de"  # a registered code: overridden, no error
    assert project.registry.default_model("ar") == "Helsinki-NLP/opus-mt-en-ar"  # the shipped default
    assert project.registry.token("ar") == ">>ara<<"
    assert REGISTRY_PATH.read_bytes() == shipped  # no package file touched


def test_init_writes_a_loadable_commented_file_and_never_overwrites(site: Path) -> None:
    assert main(["init", "--to", "ar,nl"]) == 0
    text = (site / "newsroom.toml").read_text(encoding="utf-8")
    assert text.count("\n#") > 10 and 'languages = ["ar", "nl"]' in text
    assert load_project().languages == ("ar", "nl")
    (site / "newsroom.toml").write_text("# mine\n", encoding="utf-8")
    assert main(["init"]) == 1
    assert (site / "newsroom.toml").read_text(encoding="utf-8") == "# mine\n"


def test_every_command_reads_the_project_file_and_flags_override_it(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (site / "newsroom.toml").write_text(
        '[project]\nlanguages = ["ar"]\nlocales = "po"\nout = "site"\n\n[translate]\nbackend = "identity"\n',
        encoding="utf-8",
    )
    assert main(["translate", "articles", "-q"]) == 0
    assert (site / "po" / "ar" / "LC_MESSAGES" / "short.po").is_file()
    assert (site / "site" / "ar" / "short.html").is_file()
    assert main(["status"]) == 0 and "short.po" in capsys.readouterr().out
    assert main(["translate", "articles", "--locales", "other", "--no-render", "-q"]) == 0
    assert (site / "other" / "ar" / "LC_MESSAGES" / "short.po").is_file()
    # A broken project file stops every command with one line naming it.
    (site / "newsroom.toml").write_text("[project]\nlanguage = []\n", encoding="utf-8")
    capsys.readouterr()
    for argv in (["status"], ["glossary", "check"], ["render"], ["languages"]):
        assert main(argv) == 1
        assert capsys.readouterr().err.strip() == (
            "error: newsroom.toml:2: unknown key 'language' in [project]; it takes languages, glossary, "
            "locales, out"
        )


def test_debug_and_quiet_are_accepted_after_the_subcommand(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["translate", "articles", "--to", "ar", "--backend", "identity", "--debug", "-q"]) == 0
    assert capsys.readouterr().out == ""
    with pytest.raises(PipelineError):  # --debug after the subcommand: the traceback, not one line
        main(["status", "--to", "qq", "--debug"])
    assert main(["-q", "status", "--to", "ar"]) == 0


def _files(root: Path) -> set[Path]:
    """Every file but the run cache's (``locales/.newsroom-cache/``): no translator's or reader's
    file, it is not among the files the summary counts."""
    return {p for p in root.rglob("*") if p.is_file() and ".newsroom-cache" not in p.parts}


def test_summary_counts_every_file_written_and_names_the_pages(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = _files(site)
    assert main(["translate", "articles", "--to", "ar,fr", "--backend", "identity"]) == 0
    out = capsys.readouterr().out
    written = _files(site) - before
    assert f"{len(written)} file(s) written: 2 PO file(s), 2 template(s)" in out
    assert "pages:\n  build/ar/short.html\n  build/fr/short.html\nindex: build/index.html" in out
    assert "next steps:" in out and "Poedit" in out and "python -m pipeline render" in out
    # A second, unchanged run writes nothing, says so, and gives no first-run hint.
    assert main(["translate", "articles", "--to", "ar,fr", "--backend", "identity"]) == 0
    again = capsys.readouterr().out
    assert "0 file(s) written" in again and "next steps" not in again
    assert main(["render"]) == 0
    rendered = capsys.readouterr().out
    assert "rendered 2 article page(s) into build" in rendered and "  build/fr/short.html" in rendered


def test_one_languages_missing_model_does_not_stop_the_others(
    site: Path, tiny_model_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The issue's "done when": Dutch from a local folder through the project file alone, French's
    hub model missing: Arabic and Dutch pages, one error naming French's model and its download.
    The tiny model has no Dutch tag, so the project maps nl to its >>fra<< token: that also proves a
    project's tag reaches the engine."""
    shutil.copytree(tiny_model_dir, site / "models" / "tiny")
    (site / "newsroom.toml").write_text(
        '[project]\nlanguages = ["ar", "fr", "nl"]\n\n[languages.ar]\nmodel = "models/tiny"\n\n'
        '[languages.nl]\nmodel = "models/tiny"\ntag = "fra"\n',
        encoding="utf-8",
    )
    code = main(["translate", "articles", "--beams", "1"])
    captured = capsys.readouterr()
    errors = [line for line in captured.err.splitlines() if line.startswith("error:")]
    assert code == 2 and len(errors) == 1
    assert "'fr' not translated: cannot load translation model 'Helsinki-NLP/opus-mt-en-fr'" in errors[0]
    assert "hf download Helsinki-NLP/opus-mt-en-fr --local-dir models/opus-mt-en-fr" in errors[0]
    assert "opus-mt-en-ar" not in errors[0]
    assert "loading translation model ./models/tiny for ar, nl …" in captured.err
    for lang in ("ar", "nl"):
        msgfmt_check(site / "locales" / lang / "LC_MESSAGES" / "short.po")
        assert (site / "build" / lang / "short.html").is_file()
    assert not (site / "locales" / "fr").exists() and not (site / "build" / "fr").exists()
    assert "→ ar, nl (fr failed)" in captured.out
    # `languages` says what French lacks and that Dutch is ready but for its glossary column.
    assert main(["languages"]) == 1
    listing = capsys.readouterr().out
    assert "fr (French): lacks model download" in listing
    assert "nl (Dutch): lacks glossary column" in listing and "local folder ./models/tiny" in listing


def test_languages_reports_a_missing_folder_and_a_language_without_model(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (site / "newsroom.toml").write_text(
        '[project]\nlanguages = ["nl", "it"]\n\n[languages.nl]\nmodel = "./models/none"\n', encoding="utf-8"
    )
    assert main(["languages"]) == 1
    out = capsys.readouterr().out
    assert "nl (Dutch): lacks model" in out and "no folder ./models/none" in out
    assert "it (Italian): lacks model" in out and "[languages.it]" in out


def test_reviewed_only_pages_carry_no_machine_notice(site: Path) -> None:
    assert main(["translate", "articles", "--to", "ar", "--backend", "identity", "-q"]) == 0
    page = site / "build" / "ar" / "short.html"
    assert 'class="notice"' in page.read_text(encoding="utf-8")
    assert main(["render", "--reviewed-only", "-q"]) == 0
    html = page.read_text(encoding="utf-8")
    assert 'class="notice"' not in html and 'class="mt"' not in html


def test_status_tells_an_absent_language_from_missing_po_files(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["status"]) == 1
    assert "no such folder" in capsys.readouterr().err
    assert main(["translate", "articles", "--to", "ar", "--backend", "identity", "-q"]) == 0
    assert main(["status", "--to", "qq"]) == 1
    assert capsys.readouterr().err.strip() == "error: locales: no language 'qq' here (languages here: ar)"
    assert main(["status", "--to", "ar,qq"]) == 2  # the one that is here is still counted
    captured = capsys.readouterr()
    assert "short.po" in captured.out and "no language 'qq' here" in captured.err


class Dropper(IdentityBackend):
    """Drops every placeholder on its first call; records the progress label of each call."""

    phase: str | None = None

    def __init__(self) -> None:
        super().__init__()
        self.labels: list[str | None] = []

    def translate(self, texts: Sequence[str], *, lang: str) -> list[str]:
        self.labels.append(self.phase)
        out = super().translate(texts, lang=lang)
        return [t.split("XNAME")[0] for t in out] if len(self.labels) == 1 else out


def test_the_retry_pass_has_its_own_progress_label() -> None:
    backend = Dropper()
    glossary = load_glossary(ROOT / "glossary")
    items = [protect("Iraqi forces entered Mosul.", glossary), protect("No names here.", glossary)]
    translate_protected(backend, items, "ar", glossary=glossary)
    assert backend.labels[0] is None  # the first pass: the backend's own "translate ar"
    assert backend.labels[1] == "retry ar (1 with placeholder faults)"
    assert backend.phase is None
