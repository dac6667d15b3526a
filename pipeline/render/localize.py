"""Localize: an article's layout with each sentence replaced by its translation, as a policy allows.

The one step every output shares (pages, plain text, Markdown, the cross-language overview), so it
lives below them all. Which translations appear is a :data:`Policy`: ``machine`` (reviewed first,
then machine translations, the default) or ``reviewed`` (reviewed only; other sentences stay in
English), since po4a-style tools silently drop fuzzy entries and newsrooms need to choose.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, get_args

import polib

from pipeline.catalog.layout import Layout, LayoutSegment
from pipeline.catalog.po import is_reviewed, language_folders
from pipeline.catalog.status import percent_reviewed
from pipeline.errors import CatalogError, PipelineError
from pipeline.ingest.inline import InlineTag
from pipeline.ingest.sniff import is_slug
from pipeline.render.inline import plain

Policy = Literal["machine", "reviewed"]
POLICIES: tuple[Policy, ...] = get_args(Policy)

#: Where a sentence on the page comes from: a reviewed translation, a machine one awaiting review,
#: or the English source (no translation the policy allows).
PieceStatus = Literal["reviewed", "machine", "source"]

LAYOUT_SUFFIX = ".layout.json"


@dataclass
class Piece:
    text: str  # as in the PO file: inline tags (``<a1>…</a1>``) included
    status: PieceStatus
    tags: tuple[InlineTag, ...] = ()  # the sentence's elements, from the layout

    @property
    def plain(self) -> str:
        """The text without tags (a broken tag dropped, as on the page)."""
        return plain(self.text, self.tags) if self.tags or "<" in self.text else self.text


@dataclass
class LocalBlock:
    kind: str
    pieces: list[Piece] = field(default_factory=list)
    seps: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "".join(p.plain + s for p, s in zip(self.pieces, self.seps, strict=True)).strip()


@dataclass(slots=True)  # one per article in each language's index
class Stats:
    total: int = 0
    reviewed: int = 0
    machine: int = 0
    source: int = 0

    @property
    def percent_reviewed(self) -> int:
        """A whole number, by the project's one rounding rule (never 100 before every segment is)."""
        return int(percent_reviewed(self.reviewed, self.total, digits=0))


def _piece(seg: LayoutSegment, entry: polib.POEntry | None, policy: Policy) -> Piece:
    if entry is not None and entry.msgstr and is_reviewed(entry):
        return Piece(entry.msgstr, "reviewed", seg.tags)
    if entry is not None and entry.msgstr and policy == "machine":
        return Piece(entry.msgstr, "machine", seg.tags)
    return Piece(seg.text, "source", seg.tags)


def localize(
    layout: Layout, entries: Mapping[str, polib.POEntry], policy: Policy = "machine"
) -> list[LocalBlock]:
    """The article's blocks with each sentence replaced by its translation, as the policy allows."""
    if policy not in POLICIES:  # callers from untyped code (scripts, JSON settings)
        raise ValueError(f"unknown policy {policy!r}")
    blocks: list[LocalBlock] = []
    for block in layout.blocks:
        local = LocalBlock(block.kind)
        for seg in block.segments:
            local.pieces.append(_piece(seg, entries.get(seg.id), policy))
            local.seps.append(seg.sep)
        blocks.append(local)
    return blocks


def unit_stats(layout: Layout, entries: Mapping[str, polib.POEntry]) -> Stats:
    """Counts per translation unit: a sentence repeated in the article is one unit to review."""
    stats = Stats()
    seen: set[str] = set()
    for block in layout.blocks:
        for seg in block.segments:
            if seg.id in seen:
                continue
            seen.add(seg.id)
            stats.total += 1
            entry = entries.get(seg.id)
            if entry is not None and is_reviewed(entry):
                stats.reviewed += 1
            elif entry is not None and entry.msgstr:
                stats.machine += 1
            else:
                stats.source += 1
    return stats


def headline(blocks: list[LocalBlock]) -> str | None:
    """The text of the first non-empty headline block, if any."""
    return next((b.text for b in blocks if b.kind == "headline" and b.text), None)


def article_slugs(locales: Path, errors: list[PipelineError] | None = None) -> list[str]:
    """Every article with a layout under ``<locales>/templates``, by slug; none without that folder.

    A slug read from disk names output files and goes into links, so it must be one
    :func:`~pipeline.ingest.sniff.slugify` could have made: a layout named
    ``javascript:alert(1).layout.json`` is skipped, and reported in ``errors`` when given.
    """
    folder = Path(locales) / "templates"
    slugs: list[str] = []
    strays: list[str] = []
    try:
        with os.scandir(folder) as entries:  # streamed: the folder holds 2-3 files per article
            for entry in entries:
                if entry.name.endswith(LAYOUT_SUFFIX):
                    slug = entry.name[: -len(LAYOUT_SUFFIX)]
                    (slugs if is_slug(slug) else strays).append(slug)
    except OSError:
        return []
    for stray in sorted(strays):
        error = CatalogError(
            "not an article layout this tool wrote (its name must be lower-case letters, "
            "digits and hyphens); skipped",
            folder / f"{stray}{LAYOUT_SUFFIX}",
        )
        if errors is not None and not any(str(e) == str(error) for e in errors):  # once per language
            errors.append(error)
    return sorted(slugs, key=_file_order)


def _file_order(slug: str) -> str:
    """The order of the layout files' names (``a-b.layout.json`` before ``a.layout.json``), which
    is the order pages and rows have always come in: the suffix begins with a dot."""
    return slug + "."


def languages(locales: Path) -> list[str]:
    """Every language with a gettext folder (``<locales>/<lang>/LC_MESSAGES``)."""
    return [lang for lang in language_folders(locales)[0] if (Path(locales) / lang / "LC_MESSAGES").is_dir()]
