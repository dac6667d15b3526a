"""The cross-language index of every article in every language (``<out>/index.html``).

It lists each article with a link to each language version and its review status, so an editor
sees at a glance which versions are ready. It is English, for the newsroom; the per-language
pages and indexes are :mod:`pipeline.render.pages`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from pipeline.catalog.layout import Layout, read_layout
from pipeline.catalog.po import layout_path, po_path, read_po, translations
from pipeline.catalog.status import percent_reviewed
from pipeline.compact import Spool
from pipeline.errors import PipelineError
from pipeline.fileio import atomic_write_chunks
from pipeline.render.env import environment
from pipeline.render.links import file_url, relative_url
from pipeline.render.locale_info import LanguageInfo, language_info
from pipeline.render.localize import Policy, article_slugs, headline, languages, localize, unit_stats
from pipeline.render.templating import stream_template


@dataclass(slots=True)  # one per article and language, spooled to disk for the overview
class Version:
    """One language version of one article."""

    lang: str
    title: str
    href: str | None  # relative to the index; None when the page was not rendered
    reviewed: int
    total: int

    @property
    def percent_reviewed(self) -> int:
        """A whole number, by the project's one rounding rule (never 100 before every segment is)."""
        return int(percent_reviewed(self.reviewed, self.total, digits=0))


@dataclass(slots=True)
class Row:
    slug: str
    title: str  # the English headline
    source: str
    versions: dict[str, Version] = field(default_factory=dict)


def _version(layout: Layout, row: Row, lang: str, locales: Path, out: Path, policy: Policy) -> Version | None:
    """The row's version in ``lang``; None without a PO file or with an unreadable one."""
    po_file = po_path(locales, lang, row.slug)
    if not po_file.exists():
        return None
    try:
        entries = translations(read_po(po_file))
    except PipelineError:
        return None
    stats = unit_stats(layout, entries)
    title = headline(localize(layout, entries, policy)) or row.title
    href = relative_url(f"{lang}/{row.slug}.html") if (out / lang / f"{row.slug}.html").exists() else None
    return Version(lang, title, href, stats.reviewed, stats.total)


#: How a row is made: (locales, out, policy, slug, languages) → the row, or None for a broken layout.
#: :func:`row_of` reads the files; :mod:`pipeline.render.cached` keeps rows whose files are unchanged.
RowSource = Callable[[Path, Path, Policy, str, list[str]], "Row | None"]


def row_of(locales: Path, out: Path, policy: Policy, slug: str, langs: list[str]) -> Row | None:
    """The article's row, from its layout and each language's PO file."""
    try:
        layout = read_layout(layout_path(locales, slug))
    except PipelineError:
        return None
    row = Row(slug, headline(localize(layout, {}, policy)) or slug, layout.source)
    for lang in langs:
        version = _version(layout, row, lang, locales, out, policy)
        if version is not None:
            row.versions[lang] = version
    return row


def overview(
    locales: Path,
    out: Path,
    policy: Policy = "machine",
    errors: list[PipelineError] | None = None,
    rows_from: RowSource = row_of,
) -> tuple[list[LanguageInfo], Spool[Row]]:
    """Every article (by layout) × every language with a PO file for it, each row's ``source`` a
    link from ``out`` (:func:`~pipeline.render.links.file_url`); unreadable files are skipped here
    (``render`` and ``translate`` report them). The rows wait on disk (a
    :class:`~pipeline.compact.Spool`: ``len``, iteration), not in memory."""
    locales, out = Path(locales), Path(out)
    langs = languages(locales) if locales.is_dir() else []
    rows: Spool[Row] = Spool()  # on disk until the page is written: a row per article
    used: set[str] = set()
    for slug in article_slugs(locales, errors):
        row = rows_from(locales, out, policy, slug, langs)
        if row is not None:
            rows.append(replace(row, source=file_url(row.source, out)) if row.source else row)
            used.update(row.versions)
    return [language_info(lang) for lang in langs if lang in used], rows


def render_overview(
    locales: Path,
    out: Path,
    *,
    policy: Policy = "machine",
    templates: Path | None = None,
    errors: list[PipelineError] | None = None,
    rows_from: RowSource | None = None,
) -> tuple[Path, bool] | None:
    """Write ``<out>/index.html`` (its path, and whether its bytes changed); None (and nothing
    written) when there is no translated article. Every link is a
    :func:`~pipeline.render.links.relative_url`: file names cannot inject a scheme."""
    langs, rows = overview(locales, out, policy, errors, rows_from or row_of)
    with rows:
        if not langs:
            return None
        out = Path(out)
        indexes = {
            info.code: relative_url(f"{info.code}/index.html")
            for info in langs
            if (out / info.code / "index.html").exists()
        }
        html = stream_template(  # a row per article: written as made, never held whole
            environment("en", templates), "languages.html.j2", languages=langs, rows=rows, indexes=indexes
        )
        path = out / "index.html"
        return path, atomic_write_chunks(path, html)
