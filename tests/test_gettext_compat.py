"""Our PO and MO files against GNU gettext's own tools (msgcat, msgmerge, msgattrib, msgfmt, msgunfmt).

Translators' tools rewrite files (other wrapping, re-ordered comments); our reader must accept
what they write, our merge must still work on it, and our counts must agree with theirs.
"""

from __future__ import annotations

import gettext
import os
import re
import shutil
import subprocess
from pathlib import Path

import polib
import pytest

from pipeline.catalog.mo import compile_all, mo_bytes, mo_path
from pipeline.catalog.po import po_path, read_po, template_path, write_po
from pipeline.catalog.status import po_status
from pipeline.job import translate_articles
from pipeline.names.glossary import load_glossary

from .helpers import ROOT, EchoBackend, msgfmt_check
from .test_roundtrip import (
    ARTICLE,
    CHANGED_NEW,
    CHANGED_OLD,
    DELETED,
    EDITED,
    REVIEWED_AR,
    REVIEWED_SRC,
    WIP_AR,
    WIP_SRC,
    review,
)

CHANGED_AR = "قال الجيش إن اثني عشر شخصا قتلوا في الهجوم يوم الاثنين."


def tool(*args: str | Path) -> subprocess.CompletedProcess[str]:
    if shutil.which(str(args[0])) is None:
        if os.environ.get("CI"):
            pytest.fail(f"{args[0]} (GNU gettext) is required in CI; .ci/run installs it")
        pytest.skip(f"GNU gettext's {args[0]} is not installed (apt-get install gettext)")
    result = subprocess.run([str(a) for a in args], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return result


def run(folder: Path, backend: EchoBackend):
    cwd = Path.cwd()
    os.chdir(folder)
    try:
        return translate_articles(
            ["articles"],
            ["ar"],
            glossary=load_glossary(ROOT / "glossary"),
            locales=Path("locales"),
            out=None,
            make_backend=lambda lang: backend,
            model_label="echo",
        )
    finally:
        os.chdir(cwd)


def fields(po: polib.POFile) -> list[tuple]:
    """What a rewrite must preserve; comments compared without their wrapping."""
    return [
        (
            e.msgctxt,
            e.msgid,
            e.msgstr,
            e.obsolete,
            sorted(e.flags),
            e.previous_msgid if not e.obsolete else None,
            " ".join(e.comment.split()) if not e.obsolete else "",
            " ".join(e.tcomment.split()),
            e.occurrences if not e.obsolete else [],
        )
        for e in po
    ]


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """An article translated, two entries edited by a translator, then the article changed and
    re-run: a PO file with reviewed, fuzzy, ``#|`` previous-source and obsolete entries."""
    (tmp_path / "articles").mkdir()
    article = tmp_path / "articles" / "rebels.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    run(tmp_path, EchoBackend())
    po_file = tmp_path / po_path(Path("locales"), "ar", "rebels")
    review(po_file, REVIEWED_SRC, REVIEWED_AR)
    review(po_file, WIP_SRC, WIP_AR, keep_fuzzy=True)
    review(po_file, CHANGED_OLD, CHANGED_AR)
    (tmp_path / "old.po").write_bytes(po_file.read_bytes())
    article.write_text(EDITED, encoding="utf-8")
    run(tmp_path, EchoBackend())
    po = read_po(po_file)
    assert po.find(CHANGED_NEW).previous_msgid == CHANGED_OLD
    assert f"previous translation (reviewed): {CHANGED_AR}" in " ".join(po.find(CHANGED_NEW).comment.split())
    assert po.find(DELETED, include_obsolete_entries=True).obsolete
    return tmp_path


def po_of(folder: Path) -> Path:
    return folder / po_path(Path("locales"), "ar", "rebels")


@pytest.mark.parametrize("width", [None, "--width=40", "--no-wrap"])
def test_files_survive_msgcat_and_our_merge_works_on_its_output(folder: Path, width: str | None) -> None:
    po_file = po_of(folder)
    ours = po_file.read_bytes()
    msgfmt_check(po_file)
    rewritten = folder / "rewritten.po"
    tool("msgcat", *([width] if width else []), po_file, "-o", rewritten)
    assert fields(read_po(rewritten)) == fields(read_po(po_file))
    if width == "--width=40":
        assert rewritten.read_bytes() != ours  # really another wrapping
    # a translator's tool rewrote the file; a re-run keeps everything, calls no model, and is
    # back to our own layout byte for byte
    po_file.write_bytes(rewritten.read_bytes())
    backend = EchoBackend()
    run(folder, backend)
    assert backend.calls == 0
    assert po_file.read_bytes() == ours


def test_msgmerge_keeps_our_translations_and_pairs_changes_as_we_do(folder: Path) -> None:
    po_file, pot = po_of(folder), folder / template_path(Path("locales"), "rebels")
    merged = folder / "merged.po"
    tool("msgmerge", "--quiet", "--previous", po_file, pot, "-o", merged)
    ours, theirs = read_po(po_file), read_po(merged)
    live = [(e.msgctxt, e.msgid, e.msgstr, e.fuzzy) for e in ours if not e.obsolete]
    assert [(e.msgctxt, e.msgid, e.msgstr, e.fuzzy) for e in theirs if not e.obsolete] == live
    # msgmerge from the pre-edit file pairs the changed sentence with the same previous source
    tool("msgmerge", "--quiet", "--previous", folder / "old.po", pot, "-o", merged)
    theirs = read_po(merged)
    assert theirs.find(CHANGED_NEW).previous_msgid == ours.find(CHANGED_NEW).previous_msgid == CHANGED_OLD
    assert {e.msgid for e in theirs if e.obsolete} == {DELETED}
    # where msgmerge consumes the changed sentence's old entry, we also keep it as #~ (with its
    # reviewed translation), so a revert brings it back reviewed
    assert {e.msgid for e in ours if e.obsolete} == {DELETED, CHANGED_OLD}
    assert theirs.find(REVIEWED_SRC).msgstr == REVIEWED_AR


def test_counts_agree_with_msgattrib_and_msgfmt_statistics(folder: Path) -> None:
    po_file = po_of(folder)
    counts = po_status(read_po(po_file))
    out = folder / "out.po"

    def entries(*selection: str) -> list[polib.POEntry]:
        tool("msgattrib", *selection, po_file, "-o", out)
        return [e for e in read_po(out) if e.msgid] if out.exists() else []

    assert len(entries("--translated", "--no-fuzzy", "--no-obsolete")) == counts.reviewed == 1
    assert len(entries("--only-fuzzy", "--no-obsolete")) == counts.machine == 4
    assert len(entries("--only-obsolete")) == counts.obsolete == 2  # the deleted and the changed one
    cleared = entries("--clear-fuzzy", "--clear-previous")
    assert not any(e.fuzzy or e.previous_msgid for e in cleared)
    stats = tool("msgfmt", "--statistics", "-o", os.devnull, po_file).stderr
    numbers = dict((kind, int(n)) for n, kind in re.findall(r"(\d+) (translated|fuzzy|untranslated)", stats))
    assert numbers == {"translated": counts.reviewed, "fuzzy": counts.machine} and counts.untranslated == 0


def test_mo_files_match_msgfmt_and_work_with_gettext(folder: Path) -> None:
    po_file = po_of(folder)
    written = compile_all(folder / "locales")
    assert written == [mo_path(po_file)]
    assert compile_all(folder / "locales") == []  # unchanged: not rewritten
    reference = folder / "msgfmt.mo"
    tool("msgfmt", "-o", reference, po_file)
    assert tool("msgunfmt", mo_path(po_file)).stdout == tool("msgunfmt", reference).stdout
    with mo_path(po_file).open("rb") as handle:
        runtime = gettext.GNUTranslations(handle)
    po = read_po(po_file)
    reviewed, machine = po.find(REVIEWED_SRC), po.find(CHANGED_NEW)
    assert runtime.pgettext(reviewed.msgctxt, REVIEWED_SRC) == REVIEWED_AR
    assert runtime.pgettext(machine.msgctxt, CHANGED_NEW) == CHANGED_NEW  # fuzzy: left out, like msgfmt
    fuzzy_mo = folder / "fuzzy.mo"
    fuzzy_mo.write_bytes(mo_bytes(po, use_fuzzy=True))
    tool("msgfmt", "--use-fuzzy", "-o", reference, po_file)
    assert tool("msgunfmt", fuzzy_mo).stdout == tool("msgunfmt", reference).stdout
    assert (
        gettext.GNUTranslations(fuzzy_mo.open("rb")).pgettext(machine.msgctxt, CHANGED_NEW) == machine.msgstr
    )


def test_reader_accepts_a_poedit_style_file(tmp_path: Path) -> None:
    """Poedit writes no wrapping at all, its own header fields and translator comments; a re-run
    keeps those comments and fields."""
    (tmp_path / "articles").mkdir()
    (tmp_path / "articles" / "rebels.txt").write_text(ARTICLE, encoding="utf-8")
    run(tmp_path, EchoBackend())
    po_file = po_of(tmp_path)
    po = read_po(po_file)
    po.metadata["X-Generator"] = "Poedit 3.4.2"
    po.metadata["Last-Translator"] = "Rana <rana@example.org>"
    entry = po.find(REVIEWED_SRC)
    entry.msgstr, entry.flags, entry.tcomment = REVIEWED_AR, [], "checked against the wire copy"
    po.wrapwidth = 0
    write_po(po, po_file)
    backend = EchoBackend()
    run(tmp_path, backend)
    again = read_po(po_file)
    assert backend.calls == 0
    assert again.metadata["Last-Translator"] == "Rana <rana@example.org>"
    kept = again.find(REVIEWED_SRC)
    assert (kept.msgstr, kept.fuzzy, kept.tcomment) == (REVIEWED_AR, False, "checked against the wire copy")
