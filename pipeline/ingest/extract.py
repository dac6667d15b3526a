"""HTML article extraction: trafilatura decides *what* is article text, our walker says *what kind*.

Measured on 75 real saved pages (``scripts/bench_extract.py``, README "Article extraction"),
trafilatura finds the article body far better than our tag heuristics: it scores text density,
link density and site patterns, where ours only drops known furniture and so let menus, galleries
and "related stories" through, and lost whole bodies on a few layouts. But trafilatura flattens
what a translator needs: it knows no bylines, photo captions or credits, section labels, quotes as
a kind, or source lines for the PO file's ``#:`` references. So both run:

1. our walker (:func:`pipeline.ingest.html.parse_html`) turns the page into typed blocks with lines;
2. trafilatura extracts the article text from the same page;
3. a block of ours is kept when trafilatura's text covers it (half of its 4-word shingles, or the
   whole of a short block); the headline and section labels are kept, and bylines and captions
   when they stand inside the article (before its end);
4. a trafilatura paragraph none of our blocks covers (text our heuristics dropped) is added as a
   paragraph at the source line where its words start.

When trafilatura finds nothing, or a few words where our walker finds many (it misses some pages
entirely), our blocks stand alone; paragraphs of further chunks of a body cut in several are added
(``chunks``). Either way the result is checked for *silent loss*: little text compared with the
page, or no headline, becomes a warning the translate command prints (``--strict``: an error).
"""

from __future__ import annotations

import html as htmllib
import re
import warnings as pywarnings
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.errors import InputError
from pipeline.ingest.boilerplate import finish
from pipeline.ingest.chunks import continued_chunks
from pipeline.ingest.classify import fold, is_byline, is_caption, is_terminal
from pipeline.ingest.decode import normalise_newlines
from pipeline.ingest.html import parse_html
from pipeline.ingest.model import Block, BlockKind

_WORD = re.compile(r"\w+")
_TAG = re.compile(r"<[^>]*>")
#: A block is trafilatura's article text when this share of its 4-word shingles is in its output.
COVERED = 0.5
#: Below this share of our own blocks' words, trafilatura's favour-recall mode gets a second try;
#: below it *and* under FEW_WORDS words, trafilatura is taken to have missed the article. (Less
#: than 30% of the walker's words alone is no evidence: on 7 of scrapinghub's 181 pages the walker's
#: extra words were menus and teasers and trafilatura's few were the article, precision 0.2 vs 1.0.)
ENGINE_MISSED = 0.3
#: Fewer article words than this, or this share of the page's words, is a warning (see below).
FEW_WORDS = 80
SMALL_SHARE = 0.08


@dataclass
class Extraction:
    """An HTML page's article blocks, how they were found, and what a user should hear about it."""

    blocks: list[Block]
    engine: str  # "trafilatura+walker" or "walker"
    warnings: list[str] = field(default_factory=list)


def words(text: str) -> list[str]:
    return [w.casefold() for w in _WORD.findall(text)]


def shingle_set(tokens: list[str], n: int = 4) -> set[tuple[str, ...]]:
    return {tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1)}


class _Cover:
    """Which texts a body of text (trafilatura's output, or our kept blocks) contains."""

    def __init__(self, texts: Iterable[str], *, runs: bool = False) -> None:
        """``runs``: a short text also counts as covered when it is a run of words across
        consecutive texts (trafilatura joins a tiny page's ``<h1>`` and ``<p>`` into one
        paragraph, "Title Body.", which our blocks already hold). Only for our blocks: one of
        ours such as "Share" is not article text because a word of trafilatura's says so."""
        token_lists = [words(t) for t in texts]
        self.shingles: set[tuple[str, ...]] = set()
        for tokens in token_lists:
            self.shingles |= shingle_set(tokens)
        self.lines = {" ".join(t) for t in token_lists}
        self.counts = Counter(" ".join(t) for t in token_lists)  # how often each text comes
        self.words = sum(len(t) for t in token_lists)
        self.joined = f" {' '.join(' '.join(t) for t in token_lists)} " if runs else ""

    def covers(self, text: str) -> bool:
        tokens = words(text)
        if not tokens:
            return False
        if len(tokens) < 6:  # too short for shingles to mean much: a whole paragraph of the text
            probe = " ".join(tokens)
            return probe in self.lines or f" {probe} " in self.joined
        grams = shingle_set(tokens)
        return sum(g in self.shingles for g in grams) >= COVERED * len(grams)

    def joins(self, texts: list[str], most: int = 4) -> set[int]:
        """Indexes of runs of up to ``most`` consecutive texts that are one paragraph here whole
        (trafilatura joins a tiny page's ``<h1>`` and ``<p>`` into "Title Body.")."""
        tokens = [" ".join(words(t)) for t in texts]
        found: set[int] = set()
        for i, first in enumerate(tokens):
            run = first
            for j in range(i + 1, min(i + most, len(tokens))):
                run = f"{run} {tokens[j]}"
                if run in self.lines:
                    found.update(range(i, j + 1))
                    break
        return found


def _engine_text(text: str, *, recall: bool = False) -> list[str]:
    """trafilatura's article paragraphs, or ``[]`` when it finds none or fails on the page.

    ``recall``: its favour-recall mode, tried when the default finds too little (it finds more on
    some pages and less on others, so it is the second try, not the default).
    """
    try:
        import trafilatura
    except ImportError:  # pragma: no cover - a dependency, but never let ingest crash on it
        return []
    try:
        with pywarnings.catch_warnings():
            pywarnings.simplefilter("ignore")
            out = trafilatura.extract(
                text, include_comments=False, include_tables=True, favor_recall=recall, output_format="xml"
            )
        return engine_paragraphs(out or "")
    except Exception:  # trafilatura is a heuristic engine: a page it chokes on falls back to ours
        return []


#: trafilatura's XML elements that hold one paragraph-like unit of text each.
_ENGINE_UNITS = frozenset({"p", "head", "item", "quote", "cell"})


def engine_paragraphs(xml: str) -> list[str]:
    """The paragraphs of trafilatura's XML output (its ``p``, ``head``, list items, quotes, cells).

    Its plain-text output keeps the source's line breaks inside a paragraph ("The Fetch API
    intends" / "to fix most of these problems"), so its lines are not paragraphs: the XML is.
    Text it leaves directly in a container (a ``<code>`` block, lines split by ``<lb/>``) is kept
    too, one unit per run, so no word of its output is lost.
    """
    if not xml.strip():
        return []
    from lxml import etree  # type: ignore[import-untyped]

    root = etree.fromstring(xml.encode("utf-8"), etree.XMLParser(recover=True, huge_tree=True))
    out: list[str] = []
    if root is not None:
        _engine_walk(root, out)
    return out


def _engine_walk(element, out: list[str]) -> None:
    run = [element.text or ""]

    def flush() -> None:
        text = fold(" ".join(run))
        if text:
            out.append(text)
        run.clear()

    for child in element:
        if not isinstance(child.tag, str):  # a comment or processing instruction
            run.append(child.tail or "")
        elif child.tag in _ENGINE_UNITS and not any(d.tag in _ENGINE_UNITS for d in child.iterdescendants()):
            flush()
            out.append(fold(" ".join(_inline_text(child))))
            run.append(child.tail or "")
        elif child.tag == "lb" or child.tag in _ENGINE_UNITS or len(child):
            flush()  # a line break between loose lines, or a container of units: walk into it
            if child.tag != "lb":
                _engine_walk(child, out)
            run.append(child.tail or "")
        else:
            run.extend(_inline_text(child))
            run.append(child.tail or "")
    flush()
    out[:] = [t for t in out if t]


def _inline_text(element) -> list[str]:
    """An element's text with ``<lb/>`` as a space (inline markup such as ``<hi>`` joins its words)."""
    parts = [element.text or ""]
    for child in element:
        parts.append(" " if getattr(child, "tag", "") == "lb" else "")
        parts.append("".join(_inline_text(child)) if isinstance(child.tag, str) else "")
        parts.append(child.tail or "")
    return ["".join(parts)]


def _page_words(text: str) -> int:
    """Visible words of the whole page (scripts and styles out), the yardstick for "little text"."""
    body = re.sub(r"(?is)<(script|style|noscript|template)\b.*?</\1\s*>", " ", text)
    return len(words(htmllib.unescape(_TAG.sub(" ", body))))


_IMG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
_ALT = re.compile(r"""\balt\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.IGNORECASE)


def alt_captions(text: str) -> set[tuple[int, str]]:
    """(line, folded text) of every ``<img alt>`` on the page, as the walker emits them.

    The walker stands an image's alt text in for a caption where the picture has none, but alt
    text is not on the page a reader sees: on the benchmark's pages it was the caption again
    (newsnation.in: the alt text, then the same words in a hidden caption, then in the body), a
    description ("A smiling woman wearing a black dress", wikipedia-2), or a teaser's title
    repeated on every thumbnail (lifehacker). Such a block is kept only as text trafilatura also
    found, like any other block; a visible ``<figcaption>`` stays a kept-on-purpose caption.
    """
    out: set[tuple[int, str]] = set()
    for tag in _IMG.finditer(text):
        alt = _ALT.search(tag.group(0))
        if alt is not None:
            value = fold(htmllib.unescape(next(g for g in alt.groups() if g is not None)))
            out.add((text.count("\n", 0, tag.start()) + 1, value))
    return out


def kept_blocks(
    blocks: list[Block], engine_paragraphs: list[str], alts: set[tuple[int, str]] | None = None
) -> list[Block]:
    """Our walker's ``blocks`` that are article text given trafilatura's ``engine_paragraphs``
    (the first step of the merge, see :func:`_kept`), for callers that have both already."""
    return _kept(blocks, _Cover(engine_paragraphs), alts)


def _kept(blocks: list[Block], engine: _Cover, alts: set[tuple[int, str]] | None = None) -> list[Block]:
    """Our blocks that are article text by trafilatura's judgement (see the module docstring).

    trafilatura drops bylines and most captions, so ours are kept where an article has them: a
    byline before the body's first paragraph, a caption between the headline and the body's end.
    Pictures' repeats are not (:func:`_picture_repeats`), and an image's alt text is kept only as
    text trafilatura found too (``alts``, see :func:`alt_captions`).
    """
    joined = engine.joins([b.text for b in blocks])
    never = _picture_repeats(blocks, alts or set(), engine)
    body = [
        i
        for i, b in enumerate(blocks)
        if b.kind not in ("section", "headline") and i not in never and (i in joined or engine.covers(b.text))
    ]
    first, last = (body[0], body[-1]) if body else (-1, -1)
    headline = next((b.line for b in blocks if b.kind == "headline"), None)
    top = next((i for i, b in enumerate(blocks) if b.kind == "headline"), -1)
    out: list[Block] = []
    for i, block in enumerate(blocks):
        if block.kind == "section" and (headline is None or block.line <= headline):
            out.append(block)  # a label above the headline; links in the body are not labels
        else:
            byline = block.kind == "byline" and i < first
            caption = block.kind == "caption" and top < i < last and i not in never
            alt = (block.line, block.text) in (alts or ())
            if block.kind == "headline" or i in body or byline or (caption and not alt):
                out.append(block)
    return out


def _picture_repeats(blocks: list[Block], alts: set[tuple[int, str]], engine: _Cover) -> set[int]:
    """Indexes of captions that repeat: one text three times or more (the alt text or teaser title a
    gallery or a list of links puts on every picture, 8 times on lifehacker's page, where it was
    also a link of the article, so trafilatura's text "covered" all eight; an article may repeat
    its lead photo once), and an alt text whose words another block has too (the picture's visible
    caption, on guardian-1 and newsnation.in: the same words twice). Any other text three times
    or more comes as often as trafilatura's text has it, once at least: a WordPress ``<p
    class="wp-caption-text">`` under ten pictures of one show (jeongdongtheater.com) is a paragraph
    to the walker, and trafilatura's one copy of its words "covered" all ten; zdnet's "See it now:
    Amazon" after each of seven products is article text seven times in both."""
    seen = Counter(b.text for b in blocks)
    keys = Counter(" ".join(words(b.text)) for b in blocks)
    never = {
        i
        for i, b in enumerate(blocks)
        if b.kind == "caption"
        and (seen[b.text] > 2 or ((b.line, b.text) in alts and keys[" ".join(words(b.text))] > 1))
    }
    taken: Counter[str] = Counter()
    for i, b in enumerate(blocks):  # any other text three times or more: as often as the engine's
        key = " ".join(words(b.text))
        if seen[b.text] > 2 and taken[key] >= max(1, engine.counts[key]):
            never.add(i)
        taken[key] += 1
    return never


class _LineFinder:
    """The source line where a run of words starts, for blocks that only trafilatura found."""

    def __init__(self, text: str) -> None:
        self.lines = [" ".join(words(htmllib.unescape(_TAG.sub(" ", line)))) for line in text.split("\n")]

    def line_of(self, paragraph: str, after: int) -> int | None:
        tokens = words(paragraph)
        for size in (6, 3, 1):
            probe = " ".join(tokens[:size])
            if not probe:
                return None
            for index in range(max(0, after - 1), len(self.lines)):
                if probe in self.lines[index]:
                    return index + 1
        return None


def _kind_of(text: str) -> BlockKind:
    return "byline" if is_byline(text) else "caption" if is_caption(text) else "paragraph"


def _prose(text: str) -> bool:
    """Not a one-word menu line. (Requiring a sentence or ten words cost 0.023 recall on the
    benchmark: list items and short headings the engine found are article text too.)"""
    return is_terminal(text) or len(words(text)) >= 2


def _merge(kept: list[Block], extra: list[str], finder: _LineFinder) -> list[Block]:
    """Add trafilatura's paragraphs that ours lack, each at its source line, in document order."""
    ours = _Cover((b.text for b in kept), runs=True)
    head = [b for b in kept if b.kind in ("section", "headline")]
    rest = [b for b in kept if b.kind not in ("section", "headline")]
    added: list[Block] = []
    cursor = min((b.line for b in head), default=1)
    for paragraph in extra:
        if ours.covers(paragraph) or not _prose(paragraph):
            continue
        line = finder.line_of(paragraph, cursor)
        if line is None:
            continue  # not in the source as text (generated by the engine): never invent content
        cursor = line
        added.append(Block(_kind_of(paragraph), paragraph, line))
    merged = sorted(rest + added, key=lambda b: b.line)  # stable: our order within a line stays
    return head + merged


def _in_order(blocks: list[Block], added: list[Block]) -> list[Block]:
    """``added`` put among the body blocks by source line; the labels and headline stay first."""
    if not added:
        return blocks
    head = [b for b in blocks if b.kind in ("section", "headline")]
    rest = [b for b in blocks if b.kind not in ("section", "headline")]
    return head + sorted(rest + added, key=lambda b: b.line)


def _checks(blocks: list[Block], page_words: int, formulas: int = 0) -> list[str]:
    """Silent-loss warnings: little article text for the page, no headline, formulas left out."""
    found = sum(len(words(b.text)) for b in blocks if b.kind not in ("section", "headline", "byline"))
    notes: list[str] = []
    if found < FEW_WORDS or (page_words and found < SMALL_SHARE * page_words):
        notes.append(
            f"little article text found: {found} words of {page_words} on the page; "
            "check that the article body was extracted (--strict makes this an error)"
        )
    if not any(b.kind == "headline" for b in blocks):
        notes.append("no headline found (no <h1> or <title>)")
    if formulas:
        notes.append(f"{formulas} MathML formula(s) left out of the translation (not translatable text)")
    return notes


def _lost(cut: list[Block], kept: list[Block]) -> list[Block]:
    """The footer blocks both cuts dropped (the walker's, then the merge's, which meets the same
    footer again when trafilatura kept it), once each, less any text the result has after all."""
    seen = {b.text for b in kept}
    out: list[Block] = []
    for block in cut:
        if block.text not in seen:
            seen.add(block.text)
            out.append(block)
    return out


def extract_html(
    text: str, path: str | Path | None = None, *, dropped: list[Block] | None = None
) -> Extraction:
    """The article of an HTML page as typed blocks with source lines, and its silent-loss warnings.

    ``dropped`` receives the blocks a comment-footer cut dropped (the opener first, see
    :func:`~pipeline.ingest.boilerplate.finish`), less any that trafilatura's text brought back.
    Raises :class:`InputError` only when neither engine finds any text (see :func:`parse_html`).
    """
    text = normalise_newlines(text)
    engine_paragraphs = _engine_text(text)
    cut: list[Block] = []
    try:
        ours = parse_html(text, path, dropped=cut)
        nothing: InputError | None = None
    except InputError as exc:
        ours, nothing = [], exc
    ours_words = sum(len(words(b.text)) for b in ours)
    engine = _Cover(engine_paragraphs)
    if engine.words < ENGINE_MISSED * ours_words:
        second = _engine_text(text, recall=True)
        if len(words(" ".join(second))) > engine.words:
            engine_paragraphs, engine = second, _Cover(second)
    if not engine_paragraphs or (engine.words < FEW_WORDS and engine.words < ENGINE_MISSED * ours_words):
        blocks, label = ours, "walker"
    else:
        blocks = _merge(_kept(ours, engine, alt_captions(text)), engine_paragraphs, _LineFinder(text))
        blocks = finish(_in_order(blocks, continued_chunks(text, blocks)), cut)
        label = "trafilatura+walker"
    if not blocks and nothing is not None:
        raise nothing
    if dropped is not None:
        dropped.extend(_lost(cut, blocks))
    formulas = len(re.findall(r"<math[\s>]", text, re.IGNORECASE))
    return Extraction(blocks, label, _checks(blocks, _page_words(text), formulas))
