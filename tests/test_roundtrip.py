"""The translators' round trip: re-runs keep human work, changed sentences are merged like msgmerge,
translation memory fills repeats, pages and MO files come from the PO files alone, and a re-run
over an unchanged folder makes no model call and changes no byte."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from bs4 import BeautifulSoup

from pipeline.catalog import po as catalogs
from pipeline.catalog.memory import TranslationMemory
from pipeline.catalog.merge import Message, build_catalog, match_changed
from pipeline.catalog.po import po_path, read_po, write_po
from pipeline.cli import main

from .helpers import ROOT, EchoBackend, msgfmt_check, run_fake

DATE1, DATE2 = "2026-01-01 00:00+0000", "2026-02-02 00:00+0000"

ARTICLE = """Rebels Leave the Old Town

The army said that twelve people died in the attack on Monday. Officials gave no further details.

Residents returned to the market. The city was quiet by evening.
"""
# changed: "twelve" -> "fifteen"; deleted: "Officials ..."; added: "Rescue teams ..."
EDITED = """Rebels Leave the Old Town

The army said that fifteen people died in the attack on Monday.

Residents returned to the market. The city was quiet by evening. Rescue teams arrived at dawn.
"""
CHANGED_OLD = "The army said that twelve people died in the attack on Monday."
CHANGED_NEW = "The army said that fifteen people died in the attack on Monday."
DELETED = "Officials gave no further details."
ADDED = "Rescue teams arrived at dawn."
REVIEWED_SRC, REVIEWED_AR = "Residents returned to the market.", "عاد السكان إلى السوق."
WIP_SRC, WIP_AR = "The city was quiet by evening.", "كانت المدينة هادئة مساءً (مسودة)"


def msg(text: str, translation: str = "", kind: str = "paragraph") -> Message:
    from pipeline.segment import segment_id

    return Message(segment_id(kind, text), text, kind, [("a.txt", 1)], [], translation)


def snapshot(root: Path) -> dict[str, tuple[bytes, int]]:
    """Every file's bytes and mtime: a re-run that rewrites identical bytes still counts as a change.

    The run cache is not among them: it is not a translator's file, and each run updates it."""
    return {
        p.relative_to(root).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in sorted(root.rglob("*"))
        if p.is_file() and "articles" not in p.parts and ".newsroom-cache" not in p.parts
    }


# --- merge logic (pure) -------------------------------------------------------------------------


def test_changed_sentence_is_fuzzy_with_previous_msgid_and_offers_the_reviewed_translation() -> None:
    first = build_catalog(
        [msg(CHANGED_OLD, "mt-old"), msg(DELETED, "mt-del")],
        lang="ar",
        slug="a",
        source="a.txt",
        model="m",
        date=DATE1,
    )
    reviewed = first.find(CHANGED_OLD)
    reviewed.msgstr, reviewed.flags, reviewed.tcomment = "ترجمة مراجعة", [], "checked with the desk"
    again = build_catalog(
        [msg(CHANGED_NEW, "mt-new")],
        lang="ar",
        slug="a",
        source="a.txt",
        model="m",
        date=DATE2,
        existing=first,
    )
    changed = again.find(CHANGED_NEW)
    assert changed.msgstr == "mt-new" and changed.fuzzy
    assert changed.previous_msgid == CHANGED_OLD and changed.previous_msgctxt == reviewed.msgctxt
    assert "previous translation (reviewed): ترجمة مراجعة" in changed.comment.splitlines()
    assert changed.tcomment == "checked with the desk"
    # the changed sentence's old entry stays as #~ with its reviewed translation (where msgmerge
    # cannot erase it, and a revert finds it), as does the deleted one
    assert [(e.msgid, e.msgstr) for e in again if e.obsolete] == [
        (CHANGED_OLD, "ترجمة مراجعة"),
        (DELETED, "mt-del"),
    ]
    assert again.metadata["POT-Creation-Date"] == DATE2 and again.metadata["PO-Revision-Date"] == DATE2


def test_a_second_edit_before_review_keeps_the_first_previous_msgid_and_the_offer() -> None:
    long_review = "قال الجيش إن اثني عشر شخصا قتلوا في الهجوم يوم الاثنين، بحسب بيان رسمي صدر مساء اليوم نفسه"
    first = build_catalog([msg(CHANGED_OLD, "x")], lang="ar", slug="a", source="a", model="m", date=DATE1)
    first[0].msgstr, first[0].flags = long_review, []
    second = build_catalog(
        [msg(CHANGED_NEW, "mt2")], lang="ar", slug="a", source="a", model="m", date=DATE2, existing=first
    )
    second = polib.pofile(second.__unicode__())  # written and read back: polib wraps the long comment
    third_text = "The army said that sixteen people died in the attack on Monday."
    third = build_catalog(
        [msg(third_text, "mt3")], lang="ar", slug="a", source="a", model="m", date=DATE2, existing=second
    )
    entry = third.find(third_text)
    assert entry.previous_msgid == CHANGED_OLD  # the source the reviewed translation was made for
    comment = " ".join(entry.comment.split())
    assert f"previous translation (reviewed): {long_review} previous translation (unreviewed): mt2" in comment
    obsolete = {(e.msgid, e.msgstr) for e in third if e.obsolete}
    assert obsolete == {(CHANGED_OLD, long_review), (CHANGED_NEW, "mt2")}  # both versions kept as #~
    assert polib.pofile(third.__unicode__()).__unicode__() == third.__unicode__()


def test_matching_pairs_best_first_and_stays_within_a_block_kind() -> None:
    gone = [
        polib.POEntry(msgctxt="paragraph:1", msgid="The army said that twelve people died.", msgstr="a"),
        polib.POEntry(msgctxt="caption:2", msgid="The army said that fifteen people died.", msgstr="b"),
        polib.POEntry(msgctxt="paragraph:3", msgid="Completely different words here.", msgstr="c"),
    ]
    pairs = match_changed(
        [("paragraph:9", "The army said that fifteen people died."), ("paragraph:8", "Nothing like it.")],
        gone,
    )
    assert {k[1]: v.msgstr for k, v in pairs.items()} == {"The army said that fifteen people died.": "a"}


def test_a_restored_sentence_gets_its_obsolete_translation_back() -> None:
    first = build_catalog([msg(DELETED, "x")], lang="ar", slug="a", source="a", model="m", date=DATE1)
    first[0].msgstr, first[0].flags = "مراجعة", []
    cut = build_catalog([], lang="ar", slug="a", source="a", model="m", date=DATE2, existing=first)
    assert [e.obsolete for e in cut] == [1]
    restored = build_catalog(
        [msg(DELETED)], lang="ar", slug="a", source="a", model="m", date=DATE2, existing=cut
    )
    assert (restored[0].msgstr, restored[0].obsolete, restored[0].fuzzy) == ("مراجعة", 0, False)
    assert (msg(DELETED).id, DELETED) in catalogs.reusable(cut)


# --- translation memory and the runner ----------------------------------------------------------


def run(backend: EchoBackend, articles: str = "articles"):
    return run_fake(backend, articles)


def review(path: Path, source: str, translation: str, *, keep_fuzzy: bool = False) -> None:
    po = read_po(path)
    entry = next(e for e in po if e.msgid == source)
    entry.msgstr = translation
    if not keep_fuzzy:
        entry.flags.remove("fuzzy")
    write_po(po, path)


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "articles").mkdir()
    (tmp_path / "articles" / "first.txt").write_text(ARTICLE, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_translation_memory_fills_repeats_without_the_model(folder: Path) -> None:
    run(EchoBackend())
    first = po_path(Path("locales"), "ar", "first")
    review(first, REVIEWED_SRC, REVIEWED_AR)
    (folder / "more").mkdir()
    (folder / "more" / "second.md").write_text(
        f"# {REVIEWED_SRC}\n\n{REVIEWED_SRC} Something new happened.\n", encoding="utf-8"
    )
    backend = EchoBackend()
    report = run(backend, "more")
    assert backend.seen == ["Something new happened."] and report.remembered == 2
    po = read_po(po_path(Path("locales"), "ar", "second"))
    same = po.find(REVIEWED_SRC, msgctxt=msg(REVIEWED_SRC).id)
    assert same.msgstr == REVIEWED_AR and not same.fuzzy
    assert "translation memory: ar/LC_MESSAGES/first.po" in same.comment.splitlines()
    other_kind = next(e for e in po if e.msgctxt.startswith("headline:"))
    assert other_kind.msgstr == REVIEWED_AR and other_kind.fuzzy  # same text, other context: fuzzy
    assert TranslationMemory.load("locales", "ar").lookup("x:1", "Not in memory.") is None


def test_rerun_over_unchanged_folder_changes_no_byte(folder: Path) -> None:
    run(EchoBackend())
    review(po_path(Path("locales"), "ar", "first"), REVIEWED_SRC, REVIEWED_AR)
    (folder / "articles" / "first.txt").write_text(EDITED, encoding="utf-8")
    (folder / "articles" / "second.txt").write_text(f"Second\n\n{REVIEWED_SRC}\n", encoding="utf-8")
    run(EchoBackend())
    assert main(["compile", "-q"]) == 0
    before = snapshot(folder)
    assert any(name.endswith(".mo") for name in before) and any(name.endswith(".html") for name in before)
    assert any(name.endswith(".layout.json") for name in before) and any(
        name.endswith(".pot") for name in before
    )
    backend = EchoBackend()
    report = run(backend)
    assert main(["compile", "-q"]) == 0
    assert main(["render", "-q"]) == 0
    assert backend.calls == 0 and report.translated == 0
    assert snapshot(folder) == before


def test_render_status_and_compile_do_not_import_the_model_stack(folder: Path) -> None:
    run(EchoBackend())
    for command in (["render"], ["status"], ["compile"]):
        result = subprocess.run(
            [sys.executable, "-X", "importtime", "-m", "pipeline", *command],
            capture_output=True,
            text=True,
            cwd=folder,
        )
        assert result.returncode == 0, result.stderr[-2000:]
        modules = {
            line.rsplit("|", 1)[1].strip()
            for line in result.stderr.splitlines()
            if line.startswith("import time:")
        }
        assert "pipeline.cli" in modules  # the import log is really being read
        heavy = sorted(m for m in modules if m.split(".")[0] in {"torch", "transformers"})
        assert heavy == [], (command, heavy[:5])


# --- the end-to-end scenario, through the CLI with the tiny model -----------------------


@pytest.fixture(scope="module")
def scenario(tiny_model_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> dict:
    """translate → edit two entries (one made non-fuzzy) → change, delete and add a sentence →
    re-run → re-run again; model calls counted at each step via ``backend.calls``."""
    import pipeline.mt.factory

    folder = tmp_path_factory.mktemp("roundtrip")
    (folder / "articles").mkdir()
    article = folder / "articles" / "rebels.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    loaded: list = []
    real_load = pipeline.mt.factory.load_backend

    def counting_load(*args, **kwargs):
        loaded.append(real_load(*args, **kwargs))
        return loaded[-1]

    def calls() -> int:
        return sum(b.calls for b in loaded)

    command = ["translate", "articles", "--to", "ar", "--model", str(tiny_model_dir)]
    command += ["--glossary", str(ROOT / "glossary"), "-q"]
    mp = pytest.MonkeyPatch()
    mp.chdir(folder)
    mp.setattr(pipeline.mt.factory, "load_backend", counting_load)
    try:
        assert main(command) == 0
        po_file = po_path(Path("locales"), "ar", "rebels")
        first = read_po(po_file)
        first_calls = calls()
        review(po_file, REVIEWED_SRC, REVIEWED_AR)
        review(po_file, WIP_SRC, WIP_AR, keep_fuzzy=True)
        article.write_text(EDITED, encoding="utf-8")
        assert main(command) == 0
        second_calls = calls() - first_calls
        after = po_file.read_text(encoding="utf-8")
        before_third = snapshot(folder)
        assert main(command) == 0
        third_calls = calls() - first_calls - second_calls
        unchanged = snapshot(folder) == before_third
        assert main(["render", "-q", "--reviewed-only", "--out", "reviewed"]) == 0
        status = subprocess.run(
            [sys.executable, "-m", "pipeline", "status", "--json"], capture_output=True, text=True, cwd=folder
        )
    finally:
        mp.undo()
    return {
        "folder": folder,
        "first": first,
        "po": polib.pofile(after),
        "po_file": folder / po_file,
        "calls": (first_calls, second_calls, third_calls),
        "unchanged": unchanged,
        "status": status,
    }


def test_scenario_only_new_and_changed_segments_reach_the_model(scenario: dict) -> None:
    first_calls, second_calls, third_calls = scenario["calls"]
    assert first_calls == len(scenario["first"]) == 5
    assert second_calls == 2  # the changed sentence and the added one
    assert third_calls == 0


def test_scenario_edits_are_intact(scenario: dict) -> None:
    po = scenario["po"]
    reviewed, wip = po.find(REVIEWED_SRC), po.find(WIP_SRC)
    assert (reviewed.msgstr, reviewed.fuzzy) == (REVIEWED_AR, False)
    assert (wip.msgstr, wip.fuzzy) == (WIP_AR, True)
    msgfmt_check(scenario["po_file"])


def test_scenario_changed_deleted_and_added(scenario: dict) -> None:
    po, first = scenario["po"], scenario["first"]
    changed = po.find(CHANGED_NEW)
    assert changed.fuzzy and changed.msgstr and changed.previous_msgid == CHANGED_OLD
    offered = " ".join(first.find(CHANGED_OLD).msgstr.split())
    assert f"previous translation (unreviewed): {offered}" in " ".join(changed.comment.split())
    assert po.find(CHANGED_OLD) is None  # not live; kept as #~ with its translation
    kept = po.find(CHANGED_OLD, include_obsolete_entries=True)
    assert kept.obsolete and kept.msgstr == first.find(CHANGED_OLD).msgstr
    deleted = po.find(DELETED, include_obsolete_entries=True)
    assert deleted.obsolete and deleted.msgstr == first.find(DELETED).msgstr
    added = po.find(ADDED)
    assert added.fuzzy and added.msgstr and added.previous_msgid is None


def test_scenario_pages_show_the_edits(scenario: dict) -> None:
    folder = scenario["folder"]
    default = BeautifulSoup(
        (folder / "build" / "ar" / "rebels.html").read_text(encoding="utf-8"), "html.parser"
    )
    text = default.get_text()
    assert REVIEWED_AR in text and WIP_AR in text and DELETED not in text
    reviewed_only = BeautifulSoup(
        (folder / "reviewed" / "ar" / "rebels.html").read_text(encoding="utf-8"), "html.parser"
    )
    english = " ".join(
        e.get_text() for e in reviewed_only.find_all(attrs={"lang": "en", "class": "untranslated"})
    )
    assert REVIEWED_AR in reviewed_only.get_text() and WIP_AR not in reviewed_only.get_text()
    assert WIP_SRC in english and ADDED in english


def test_scenario_status_numbers(scenario: dict) -> None:
    status = scenario["status"]
    assert status.returncode == 0, status.stderr
    data = json.loads(status.stdout)
    expected = {"reviewed": 1, "machine": 4, "untranslated": 0, "obsolete": 2, "segments": 5}
    (only,) = data["files"]
    assert only["path"] == "locales/ar/LC_MESSAGES/rebels.po"
    assert {k: only[k] for k in expected} == expected
    assert only["percent_reviewed"] == 20.0
    assert (
        {k: data["total"][k] for k in expected}
        == expected
        == {k: data["languages"]["ar"][k] for k in expected}
    )


def test_scenario_second_rerun_changes_no_byte(scenario: dict) -> None:
    assert scenario["unchanged"]
