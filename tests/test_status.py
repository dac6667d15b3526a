"""Status counts (pure), their summaries per language, and the ``status`` command."""

from __future__ import annotations

import json
from pathlib import Path

import polib
import pytest

from pipeline.catalog.po import write_po
from pipeline.catalog.status import FileStatus, format_table, po_status, qa_checks, summarize
from pipeline.cli import main


def entry(msgid: str, msgstr: str = "", *, fuzzy: bool = False, comment: str = "", obsolete: bool = False):
    return polib.POEntry(
        msgctxt=f"paragraph:{msgid}",
        msgid=msgid,
        msgstr=msgstr,
        flags=["fuzzy"] if fuzzy else [],
        comment=comment,
        obsolete=obsolete,
    )


def catalog(*entries: polib.POEntry) -> polib.POFile:
    po = polib.POFile()
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": "ar"}
    for e in entries:
        po.append(e)
    return po


def sample() -> polib.POFile:
    plural = polib.POEntry(msgid="one", msgid_plural="many", msgstr_plural={0: "", 1: "كثير"})
    return catalog(
        entry("a", "أ"),
        entry("b", "ب", comment="block: paragraph\nqa: numbers: 12 missing\nqa: numbers: 3 missing"),
        entry("c", "ج", fuzzy=True, comment="qa: latin: 2 Latin-script word(s): foo,\nqa: rest\nbar"),
        entry("d", fuzzy=True, comment="qa: numbers: 5 missing"),
        entry("e"),
        entry("f", "و", obsolete=True, comment="qa: numbers: stale"),
        plural,
    )


def test_counts_follow_gettexts_categories() -> None:
    counts = po_status(sample())
    assert (counts.reviewed, counts.machine, counts.untranslated, counts.obsolete) == (3, 1, 2, 1)
    assert counts.live == 6 and counts.percent_reviewed == 50.0


def test_qa_warnings_are_counted_per_check_once_per_unreviewed_entry() -> None:
    assert qa_checks(entry("x", comment="block: p\nqa: numbers: 1\nqa: latin: x\n  qa:tags a")) == {
        "numbers",
        "latin",
        "tags",
    }
    assert qa_checks(entry("x", comment="block: p\nnot qa: numbers")) == set()
    # "b" is reviewed: its warnings were about the machine output the translator has replaced.
    assert dict(po_status(sample()).qa) == {"numbers": 1, "latin": 1, "rest": 1}


def test_summary_per_language_and_total() -> None:
    files = [
        FileStatus("locales/fr/LC_MESSAGES/x.po", "fr", po_status(catalog(entry("a", "a"), entry("b")))),
        FileStatus("locales/ar/LC_MESSAGES/x.po", "ar", po_status(sample())),
        FileStatus("locales/ar/LC_MESSAGES/y.po", "ar", po_status(catalog(entry("a", "أ", fuzzy=True)))),
    ]
    summary = summarize(files)
    assert [f.path for f in summary.files] == sorted(f.path for f in files)
    assert summary.languages["ar"].as_dict()["machine"] == 2 and summary.languages["fr"].reviewed == 1
    total = summary.total.as_dict()
    assert (total["reviewed"], total["machine"], total["untranslated"], total["obsolete"]) == (4, 2, 3, 1)
    assert total["segments"] == 9 and total["percent_reviewed"] == 44.4
    table = format_table(summary).splitlines()
    assert table[0].split()[:2] == ["file", "reviewed"] and table[-1].split()[:6] == [
        "total",
        "4",
        "2",
        "3",
        "1",
        "44.4",
    ]
    assert any(line.startswith("[ar] total") for line in table)


def test_status_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    locales = tmp_path / "locales"
    write_po(sample(), locales / "ar" / "LC_MESSAGES" / "x.po")
    write_po(catalog(entry("a", "a")), locales / "fr" / "LC_MESSAGES" / "x.po")
    (locales / "templates").mkdir()
    write_po(catalog(entry("a")), locales / "templates" / "x.pot")
    broken = locales / "he" / "LC_MESSAGES" / "x.po"
    broken.parent.mkdir(parents=True)
    broken.write_text('msgid "a"\nmsgstr "unterminated\n', encoding="utf-8")

    assert main(["status", "--locales", str(locales), "--json"]) == 2  # a bad file: reported, others shown
    out, err = capsys.readouterr()
    assert str(broken) in err and err.count("\n") == 1
    data = json.loads(out)
    assert [f["lang"] for f in data["files"]] == ["ar", "fr"]
    assert data["languages"]["fr"]["percent_reviewed"] == 100.0
    assert data["total"]["reviewed"] == 4 and data["total"]["qa"] == {"latin": 1, "numbers": 1, "rest": 1}

    assert main(["status", "--locales", str(locales), "--to", "ar"]) == 0
    out, _ = capsys.readouterr()
    assert "locales/ar/LC_MESSAGES/x.po" in out and "locales/fr" not in out and "numbers 1" in out
    # its machine entry has no note and its header names no model: status says so
    assert "machine output from" in out and "unknown (no machine notes" in out

    assert main(["status", "--locales", str(tmp_path / "nothing")]) == 1
    assert "nothing" in capsys.readouterr().err
