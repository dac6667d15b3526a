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

import polib

from pipeline import catalog as catalogs
from pipeline import fileio
from pipeline.catalog import Layout, LayoutBlock, LayoutSegment, Message
from pipeline.catalog.checks import qa_notes
from pipeline.catalog.memory import TranslationMemory
from pipeline.catalog.provenance import is_stale, label_of, machine_note
from pipeline.errors import InputError, ModelError, PipelineError, PipelineWarning
from pipeline.ingest import Document, expand_inputs, load_document
from pipeline.mt.base import Backend
from pipeline.names.glossary import Glossary
from pipeline.names.protection import Protected, protect, translate_protected
from pipeline.names.style import Style, quantity_matches
from pipeline.names.tags import Tagged, mask_tags, unmask_tags
from pipeline.render.localize import Policy
from pipeline.render.pages import render_all, stale_page_temporaries
from pipeline.segment import Keep, Segment, Unit, segment_document, units

#: Pending segments pooled into one backend call before their articles' PO files are written. Big
#: enough for the backend's length-sorted batches to stay full; small enough that a crash loses
#: little work. Whole articles only: an article's PO file is written once it is fully translated.
CHUNK_SEGMENTS = 384


@dataclass
class Article:
    doc: Document
    segments: list[Segment]
    units: list[Unit]


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
    written: list[Path] = field(default_factory=list)
    errors: list[PipelineError] = field(default_factory=list)
    #: Done, but the user must know, one ``FILE[:LINE]: message`` each: what ingest was unsure of
    #: (little text, no headline, article text cut as a footer), links skipped, files regenerated.
    warnings: list[PipelineWarning] = field(default_factory=list)
    failed: int = 0  # (article, language) pairs not written because of an error
    seconds: float = 0.0
    failed_languages: list[str] = field(default_factory=list)  # their model failed: skipped
    created: list[Path] = field(default_factory=list)  # PO files this run created (a first run)
    pages: list[Path] = field(default_factory=list)  # the run's HTML pages, changed or not


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


def prepare(
    paths: Sequence[Path],
    report: Report,
    locales: Path | None = None,
    *,
    keep_going: bool = True,
    strict: bool = False,
    keep: Keep | None = None,
) -> list[Article]:
    """Load and segment each article; ingest's warnings are reported, or under ``strict`` the
    file's error (an article that may have lost its body is not translated silently). With
    ``locales``, an article whose name an earlier run gave to another file is refused
    (:func:`check_owner`)."""
    articles: list[Article] = []
    slugs: dict[str, Path] = {}
    for path in paths:
        try:
            doc = load_document(path)
            if doc.slug in slugs:
                raise InputError(f"same article name '{doc.slug}' as {slugs[doc.slug]}; rename one", path)
            if strict and doc.warnings:
                first = doc.warnings[0]
                raise InputError(f"{first.message} (--strict)", first.path or path, first.line)
            if locales is not None:
                check_owner(doc, locales)
            slugs[doc.slug] = path
            report.warnings.extend(doc.warnings)
            segments = segment_document(doc, keep)
            articles.append(Article(doc, segments, units(segments)))
        except PipelineError as exc:
            if not keep_going:
                raise
            report.errors.append(exc)
    return articles


def layout_of(article: Article) -> Layout:
    """What the renderer needs of the article: its blocks (those with sentences) and their sentences."""
    segments: list[list[LayoutSegment]] = [[] for _ in article.doc.blocks]
    for seg in article.segments:
        segments[seg.block].append(LayoutSegment(seg.id, seg.text, seg.sep, seg.tags))
    pairs = zip(article.doc.blocks, segments, strict=True)
    blocks = tuple(LayoutBlock(b.kind, b.line, tuple(segs)) for b, segs in pairs if segs)
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
        pot = catalogs.build_template(
            _messages(article, source, {}, "en"), slug=slug, source=source, date=date
        )
        pot_file = catalogs.template_path(locales, slug)
        if (layout_written or not pot_file.exists()) and catalogs.write_po(pot, pot_file):
            report.written.append(pot_file)


def write_all_templates(
    job: TranslateJob, articles: Sequence[Article], langs: Sequence[str]
) -> list[Article]:
    """:func:`write_templates` per article; one that cannot be written (a read-only folder, a name
    the file system refuses) is reported and left out of the run, and the others go on."""
    written: list[Article] = []
    for article in articles:
        try:
            write_templates([article], job.locales, job.date, job.report)
        except PipelineError as exc:
            job.failed(exc)
            job.report.failed += len(langs)
            continue
        written.append(article)
    return written


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
    #: What besides the model shapes its output ("transformers;beams=4"): in each entry's
    #: ``#. machine:`` note, so output of other settings is translated again.
    settings: str = ""
    style: Style = field(default_factory=Style)
    date: str = field(default_factory=now_stamp)
    #: Each PO file's state when it was read, so a translator's save during the run is not overwritten.
    stamps: dict[tuple[str, str], fileio.Stamp] = field(default_factory=dict)

    def model(self, lang: str) -> str:
        label = self.model_label
        return label if isinstance(label, str) else label.get(lang, "")

    def machine_label(self, lang: str) -> str:
        return label_of(self.model(lang), self.settings)

    def failed(self, exc: PipelineError) -> None:
        """Record a bad file and go on with the others, or stop the run when not ``keep_going``."""
        if not self.keep_going:
            raise exc
        self.report.errors.append(exc)

    def translate_language(self, lang: str, articles: Sequence[Article]) -> None:
        memory = TranslationMemory.load(self.locales, lang)
        chunk = Chunk()
        for article in articles:
            if not self.read_existing(lang, article, chunk):
                continue  # a translator's broken file: left as it is, reported
            chunk.live.append(article)
            chunk.pending += self.plan(lang, article, chunk.existing[article.doc.slug], memory)
            if (
                len(chunk.pending) >= CHUNK_SEGMENTS
            ):  # commit finished articles: a crash loses one chunk at most
                self.commit(lang, chunk, memory)
                chunk = Chunk()
        self.commit(lang, chunk, memory)

    def read_existing(self, lang: str, article: Article, chunk: Chunk) -> bool:
        """Load the article's current PO file into ``chunk``; False if it cannot be read."""
        slug = article.doc.slug
        path = catalogs.po_path(self.locales, lang, slug)
        self.stamps[(lang, slug)] = fileio.stamp(path)  # before reading: see fileio
        try:
            existing = chunk.existing[slug] = catalogs.read_po(path) if path.exists() else None
        except PipelineError as exc:
            self.failed(exc)
            self.report.failed += 1
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
        self, lang: str, article: Article, existing: polib.POFile | None, memory: TranslationMemory
    ) -> list[Pending]:
        """The article's units that need the model: not kept from its PO file (another model's
        untouched output is not kept, see ``catalog.provenance``), not in memory."""
        keep = catalogs.reusable(existing, [(u.id, u.text) for u in article.units])
        label = self.machine_label(lang)
        pending: list[Pending] = []
        for unit in article.units:
            self.report.units += 1
            kept = keep.get((unit.id, unit.text))
            if kept is not None and not is_stale(kept, label):
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

    def commit(self, lang: str, chunk: Chunk, memory: TranslationMemory) -> None:
        """Translate one chunk's pending units and write its articles' PO files."""
        results = self.translate_pending(lang, chunk.pending)
        for article in chunk.live:
            self.write_catalog(lang, article, results, chunk.existing[article.doc.slug], memory)

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
        memory: TranslationMemory,
    ) -> None:
        slug = article.doc.slug
        source = display_path(article.doc.path)
        label = self.machine_label(lang)
        po = catalogs.build_catalog(
            _messages(article, source, results, lang, self.glossary, label),
            lang=lang,
            slug=slug,
            source=source,
            model=self.model(lang),
            label=label,
            date=self.date,
            existing=existing,
            memory=memory,
            migrate_plurals=self.migrate_plurals,
        )
        path = catalogs.po_path(self.locales, lang, slug)
        try:
            new = existing is None
            if catalogs.write_po(po, path, expect=self.stamps[(lang, slug)]):
                self.report.written.append(path)
                self.report.created.extend([path] if new else [])
        except PipelineError as exc:  # a translator saved it meanwhile (theirs wins), or unwritable
            self.failed(exc)
            self.report.failed += 1


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
    settings: str = "",
    style: Style | None = None,
) -> Report:
    """Translate every article into every language; write PO files, templates and pages.

    Work is committed in chunks of about ``CHUNK_SEGMENTS`` pending segments: the chunk is
    translated in one backend call, then its articles' PO files are written, so a killed batch
    loses at most the chunk in flight and a re-run skips the finished articles. A bad article or
    PO file is reported in ``Report.errors`` and skipped, or raised at once if not ``keep_going``.
    """
    started = time.perf_counter()
    report = Report(languages=list(langs))
    found = expand_inputs(inputs, report.warnings)
    keep = name_spans(glossary)
    articles = prepare(found, report, locales, keep_going=keep_going, strict=strict, keep=keep)
    report.articles = len(articles)
    job = TranslateJob(
        glossary,
        locales,
        make_backend,
        model_label,
        report,
        keep_going=keep_going,
        migrate_plurals=migrate_plurals,
        settings=settings,
        style=style or Style(),
    )
    articles = write_all_templates(job, articles, langs)
    for lang in langs:
        failed_before = report.failed
        try:
            job.translate_language(lang, articles)
        except ModelError as exc:  # this language's model: the other languages go on
            if not keep_going:
                raise
            report.failed_languages.append(lang)
            report.failed = failed_before + len(articles)  # every pair of this language, once
            report.errors.append(ModelError(f"'{lang}' not translated: {exc.message}", exc.path, exc.line))
    done = [lang for lang in langs if lang not in report.failed_languages]
    if out is not None and articles and done:
        render_pages(articles, done, locales, out, policy, report)
    report.seconds = time.perf_counter() - started
    return report


def render_pages(
    articles: Sequence[Article],
    langs: Sequence[str],
    locales: Path,
    out: Path,
    policy: Policy,
    report: Report,
) -> None:
    """The run's own articles only: other pages under ``out`` are left as they are."""
    note = stale_page_temporaries(out)
    if note:
        report.warnings.append(PipelineWarning(note))
    slugs = [a.doc.slug for a in articles]
    extra: list[Path] = []
    for page in render_all(
        locales, out, list(langs), policy=policy, slugs=slugs, errors=report.errors, written=extra
    ):
        report.written.extend(page.changed)
        report.pages.extend(p for p in page.paths if p.suffix == ".html")
    report.written.extend(extra)


def _messages(
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
