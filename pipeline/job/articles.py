"""What the translate job works on and writes besides PO files: an article read and segmented, the
run's report, each article's layout and template, the messages of its catalogs, the run cache it
opens and the pages it renders.

Apart from :mod:`pipeline.job` (which sequences the run: streaming, chunks, the run cache) so each
stays a readable size.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import polib

from pipeline import catalog as catalogs
from pipeline.catalog import Layout, LayoutBlock, LayoutSegment, Message
from pipeline.catalog.checks import qa_notes
from pipeline.catalog.index import RunCache
from pipeline.catalog.layout import original_path, write_original
from pipeline.catalog.provenance import machine_note
from pipeline.compact import PathList
from pipeline.errors import InputError, PipelineError, PipelineWarning
from pipeline.ingest import Document
from pipeline.names.glossary import Glossary
from pipeline.names.protection import Protected, protect
from pipeline.names.tags import Tagged, mask_tags
from pipeline.render.cached import PageCache
from pipeline.render.localize import Policy
from pipeline.render.pages import iter_pages, stale_page_temporaries
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
    figures: int = 0  # numbers and dates protected
    repairs: int = 0
    #: PathList, not list[Path]: a compact tally of every file (see :mod:`pipeline.compact`).
    written: PathList = field(default_factory=PathList)
    errors: list[PipelineError] = field(default_factory=list)
    #: Done, but the user must know, one ``FILE[:LINE]: message`` each: what ingest was unsure of
    #: (little text, no headline, article text cut as a footer), links skipped, files regenerated.
    warnings: list[PipelineWarning] = field(default_factory=list)
    failed: int = 0  # (article, language) pairs not written because of an error
    seconds: float = 0.0
    failed_languages: list[str] = field(default_factory=list)  # their model failed: skipped
    created: PathList = field(default_factory=PathList)  # PO files this run created (a first run)
    pages: PathList = field(default_factory=PathList)  # the run's HTML pages, changed or not
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


def check_owner(doc: Document, locales: Path) -> None:
    """Refuse an article whose name an earlier run gave to another file.

    ``desk1/report.txt`` and ``desk2/report.txt`` are both ``report``: translating the second
    would replace the first one's layout, template and page and make its reviewed entries obsolete.
    The layout records which file the name belongs to; a different file gets an error saying how to
    resolve it, and nothing is written.
    """
    path = catalogs.layout_path(locales, doc.slug)
    if not path.exists():
        return
    try:
        owner = catalogs.read_layout(path).source
    except PipelineError:
        return  # a broken layout is the renderer's to report; it holds no translator's work
    if Path(owner).resolve() != doc.path.resolve():
        raise InputError(
            f"article name '{doc.slug}' already belongs to {owner} ({display_path(path)}); rename "
            "this file, or if it is that article moved here, delete the layout file and run again",
            display_path(doc.path),
        )


def layout_of(article: Article) -> Layout:
    """What the renderer needs of the article: its blocks (those with sentences) and their sentences."""
    segments: list[list[LayoutSegment]] = [[] for _ in article.doc.blocks]
    for seg in article.segments:
        segments[seg.block].append(LayoutSegment(seg.id, seg.text, seg.sep, seg.tags))
    pairs = zip(article.doc.blocks, segments, strict=True)
    blocks = tuple(LayoutBlock(b.kind, b.line, tuple(segs), b.anchor) for b, segs in pairs if segs)
    doc = article.doc
    return Layout(
        doc.slug, display_path(doc.path), doc.format, blocks, warnings=tuple(w.message for w in doc.warnings)
    )


def term_notes(protected: Protected, lang: str) -> list[str]:
    """The glossary names of a segment (numbers and dates are not glossary terms)."""
    notes: dict[str, None] = {}
    for slot in protected.slots:
        if slot.kind != "name":
            continue
        form = slot.term.target(lang)
        notes[f"{slot.term.en} = {form}" if form else f"{slot.term.en} (kept in English)"] = None
    return list(notes)


#: A unit the model must translate, with its article, its tags masked, and its names masked over that.
Pending = tuple[Article, Unit, Tagged, Protected]


@dataclass
class Chunk:
    """Articles whose PO files are written together, after one backend call for all their pending units."""

    live: list[Article] = field(default_factory=list)
    existing: dict[str, polib.POFile | None] = field(default_factory=dict)
    pending: list[Pending] = field(default_factory=list)


def stored_text(warning: PipelineWarning) -> str:
    """An ingest warning as the cache record keeps it: ``LINE<tab>message``, or the message alone."""
    return f"{warning.line}\t{warning.message}" if warning.line is not None else warning.message


def stored_warning(text: str, path: Path) -> PipelineWarning:
    """The warning :func:`stored_text` kept, about the article at ``path``, for a skipped article."""
    line, tab, message = text.partition("\t")
    if tab and line.isdigit():
        return PipelineWarning(message, str(path), int(line))
    return PipelineWarning(text, str(path))


def figure_pairs(protected: Protected, lang: str) -> list[tuple[str, str]]:
    """(source text, published form) of each protected number and date, for the ``numbers`` check."""
    return [(slot.source, slot.form(lang)) for slot in protected.slots if slot.kind != "name"]


def write_templates(articles: Sequence[Article], locales: Path, date: str, report: Report) -> None:
    """The layout and POT of each article: written before any translation, so a page can always be
    rendered from what is on disk, and rewritten only when the article's structure changed."""
    for article in articles:
        slug = article.doc.slug
        source = display_path(article.doc.path)
        layout_file = catalogs.layout_path(locales, slug)
        layout_written = catalogs.write_layout(layout_file, layout_of(article))
        report.written.extend([layout_file] if layout_written else [])
        if article.doc.original and write_original(layout_file, article.doc.original):
            report.written.append(original_path(layout_file))
        pot = catalogs.build_template(
            messages_of(article, source, {}, "en"), slug=slug, source=source, date=date
        )
        pot_file = catalogs.template_path(locales, slug)
        if (layout_written or not pot_file.exists()) and catalogs.write_po(pot, pot_file):
            report.written.append(pot_file)


def messages_of(
    article: Article,
    source: str,
    results: Results,
    lang: str,
    glossary: Glossary | None = None,
    label: str = "",
) -> list[Message]:
    messages = []
    for unit in article.units:
        refs = [(source, line) for line in unit.lines]
        hit = results.get((article.doc.slug, unit.id))
        if hit is not None:
            text, protected, repairs = hit
            notes = [machine_note(label, text)] if label else []
            notes += [f"repaired: {r}" for r in repairs]
            notes += qa_notes(unit.text, text, lang, glossary, figure_pairs(protected, lang))
            messages.append(
                Message(unit.id, unit.text, unit.kind, refs, term_notes(protected, lang), text, notes)
            )
        else:
            masked = mask_tags(unit.text, unit.tags).masked
            terms = term_notes(protect(masked, glossary), lang) if glossary is not None else []
            messages.append(Message(unit.id, unit.text, unit.kind, refs, terms))
    return messages


def open_cache(locales: Path) -> RunCache | None:
    """The run cache, or None (the run then reads everything, as without one) when it cannot be used."""
    try:
        return RunCache(locales)
    except (OSError, sqlite3.Error, PipelineError):
        return None


def render_pages(
    slugs: Sequence[str],
    langs: Sequence[str],
    locales: Path,
    out: Path,
    policy: Policy,
    report: Report,
    cache: RunCache | None = None,
) -> None:
    """The run's own articles only: other pages under ``out`` are left as they are. With the
    run cache, a page whose files did not change is not rendered again (:mod:`pipeline.render.cached`)."""
    note = stale_page_temporaries(out)
    if note:
        report.warnings.append(PipelineWarning(note))
    extra: list[Path] = []
    pages = PageCache(cache) if cache is not None else None
    for page in iter_pages(
        locales,
        out,
        list(langs),
        policy=policy,
        slugs=slugs,
        errors=report.errors,
        written=extra,
        render=pages.article if pages is not None else None,
        rows_from=pages.row if pages is not None else None,
    ):
        report.written.extend(page.changed)
        report.pages.extend([page.page] if page.page is not None else [])
        report.warnings.extend(page.warnings)
    report.written.extend(extra)
