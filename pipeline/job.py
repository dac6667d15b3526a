"""The translate job: articles → segments → protected MT → PO files → pages.

Stage logic lives in the stage modules; this module only sequences them, pools the segments of
every article so the model sees large sorted batches, and collects per-file errors so one bad
article never stops a batch.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import polib

from pipeline import catalog as catalogs
from pipeline import fileio
from pipeline.catalog import Layout, LayoutBlock, LayoutSegment, Message
from pipeline.catalog.checks import qa_notes
from pipeline.catalog.index import IndexedMemory, Record, RunCache, stamps_text
from pipeline.catalog.memory import Memory, TranslationMemory
from pipeline.errors import InputError, PipelineError
from pipeline.ingest import Document, expand_inputs, load_document
from pipeline.mt.base import Backend
from pipeline.names.glossary import Glossary
from pipeline.names.protection import Protected, protect, translate_protected
from pipeline.render.localize import Policy
from pipeline.render.pages import render_all
from pipeline.segment import Segment, Unit, segment_document, units

#: Pending segments pooled into one backend call before their articles' PO files are written. Big
#: enough for the backend's length-sorted batches to stay full; small enough that a crash loses
#: little work. Whole articles only: an article's PO file is written once it is fully translated.
CHUNK_SEGMENTS = 384
#: Articles held at most in one chunk, pending segments or not: an archive whose sentences are all
#: kept from their PO files must not be held in memory whole either.
CHUNK_ARTICLES = 64


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
    seconds: float = 0.0
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


def load_article(path: Path, slugs: dict[str, Path], key: str = "") -> Article:
    """One article, read and segmented; a second article with the same slug is refused."""
    doc = load_document(path)
    if doc.slug in slugs:
        raise InputError(f"same article name '{doc.slug}' as {slugs[doc.slug]}; rename one", path)
    slugs[doc.slug] = path
    segments = segment_document(doc)
    return Article(doc, segments, units(segments), key)


def prepare(paths: Sequence[Path], report: Report, *, keep_going: bool = True) -> list[Article]:
    """Every article read and segmented (the job itself streams them: see ``TranslateJob.run``)."""
    articles: list[Article] = []
    slugs: dict[str, Path] = {}
    for path in paths:
        try:
            articles.append(load_article(path, slugs))
        except PipelineError as exc:
            if not keep_going:
                raise
            report.errors.append(exc)
    return articles


def layout_of(article: Article) -> Layout:
    """What the renderer needs of the article: its blocks (those with sentences) and their sentences."""
    segments: list[list[LayoutSegment]] = [[] for _ in article.doc.blocks]
    for seg in article.segments:
        segments[seg.block].append(LayoutSegment(seg.id, seg.text, seg.sep))
    pairs = zip(article.doc.blocks, segments, strict=True)
    blocks = tuple(LayoutBlock(b.kind, b.line, tuple(segs)) for b, segs in pairs if segs)
    return Layout(article.doc.slug, display_path(article.doc.path), article.doc.format, blocks)


def term_notes(protected: Protected, lang: str) -> list[str]:
    notes: dict[str, None] = {}
    for slot in protected.slots:
        form = slot.term.target(lang)
        notes[f"{slot.term.en} = {form}" if form else f"{slot.term.en} (kept in English)"] = None
    return list(notes)


Pending = tuple[Article, Unit, Protected]  # a unit the model must translate, with its article and masked text


def write_templates(articles: Sequence[Article], locales: Path, date: str) -> None:
    """The layout and POT of each article: written before any translation, so a page can always be
    rendered from what is on disk, and rewritten only when the article's structure changed."""
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


def output_files(locales: Path, lang: str, slug: str) -> list[Path]:
    """The files a cache record vouches for: the article's PO file, template and layout."""
    return [
        catalogs.po_path(locales, lang, slug),
        catalogs.template_path(locales, slug),
        catalogs.layout_path(locales, slug),
    ]


def settings_key(glossary: Glossary, migrate: bool) -> str:
    """What, besides the source and the model, shapes an article's PO files: the cache keys on it.

    The glossary's own terms by content; the built-in CLDR names by the Babel release they come from
    (their forms are looked up lazily, and the same release gives the same forms)."""
    import babel

    from pipeline import __version__

    digest = hashlib.sha256(f"{__version__}\n{migrate}\n{babel.__version__}\n".encode())
    for term in glossary.terms:
        forms = "" if term.builtin else repr(sorted(term.forms.items()))
        digest.update(
            repr((term.en, term.kind, term.variants, term.builtin, term.case_sensitive, forms)).encode()
        )
    return digest.hexdigest()


@dataclass
class Chunk:
    """Articles whose PO files are written together, after one backend call for all their pending units."""

    live: list[Article] = field(default_factory=list)
    existing: dict[str, polib.POFile | None] = field(default_factory=dict)
    pending: list[Pending] = field(default_factory=list)


@dataclass
class TranslateJob:
    """One run's settings and tallies, passed explicitly to each step instead of shared by a closure."""

    glossary: Glossary
    locales: Path
    make_backend: Callable[[str], Backend]
    model_label: str | Mapping[str, str]
    report: Report
    keep_going: bool = True
    migrate_plurals: bool = False
    date: str = field(default_factory=now_stamp)
    #: Each PO file's state when it was read, so a translator's save during the run is not overwritten.
    stamps: dict[tuple[str, str], fileio.Stamp] = field(default_factory=dict)
    #: The run cache (skipped articles, memory index); None when it cannot be opened (read-only folder).
    cache: RunCache | None = None
    settings: str = ""
    memories: dict[str, Memory] = field(default_factory=dict)
    chunks: dict[str, Chunk] = field(default_factory=dict)
    slugs: dict[str, Path] = field(default_factory=dict)
    done: list[str] = field(default_factory=list)  # every slug of the run, skipped or not, for pages

    def failed(self, exc: PipelineError) -> None:
        """Record a bad file and go on with the others, or stop the run when not ``keep_going``."""
        if not self.keep_going:
            raise exc
        self.report.errors.append(exc)

    def label(self, lang: str) -> str:
        label = self.model_label
        return label if isinstance(label, str) else label.get(lang, "")

    def run(self, paths: Sequence[Path], langs: Sequence[str]) -> None:
        """Stream the articles: each is read, segmented and queued into every language's chunk,
        and a chunk is translated and written as soon as it is full, so memory holds one chunk per
        language, not the archive. An article the cache vouches for is not even read."""
        for lang in langs:
            self.memories[lang] = (
                self.cache.memory(self.locales, lang)
                if self.cache is not None
                else TranslationMemory.load(self.locales, lang)
            )
            self.chunks[lang] = Chunk()
        for path in paths:
            try:
                article, stale = self.load(path, langs)
            except PipelineError as exc:  # a bad article: reported, the others go on
                self.failed(exc)
                continue
            if article is None:
                continue  # unchanged since the last run
            # A template that cannot be written (a full disk) stops the run, as it always has.
            write_templates([article], self.locales, self.date)
            for lang in stale:
                self.queue(lang, article)
        for lang in langs:
            self.commit(lang, self.chunks[lang])

    def load(self, path: Path, langs: Sequence[str]) -> tuple[Article | None, list[str]]:
        """The article and the languages it needs work in; None when the cache vouches for all."""
        source = display_path(path)
        try:
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
        except OSError:
            digest = ""  # load_document reports it
        fresh = {lang: self.fresh(source, lang, digest) for lang in langs}
        for record in fresh.values():
            if record is not None:
                self.report.units += record.units
                self.report.reused += record.units
        if all(fresh.values()):
            slug = next(r.slug for r in fresh.values() if r is not None)
            if slug in self.slugs:
                raise InputError(f"same article name '{slug}' as {self.slugs[slug]}; rename one", path)
            self.slugs[slug] = path
            self.report.articles += 1
            self.report.skipped += 1
            self.done.append(slug)
            return None, []
        article = load_article(path, self.slugs, digest)
        self.report.articles += 1
        self.done.append(article.doc.slug)
        return article, [lang for lang in langs if fresh[lang] is None]

    def record_key(self, digest: str, source: str, lang: str) -> str:
        text = f"{self.settings}\n{digest}\n{source}\n{lang}\n{self.label(lang)}"
        return hashlib.sha256(text.encode()).hexdigest()

    def fresh(self, source: str, lang: str, digest: str) -> Record | None:
        """The cache's record when the last run wrote this article's files and nothing changed since."""
        if self.cache is None or not digest:
            return None
        record = self.cache.record(source, lang)
        if record is None or record.key != self.record_key(digest, source, lang):
            return None
        if record.stamps != stamps_text(output_files(self.locales, lang, record.slug)):
            return None
        return record

    def queue(self, lang: str, article: Article) -> None:
        chunk = self.chunks[lang]
        if not self.read_existing(lang, article, chunk):
            return  # a translator's broken file: left as it is, reported
        chunk.live.append(article)
        chunk.pending += self.plan(lang, article, chunk.existing[article.doc.slug], self.memories[lang])
        # Commit finished articles: a crash loses one chunk at most.
        if len(chunk.pending) >= CHUNK_SEGMENTS or len(chunk.live) >= CHUNK_ARTICLES:
            self.commit(lang, chunk)
            self.chunks[lang] = Chunk()

    def read_existing(self, lang: str, article: Article, chunk: Chunk) -> bool:
        """Load the article's current PO file into ``chunk``; False if it cannot be read."""
        slug = article.doc.slug
        path = catalogs.po_path(self.locales, lang, slug)
        self.stamps[(lang, slug)] = fileio.stamp(path)  # before reading: see fileio
        try:
            chunk.existing[slug] = catalogs.read_po(path) if path.exists() else None
        except PipelineError as exc:
            self.failed(exc)
            return False
        return True

    def plan(
        self, lang: str, article: Article, existing: polib.POFile | None, memory: Memory
    ) -> list[Pending]:
        """The article's units that need the model: not kept from its PO file, not in memory."""
        keep = catalogs.reusable(existing)
        pending: list[Pending] = []
        for unit in article.units:
            self.report.units += 1
            if (unit.id, unit.text) in keep:
                self.report.reused += 1
            elif memory.lookup(unit.id, unit.text) is not None:
                self.report.remembered += 1
            else:
                pending.append((article, unit, protect(unit.text, self.glossary)))
        return pending

    def commit(self, lang: str, chunk: Chunk) -> None:
        """Translate one chunk's pending units and write its articles' PO files, then record them
        in the run cache (only now: a run killed earlier leaves no record to skip them by)."""
        results = self.translate_pending(lang, chunk.pending)
        for article in chunk.live:
            self.write_catalog(lang, article, results, chunk.existing[article.doc.slug])
        if self.cache is not None:
            self.cache.commit()

    def translate_pending(self, lang: str, pending: Sequence[Pending]) -> Results:
        results: Results = {}
        if not pending:
            return results
        backend = self.make_backend(lang)
        # Names come back exactly once each, whatever the model does (retry, then repair).
        restored_all = translate_protected(backend, [p for _, _, p in pending], lang, glossary=self.glossary)
        for (article, unit, protected), restored in zip(pending, restored_all, strict=True):
            self.report.translated += 1
            self.report.names += len(protected.slots)
            self.report.repairs += bool(restored.repairs)
            results[(article.doc.slug, unit.id)] = (restored.text, protected, restored.repairs)
        return results

    def write_catalog(
        self,
        lang: str,
        article: Article,
        results: Results,
        existing: polib.POFile | None,
    ) -> None:
        slug = article.doc.slug
        source = display_path(article.doc.path)
        memory = self.memories[lang]
        po = catalogs.build_catalog(
            _messages(article, source, results, lang, self.glossary),
            lang=lang,
            slug=slug,
            source=source,
            model=self.label(lang),
            date=self.date,
            existing=existing,
            memory=memory,
            migrate_plurals=self.migrate_plurals,
        )
        path = catalogs.po_path(self.locales, lang, slug)
        try:
            if catalogs.write_po(po, path, expect=self.stamps[(lang, slug)]):
                self.report.written.append(path)
        except fileio.ChangedOnDisk as exc:  # a translator saved it meanwhile: theirs wins
            self.failed(exc)
            return
        if isinstance(memory, IndexedMemory):
            memory.written(path, self.locales, po)
        self.remember(lang, article, po)

    def remember(self, lang: str, article: Article, po: polib.POFile) -> None:
        """Vouch for the article's files in the cache, if every unit has a translation (one the
        model left empty is retried by the next run, so that article is not skipped)."""
        if self.cache is None or not article.key:
            return
        source = display_path(article.doc.path)
        keep = catalogs.reusable(po)
        if not all((u.id, u.text) in keep for u in article.units):
            self.cache.forget(source, lang)
            return
        stamps = stamps_text(output_files(self.locales, lang, article.doc.slug))
        key = self.record_key(article.key, source, lang)
        self.cache.remember(source, lang, Record(key, article.doc.slug, len(article.units), stamps))


def open_cache(locales: Path) -> RunCache | None:
    """The run cache, or None (the run then reads everything, as without one) when it cannot be used."""
    try:
        return RunCache(locales)
    except (OSError, sqlite3.Error, PipelineError):
        return None


def translate_articles(
    inputs: Sequence[str | Path],
    langs: Sequence[str],
    *,
    glossary: Glossary,
    locales: Path,
    out: Path | None,
    make_backend: Callable[[str], Backend],
    model_label: str | Mapping[str, str],  # one label, or one per language
    policy: Policy = "machine",
    keep_going: bool = True,
    migrate_plurals: bool = False,
    use_cache: bool = True,
) -> Report:
    """Translate every article into every language; write PO files, templates and pages.

    Articles are streamed, and work is committed in chunks of about ``CHUNK_SEGMENTS`` pending
    segments: the chunk is translated in one backend call, then its articles' PO files are
    written, so a killed batch loses at most the chunk in flight and a re-run skips the finished
    articles (without reading them, when the run cache under ``locales/.newsroom-cache/`` vouches
    for them). A bad article or PO file is reported in ``Report.errors`` and skipped, or raised at
    once if not ``keep_going``.
    """
    started = time.perf_counter()
    report = Report(languages=list(langs))
    job = TranslateJob(
        glossary,
        locales,
        make_backend,
        model_label,
        report,
        keep_going=keep_going,
        migrate_plurals=migrate_plurals,
        cache=open_cache(locales) if use_cache else None,
        settings=settings_key(glossary, migrate_plurals),
    )
    try:
        job.run(expand_inputs(inputs), langs)
    finally:
        if job.cache is not None:
            job.cache.close()
    if out is not None and job.done:
        render_pages(job.done, langs, locales, out, policy, report)
    report.seconds = time.perf_counter() - started
    return report


def render_pages(
    slugs: Sequence[str],
    langs: Sequence[str],
    locales: Path,
    out: Path,
    policy: Policy,
    report: Report,
) -> None:
    """The run's own articles only: other pages under ``out`` are left as they are."""
    for page in render_all(locales, out, list(langs), policy=policy, slugs=list(slugs), errors=report.errors):
        report.written.extend(page.changed)


def _messages(
    article: Article, source: str, results: Results, lang: str, glossary: Glossary | None = None
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
