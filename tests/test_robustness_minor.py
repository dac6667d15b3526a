"""Issue 19's minor cases: hostile names, stray folders, odd locks and long input, each through
the CLI (in-process, identity backend) with one clear line and the other articles still done."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

import pipeline.cli as cli

from .helpers import ROOT

ARTICLE = "Report from Mosul\n\nIraqi forces said the road was open. It rained.\n"


def translate(*args: str, to: str = "ar", glossary: Path = ROOT / "glossary") -> list[str]:
    return ["translate", *args, "--to", to, "--backend", "identity", "-q", "--glossary", str(glossary)]


def run_cli(argv: Sequence[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, list[str]]:
    code = cli.main(list(argv))
    err = capsys.readouterr().err
    assert "Traceback" not in err
    return code, [line for line in err.splitlines() if line.strip()]


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text(ARTICLE, encoding="utf-8")
    return tmp_path


# --------------------------------------------------------------------------------------------------
# Language codes name folders: validated against BCP 47 / CLDR before any work
# --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "says"),
    [
        ("ar-../../x", "not a language code"),
        ("AR", "did you mean 'ar'?"),
        ("ar-zz", "not a language or region CLDR knows"),
        ("ar_eg", "did you mean 'ar_EG'?"),
        ("", "no target language given"),
        (" , ", "no target language given"),
    ],
)
def test_bad_target_language_is_one_line_and_writes_nothing(
    code: str, says: str, folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, lines = run_cli(translate("in/a.txt", to=code), capsys)
    assert status == 1 and len(lines) == 1 and lines[0].startswith("error: ") and says in lines[0], lines
    assert not (folder / "locales").exists() and not (folder / "build").exists()
    assert not (folder.parent / "x").exists()


def test_regional_codes_still_work(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run_cli(translate("in/a.txt", to="ar-EG"), capsys)[0] == 0
    assert (folder / "locales/ar-EG/LC_MESSAGES/a.po").is_file()


def test_stray_folder_in_locales_is_ignored_with_a_warning(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run_cli(translate("in/a.txt"), capsys)[0] == 0
    stray = folder / "locales/old/LC_MESSAGES"
    stray.mkdir(parents=True)
    (stray / "a.po").write_bytes((folder / "locales/ar/LC_MESSAGES/a.po").read_bytes())
    (folder / "locales/backup").mkdir()
    warning = "warning: locales/old: not a language folder ('old' is not a CLDR language code); ignored"
    for argv in (["status"], ["render"], ["compile"]):
        status, lines = run_cli(argv, capsys)
        assert status == 0, (argv, lines)
        assert warning in lines, (argv, lines)
    assert run_cli(translate("in/a.txt"), capsys) == (0, [])
    assert not (folder / "build/old").exists()
    assert "old" not in (folder / "build/index.html").read_text(encoding="utf-8")
