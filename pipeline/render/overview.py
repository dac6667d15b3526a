"""Per-language locale data, and the cross-language index of every article in every language.

Direction and names come from Babel's CLDR data; ``Plural-Forms`` from our checked gettext table
(:func:`pipeline.catalogs.plural_forms`), because Babel's own plural table is wrong for some of the
languages we publish in. ``<out>/index.html`` lists each article with a link to each language
version and its review status, so an editor sees at a glance which versions are ready.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.catalog.po import language_name, layout_path, po_path, read_layout, read_po, translations
from pipeline.errors import PipelineError
from pipeline.fileio import atomic_write_text


@dataclass(frozen=True)
class LanguageInfo:
    code: str
    name: str  # in English, for the newsroom
    native: str  # in the language itself, for readers
    direction: str  # "rtl" | "ltr"
    plural_forms: str


def native_name(lang: str) -> str:
    from babel import Locale

    try:
        locale = Locale.parse(lang.replace("-", "_"))
        return locale.get_display_name(locale) or lang
    except (ValueError, LookupError):
        return lang


def language_info(lang: str) -> LanguageInfo:
    from pipeline.catalog.po import plural_forms
    from pipeline.render.pages import text_direction

    return LanguageInfo(
        lang, language_name(lang), native_name(lang), text_direction(lang), plural_forms(lang)
    )


@dataclass
class Version:
    """One language version of one article."""

    lang: str
    title: str
    href: str | None  # relative to the index; None when the page was not rendered
    reviewed: int
    total: int

    @property
    def percent_reviewed(self) -> int:
        return round(100 * self.reviewed / self.total) if self.total else 0


@dataclass
class Row:
    slug: str
    title: str  # the English headline
    source: str
    versions: dict[str, Version] = field(default_factory=dict)


def _headline(blocks: list) -> str | None:
    return next((b.text for b in blocks if b.kind == "headline" and b.text), None)


def overview(locales: Path, out: Path, policy: str = "machine") -> tuple[list[LanguageInfo], list[Row]]:
    """Every article (by layout) × every language with a PO file for it; unreadable files are
    skipped here (``render`` and ``translate`` report them)."""
    from pipeline.render.pages import _articles, languages, localize, unit_stats

    locales, out = Path(locales), Path(out)
    langs = languages(locales) if locales.is_dir() else []
    rows: list[Row] = []
    for slug in _articles(locales) if (locales / "templates").is_dir() else []:
        try:
            layout = read_layout(layout_path(locales, slug))
        except PipelineError:
            continue
        english = localize(layout, {}, policy)
        row = Row(slug, _headline(english) or slug, str(layout.get("source", "")))
        for lang in langs:
            po_file = po_path(locales, lang, slug)
            if not po_file.exists():
                continue
            try:
                entries = translations(read_po(po_file))
            except PipelineError:
                continue
            stats = unit_stats(layout, entries)
            page = out / lang / f"{slug}.html"
            title = _headline(localize(layout, entries, policy)) or row.title
            href = f"{lang}/{slug}.html" if page.exists() else None
            row.versions[lang] = Version(lang, title, href, stats.reviewed, stats.total)
        rows.append(row)
    used = [lang for lang in langs if any(lang in r.versions for r in rows)]
    return [language_info(lang) for lang in used], rows


def render_overview(locales: Path, out: Path, *, policy: str = "machine") -> Path | None:
    """Write ``<out>/index.html``; None (and nothing written) when there is no translated article."""
    from pipeline.render.pages import _env

    langs, rows = overview(locales, out, policy)
    if not langs:
        return None
    out = Path(out)
    indexes = {
        info.code: f"{info.code}/index.html" for info in langs if (out / info.code / "index.html").exists()
    }
    for row in rows:
        source = Path(row.source)
        if row.source and not source.is_absolute():
            row.source = os.path.relpath(source.resolve(), out.resolve())
    html = _env().get_template("languages.html.j2").render(languages=langs, rows=rows, indexes=indexes)
    path = out / "index.html"
    atomic_write_text(path, html)
    return path
