"""Writing the review page, ``<out>/<lang>/<slug>.review.html``, beside the published page.

The page itself is :mod:`pipeline.render.review` (what each sentence is) through the
``review.html.j2`` template. It links each sentence to its PO entry as ``file:line`` (the form
editors, ``grep -n`` and gettext's own messages use) and to the PO file. No ``poedit://`` link:
Poedit registers that scheme only for its Crowdin and Localazy sign-in callbacks
(``PoeditApp::HandleCustomURI`` in Poedit's ``src/edapp.cpp``), so there is no URL that opens a
file at an entry.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from markupsafe import Markup, escape

from pipeline.catalog.layout import read_layout
from pipeline.catalog.po import layout_path, po_path, read_po, translations
from pipeline.fileio import atomic_write_text
from pipeline.language import english_name, text_direction
from pipeline.render.blocks import isolate_latin
from pipeline.render.env import environment
from pipeline.render.inline import to_html
from pipeline.render.links import file_url, relative_url
from pipeline.render.localize import Policy
from pipeline.render.pages import web_fonts
from pipeline.render.review import Counts, Sentence, mark_names, review
from pipeline.render.templating import render_template

REVIEW_SUFFIX = ".review.html"


def review_path(out: Path, lang: str, slug: str) -> Path:
    return Path(out) / lang / f"{slug}{REVIEW_SUFFIX}"


@dataclass
class ReviewPage:
    slug: str
    lang: str
    path: Path
    counts: Counts
    changed: bool  # False when the page already had these bytes


def _href(target: Path, folder: Path) -> str:
    """Always relative (the PO file is the translator's checkout), never a scheme: see ``links``."""
    return relative_url(os.path.relpath(target.resolve(), folder.resolve()))


def render_review(
    locales: Path,
    out: Path,
    lang: str,
    slug: str,
    *,
    policy: Policy = "machine",
    templates: Path | None = None,
) -> ReviewPage:
    """Write the review page of one article in one language from its layout and PO file."""
    layout = read_layout(layout_path(locales, slug))
    po_file = po_path(locales, lang, slug)
    entries = translations(read_po(po_file)) if po_file.exists() else {}
    result = review(layout, entries, policy)
    folder = Path(out) / lang
    direction = text_direction(lang)
    rtl = direction == "rtl"

    # Inline tags (<a1>…</a1>) as the page shows them: the layout's elements, safe, never as text;
    # names and numbers are marked within each run of text between them.
    def english(s: Sentence, text: str) -> Markup:
        return to_html(
            text, s.piece.tags, lambda t: mark_names(t, s.names, rtl=False, english=True), inert=True
        )

    def text(s: Sentence) -> Markup:
        if s.shown == "source":
            return english(s, s.piece.text)
        isolate = isolate_latin if rtl else escape
        return to_html(
            s.piece.text, s.piece.tags, lambda t: mark_names(t, s.names, rtl=rtl, isolate=isolate), inert=True
        )

    def source(s: Sentence) -> Markup:
        return english(s, s.source)

    title = next((b.text for b in result.blocks if b.kind == "headline" and b.text), slug)
    html = render_template(
        environment("en", templates),
        "review.html.j2",
        lang=lang,
        dir=direction,
        title=title,
        blocks=result.blocks,
        text=text,
        source=source,
        counts=result.counts,
        flagged=result.flagged,
        po_file=str(po_file),
        po_href=_href(po_file, folder),
        page=relative_url(f"{slug}.html"),
        original=file_url(layout.source, folder),
        policy=policy,
        language=english_name(lang),
        fonts=web_fonts(lang),
    )
    path = review_path(out, lang, slug)
    return ReviewPage(slug, lang, path, result.counts, atomic_write_text(path, html))
