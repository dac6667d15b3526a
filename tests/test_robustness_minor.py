"""Issue 19's minor cases: hostile names, stray folders, odd locks and long input, each through
the CLI (in-process, identity backend) with one clear line and the other articles still done."""

from __future__ import annotations

import errno
import os
import re
import subprocess
import time
from collections.abc import Sequence
from pathlib import Path

import pytest

import pipeline.cli as cli
from pipeline import locking, segment
from pipeline.catalog.po import read_po
from pipeline.locking import LOCK_NAME, OWNERLESS_AGE, STALE_PAGE_TEMP
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


# --------------------------------------------------------------------------------------------------
# PO files, locks and leftovers
# --------------------------------------------------------------------------------------------------


def test_duplicate_po_entry_is_reported_as_msgfmt_does(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run_cli(translate("in/a.txt"), capsys)[0] == 0
    po = folder / "locales/ar/LC_MESSAGES/a.po"
    text = po.read_text("utf-8")
    entry = text.rstrip("\n").split("\n\n")[2]  # a whole entry, comments and all, pasted again
    po.write_text(text.rstrip("\n") + "\n\n" + entry + "\n", "utf-8")
    before = po.read_bytes()
    lines = po.read_text("utf-8").split("\n")
    msgids = [n for n, line in enumerate(lines, 1) if line == entry.split("\n")[-2]]
    msgfmt = subprocess.run(["msgfmt", "--check", "-o", os.devnull, str(po)], capture_output=True, text=True)
    assert f"{po}:{msgids[1]}: duplicate message definition" in msgfmt.stderr  # the line we must name
    status, out = run_cli(["status"], capsys)
    assert status == 2
    assert out == [
        f"error: locales/ar/LC_MESSAGES/a.po:{msgids[1]}: duplicate message definition "
        f"(the first is at line {msgids[0]}); the file was left untouched"
    ]
    assert run_cli(translate("in/a.txt"), capsys)[0] == 1
    assert po.read_bytes() == before


def test_emptied_po_file_is_regenerated_with_a_warning(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run_cli(translate("in/a.txt"), capsys)[0] == 0
    po = folder / "locales/ar/LC_MESSAGES/a.po"
    po.write_bytes(b"")
    status, lines = run_cli(translate("in/a.txt"), capsys)
    assert status == 0
    assert lines == [
        "warning: locales/ar/LC_MESSAGES/a.po: had no entries (emptied?); written anew from the article, "
        "as machine translations to review; restore it from version control if it held reviewed work"
    ]
    assert "Iraqi forces" in po.read_text("utf-8")
    assert run_cli(translate("in/a.txt"), capsys) == (0, [])  # said once, not on every run


@pytest.mark.parametrize("content", [b"", b"not a lock\n", b"\x00\xff garbage"])
def test_ownerless_lock_file_is_named_then_taken_over(
    content: bytes, folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lock = folder / "locales" / LOCK_NAME
    lock.parent.mkdir()
    lock.write_bytes(content)
    status, lines = run_cli(translate("in/a.txt"), capsys)  # fresh: a run may be starting up
    assert status == 1 and len(lines) == 1, lines
    assert lines[0].startswith(f"error: locales/{LOCK_NAME}: another translate run is using this locales")
    assert lines[0].endswith(f"if that run is gone, delete locales/{LOCK_NAME}")
    old = time.time() - 2 * OWNERLESS_AGE
    os.utime(lock, (old, old))
    status, lines = run_cli(translate("in/a.txt"), capsys)
    assert status == 0
    assert lines == [
        f"note: took over locales/{LOCK_NAME}: it names no owner (empty, or not written by newsroom-pipeline)"
    ]
    assert not lock.exists()


def test_waiting_on_an_ownerless_lock_takes_it_over_with_a_note(
    folder: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(locking, "OWNERLESS_AGE", 1.0)
    lock = folder / "locales" / LOCK_NAME
    lock.parent.mkdir()
    lock.write_bytes(b"")
    status, lines = run_cli([*translate("in/a.txt"), "--wait", "20"], capsys)
    assert status == 0 and lines == [
        f"note: took over locales/{LOCK_NAME}: it names no owner (empty, or not written by newsroom-pipeline)"
    ]


def test_killed_render_leftovers_are_removed(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run_cli(translate("in/a.txt"), capsys)[0] == 0
    dead = folder / "build/ar/.a.html.k1ll3d_x.tmp"  # fileio's pattern, as a SIGKILLed render leaves it
    busy = folder / "build/ar/.a.md.w0rk1ng_.tmp"  # a render writing right now: too young to touch
    mine = folder / "build/ar/notes.tmp"  # not ours
    for path in (dead, busy, mine):
        path.write_text("half a page", "utf-8")
    old = time.time() - 2 * STALE_PAGE_TEMP
    os.utime(dead, (old, old))
    os.utime(mine, (old, old))
    status, lines = run_cli(["render"], capsys)
    assert status == 0
    assert lines == ["note: build: removed 1 unfinished temporary file(s) left by an interrupted render"]
    assert not dead.exists() and busy.exists() and mine.exists()
