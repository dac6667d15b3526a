"""Translation memory: reviewed translations of one language, reused across articles.

Newsrooms repeat sentences (boilerplate captions, agency credits, standard background lines).
Once a translator has reviewed one, every other article with the identical English sentence
should get that translation instead of a fresh machine guess, and without a model call.

The memory is every *reviewed* (translated, not fuzzy, not obsolete) entry of every PO file under
``locales/<lang>/``. A hit with the same ``msgctxt`` (same block kind and text) is the same unit
and is used as reviewed; the same text in another kind of block (a caption reused as a
paragraph) is offered ``fuzzy``, since layout can change the right wording. Either way a
``#. translation memory: <file>`` comment says where it came from.

Only sentences that would otherwise go to the model are looked up: an existing entry, even an
unreviewed one, is never replaced, so a translator's work in progress is never overwritten.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import polib

from pipeline.catalog.po import is_reviewed, read_po
from pipeline.errors import PipelineError
from pipeline.segment import normalize

NOTE = "translation memory: "


@dataclass(frozen=True)
class Hit:
    """A reviewed translation of the same sentence; ``fuzzy`` when it was reviewed in another
    kind of block, so it is offered rather than trusted."""

    translation: str
    fuzzy: bool
    note: str


class Memory(Protocol):
    """What a merge asks of a memory: this in-process one, or the run cache's SQLite index
    (:class:`pipeline.catalog.index.IndexedMemory`), which answers the same."""

    def lookup(self, msgctxt: str, source: str) -> Hit | None: ...


@dataclass(frozen=True)
class _Stored:
    msgctxt: str
    translation: str
    origin: str


class TranslationMemory:
    """Exact-source lookups over reviewed entries; the first file (in path order) wins a tie."""

    def __init__(self) -> None:
        self._by_source: dict[str, list[_Stored]] = {}

    def __len__(self) -> int:
        return sum(len(v) for v in self._by_source.values())

    def add(self, po: polib.POFile, origin: str) -> None:
        for entry in po:
            if entry.msgid and not entry.msgid_plural and is_reviewed(entry):
                stored = _Stored(entry.msgctxt or "", entry.msgstr, origin)
                self._by_source.setdefault(normalize(entry.msgid), []).append(stored)

    @classmethod
    def load(cls, locales: str | Path, lang: str) -> TranslationMemory:
        """Every readable PO file under ``locales/<lang>/``; a broken file is skipped here (the
        run that owns it reports it, and its entries cannot be trusted anyway)."""
        memory = cls()
        root = Path(locales)
        for path in sorted((root / lang).rglob("*.po")):
            try:
                po = read_po(path)
            except PipelineError:
                continue
            memory.add(po, path.relative_to(root).as_posix())
        return memory

    def lookup(self, msgctxt: str, source: str) -> Hit | None:
        candidates = self._by_source.get(normalize(source))
        if not candidates:
            return None
        same = next((c for c in candidates if c.msgctxt == msgctxt), None)
        best = same or candidates[0]
        note = NOTE + best.origin + ("" if same else f" (as {best.msgctxt or 'no context'})")
        return Hit(best.translation, fuzzy=same is None, note=note)
