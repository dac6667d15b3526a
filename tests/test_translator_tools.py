"""No translator's work lost under any edit a real tool makes (issue 19, cases 4, 5 and 7).

The table test: an article is translated, every entry reviewed, one sentence changed and the run
repeated; then a translator's tool rewrites the PO file (GNU msgcat, msgattrib, msgmerge --previous,
a sed that deletes msgctxt lines, a Poedit-style rewrap) or the editor reverts the article, and
translate runs again. Reviewed entries (live or kept as ``#~``) are counted before and after and
must be equal; reverting the article afterwards must bring every sentence back reviewed.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import polib
import pytest

from pipeline.catalog.po import po_path, read_po, template_path
from pipeline.cli import main
from pipeline.job import translate_articles
from pipeline.names.glossary import load_glossary

from .helpers import ROOT, EchoBackend, msgfmt_check
from .test_gettext_compat import tool
from .test_roundtrip import ARTICLE, CHANGED_NEW, CHANGED_OLD

#: The article with one sentence changed; ARTICLE is the "revert".
CHANGED = ARTICLE.replace(CHANGED_OLD, CHANGED_NEW)


class Model(EchoBackend):
    """A fake model whose output says which model made it."""

    def __init__(self, tag: str) -> None:
        super().__init__()
        self.tag = tag
        self.name = tag

    def translate(self, texts, *, lang):  # type: ignore[no-untyped-def]
        return [f"<{self.tag}> {t}" for t in super().translate(texts, lang=lang)]


def run(folder: Path, backend: EchoBackend, label: str = "echo"):
    return translate_articles(
        [folder / "articles"],
        ["ar"],
        glossary=load_glossary(ROOT / "glossary"),
        locales=folder / "locales",
        out=None,
        make_backend=lambda lang: backend,
        model_label=label,
    )


def reviewed(po: polib.POFile) -> dict[str, str]:
    """Reviewed translations by source, live or obsolete: the translator's work to keep."""
    return {e.msgid: e.msgstr for e in po if e.msgid and e.msgstr and "fuzzy" not in e.flags}


def live_reviewed(po: polib.POFile) -> dict[str, str]:
    return {e.msgid: e.msgstr for e in po if e.msgid and not e.obsolete and e.msgstr and not e.fuzzy}


def review_all(path: Path) -> None:
    po = read_po(path)
    for n, entry in enumerate(e for e in po if e.msgid and not e.obsolete):
        entry.msgstr, entry.flags = f"مراجعة {n}", []
    po.save(str(path))


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """All reviewed, then one sentence changed and re-run: live reviewed entries, one fuzzy
    changed entry, and the old sentence's reviewed entry."""
    (tmp_path / "articles").mkdir()
    (tmp_path / "articles" / "rebels.txt").write_text(ARTICLE, encoding="utf-8")
    run(tmp_path, EchoBackend())
    review_all(po_file(tmp_path))
    (tmp_path / "articles" / "rebels.txt").write_text(CHANGED, encoding="utf-8")
    run(tmp_path, EchoBackend())
    return tmp_path


def po_file(folder: Path) -> Path:
    return folder / po_path(Path("locales"), "ar", "rebels")


def _msgcat(folder: Path) -> None:
    tool("msgcat", "--width=40", po_file(folder), "-o", po_file(folder))


def _msgattrib(folder: Path) -> None:
    tool("msgattrib", "--clear-previous", "--no-wrap", po_file(folder), "-o", po_file(folder))


def _msgmerge(folder: Path) -> None:
    pot = folder / template_path(Path("locales"), "rebels")
    tool("msgmerge", "--quiet", "--previous", "-U", "--backup=off", po_file(folder), pot)


def _sed_msgctxt(folder: Path) -> None:
    """``sed -i '/^\\(#~ \\)\\?msgctxt/d'``: what a hand edit or a context-unaware tool does."""
    path = po_file(folder)
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"(?m)^(#~ )?msgctxt .*\n", "", text), encoding="utf-8")


def _poedit_rewrap(folder: Path) -> None:
    """Another writer, wrapping at Poedit's 79 columns."""
    polib.pofile(str(po_file(folder)), wrapwidth=79).save(str(po_file(folder)))


def _nothing(folder: Path) -> None:
    """The revert row: the file as our last run left it."""


EDITS: dict[str, Callable[[Path], None]] = {
    "msgcat": _msgcat,
    "msgattrib": _msgattrib,
    "msgmerge --previous": _msgmerge,
    "sed msgctxt removal": _sed_msgctxt,
    "Poedit-style rewrap": _poedit_rewrap,
    "revert only": _nothing,
}


@pytest.mark.parametrize("edit", list(EDITS))
def test_reviewed_entries_survive_every_tool_and_a_revert(folder: Path, edit: str) -> None:
    before = reviewed(read_po(po_file(folder)))
    assert CHANGED_OLD in before  # the changed sentence's review is kept as an entry, not a comment
    EDITS[edit](folder)
    msgfmt_check(po_file(folder))
    backend = EchoBackend()
    run(folder, backend)
    after = read_po(po_file(folder))
    assert reviewed(after) == before, edit
    assert backend.calls == 0  # nothing was lost, so nothing goes to the model again
    if edit == "sed msgctxt removal":
        assert all(e.msgctxt for e in after if e.msgid and not e.obsolete)  # contexts restored
    # the editor reverts the article: every sentence is reviewed again, as it was
    (folder / "articles" / "rebels.txt").write_text(ARTICLE, encoding="utf-8")
    run(folder, backend)
    restored = read_po(po_file(folder))
    assert live_reviewed(restored)[CHANGED_OLD] == before[CHANGED_OLD]
    assert len(live_reviewed(restored)) == len([e for e in restored if e.msgid and not e.obsolete])
    msgfmt_check(po_file(folder))


def test_deleting_one_msgctxt_keeps_that_entry_reviewed(folder: Path) -> None:
    path = po_file(folder)
    text = path.read_text(encoding="utf-8")
    first = re.search(r"(?m)^msgctxt .*\n", text)
    assert first is not None
    path.write_text(text[: first.start()] + text[first.end() :], encoding="utf-8")
    before = live_reviewed(read_po(path))
    run(folder, EchoBackend())
    po = read_po(path)
    assert live_reviewed(po) == before and not [e for e in po if e.obsolete and e.msgid in before]


# --- 7. another model's machine output is not kept forever --------------------------------------


def test_a_new_model_retranslates_only_untouched_machine_output(tmp_path: Path) -> None:
    from pipeline.catalog.provenance import machine_origin

    (tmp_path / "articles").mkdir()
    (tmp_path / "articles" / "rebels.txt").write_text(ARTICLE, encoding="utf-8")
    run(tmp_path, Model("a"), "model-a")
    path = po_file(tmp_path)
    po = read_po(path)
    live = [e for e in po if e.msgid and not e.obsolete]
    assert {machine_origin(e).label for e in live} == {"model-a"}  # type: ignore[union-attr]
    live[0].msgstr, live[0].flags = "مراجعة", []  # reviewed
    live[1].msgstr = "مسودة المترجم"  # a translator's draft, still fuzzy
    po.save(str(path))
    b = Model("b")
    report = run(tmp_path, b, "model-b")
    assert b.calls and report.translated == len(live) - 2
    po = read_po(path)
    by_id = {e.msgid: e for e in po if e.msgid and not e.obsolete}
    assert (by_id[live[0].msgid].msgstr, by_id[live[0].msgid].fuzzy) == ("مراجعة", False)
    assert (by_id[live[1].msgid].msgstr, by_id[live[1].msgid].fuzzy) == ("مسودة المترجم", True)
    for entry in live[2:]:
        assert by_id[entry.msgid].msgstr.startswith("<b>") and by_id[entry.msgid].fuzzy
        assert machine_origin(by_id[entry.msgid]).label == "model-b"  # type: ignore[union-attr]
    assert po.metadata["X-Machine-Translation"] == "model-b"
    again = Model("b")
    assert run(tmp_path, again, "model-b").translated == 0 and again.calls == 0


def test_memory_never_offers_one_models_unreviewed_output_to_another(tmp_path: Path) -> None:
    (tmp_path / "articles").mkdir()
    (tmp_path / "articles" / "one.txt").write_text(ARTICLE, encoding="utf-8")
    run(tmp_path, Model("a"), "model-a")
    (tmp_path / "articles" / "two.txt").write_text(ARTICLE.replace("Rebels", "Soldiers"), encoding="utf-8")
    run(tmp_path, Model("b"), "model-b")
    two = read_po(tmp_path / po_path(Path("locales"), "ar", "two"))
    assert all(e.msgstr.startswith("<b>") for e in two if e.msgid and not e.obsolete)


def test_cli_model_change_and_status_per_file(
    tiny_model_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The issue's case: the README's first command (tiny model), then another model."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "rebels.txt").write_text(ARTICLE, encoding="utf-8")
    base = ["translate", "rebels.txt", "--to", "ar", "--glossary", str(ROOT / "glossary"), "--no-render"]
    assert main([*base, "--model", str(tiny_model_dir)]) == 0
    assert main([*base, "--backend", "identity"]) == 0
    summary = capsys.readouterr().out
    assert "5 machine-translated, 0 kept from existing PO files" in summary
    po = read_po(po_path(Path("locales"), "ar", "rebels"))
    assert po.metadata["X-Machine-Translation"] == "identity"
    assert all(e.msgstr == e.msgid for e in po if e.msgid and not e.obsolete)
    result = subprocess.run(
        [sys.executable, "-m", "pipeline", "status", "--json"], capture_output=True, text=True, check=True
    )
    (only,) = json.loads(result.stdout)["files"]
    assert only["models"] == {"identity": 5}
    table = subprocess.run(
        [sys.executable, "-m", "pipeline", "status"], capture_output=True, text=True, check=True
    ).stdout
    assert "machine output from" in table and "identity (5)" in table


def test_the_machine_note_survives_polib_wrapping_a_long_label() -> None:
    from pipeline.catalog.provenance import (
        is_machine_output,
        is_stale,
        label_of,
        machine_note,
        machine_origin,
    )

    label = label_of(
        "/tmp/pytest-of-root/pytest-102/very-long-model-folder-name/tiny-en-ar0", "transformers;beams=4"
    )
    entry = polib.POEntry(msgctxt="p:1", msgid="Hi.", msgstr="مرحبا", flags=["fuzzy"])
    entry.comment = "\n".join(["block: paragraph", machine_note(label, "مرحبا"), "qa: latin: x y"])
    po = polib.POFile(wrapwidth=78)
    po.append(entry)
    (back,) = polib.pofile(po.__unicode__())
    assert back.comment.count("\n") > entry.comment.count("\n")  # really wrapped
    assert machine_origin(back).label == label and is_machine_output(back)  # type: ignore[union-attr]
    assert not is_stale(back, label) and is_stale(back, "other")
    back.msgstr = "مرحبا بكم"  # a translator's draft: never stale again
    assert not is_stale(back, "other")
