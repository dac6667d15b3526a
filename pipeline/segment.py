"""Segment: blocks into sentences with ids that survive unrelated edits.

A segment's id is derived from its block kind and its own text, never from its position, so
inserting or deleting a paragraph elsewhere leaves every other id (and so every PO entry's
``msgctxt``) untouched. Identical sentences of the same kind share an id: they are one
translation unit, used wherever they occur (the sample article repeats its photo caption).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache

import pysbd
from pysbd.utils import TextSpan

from pipeline.ingest import Block, Document
from pipeline.ingest.inline import VOID_TAGS, InlineTag, Span


@dataclass(frozen=True)
class Segment:
    """One sentence of one block; ``sep`` is the whitespace that followed it inside the block."""

    id: str
    text: str
    kind: str
    block: int
    line: int
    sep: str = ""
    #: The sentence's inline tags (``text`` has them as ``<a1>…</a1>``), numbered per sentence.
    tags: tuple[InlineTag, ...] = ()


@dataclass
class Unit:
    """A translation unit: one distinct (kind, sentence), with every block line it occurs on."""

    id: str
    text: str
    kind: str
    lines: list[int] = field(default_factory=list)
    tags: tuple[InlineTag, ...] = ()


class _Segmenter(pysbd.Segmenter):
    r"""pysbd's segmenter, locating its sentences back in the text without one regex per sentence.

    pysbd finds each sentence with ``re.finditer(re.escape(sentence) + r"\s*", text)``: a pattern
    compiled for every sentence, each a new entry in ``re``'s 512-pattern cache, which so evicts
    every other pattern of the run (pysbd's own rules, the number and QA patterns) over and over;
    on a long article recompiling them was a third of the run. This is the same search, literal.
    """

    def sentences_with_char_spans(self, sentences: list[str]) -> list[TextSpan]:
        spans: list[TextSpan] = []
        text: str = self.original_text
        prior_end = 0
        for sent in sentences:
            pos = 0
            while (start := text.find(sent, pos)) >= 0:
                end = start + len(sent)
                while end < len(text) and text[end].isspace():  # \s* (re's \s is str.isspace)
                    end += 1
                if end > prior_end:
                    spans.append(TextSpan(text[start:end], start, end))
                    prior_end = end
                    break
                pos = end if end > start else start + 1  # finditer: non-overlapping matches
        return spans


@lru_cache(maxsize=1)
def _segmenter() -> pysbd.Segmenter:
    # clean=False: pysbd must not rewrite the text, so spans map back onto the block exactly.
    return _Segmenter(language="en", clean=False)


def normalize(text: str) -> str:
    """The form ids are computed from: NFC, whitespace folded, so rewrapping a line keeps the id."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip()


def segment_id(kind: str, text: str) -> str:
    digest = hashlib.sha1(f"{kind}\x1f{normalize(text)}".encode()).hexdigest()[:10]
    return f"{kind}:{digest}"


#: Spans of a text that no sentence boundary may cut (glossary names such as ``.NET``), as
#: ``(start, end)`` offsets into the text it is given.
Keep = Callable[[str], Iterable[tuple[int, int]]]

#: Blocks longer than this are split in windows: pysbd's time grows with the square of its input
#: (a 1.1 MB paragraph took 318 s), and a sentence boundary depends only on the text around it.
LONG_BLOCK = 10_000
_WINDOW = 5_000
_MARGIN = 1_000  # boundaries this close to a window's end are decided again by the next window


def _pysbd_pieces(text: str) -> list[str]:
    """pysbd's sentences of ``text``, stripped; for a long text, window by window.

    Each window keeps the sentences that end before its last ``_MARGIN`` characters, and the next
    window starts where they end, so every boundary is decided with at least ``_MARGIN``
    characters of context after it, as pysbd on the whole text would see. Linear in the length.
    """
    if len(text) <= LONG_BLOCK:
        return [p.strip() for p in _segmenter().segment(text) if p.strip()]
    pieces: list[str] = []
    pos = 0
    while len(text) - pos > LONG_BLOCK:
        window = text[pos : pos + _WINDOW]
        spans = _piece_spans(window)
        kept = [core for core, end in spans if end <= _WINDOW - _MARGIN]
        if kept:
            cut = spans[len(kept) - 1][1]
        else:  # one sentence longer than a window: break it at a space
            cut = window.rfind(" ", 0, _WINDOW - _MARGIN) + 1 or _WINDOW - _MARGIN
            kept = [window[:cut].strip()]
        pieces += kept
        pos += cut
    return pieces + [p.strip() for p in _segmenter().segment(text[pos:]) if p.strip()]


def _piece_spans(window: str) -> list[tuple[str, int]]:
    """pysbd's sentences of ``window`` (stripped) with the offset where each ends, whitespace
    after it included; the last one, which the window's end may have cut short, is left out."""
    spans: list[tuple[str, int]] = []
    cursor = 0
    for piece in _segmenter().segment(window):
        core = piece.strip()
        start = window.find(core, cursor) if core else -1
        if start < 0:
            break
        cursor = start + len(core)
        while cursor < len(window) and window[cursor].isspace():
            cursor += 1
        spans.append((core, cursor))
    return spans[:-1]


def split_sentences(text: str, keep: Keep | None = None) -> list[tuple[str, str]]:
    """Split ``text`` into ``(sentence, following_whitespace)`` pairs that join back to ``text.strip()``.

    pysbd handles abbreviations, quotes, decimals and "2%"; its pieces are located back in the
    original string so no character is ever lost, whatever pysbd does to spacing. ``keep`` gives
    the spans no boundary may cut (glossary names: pysbd ends a sentence at ``.`` in ``.NET``).
    """
    stripped = text.strip()
    if not stripped:
        return []
    pieces = _pysbd_pieces(stripped)
    out: list[tuple[str, str]] = []
    cursor = 0
    for piece in pieces:
        start = stripped.find(piece, cursor)
        if start < 0:  # pysbd altered the text: keep the rest as one sentence rather than lose it
            break
        if start > cursor and out:  # text pysbd skipped belongs to the previous sentence
            prev, _ = out[-1]
            gap = stripped[cursor:start]
            out[-1] = (prev + gap.rstrip(), gap[len(gap.rstrip()) :])
        elif start > cursor:
            piece = stripped[cursor:start] + piece
            start = cursor
        end = start + len(piece)
        rest = stripped[end:]
        sep = rest[: len(rest) - len(rest.lstrip())]
        out.append((stripped[start:end], sep))
        cursor = end + len(sep)
    if cursor < len(stripped):
        tail = stripped[cursor:]
        if out:
            prev, sep = out[-1]
            out[-1] = (prev + sep + tail, "")
        else:
            out.append((tail, ""))
    if out:
        out[-1] = (out[-1][0], "")
    return _rejoin(out, list(keep(stripped))) if keep is not None and len(out) > 1 else out


def _rejoin(pairs: list[tuple[str, str]], spans: list[tuple[int, int]]) -> list[tuple[str, str]]:
    """Join the sentences on either side of every boundary that falls inside a kept span."""
    if not spans:
        return pairs
    out = [pairs[0]]
    offset = len(pairs[0][0]) + len(pairs[0][1])
    for sentence, sep in pairs[1:]:
        if any(start < offset < end for start, end in spans):
            prev, prev_sep = out[-1]
            out[-1] = (prev + prev_sep + sentence, sep)
        else:
            out.append((sentence, sep))
        offset += len(sentence) + len(sep)
    return out


#: Block kinds that are one segment whatever their punctuation: a headline split at "U.S." or a
#: question mark reads as two fragments to a translator and to the model.
WHOLE_KINDS = frozenset({"section", "headline", "subheading", "byline"})

_CLOSE_QUOTES = "\"”’»'"
# A sentence that ends inside a quotation, then a new quotation: `doors." "There must…`.
_REOPEN = re.compile(r"(?<=[.!?…][\"”’])(\s+)(?=[\"“‘][A-Z0-9])")


def _has_word(text: str) -> bool:
    return any(unicodedata.category(ch)[0] in "LN" for ch in text)


def fix_quotes(pairs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Quote repairs over pysbd's split: split where a closed quotation re-opens, give a closing
    quote that starts a piece back to the sentence it closes, and join punctuation-only pieces
    (a lone ``"``) to their neighbour. The pieces still join back to the same text."""
    split: list[tuple[str, str]] = []
    for text, sep in pairs:
        parts = _REOPEN.split(text)  # [sentence, space, sentence, ...]
        for i in range(0, len(parts), 2):
            split.append((parts[i], parts[i + 1] if i + 1 < len(parts) else sep))
    out: list[tuple[str, str]] = []
    for text, sep in split:
        # A quote mark followed by a space (or nothing) closes the previous sentence; an opening
        # one is followed by its first word.
        if out and text[:1] in _CLOSE_QUOTES and (len(text) == 1 or text[1].isspace()):
            prev, prev_sep = out[-1]
            rest = text[1:]
            out[-1] = (prev + prev_sep + text[:1], rest[: len(rest) - len(rest.lstrip())] or sep)
            text = rest.lstrip()
            if not text:
                out[-1] = (out[-1][0], sep)
                continue
        if out and not _has_word(text):
            prev, prev_sep = out[-1]
            out[-1] = (prev + prev_sep + text, sep)
        elif out and not _has_word(out[-1][0]):
            prev, prev_sep = out.pop()
            out.append((prev + prev_sep + text, sep))
        else:
            out.append((text, sep))
    return out


def tag_sentence(
    text: str, start: int, end: int, spans: Iterable[Span], sep: int = 0
) -> tuple[str, tuple[InlineTag, ...]]:
    """``text[start:end]`` with the inline elements over it written as numbered tags.

    An element that crosses a sentence boundary is cut there: each sentence gets its own part, so
    each PO entry is well nested on its own. A line break in the whitespace after the sentence
    (``sep`` characters) ends it. A verbatim element's content is kept whole (no tags inside).
    """
    events: list[tuple[int, int, int, str, Span]] = []  # (offset, order, tiebreak, what, span)
    verbatim_until = -1
    for n, span in enumerate(sorted(spans, key=lambda s: (s.start, -s.end))):
        if span.element.tag in VOID_TAGS:
            if start <= span.start < end + sep or span.start == end:
                events.append((min(span.start, end), 1, n, "void", span))
            continue
        lo, hi = max(span.start, start), min(span.end, end)
        if hi <= lo or lo < verbatim_until:
            continue
        if span.element.verbatim:
            verbatim_until = hi
        events.append((lo, 2, n, "open", span))
        events.append((hi, 0, -n, "close", span))
    events.sort(key=lambda e: e[:3])
    counts: dict[str, int] = {}
    names: dict[int, InlineTag] = {}
    out: list[str] = []
    cursor = start
    for offset, _, _, what, span in events:
        out.append(text[cursor:offset])
        cursor = offset
        if what == "close":
            out.append(names[id(span)].close())
            continue
        counts[span.element.tag] = counts.get(span.element.tag, 0) + 1
        lo, hi = max(span.start, start), min(span.end, end)
        content = text[lo:hi] if span.element.verbatim else ""
        names[id(span)] = InlineTag(f"{span.element.tag}{counts[span.element.tag]}", span.element, content)
        out.append(names[id(span)].open())
    out.append(text[cursor:end])
    return "".join(out), tuple(names.values())


def segment_blocks(blocks: Iterable[Block], keep: Keep | None = None) -> list[Segment]:
    """Each block's sentences. A block whose text occurred before in the article (a repeated
    caption, a transcript's refrain, a pasted page twice) reuses that split: it is a pure function
    of the text, and pysbd is the costliest step of a long article."""
    segments: list[Segment] = []
    split: dict[str, list[tuple[str, str]]] = {}
    for index, block in enumerate(blocks):
        whole = block.text.strip()
        if block.kind in WHOLE_KINDS:
            pieces = [(whole, "")]
        else:
            if block.text not in split:
                split[block.text] = fix_quotes(split_sentences(block.text, keep))
            pieces = split[block.text]
        offset = len(block.text) - len(block.text.lstrip())
        for sentence, sep in pieces:
            tags: tuple[InlineTag, ...] = ()
            start = block.text.find(sentence, offset)
            if block.spans and start >= 0:
                offset = start + len(sentence) + len(sep)
                sentence, tags = tag_sentence(block.text, start, start + len(sentence), block.spans, len(sep))
            segments.append(
                Segment(segment_id(block.kind, sentence), sentence, block.kind, index, block.line, sep, tags)
            )
    return segments


def segment_document(doc: Document, keep: Keep | None = None) -> list[Segment]:
    return segment_blocks(doc.blocks, keep)


def units(segments: Iterable[Segment]) -> list[Unit]:
    """Distinct translation units in first-occurrence order (the order a translator reads)."""
    by_id: dict[str, Unit] = {}
    for seg in segments:
        unit = by_id.get(seg.id)
        if unit is None:
            unit = by_id[seg.id] = Unit(seg.id, seg.text, seg.kind, tags=seg.tags)
        if seg.line not in unit.lines:
            unit.lines.append(seg.line)
    return list(by_id.values())
