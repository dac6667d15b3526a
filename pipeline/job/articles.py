"""What the translate job works on and writes besides PO files: an article read and segmented, the
run's report, each article's layout and template, and the messages of its catalogs.

Apart from :mod:`pipeline.job` (which sequences the run: streaming, chunks, the run cache) so each
stays a readable size.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from pipeline import catalog as catalogs
from pipeline.catalog import Layout, LayoutBlock, LayoutSegment, Message
from pipeline.catalog.checks import qa_notes
from pipeline.errors import PipelineError
from pipeline.ingest import Document
from pipeline.names.glossary import Glossary
from pipeline.names.protection import Protected, protect
from pipeline.names.tags import Tagged, mask_tags
from pipeline.segment import Keep, Segment, Unit


@dataclass
class Article:
    doc: Document
    segments: list[Segment]
    units: list[Unit]
    key: str = ""  # the run cache's key: source bytes and the settings that shape the output


#: Each translated unit by (article slug, unit id): the restored text, its protection, the repairs made.
Results = dict[tuple[str, str], tuple[str, Protected, tuple[str, ...]]]


@dataclass
class Report:
    articles: int = 0
    languages: list[str] = field(default_factory=list)
    units: int = 0
    translated: int = 0
    reused: int = 0
    remembered: int = 0  # filled from reviewed entries of other PO files, no model call
    names: int = 0
    repairs: int = 0
    written: list[Path] = field(default_factory=list)
    errors: list[PipelineError] = field(default_factory=list)
    #: One line each: what ingest was unsure of ("FILE: little text…"), links skipped, files regenerated.
    warnings: list[str] = field(default_factory=list)
    failed: int = 0  # (article, language) pairs not written because of an error
    seconds: float = 0.0
    failed_languages: list[str] = field(default_factory=list)  # their model failed: skipped
    created: list[Path] = field(default_factory=list)  # PO files this run created (a first run)
    pages: list[Path] = field(default_factory=list)  # the run's HTML pages, changed or not
    skipped: int = 0  # articles unchanged since the last run: neither segmented nor their PO files read


def display_path(path: Path) -> str:
    """The path as PO references and pages show it: relative to the working folder when possible."""
    try:
        return Path(os.path.relpath(path.resolve(), Path.cwd())).as_posix()
    except ValueError:
        return path.resolve().as_posix()


def now_stamp() -> str:
    """PO header date; ``SOURCE_DATE_EPOCH`` makes it reproducible."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    moment = datetime.fromtimestamp(int(epoch), timezone.utc) if epoch else datetime.now(timezone.utc)
    return moment.strftime("%Y-%m-%d %H:%M+0000")


def name_spans(glossary: Glossary) -> Keep:
    """The glossary names in a text, which sentence splitting must not cut (``.NET``, ``U.N.``)."""
    return lambda text: [(m.start, m.end) for m in glossary.find(text)]


def layout_of(article: Article) -> Layout:
    """What the renderer needs of the article: its blocks (those with sentences) and their sentences."""
    segments: list[list[LayoutSegment]] = [[] for _ in article.doc.blocks]
    for seg in article.segments:
        segments[seg.block].append(LayoutSegment(seg.id, seg.text, seg.sep, seg.tags))
    pairs = zip(article.doc.blocks, segments, strict=True)
    blocks = tuple(LayoutBlock(b.kind, b.line, tuple(segs)) for b, segs in pairs if segs)
    doc = article.doc
    return Layout(doc.slug, display_path(doc.path), doc.format, blocks, warnings=tuple(doc.warnings))


def term_notes(protected: Protected, lang: str) -> list[str]:
    notes: dict[str, None] = {}
    for slot in protected.slots:
        form = slot.term.target(lang)
        notes[f"{slot.term.en} = {form}" if form else f"{slot.term.en} (kept in English)"] = None
    return list(notes)


#: A unit the model must translate, with its article, its tags masked, and its names masked over that.
Pending = tuple[Article, Unit, Tagged, Protected]


def write_templates(articles: Sequence[Article], locales: Path, date: str, report: Report) -> None:
    """The layout and POT of each article: written before any translation, so a page can always be
    rendered from what is on disk, and rewritten only when the article's structure changed."""
    for article in articles:
        slug = article.doc.slug
        source = display_path(article.doc.path)
        layout_file = catalogs.layout_path(locales, slug)
        layout_written = catalogs.write_layout(layout_file, layout_of(article))
        report.written.extend([layout_file] if layout_written else [])
        pot = catalogs.build_template(
            messages_of(article, source, {}, "en"), slug=slug, source=source, date=date
        )
        pot_file = catalogs.template_path(locales, slug)
        if (layout_written or not pot_file.exists()) and catalogs.write_po(pot, pot_file):
            report.written.append(pot_file)


def messages_of(
    article: Article, source: str, results: Results, lang: str, glossary: Glossary | None = None
) -> list[Message]:
    messages = []
    for unit in article.units:
        refs = [(source, line) for line in unit.lines]
        hit = results.get((article.doc.slug, unit.id))
        if hit is not None:
            text, protected, repairs = hit
            notes = [f"repaired: {r}" for r in repairs]
            notes += qa_notes(unit.text, text, lang, glossary)
            messages.append(
                Message(unit.id, unit.text, unit.kind, refs, term_notes(protected, lang), text, notes)
            )
        else:
            masked = mask_tags(unit.text, unit.tags).masked
            terms = term_notes(protect(masked, glossary), lang) if glossary is not None else []
            messages.append(Message(unit.id, unit.text, unit.kind, refs, terms))
    return messages
