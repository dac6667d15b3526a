"""A localized block as safe HTML: shared by the page, the CMS fragment and the page translated in place.

Every run of text is escaped here (and, right to left, Latin runs and numbers isolated in
``<bdi>``); inline elements come from the layout through :func:`pipeline.render.inline.to_html`.
"""

from __future__ import annotations

import re

from markupsafe import Markup, escape

from pipeline.render.inline import to_html
from pipeline.render.localize import LocalBlock, Piece

_LATIN_RUN = re.compile(
    r"[A-Za-z\u00C0-\u024F][A-Za-z\u00C0-\u024F0-9.'’&/\-]*(?:\s+[A-Za-z\u00C0-\u024F0-9][A-Za-z\u00C0-\u024F0-9.'’&/\-]*)*"
)
# A number with its separators and sign ("2017", "1,500", "04/11/2017", "2%"): in a right-to-left
# paragraph the bidi algorithm can reorder the groups of a date or a range, so it is isolated too.
# A sign counts only where it starts a word: the hyphen of "كوفيد-19" stays with the word.
_NUMBER_RUN = re.compile(r"(?:(?<!\w)[+\-−])?[0-9]+(?:[.,:/\-–][0-9]+)*%?")
_ISOLATE = re.compile(f"{_LATIN_RUN.pattern}|{_NUMBER_RUN.pattern}")


def isolate_latin(text: str) -> Markup:
    """Escape ``text``; isolate Latin-script runs and numbers in ``<bdi>`` so they read correctly in RTL."""
    out: list[str] = []
    cursor = 0
    for match in _ISOLATE.finditer(text):
        out.append(str(escape(text[cursor : match.start()])))
        out.append(f'<bdi dir="ltr">{escape(match.group(0))}</bdi>')
        cursor = match.end()
    out.append(str(escape(text[cursor:])))
    return Markup("".join(out))


def _piece_html(piece: Piece, rtl: bool) -> Markup:
    if piece.status == "source":
        return Markup('<span lang="en" dir="ltr" class="untranslated">{}</span>').format(
            to_html(piece.text, piece.tags, escape)
        )
    body = to_html(piece.text, piece.tags, isolate_latin if rtl else escape)
    if piece.status == "machine":
        return Markup('<span class="mt">{}</span>').format(body)
    return Markup(body)


def block_html(block: LocalBlock, rtl: bool) -> Markup:
    parts = [str(_piece_html(p, rtl)) + str(escape(s)) for p, s in zip(block.pieces, block.seps, strict=True)]
    return Markup("".join(parts).strip())
