"""Issue 19's minor cases: hostile names, stray folders, odd locks and long input, each through
the CLI (in-process, identity backend) with one clear line and the other articles still done."""

from __future__ import annotations

import errno
import os
import re
from collections.abc import Sequence
from pathlib import Path

import pytest

import pipeline.cli as cli
from pipeline import segment
from pipeline.catalog.po import read_po
from pipeline.segment import split_sentences

from .helpers import ROOT, msgfmt_check

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


# --------------------------------------------------------------------------------------------------
# File names and links: per-article errors stay per article
# --------------------------------------------------------------------------------------------------


def test_very_long_file_name_gets_a_short_slug(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    long_name = "w" * 50 + "-" + "x" * 199 + ".txt"  # 254 characters: the file system's limit is 255
    (folder / "in" / long_name).write_text(ARTICLE, encoding="utf-8")
    assert run_cli(translate("in"), capsys) == (0, [])
    names = sorted(p.name for p in (folder / "locales/ar/LC_MESSAGES").glob("*.po"))
    assert names == ["a.po", "w" * 50 + ".po"]
    assert all(len(p.name) < 120 for out in ("locales", "build") for p in (folder / out).rglob("*"))


def test_one_unwritable_po_file_does_not_stop_the_others(
    folder: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("b", "c"):
        (folder / "in" / f"{name}.txt").write_text(ARTICLE.replace("Mosul", name.upper()), encoding="utf-8")
    real_replace = os.replace

    def replace(src: str, dst: str) -> None:  # the folder is root-proof here, so refuse b.po itself
        if str(dst).endswith("LC_MESSAGES/b.po"):
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES))
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", replace)
    status, lines = run_cli(translate("in"), capsys)
    assert status == 2
    assert lines == [
        "error: locales/ar/LC_MESSAGES/b.po: cannot write (Permission denied); "
        "the previous file is left as it was"
    ]
    assert sorted(p.name for p in (folder / "locales/ar/LC_MESSAGES").glob("*.po")) == ["a.po", "c.po"]
    assert (folder / "build/ar/c.html").is_file()


def test_unwritable_templates_skip_that_article_only(
    folder: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (folder / "in" / "b.txt").write_text(ARTICLE.replace("Mosul", "Raqqa"), encoding="utf-8")
    real_replace = os.replace

    def replace(src: str, dst: str) -> None:
        if str(dst).endswith("templates/a.layout.json"):
            raise OSError(errno.EROFS, os.strerror(errno.EROFS))
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", replace)
    status, lines = run_cli(translate("in"), capsys)
    assert status == 2 and len(lines) == 1 and "a.layout.json: cannot write (Read-only" in lines[0], lines
    assert [p.name for p in (folder / "locales/ar/LC_MESSAGES").glob("*.po")] == ["b.po"]


def test_symlink_out_of_the_articles_folder_is_not_followed(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    outside = folder / "private"
    outside.mkdir()
    (outside / "secret.txt").write_text("Secret plans\n\nThe minister will resign tomorrow.\n", "utf-8")
    (folder / "in" / "leak.txt").symlink_to(outside / "secret.txt")
    (folder / "in" / "drafts").symlink_to(outside, target_is_directory=True)
    (folder / "in" / "alias.txt").symlink_to("a.txt")  # inside the folder: fine
    status, lines = run_cli(translate("in"), capsys)
    assert status == 0
    assert lines == [
        f"warning: in/drafts: symbolic link to {outside}, outside in; not followed",
        f"warning: in/leak.txt: symbolic link to {outside / 'secret.txt'}, outside in; not followed",
    ]
    assert sorted(p.name for p in (folder / "locales/ar/LC_MESSAGES").glob("*.po")) == ["a.po", "alias.po"]
    assert "minister" not in "".join(p.read_text("utf-8") for p in folder.rglob("*.po"))


def test_newline_in_a_file_name_is_one_line_and_the_others_pass_msgfmt(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (folder / "in" / "two\nlines.txt").write_text(ARTICLE, encoding="utf-8")
    (folder / "in" / "tab\there.txt").write_text(ARTICLE.replace("Mosul", "Raqqa"), encoding="utf-8")
    status, lines = run_cli(translate("in"), capsys)
    assert status == 2
    assert [line.split(": ")[1] for line in lines] == ["in/tab\\there.txt", "in/two\\nlines.txt"]
    assert all("rename the file" in line for line in lines)
    for po in folder.rglob("*.po"):
        msgfmt_check(po)


# --------------------------------------------------------------------------------------------------
# Names the splitter or case folding used to lose
# --------------------------------------------------------------------------------------------------


@pytest.fixture
def tech_glossary(tmp_path: Path) -> Path:
    folder = tmp_path / "glossary"
    folder.mkdir()
    (folder / "names.tsv").write_text("en\tar\nİzmir\tإزمير\n.NET\tدوت نت\nMosul\tالموصل\n", "utf-8")
    return folder


def test_dotted_and_turkish_capital_names_are_protected(
    folder: Path, tech_glossary: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (folder / "in" / "b.txt").write_text(
        "Tech news\n\nMicrosoft said .NET is popular in İZMİR. It rained in İzmir.\n", "utf-8"
    )
    status, lines = run_cli(translate("in", glossary=tech_glossary), capsys)
    assert (status, lines) == (0, [])
    po = read_po(folder / "locales/ar/LC_MESSAGES/b.po")
    by_source = {e.msgid: e.msgstr for e in po}
    assert (
        by_source["Microsoft said .NET is popular in İZMİR."] == "Microsoft said دوت نت is popular in إزمير."
    )
    assert by_source["It rained in İzmir."] == "It rained in إزمير."
    assert (folder / "locales/ar/LC_MESSAGES/a.po").is_file()  # the batch went on


def test_split_keeps_spans_whole() -> None:
    text = "Microsoft said .NET is popular. It rained."
    assert [s for s, _ in split_sentences(text)][0] == "Microsoft said ."  # what pysbd does alone
    start = text.index(".NET")
    pairs = split_sentences(text, lambda t: [(start, start + 4)])
    assert pairs == [("Microsoft said .NET is popular.", " "), ("It rained.", "")]


def test_long_blocks_are_split_in_windows_exactly_as_whole() -> None:
    """Windowing is what makes a 1.1 MB paragraph linear (scripts/bench_segment.py); it must
    not move a single boundary. A 25 KB paragraph, both ways."""
    sample = re.sub(r"\s+", " ", (ROOT / "articles/sample-article.txt").read_text("utf-8")).strip()
    text = " ".join([sample] * 6)
    assert len(text) > 2 * segment.LONG_BLOCK
    windowed = split_sentences(text)
    whole = [p.strip() for p in segment._segmenter().segment(text) if p.strip()]  # noqa: SLF001
    assert [s for s, _ in windowed] == whole
    assert "".join(s + sep for s, sep in windowed) == text


def test_a_long_block_without_any_sentence_end_loses_nothing() -> None:
    text = " ".join(f"word{i}" for i in range(6000))  # 50 KB, not one full stop
    pairs = split_sentences(text)
    assert "".join(s + sep for s, sep in pairs) == text
    assert len(pairs) > 1 and all(len(s) <= segment.LONG_BLOCK for s, _ in pairs)
