"""Anchors: where each extracted block stands in the original page, so a render can put its
translation back there (the page translated in place, ``render/inplace``).

Extraction cannot say it: trafilatura works on its own tree and our walker on BeautifulSoup's, and
some blocks come from one engine only. So the anchor is found afterwards, on the page itself, by
the block's words: the page's visible text is one stream of words (scripts, styles and ``<head>``
left out) in which every element owns a range; a block is anchored on the element whose range holds
exactly the block's words, the first such after the previous block's (document order), and among
nested elements with the same words (``<div><p>…</p></div>``, ``<li><a>…</a></li>``) the deepest
block-level one, so the inline markup the translation brings is never nested in a link.

An anchor is ``PATH#FINGERPRINT``: the element's path (``/html/body/div[2]/p[3]``, lxml's, stable
for the same bytes and parser) and a hash of its words. At render time the path is tried first and
trusted only when the fingerprint still matches; otherwise the element is searched by its words
again; a block found neither way is reported, never silently left out. Blocks without an exact
element (a paragraph the walker split at ``<br><br>``, a headline taken from ``<title>`` minus the
site name) get no anchor and are reported the same way.
"""

from __future__ import annotations

import bisect
import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from pipeline.ingest.classify import CONTROL, fold
from pipeline.ingest.inline import (
    INLINE_TAGS,
    Element,
    Span,
    close_marker,
    extract_spans,
    has_tag_syntax,
    open_marker,
    safe_attrs,
    void_marker,
)
from pipeline.ingest.model import Block

#: An lxml element (lxml ships no type hints).
Node = Any

_WORD = re.compile(r"\w+")
#: Elements whose text is never visible article text.
SKIPPED = frozenset({"script", "style", "noscript", "template", "head", "textarea", "select", "option"})
#: Elements a block's translation may replace the content of, deepest preferred.
BLOCKISH = frozenset(
    {
        "p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "dt", "dd", "td", "th", "caption", "figcaption",
        "blockquote", "pre", "address", "summary", "div", "section", "article", "header", "footer",
        "figure", "aside", "main", "center", "legend", "label", "title",
    }
)  # fmt: skip


def words(text: str) -> list[str]:
    return [w.casefold() for w in _WORD.findall(text)]


def fingerprint(tokens: Sequence[str]) -> str:
    return hashlib.sha256(" ".join(tokens).encode("utf-8")).hexdigest()[:16]


def parse_page(text: str):  # -> lxml.html.HtmlElement
    """The page as lxml's HTML parser sees it (forgiving: any bytes give a tree)."""
    import lxml.html  # type: ignore[import-untyped]

    try:
        return lxml.html.document_fromstring(text or "<html></html>")
    except Exception:  # lxml refuses an empty document or one of only a comment
        return lxml.html.document_fromstring("<html><body></body></html>")


#: Elements that do not separate words: "<span>W</span>hale" is one word, as a browser shows it.
INLINE = frozenset(
    {
        "a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "dfn", "em", "font", "i", "kbd", "mark",
        "q", "s", "samp", "small", "span", "strike", "strong", "sub", "sup", "time", "tt", "u", "var",
    }
)  # fmt: skip


@dataclass
class Stream:
    """The page's visible words in document order, and the word range each element owns."""

    root: Node
    tokens: list[str] = field(default_factory=list)
    ranges: dict[Node, tuple[int, int]] = field(default_factory=dict)
    #: Elements by their range, outermost first.
    owners: dict[tuple[int, int], list[Node]] = field(default_factory=dict)
    #: The words run together: a block matches across a split the page's markup makes or unmakes
    #: ("<span>W</span>hale", "the original</a>on"), at word boundaries on both ends.
    joined: str = ""
    starts: dict[int, int] = field(default_factory=dict)  # char offset in ``joined`` → token
    ends: dict[int, int] = field(default_factory=dict)  # char offset just past a token → token + 1

    @classmethod
    def of(cls, root) -> Stream:
        stream = cls(root)
        text, chars = stream._walk(root)
        spans = [(m.start(), m.end()) for m in _WORD.finditer(text)]
        stream.tokens = [m.group(0).casefold() for m in _WORD.finditer(text)]
        begins = [a for a, _ in spans]
        ends = [b for _, b in spans]
        for element, (first, last) in chars.items():
            # the tokens wholly or partly inside the element's characters
            span = (bisect.bisect_right(ends, first), bisect.bisect_left(begins, last))
            stream.ranges[element] = span
            if span[1] > span[0]:
                stream.owners.setdefault(span, []).append(element)
        offset = 0
        for index, token in enumerate(stream.tokens):
            stream.starts[offset] = index
            offset += len(token)
            stream.ends[offset] = index + 1
        stream.joined = "".join(stream.tokens)
        return stream

    @staticmethod
    def _walk(root) -> tuple[str, dict[Node, tuple[int, int]]]:
        """The visible text (a space where a block element starts or ends) and each element's
        character range in it; iterative, so a page nested thousands deep cannot exhaust the stack."""
        parts: list[str] = []
        size = 0
        chars: dict[Node, tuple[int, int]] = {}
        stack: list[tuple[Node, bool]] = [(root, False)]

        def add(text: str) -> None:
            nonlocal size
            if text:
                parts.append(text)
                size += len(text)

        while stack:
            element, done = stack.pop()
            tag = element.tag.lower() if isinstance(element.tag, str) else ""
            if done:
                chars[element] = (chars[element][0], size)
                add("" if tag in INLINE else " ")
                add(element.tail or "" if element is not root else "")
                continue
            if not tag or tag in SKIPPED:
                add(element.tail or "" if element is not root else "")
                continue
            add("" if tag in INLINE else " ")
            chars[element] = (size, size)
            add(element.text or "")
            stack.append((element, True))
            stack.extend((child, False) for child in reversed(element))
        return "".join(parts), chars

    def occurrences(self, tokens: Sequence[str]) -> list[tuple[int, int]]:
        """Every word range of the stream whose words run together are ``tokens`` run together,
        in document order."""
        probe = "".join(tokens)
        if not probe:
            return []
        found: list[tuple[int, int]] = []
        at = self.joined.find(probe)
        while at != -1:
            start, end = self.starts.get(at), self.ends.get(at + len(probe))
            if start is not None and end is not None:
                found.append((start, end))
            at = self.joined.find(probe, at + 1)
        return found

    def owner(self, span: tuple[int, int]):
        """The element to anchor on for a range: the deepest block-level one, else the outermost."""
        chain = self.owners.get(span, [])
        if not chain:
            return None
        blockish = [e for e in chain if str(e.tag).lower() in BLOCKISH]
        return max(blockish, key=_depth) if blockish else min(chain, key=_depth)


def _depth(element) -> int:
    return sum(1 for _ in element.iterancestors())


def path_of(element) -> str:
    return str(element.getroottree().getpath(element))


def own_words(element, stream: Stream) -> list[str]:
    """The words an element shows: its text, or an image's alt text (a caption taken from it)."""
    if element.tag == "img":
        return words(element.get("alt") or "")
    span = stream.ranges.get(element)
    return stream.tokens[span[0] : span[1]] if span else words(element.text_content())


def _fallback(root, tokens: list[str], used: set[Node]):
    """The ``<title>`` (a headline taken from it) or an ``<img>`` whose alt text (a caption taken
    from it) holds exactly these words."""
    if not tokens:
        return None
    for title in root.iter("title"):
        if words(title.text_content()) == tokens and title not in used:
            return title
    for image in root.iter("img"):
        if image not in used and words(image.get("alt") or "") == tokens:
            return image
    return None


def _rank(candidate: tuple[tuple[int, int], Node], line: int | None, cursor: int) -> tuple[int, int, int]:
    """Nearest the source line, then after the previous text's element, then first."""
    (start, _), element = candidate
    distance = abs((getattr(element, "sourceline", None) or 0) - line) if line else 0
    return (distance, 0 if start >= cursor else 1, start)


def place(
    stream: Stream, texts: Sequence[str], lines: Sequence[int] | None = None, used: set[Node] | None = None
) -> list[Node | None]:
    """The element of each text, by its words (see the module docstring); ``None`` where none holds
    exactly those words. Each element is used once (``used`` grows). Among several elements with
    the same words (a breadcrumb and the article's own label, a repeated caption) the one nearest
    the text's source line wins (``lines``), then the first after the previous text's."""
    used = set() if used is None else used
    cursor = 0
    out: list[Node | None] = []
    for index, text in enumerate(texts):
        tokens = words(text)
        line = lines[index] if lines is not None else None
        candidates = [
            (span, e)
            for span in stream.occurrences(tokens)
            if (e := stream.owner(span)) is not None and e not in used
        ]

        chosen = min(candidates, key=lambda c: _rank(c, line, cursor)) if candidates else None
        element = chosen[1] if chosen else _fallback(stream.root, tokens, used)
        if element is not None and element in used:
            element = None
        if element is not None:
            used.add(element)
            if chosen:
                cursor = chosen[0][1]
        out.append(element)
    return out


def anchor_of(element, stream: Stream) -> str:
    return f"{path_of(element)}#{fingerprint(own_words(element, stream))}"


def anchor_blocks(page: str, blocks: Sequence[Block]) -> list[Block]:
    """``blocks`` with the anchor of each found in ``page`` (``""`` for those that have none).

    A block that came without inline elements (a paragraph only trafilatura found: it flattens
    links) gets its element's links and emphasis here when that element's text is exactly the
    block's, so the translation keeps them, in the page translated in place as on the clean page.
    """
    stream = Stream.of(parse_page(page))
    elements = place(stream, [b.text for b in blocks], [b.line for b in blocks])
    out: list[Block] = []
    for block, element in zip(blocks, elements, strict=True):
        if element is None:
            out.append(block)
            continue
        spans = block.spans
        if not spans and element.tag not in ("img", "title"):
            text, found = spans_of(element)
            spans = found if text == block.text else ()
        out.append(replace(block, anchor=anchor_of(element, stream), spans=spans))
    return out


def _inline(element) -> Element | None:
    """The inline element a tag stands for (the rules of :mod:`pipeline.ingest.html`'s walker)."""
    tag = str(element.tag).lower()
    classes = (element.get("class") or "").split()
    protected = (element.get("translate") or "").strip().lower() == "no" or "notranslate" in classes
    if tag not in INLINE_TAGS:
        return Element("span", (), True) if protected else None
    return Element(tag, safe_attrs(tag, dict(element.attrib)), protected or tag == "code")


def spans_of(root) -> tuple[str, tuple[Span, ...]]:
    """An element's visible text, folded as ingest folds it, and its inline elements over it."""
    parts: list[str] = [root.text or ""]
    elements: list[Element] = []
    stack: list[Node] = list(reversed(root))
    while stack:
        item = stack.pop()
        if isinstance(item, str):  # a closing marker or separator pushed below
            parts.append(item)
            continue
        tag = item.tag.lower() if isinstance(item.tag, str) else ""
        if not tag or tag in SKIPPED:
            parts.append(item.tail or "")
            continue
        if tag == "br":
            elements.append(Element("br"))
            parts.append(" " + void_marker(len(elements) - 1) + " " + (item.tail or ""))
            continue
        element = _inline(item)
        sep = "" if tag in INLINE else " "
        if element is not None:
            elements.append(element)
            parts.append(open_marker(len(elements) - 1))
            sep = close_marker(len(elements) - 1)
        parts.append(("" if element is not None else sep) + (item.text or ""))
        stack.append(sep + (item.tail or ""))
        stack.extend(reversed(item))
    text, spans = extract_spans(fold(CONTROL.sub("", "".join(parts))), elements)
    return (text, ()) if has_tag_syntax(text) else (text, spans)


def locate(root, anchors: Sequence[str], texts: Sequence[str], lines: Sequence[int]) -> list[Node | None]:
    """Re-find each anchored element on a parse of the same page: by path when the fingerprint still
    matches, else by the recorded words (``texts``, the block's source text, near its ``lines``);
    ``None`` where lost."""
    stream = Stream.of(root)
    tree = root.getroottree()
    out: list[Node | None] = []
    used: set[Node] = set()
    for anchor, text, line in zip(anchors, texts, lines, strict=True):
        path, _, mark = anchor.partition("#")
        found = None
        if path:
            try:
                hits = tree.xpath(path) if path.startswith("/") else []
            except Exception:  # a hand-edited layout's path is no XPath
                hits = []
            element = hits[0] if len(hits) == 1 else None
            if (
                element is not None
                and element not in used
                and anchor_of(element, stream).endswith(f"#{mark}")
            ):
                found = element
        if found is not None:
            used.add(found)
        elif anchor:
            found = place(stream, [text], [line], used)[0]
        out.append(found)
    return out
