"""PO files written before the ``#. machine:`` notes (issue 19, case 7, legacy files).

The old format is crafted from a current output by stripping its notes. Such a file says only, in
its header's ``X-Machine-Translation``, which model first wrote it; a fuzzy entry without a note
may be that model's output or a translator's draft, and no one can tell. When another model runs,
each such entry is translated again and its old text is kept as a translator comment (which every
gettext tool keeps); reviewed entries are never touched; the same model keeps everything.
"""

from __future__ import annotations

from pathlib import Path

import polib
import pytest

from pipeline.catalog.po import read_po, template_path
from pipeline.catalog.provenance import LEGACY, NOTE, is_stale, legacy_text, machine_origin
from pipeline.catalog.status import UNKNOWN_MODEL, machine_models

from .helpers import msgfmt_check
from .test_gettext_compat import tool
from .test_roundtrip import ARTICLE
from .test_translator_tools import Model, po_file, run


def strip_notes(path: Path) -> None:
    """The file as the pipeline wrote it before it recorded which model made each entry."""
    po = read_po(path)
    for entry in po:
        lines = entry.comment.split("\n") if entry.comment else []
        entry.comment = "\n".join(line for line in lines if not line.startswith(NOTE))
    po.save(str(path))
    assert NOTE not in path.read_text(encoding="utf-8")


@pytest.fixture
def legacy(tmp_path: Path) -> tuple[Path, list[polib.POEntry]]:
    """A legacy file by model-a: entry 0 reviewed, entry 1 a translator's fuzzy draft, the rest
    untouched machine output."""
    (tmp_path / "articles").mkdir()
    (tmp_path / "articles" / "rebels.txt").write_text(ARTICLE, encoding="utf-8")
    run(tmp_path, Model("a"), "model-a")
    path = po_file(tmp_path)
    strip_notes(path)
    po = read_po(path)
    live = [e for e in po if e.msgid and not e.obsolete]
    live[0].msgstr, live[0].flags = "مراجعة", []
    live[1].msgstr = "مسودة المترجم\nسطر ثان"
    po.save(str(path))
    msgfmt_check(path)
    assert po.metadata["X-Machine-Translation"] == "model-a"
    return tmp_path, live


def test_another_model_retranslates_legacy_entries_and_keeps_their_text(
    legacy: tuple[Path, list[polib.POEntry]],
) -> None:
    folder, live = legacy
    b = Model("b")
    report = run(folder, b, "model-b")
    assert report.translated == len(live) - 1  # all but the reviewed one
    path = po_file(folder)
    msgfmt_check(path)
    po = read_po(path)
    by_id = {e.msgid: e for e in po if e.msgid and not e.obsolete}
    reviewed = by_id[live[0].msgid]
    assert (reviewed.msgstr, reviewed.fuzzy, reviewed.tcomment) == ("مراجعة", False, "")
    for old in live[1:]:
        entry = by_id[old.msgid]
        assert entry.msgstr.startswith("<b>") and entry.fuzzy
        assert machine_origin(entry).label == "model-b"  # type: ignore[union-attr]
        assert " ".join(entry.tcomment.split("\n")).startswith(f"{LEGACY}model-a or a translator): ")
        assert legacy_text(entry.tcomment) == old.msgstr  # the draft, newline and all, recoverable
    assert po.metadata["X-Machine-Translation"] == "model-b"
    # the kept text survives the translators' tools: msgmerge rebuilds #. comments, not "# " ones
    merged = folder / "merged.po"
    tool("msgmerge", "--previous", "-o", merged, path, folder / template_path(Path("locales"), "rebels"))
    assert "مسودة المترجم" in merged.read_text(encoding="utf-8")
    # now the file has notes: a re-run with the same model changes nothing, keeps one comment each
    before = path.read_text(encoding="utf-8")
    again = Model("b")
    assert run(folder, again, "model-b").translated == 0 and again.calls == 0
    assert path.read_text(encoding="utf-8") == before


def test_the_same_model_keeps_a_legacy_file_as_it_is(legacy: tuple[Path, list[polib.POEntry]]) -> None:
    folder, _ = legacy
    before = po_file(folder).read_text(encoding="utf-8")
    a = Model("a")
    assert run(folder, a, "model-a").translated == 0 and a.calls == 0
    assert po_file(folder).read_text(encoding="utf-8") == before


def test_a_legacy_file_that_names_no_model_is_left_alone(legacy: tuple[Path, list[polib.POEntry]]) -> None:
    """Without the header nothing says which model wrote the drafts: they stay (and status counts
    them as machine entries of no known model)."""
    folder, live = legacy
    path = po_file(folder)
    po = read_po(path)
    del po.metadata["X-Machine-Translation"]
    po.save(str(path))
    b = Model("b")
    assert run(folder, b, "model-b").translated == 0 and b.calls == 0
    assert machine_models(read_po(path)) == {UNKNOWN_MODEL: len(live) - 1}


def test_status_names_the_headers_model_for_a_legacy_file(legacy: tuple[Path, list[polib.POEntry]]) -> None:
    folder, live = legacy
    assert machine_models(read_po(po_file(folder))) == {"model-a": len(live) - 1}


def test_which_entries_count_as_stale() -> None:
    draft = polib.POEntry(msgid="A.", msgstr="أ", flags=["fuzzy"], comment="block: paragraph")
    assert is_stale(draft, "model-b", legacy="model-a")
    assert is_stale(draft, "model-b;transformers;beams=4", legacy="model-a")
    assert not is_stale(draft, "model-a;transformers;beams=4", legacy="model-a")  # settings unknown
    assert not is_stale(draft, "model-b")  # the header names no model
    reviewed = polib.POEntry(msgid="A.", msgstr="أ", comment="block: paragraph")
    assert not is_stale(reviewed, "model-b", legacy="model-a")
    remembered = polib.POEntry(
        msgid="A.", msgstr="أ", flags=["fuzzy"], comment="translation memory: other.po (as caption:1)"
    )
    assert not is_stale(remembered, "model-b", legacy="model-a")
    empty = polib.POEntry(msgid="A.", msgstr="", flags=["fuzzy"])
    assert not is_stale(empty, "model-b", legacy="model-a")
