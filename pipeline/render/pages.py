"""Render: localized pages (HTML, text, Markdown) from PO files and the article layout alone.

Rendering never loads a model, so pages can be regenerated the moment a translator saves a PO
file. Which translations appear is a :data:`~pipeline.render.localize.Policy`; sentences left in
English are marked ``lang="en"``. The pages' own interface strings come from the gettext catalogs
in ``pipeline/render/locale`` (:mod:`pipeline.render.i18n`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, NamedTuple, Protocol

from markupsafe import escape

from pipeline.catalog.layout import Layout, read_layout, read_original
from pipeline.catalog.po import layout_path, po_path, read_po, translations
from pipeline.compact import Spool
from pipeline.errors import PipelineError, PipelineWarning
from pipeline.fileio import atomic_write_bytes, atomic_write_chunks, atomic_write_text
from pipeline.language import english_name, is_arabic_script, text_direction
from pipeline.locking import STALE_PAGE_TEMP, remove_stale_temporaries
from pipeline.render.blocks import block_html, isolate_latin
from pipeline.render.env import environment
from pipeline.render.inline import to_markdown
from pipeline.render.inplace import render_fragment, render_inplace
from pipeline.render.links import file_url, relative_url
from pipeline.render.localize import (
    LocalBlock,
    Policy,
    Stats,
    article_slugs,
    languages,
    localize,
    unit_stats,
)
from pipeline.render.overview import RowSource, render_overview
from pipeline.render.templating import render_template, stream_template

#: The files written per article and language: the page, plain text, Markdown, the article body
#: as a CMS fragment, and (HTML articles only) the original page translated in place.
PageFormat = Literal["html", "txt", "md", "fragment.html", "inplace.html"]
FORMATS: tuple[PageFormat, ...] = ("html", "txt", "md", "fragment.html", "inplace.html")

#: Pages in a language written in Arabic script ship the Amiri web font (SIL OFL, from the
#: ``fontpkg-amiri`` wheel) so they look the same on a reader's machine without Arabic fonts.
FONTS_DIR = "fonts"
#: (file in the wheel, CSS weight); the bold face serves headlines, so none is synthesized.
_FONT_FILES = (("Amiri-Regular.ttf", 400), ("Amiri-Bold.ttf", 700))


def _font_source() -> Path | None:
    try:
        import fontpkg_amiri
    except ImportError:  # pragma: no cover - a runtime dependency; pages fall back to system fonts
        return None
    return Path(fontpkg_amiri.ROOT)


def web_fonts(lang: str) -> list[dict[str, object]]:
    """The ``@font-face`` rules a page in ``lang`` uses; none for scripts we ship no font for."""
    if not is_arabic_script(lang) or _font_source() is None:
        return []
    return [
        {"family": "Amiri", "local": "Amiri", "url": f"../{FONTS_DIR}/{name}", "weight": weight}
        for name, weight in _FONT_FILES
    ]


def install_fonts(out: Path) -> list[Path]:
    """Copy the web fonts and their licence next to the pages (``<out>/fonts/``), once."""
    root = _font_source()
    if root is None:  # pragma: no cover
        return []
    written = []
    for name, source in [(n, root / "files" / n) for n, _ in _FONT_FILES] + [("OFL.txt", root / "LICENSE")]:
        target = Path(out) / FONTS_DIR / name
        if atomic_write_bytes(target, source.read_bytes()):
            written.append(target)
    return written


def render_html(
    layout: Layout,
    blocks: list[LocalBlock],
    lang: str,
    *,
    original: str,
    stats: Stats,
    alternates: Mapping[str, str] | None = None,
    templates: Path | None = None,
) -> str:
    direction = text_direction(lang)
    rtl = direction == "rtl"
    headline = next((b.text for b in blocks if b.kind == "headline"), layout.slug)
    return render_template(
        environment(lang, templates),
        "article.html.j2",
        lang=lang,
        dir=direction,
        title=headline,
        blocks=blocks,
        html=lambda b: block_html(b, rtl),
        original=original,
        stats=stats,
        # The notice and the footer's machine count speak of what this page shows: with
        # --reviewed-only, unreviewed sentences stay in English and no machine text is on it.
        machine_shown=any(p.status == "machine" for b in blocks for p in b.pieces),
        alternates=alternates or {},
        language=english_name(lang),
        fonts=web_fonts(lang),
    )


def render_text(blocks: list[LocalBlock]) -> str:
    return "\n\n".join(b.text for b in blocks if b.text) + "\n"


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|])")


def _md_escape(text: str) -> str:
    return _MD_SPECIAL.sub(r"\\\1", text)


def render_markdown(blocks: list[LocalBlock]) -> str:
    out = []
    for block in blocks:
        parts = [
            to_markdown(p.text, p.tags, _md_escape) + s for p, s in zip(block.pieces, block.seps, strict=True)
        ]
        text = "".join(parts).strip()
        if not text:
            continue
        prefix = {"headline": "# ", "subheading": "## ", "quote": "> "}.get(block.kind, "")
        if block.kind == "caption":
            text = f"*{text}*"
        elif block.kind == "section":
            text = f"**{text}**"
        out.append(prefix + text)
    return "\n\n".join(out) + "\n"


class Listed(Protocol):
    """What a language's index shows of an article (``index.html.j2``'s ``pages``)."""

    @property
    def slug(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def stats(self) -> Stats: ...
    @property
    def href(self) -> str: ...


class IndexEntry(NamedTuple):
    """An article as its language's index lists it, and no more: :func:`iter_pages` spools one
    per article to disk (:class:`~pipeline.compact.Spool`) until the index is written, so a run over
    an archive holds neither its :class:`ArticlePage` objects nor these in memory."""

    slug: str
    title: str
    stats: Stats

    @property
    def href(self) -> str:
        return relative_url(f"{self.slug}.html")


@dataclass
class ArticlePage:
    slug: str
    lang: str
    title: str
    stats: Stats
    paths: list[Path]  # every output of the article
    changed: list[Path] = field(default_factory=list)  # those whose bytes this render changed
    #: Done, but the user must know: blocks the page translated in place could not place, or no
    #: copy of the original page to translate in place.
    warnings: list[PipelineWarning] = field(default_factory=list)

    @property
    def page(self) -> Path | None:
        """The clean HTML page (what the index links to), among ``paths``."""
        return next((p for p in self.paths if p.name == f"{self.slug}.html"), None)

    @property
    def href(self) -> str:
        """The page's link from its language's index."""
        return relative_url(f"{self.slug}.html")

    @property
    def entry(self) -> IndexEntry:
        return IndexEntry(self.slug, self.title, self.stats)


def render_article(
    locales: Path,
    out: Path,
    lang: str,
    slug: str,
    *,
    policy: Policy = "machine",
    formats: tuple[PageFormat, ...] = FORMATS,
    templates: Path | None = None,
) -> ArticlePage:
    """Write ``<out>/<lang>/<slug>.{html,txt,md,fragment.html,inplace.html}`` from the PO file and
    layout (``inplace.html`` for an HTML article only, from the copy of its page)."""
    layout = read_layout(layout_path(locales, slug))
    po_file = po_path(locales, lang, slug)
    entries = translations(read_po(po_file)) if po_file.exists() else {}
    blocks = localize(layout, entries, policy)
    stats = unit_stats(layout, entries)
    folder = Path(out) / lang
    original = file_url(layout.source, folder)  # never a raw path: see pipeline.render.links
    others = [lg for lg in languages(locales) if lg != lang and po_path(locales, lg, slug).exists()]
    alternates = {lg: relative_url(f"../{lg}/{slug}.html") for lg in others}
    renderers: dict[PageFormat, Callable[[], str]] = {
        "html": lambda: render_html(
            layout, blocks, lang, original=original, stats=stats, alternates=alternates, templates=templates
        ),
        "txt": lambda: render_text(blocks),
        "md": lambda: render_markdown(blocks),
        "fragment.html": lambda: render_fragment(blocks, lang),
    }
    warnings: list[PipelineWarning] = []
    if "inplace.html" in formats and layout.format == "html":
        inplace = inplace_page(locales, layout, blocks, lang, warnings)
        if inplace is not None:
            renderers["inplace.html"] = lambda: inplace
    paths: list[Path] = []
    changed: list[Path] = []
    for fmt in formats:
        if fmt not in renderers:
            continue
        path = folder / f"{slug}.{fmt}"
        paths.append(path)
        if atomic_write_text(path, renderers[fmt]()):
            changed.append(path)
    title = next((b.text for b in blocks if b.kind == "headline"), slug)
    return ArticlePage(slug, lang, title, stats, paths, changed, warnings)


def inplace_page(
    locales: Path, layout: Layout, blocks: list[LocalBlock], lang: str, warnings: list[PipelineWarning]
) -> str | None:
    """The page translated in place, or ``None`` (with a warning) when there is no copy of the
    original page; blocks it could not place are a warning too (the clean page has them)."""
    name = f"{layout.slug}.inplace.html"
    original = read_original(layout_path(locales, layout.slug))
    if original is None:
        warnings.append(
            PipelineWarning(
                f"no copy of the original page beside the layout ({layout.slug}.original.html), so "
                f"{lang}/{name} is not written; run translate on this article again to keep one",
                layout.source,
            )
        )
        return None
    result = render_inplace(layout, blocks, lang, original)
    if result.lost:
        _, line, text = result.lost[0]
        preview = text if len(text) <= 50 else text[:47] + "..."
        warnings.append(
            PipelineWarning(
                f"{lang}/{name}: {len(result.lost)} of {len(blocks)} block(s) not placed in the original "
                f"page (not found, or placing would cut its links), so left in English there "
                f"(first: {preview!r}); "
                f"{lang}/{layout.slug}.html has them all",
                layout.source,
                line,
            )
        )
    return result.html


class ArticleRenderer(Protocol):
    """How :func:`render_all` makes one article's page in one language (:func:`render_article`)."""

    def __call__(
        self, locales: Path, out: Path, lang: str, slug: str, *, policy: Policy, templates: Path | None
    ) -> ArticlePage: ...


def render_index(
    out: Path, lang: str, pages: Iterable[Listed], templates: Path | None = None
) -> tuple[Path, bool]:
    """``<out>/<lang>/index.html``, and whether its bytes changed."""
    path = Path(out) / lang / "index.html"
    html = stream_template(  # a line per article: written as made, never held whole
        environment(lang, templates),
        "index.html.j2",
        lang=lang,
        dir=text_direction(lang),
        pages=pages,
        language=english_name(lang),
        fonts=web_fonts(lang),
        isolate=isolate_latin if text_direction(lang) == "rtl" else escape,
    )
    return path, atomic_write_chunks(path, html)


def stale_page_temporaries(out: Path) -> str | None:
    """Remove what a killed ``render`` left in the pages folder; the line that says so, if any."""
    removed = remove_stale_temporaries(out, older_than=STALE_PAGE_TEMP)
    if not removed:
        return None
    return f"{out}: removed {len(removed)} unfinished temporary file(s) left by an interrupted render"


def render_all(
    locales: Path,
    out: Path,
    langs: list[str] | None = None,
    *,
    policy: Policy = "machine",
    slugs: Sequence[str] | None = None,
    errors: list[PipelineError] | None = None,
    written: list[Path] | None = None,
    templates: Path | None = None,
    render: ArticleRenderer | None = None,
    rows_from: RowSource | None = None,
) -> list[ArticlePage]:
    """Render every article in every language (:func:`iter_pages`), and every page made."""
    return list(
        iter_pages(
            locales,
            out,
            langs,
            policy=policy,
            slugs=slugs,
            errors=errors,
            written=written,
            templates=templates,
            render=render,
            rows_from=rows_from,
        )
    )


def iter_pages(
    locales: Path,
    out: Path,
    langs: list[str] | None = None,
    *,
    policy: Policy = "machine",
    slugs: Sequence[str] | None = None,
    errors: list[PipelineError] | None = None,
    written: list[Path] | None = None,
    templates: Path | None = None,
    render: ArticleRenderer | None = None,
    rows_from: RowSource | None = None,
) -> Iterator[ArticlePage]:
    """Render every article in every language, each page handed over as it is made (an archive's
    pages are never all held: the indexes' :class:`IndexEntry` items wait on disk); with ``errors``, a bad
    file is reported there and the other pages still render (a batch must not stop on one
    translator's typo). ``written`` receives the indexes and font files whose bytes changed (pages
    list their own), once the generator is exhausted. ``render`` and ``rows_from`` replace how one
    page and one overview row are made (the run cache's, :mod:`pipeline.render.cached`, skip those
    whose files did not change)."""
    render_one = render or render_article
    extra: list[Path] = [] if written is None else written
    locales, out = Path(locales), Path(out)
    any_page = False
    for lang in langs or languages(locales):
        entries: Spool[IndexEntry] = Spool()  # on disk until the index is written: one per article
        for slug in slugs or article_slugs(locales, errors):
            if not po_path(locales, lang, slug).exists():
                continue
            try:
                page = render_one(locales, out, lang, slug, policy=policy, templates=templates)
            except PipelineError as exc:
                if errors is None:
                    raise
                if not any(str(e) == str(exc) for e in errors):
                    errors.append(exc)
                continue
            entries.append(page.entry)
            yield page
        if entries:
            any_page = True
            index, changed = render_index(out, lang, entries, templates)
            extra.extend([index] if changed else [])
            if web_fonts(lang):
                extra.extend(install_fonts(out))
        entries.close()
    if any_page:
        # <out>/index.html: every article, every language
        overview = render_overview(
            locales, out, policy=policy, templates=templates, errors=errors, rows_from=rows_from
        )
        extra.extend([overview[0]] if overview and overview[1] else [])
