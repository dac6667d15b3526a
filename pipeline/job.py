"""The translate job: articles → segments → protected MT → PO files → pages.

Stage logic lives in the stage modules; this module only sequences them, pools the segments of
every article so the model sees large sorted batches, and collects per-file errors so one bad
article never stops a batch.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import polib

from pipeline import fileio
from pipeline.catalog import po as catalogs
from pipeline.catalog.checks import qa_notes
from pipeline.catalog.memory import TranslationMemory
from pipeline.catalog.po import Message
from pipeline.errors import InputError, PipelineError
from pipeline.ingest.documents import Document, load_document
from pipeline.names.glossary import Glossary
from pipeline.names.protection import Protected, Translator, protect, translate_protected
from pipeline.render.pages import render_all
from pipeline.segment import Segment, Unit, segment_document, units

ARTICLE_SUFFIXES = (".txt", ".text", ".md", ".markdown", ".html", ".htm")

#: Pending segments pooled into one backend call before their articles' PO files are written. Big
#: enough for the backend's length-sorted batches to stay full; small enough that a crash loses
#: little work. Whole articles only: an article's PO file is written once it is fully translated.
CHUNK_SEGMENTS = 384


@dataclass
class Article:
    doc: Document
    segments: list[Segment]
    units: list[Unit]


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
    seconds: float = 0.0


def expand_inputs(inputs: Sequence[str | Path]) -> list[Path]:
    """Files as given; folders walked for article files, in a stable order."""
    paths: list[Path] = []
    for item in inputs:
        path = Path(item)
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in ARTICLE_SUFFIXES)
            if not found:
                raise InputError(f"no article files ({', '.join(ARTICLE_SUFFIXES)}) in this folder", path)
            paths.extend(found)
        else:
            paths.append(path)
    return paths


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


def prepare(paths: Sequence[Path], report: Report, *, keep_going: bool = True) -> list[Article]:
    articles: list[Article] = []
    slugs: dict[str, Path] = {}
    for path in paths:
        try:
            doc = load_document(path)
            if doc.slug in slugs:
                raise InputError(f"same article name '{doc.slug}' as {slugs[doc.slug]}; rename one", path)
            slugs[doc.slug] = path
            segments = segment_document(doc)
            articles.append(Article(doc, segments, units(segments)))
        except PipelineError as exc:
            if not keep_going:
                raise
            report.errors.append(exc)
    return articles


def layout_of(article: Article) -> dict:
    blocks: list[dict[str, Any]] = [
        {"kind": block.kind, "line": block.line, "segments": []} for block in article.doc.blocks
    ]
    for seg in article.segments:
        blocks[seg.block]["segments"].append({"id": seg.id, "text": seg.text, "sep": seg.sep})
    return {
        "slug": article.doc.slug,
        "source": display_path(article.doc.path),
        "format": article.doc.format,
        "blocks": [b for b in blocks if b["segments"]],
    }


def term_notes(protected: Protected, lang: str) -> list[str]:
    notes: dict[str, None] = {}
    for slot in protected.slots:
        form = slot.term.target(lang)
        notes[f"{slot.term.en} = {form}" if form else f"{slot.term.en} (kept in English)"] = None
    return list(notes)


def translate_articles(
    inputs: Sequence[str | Path],
    langs: Sequence[str],
    *,
    glossary: Glossary,
    locales: Path,
    out: Path | None,
    make_backend: Callable[[str], Translator],
    model_label: str | Mapping[str, str],  # one label, or one per language
    policy: str = "machine",
    keep_going: bool = True,
    migrate_plurals: bool = False,
) -> Report:
    """Translate every article into every language; write PO files, templates and pages.

    Work is committed in chunks of about ``CHUNK_SEGMENTS`` pending segments: the chunk is
    translated in one backend call, then its articles' PO files are written, so a killed batch
    loses at most the chunk in flight and a re-run skips the finished articles. A bad article or
    PO file is reported in ``Report.errors`` and skipped, or raised at once if not ``keep_going``.
    """
    started = time.perf_counter()
    report = Report(languages=list(langs))
    articles = prepare(expand_inputs(inputs), report, keep_going=keep_going)
    report.articles = len(articles)
    date = now_stamp()
    for article in articles:
        slug = article.doc.slug
        source = display_path(article.doc.path)
        layout_written = catalogs.write_layout(catalogs.layout_path(locales, slug), layout_of(article))
        pot = catalogs.build_template(
            _messages(article, source, {}, "en"), slug=slug, source=source, date=date
        )
        pot_file = catalogs.template_path(locales, slug)
        if layout_written or not pot_file.exists():
            catalogs.write_po(pot, pot_file)

    def commit(lang: str, live: list[Article], pending: list, existing: dict) -> None:
        """Translate one chunk's pending units and write its articles' PO files."""
        results: dict[tuple[str, str], tuple[str, Protected, tuple[str, ...]]] = {}
        if pending:
            backend = make_backend(lang)
            # Names come back exactly once each, whatever the model does (retry, then repair).
            restored_all = translate_protected(backend, [p for _, _, p in pending], lang, glossary=glossary)
            for (article, unit, protected), restored in zip(pending, restored_all, strict=True):
                report.translated += 1
                report.names += len(protected.slots)
                report.repairs += bool(restored.repairs)
                results[(article.doc.slug, unit.id)] = (restored.text, protected, restored.repairs)
        for article in live:
            slug = article.doc.slug
            source = display_path(article.doc.path)
            messages = _messages(article, source, results, lang, glossary)
            po = catalogs.build_catalog(
                messages,
                lang=lang,
                slug=slug,
                source=source,
                model=model_label if isinstance(model_label, str) else model_label.get(lang, ""),
                date=date,
                existing=existing[slug],
                memory=memories[lang],
                migrate_plurals=migrate_plurals,
            )
            path = catalogs.po_path(locales, lang, slug)
            try:
                if catalogs.write_po(po, path, expect=stamps[(lang, slug)]):
                    report.written.append(path)
            except fileio.ChangedOnDisk as exc:  # a translator saved it meanwhile: theirs wins
                if not keep_going:
                    raise
                report.errors.append(exc)

    memories: dict[str, TranslationMemory] = {}
    stamps: dict[tuple[str, str], fileio.Stamp] = {}
    for lang in langs:
        memories[lang] = TranslationMemory.load(locales, lang)
        existing: dict[str, polib.POFile | None] = {}
        pending: list[tuple[Article, Unit, Protected]] = []
        live: list[Article] = []
        for article in articles:
            path = catalogs.po_path(locales, lang, article.doc.slug)
            stamps[(lang, article.doc.slug)] = fileio.stamp(path)  # before reading: see fileio
            try:
                existing[article.doc.slug] = catalogs.read_po(path) if path.exists() else None
            except PipelineError as exc:
                if not keep_going:
                    raise
                report.errors.append(exc)  # a translator's broken file: leave it, report it
                continue
            live.append(article)
            keep = catalogs.reusable(existing[article.doc.slug])
            for unit in article.units:
                report.units += 1
                if (unit.id, unit.text) in keep:
                    report.reused += 1
                    continue
                if memories[lang].lookup(unit.id, unit.text) is not None:
                    report.remembered += 1
                    continue
                pending.append((article, unit, protect(unit.text, glossary)))
            if len(pending) >= CHUNK_SEGMENTS:  # commit finished articles: a crash loses one chunk at most
                commit(lang, live, pending, existing)
                existing, pending, live = {}, [], []
        commit(lang, live, pending, existing)
    if out is not None:
        slugs = [a.doc.slug for a in articles]
        if slugs:
            for page in render_all(
                locales, out, list(langs), policy=policy, slugs=slugs, errors=report.errors
            ):
                report.written.extend(page.changed)
    report.seconds = time.perf_counter() - started
    return report


def _messages(
    article: Article, source: str, results: dict, lang: str, glossary: Glossary | None = None
) -> list[Message]:
    messages = []
    for unit in article.units:
        refs = [(source, line) for line in unit.lines]
        hit = results.get((article.doc.slug, unit.id))
        if hit is not None:
            text, protected, repairs = hit
            notes = [f"repaired: {r}" for r in repairs] + qa_notes(unit.text, text, lang, glossary)
            messages.append(
                Message(unit.id, unit.text, unit.kind, refs, term_notes(protected, lang), text, notes)
            )
        else:
            terms = term_notes(protect(unit.text, glossary), lang) if glossary is not None else []
            messages.append(Message(unit.id, unit.text, unit.kind, refs, terms))
    return messages
