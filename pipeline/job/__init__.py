"""The translate job: articles → segments → protected MT → PO files → pages.

Stage logic lives in the stage modules; this module only sequences them: it streams the articles
(one read at a time), pools their segments into chunks so the model sees large sorted batches,
skips what the run cache (:mod:`pipeline.catalog.index`) vouches for, and collects per-file and
per-language errors so one bad article or model never stops a batch. What the job works on and
writes besides PO files is :mod:`pipeline.job.articles`.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import polib

from pipeline import catalog as catalogs
from pipeline import fileio
from pipeline.catalog.index import IndexedMemory, Record, RunCache, output_files, settings_key, stamps_text
from pipeline.catalog.memory import Memory, TranslationMemory
from pipeline.catalog.provenance import header_model, is_stale, label_of
from pipeline.compact import TextList
from pipeline.errors import InputError, ModelError, PipelineError, PipelineWarning
from pipeline.ingest import expand_inputs, load_document
from pipeline.job.articles import (
    Article,
    Chunk,
    Pending,
    Report,
    Results,
    check_owner,
    display_path,
    figure_pairs,
    messages_of,
    name_spans,
    now_stamp,
    open_cache,
    render_pages,
    stored_text,
    stored_warning,
    term_notes,
    write_templates,
)
from pipeline.mt.base import Backend
from pipeline.names.glossary import Glossary
from pipeline.names.protection import Protected, protect, translate_protected
from pipeline.names.style import Style, quantity_matches
from pipeline.names.tags import mask_tags, unmask_tags
from pipeline.render.localize import Policy
from pipeline.segment import Keep, segment_document, units

#: Pending segments pooled into one backend call before their articles' PO files are written. Big
#: enough for the backend's length-sorted batches to stay full; small enough that a crash loses
#: little work. Whole articles only: an article's PO file is written once it is fully translated.
CHUNK_SEGMENTS = 384
#: Articles held at most in one chunk, pending segments or not: an archive whose sentences are all
#: kept from their PO files must not be held in memory whole either.
CHUNK_ARTICLES = 64

__all__ = [
    "CHUNK_ARTICLES",
    "CHUNK_SEGMENTS",
    "Article",
    "Report",
    "TranslateJob",
    "check_owner",
    "display_path",
    "figure_pairs",
    "load_article",
    "prepare",
    "render_pages",
    "settings_key",
    "term_notes",
    "translate_articles",
]


def load_article(
    path: Path,
    slugs: dict[str, str],
    report: Report,
    *,
    strict: bool = False,
    keep: Keep | None = None,
    key: str = "",
    locales: Path | None = None,
) -> Article:
    """One article, read and segmented; ingest's warnings are reported, or under ``strict`` the
    file's error (an article that may have lost its body is not translated silently). A second
    article with the same slug is refused; with ``locales``, so is an article whose name an earlier
    run gave to another file (:func:`check_owner`)."""
    doc = load_document(path)
    if doc.slug in slugs:
        raise InputError(f"same article name '{doc.slug}' as {slugs[doc.slug]}; rename one", path)
    if strict and doc.warnings:
        first = doc.warnings[0]
        raise InputError(f"{first.message} (--strict)", first.path or path, first.line)
    if locales is not None:
        check_owner(doc, locales)
    slugs[doc.slug] = str(path)  # text: held for every article of the run
    report.warnings.extend(doc.warnings)
    segments = segment_document(doc, keep)
    return Article(doc, segments, units(segments), key)


def prepare(
    paths: Sequence[Path],
    report: Report,
    locales: Path | None = None,
    *,
    keep_going: bool = True,
    strict: bool = False,
    keep: Keep | None = None,
) -> list[Article]:
    """Every article read and segmented (the job itself streams them: see ``TranslateJob.run``)."""
    articles: list[Article] = []
    slugs: dict[str, str] = {}
    for path in paths:
        try:
            articles.append(load_article(path, slugs, report, strict=strict, keep=keep, locales=locales))
        except PipelineError as exc:
            if not keep_going:
                raise
            report.errors.append(exc)
    return articles


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
    strict: bool = False
    keep: Keep | None = None  # spans sentence splitting must not cut: the glossary's names
    #: The run cache (skipped articles, memory index); None when it cannot be opened (read-only folder).
    cache: RunCache | None = None
    cache_settings: str = ""  # what else shapes the output, for the cache's key: see ``settings_key``
    #: What besides the model shapes its output ("transformers;beams=4"): in each entry's
    #: ``#. machine:`` note, so output of other settings is translated again.
    settings: str = ""
    style: Style = field(default_factory=Style)
    memories: dict[str, Memory] = field(default_factory=dict)
    chunks: dict[str, Chunk] = field(default_factory=dict)
    slugs: dict[str, str] = field(default_factory=dict)  # slug -> its file, for duplicates
    done: TextList = field(default_factory=TextList)  # every slug of the run, skipped or not, for pages
    lost: dict[str, int] = field(default_factory=dict)  # per language: articles left unwritten
    #: Makes the renames written so far durable (see ``fileio.batched_folder_syncs``).
    sync: Callable[[], None] = fileio.no_sync

    def failed(self, exc: PipelineError) -> None:
        """Record a bad file and go on with the others, or stop the run when not ``keep_going``."""
        if not self.keep_going:
            raise exc
        self.report.errors.append(exc)

    def label(self, lang: str) -> str:
        label = self.model_label
        return label if isinstance(label, str) else label.get(lang, "")

    def machine_label(self, lang: str) -> str:
        return label_of(self.label(lang), self.settings)

    def run(self, paths: Sequence[Path], langs: Sequence[str]) -> None:
        """Stream the articles: each is read, segmented and queued into every language's chunk,
        and a chunk is translated and written as soon as it is full, so memory holds one chunk per
        language, not the archive. An article the cache vouches for is not even read. A language
        whose model fails is reported and left out from then on; the others go on."""
        for lang in langs:
            self.memories[lang] = (
                self.cache.memory(self.locales, lang)
                if self.cache is not None
                else TranslationMemory.load(self.locales, lang)
            )
            self.chunks[lang] = Chunk()
            self.lost[lang] = 0
        for path in paths:
            self.add(path, langs)
        for lang in langs:
            self.commit(lang, self.chunks[lang])
        gone = self.report.failed_languages
        # A failed language counts every article once; the others, the articles they lost.
        self.report.failed += sum(len(self.done) if lang in gone else self.lost[lang] for lang in langs)

    def add(self, path: Path, langs: Sequence[str]) -> None:
        try:
            article, stale = self.load(path, langs)
        except PipelineError as exc:  # a bad article: reported, the others go on
            self.failed(exc)
            return
        if article is None:
            return  # unchanged since the last run
        try:  # the layout and template first, so a page can always be rendered from disk
            write_templates([article], self.locales, self.date, self.report)
        except PipelineError as exc:  # unwritable (read-only folder, a name the disk refuses)
            self.failed(exc)
            self.report.failed += len(langs)
            return
        self.done.append(article.doc.slug)
        for lang in stale:
            self.queue(lang, article)

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
        records = [r for r in fresh.values() if r is not None]
        if len(records) == len(langs) and records:
            slug = records[0].slug
            if slug in self.slugs:
                raise InputError(f"same article name '{slug}' as {self.slugs[slug]}; rename one", path)
            self.slugs[slug] = str(path)
            self.report.articles += 1
            self.report.skipped += 1
            self.report.warnings.extend(stored_warning(note, path) for note in records[0].warnings)
            self.done.append(slug)
            return None, []
        article = load_article(
            path,
            self.slugs,
            self.report,
            strict=self.strict,
            keep=self.keep,
            key=digest,
            locales=self.locales,
        )
        self.report.articles += 1
        return article, [lang for lang in langs if fresh[lang] is None]

    def record_key(self, digest: str, source: str, lang: str) -> str:
        # The model, its settings and this language's house style: a change re-translates.
        style = f"{sorted(self.style.protect)!r} {self.style.for_lang(lang)!r}"
        text = f"{self.cache_settings}\n{digest}\n{source}\n{lang}\n{self.machine_label(lang)}\n{style}"
        return hashlib.sha256(text.encode()).hexdigest()

    def fresh(self, source: str, lang: str, digest: str) -> Record | None:
        """The cache's record when the last run wrote this article's files and nothing changed since
        (under ``strict``, an article ingest warned about is read again, to be refused)."""
        if self.cache is None or not digest:
            return None
        record = self.cache.record(source, lang)
        if record is None or record.key != self.record_key(digest, source, lang):
            return None
        if self.strict and record.warnings:
            return None
        if record.stamps != stamps_text(output_files(self.locales, lang, record.slug)):
            return None
        return record

    def queue(self, lang: str, article: Article) -> None:
        if lang in self.report.failed_languages:
            return  # its model failed: reported once, counted for every article
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
            existing = chunk.existing[slug] = catalogs.read_po(path) if path.exists() else None
        except PipelineError as exc:
            self.failed(exc)
            self.lost[lang] += 1
            return False
        if existing is not None and len(existing) == 0 and article.units:
            # Emptied (truncated by a crash elsewhere, a bad merge, a slip in an editor): say so,
            # since there was nothing left to keep and the file now holds machine output again.
            self.report.warnings.append(
                PipelineWarning(
                    "had no entries (emptied?); written anew from the article, as machine "
                    "translations to review; restore it from version control if it held reviewed work",
                    str(path),
                )
            )
        return True

    def plan(
        self, lang: str, article: Article, existing: polib.POFile | None, memory: Memory
    ) -> list[Pending]:
        """The article's units that need the model: not kept from its PO file (another model's
        untouched output is not kept, see ``catalog.provenance``), not in memory."""
        keep = catalogs.reusable(existing, [(u.id, u.text) for u in article.units])
        label, legacy = self.machine_label(lang), header_model(existing)
        pending: list[Pending] = []
        for unit in article.units:
            self.report.units += 1
            kept = keep.get((unit.id, unit.text))
            if kept is not None and not is_stale(kept, label, legacy):
                self.report.reused += 1
            elif kept is None and memory.lookup(unit.id, unit.text) is not None:
                self.report.remembered += 1
            else:  # new, or another model's untouched output: tags, then names, numbers, dates masked
                tagged = mask_tags(unit.text, unit.tags)
                pending.append((article, unit, tagged, self.protected(tagged.masked, lang)))
        return pending

    def protected(self, masked: str, lang: str) -> Protected:
        extra = quantity_matches(masked, lang, self.style)
        return protect(masked, self.glossary, extra=extra)

    def commit(self, lang: str, chunk: Chunk) -> None:
        """Translate one chunk's pending units and write its articles' PO files, then record them
        in the run cache (only now: a run killed earlier leaves no record to skip them by)."""
        if lang in self.report.failed_languages:
            return
        try:
            results = self.translate_pending(lang, chunk.pending)
        except ModelError as exc:  # this language's model: the other languages go on
            if not self.keep_going:
                raise
            self.report.failed_languages.append(lang)
            self.report.errors.append(
                ModelError(f"'{lang}' not translated: {exc.message}", exc.path, exc.line)
            )
            return
        for article in chunk.live:
            self.write_catalog(lang, article, results, chunk.existing[article.doc.slug])
        self.sync()  # the renames are durable before the cache vouches for them
        if self.cache is not None:
            self.cache.commit()

    def translate_pending(self, lang: str, pending: Sequence[Pending]) -> Results:
        results: Results = {}
        if not pending:
            return results
        backend = self.make_backend(lang)
        # Names come back exactly once each, whatever the model does (retry, then repair).
        # Tags too: each once, well nested (names first, so a name inside a link is still a name).
        restored_all = translate_protected(backend, [p for *_, p in pending], lang, glossary=self.glossary)
        for (article, unit, tagged, protected), restored in zip(pending, restored_all, strict=True):
            unmasked = unmask_tags(restored.text, tagged)
            repairs = restored.repairs + unmasked.repairs
            self.report.translated += 1
            figures = sum(slot.kind != "name" for slot in protected.slots)
            self.report.names += len(protected.slots) - figures
            self.report.figures += figures
            self.report.repairs += bool(repairs)
            results[(article.doc.slug, unit.id)] = (unmasked.text, protected, repairs)
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
        label = self.machine_label(lang)
        po = catalogs.build_catalog(
            messages_of(article, source, results, lang, self.glossary, label),
            lang=lang,
            slug=slug,
            source=source,
            model=self.label(lang),
            label=label,
            date=self.date,
            existing=existing,
            memory=memory,
            migrate_plurals=self.migrate_plurals,
        )
        path = catalogs.po_path(self.locales, lang, slug)
        try:
            new = existing is None
            # popped: a stamp per article held to the end of the run grew memory with the archive
            if catalogs.write_po(po, path, expect=self.stamps.pop((lang, slug))):
                self.report.written.append(path)
                self.report.created.extend([path] if new else [])
        except PipelineError as exc:  # a translator saved it meanwhile (theirs wins), or unwritable
            self.failed(exc)
            self.lost[lang] += 1
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
        warnings = tuple(stored_text(w) for w in article.doc.warnings)
        record = Record(key, article.doc.slug, len(article.units), stamps, warnings)
        self.cache.remember(source, lang, record)


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
    strict: bool = False,
    use_cache: bool = True,
    settings: str = "",
    style: Style | None = None,
) -> Report:
    """Translate every article into every language; write PO files, templates and pages.

    Articles are streamed, and work is committed in chunks of about ``CHUNK_SEGMENTS`` pending
    segments: the chunk is translated in one backend call, then its articles' PO files are
    written, so a killed batch loses at most the chunk in flight and a re-run skips the finished
    articles (without reading them, when the run cache under ``locales/.newsroom-cache/`` vouches
    for them). A bad article or PO file is reported in ``Report.errors`` and skipped, or raised at
    once if not ``keep_going``; so is a language whose model fails (``Report.failed_languages``).
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
        strict=strict,
        keep=name_spans(glossary),
        cache=open_cache(locales) if use_cache else None,
        cache_settings=settings_key(glossary, migrate_plurals),
        settings=settings,
        style=style or Style(),
    )
    try:
        with fileio.batched_folder_syncs() as job.sync:
            job.run(expand_inputs(inputs, report.warnings), langs)
        done = [lang for lang in langs if lang not in report.failed_languages]
        if out is not None and job.done and done:
            with fileio.batched_folder_syncs():
                render_pages(job.done, done, locales, out, policy, report, job.cache)
    finally:
        if job.cache is not None:
            job.cache.close()
    report.seconds = time.perf_counter() - started
    return report
