"""Inline markup inside a block: links, emphasis, code, line breaks and spans, kept through translation.

A block's ``text`` stays plain (the classifiers, extraction coverage and ids of unmarked articles
depend on it); its :class:`Span` s say where each inline element starts and ends in that text.
Segmentation then writes each sentence with numbered XML-like tags (``<a1>label</a1>``, ``<em1>``,
``<br1/>``), the form Poedit and Weblate check for mismatches, and keeps the attributes (``href``)
out of the msgid in the layout, where a translator can neither break nor inject them.

Parsers build the plain text with private-use *markers* where elements open and close, fold the
whitespace as they always did, then :func:`extract_spans` removes the markers and records offsets.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

#: Elements kept around their words (HTML names; Markdown maps onto them).
INLINE_TAGS = frozenset(
    {"a", "em", "i", "strong", "b", "code", "br", "span", "sub", "sup", "mark", "q", "u", "s"}
)
#: Elements with no content.
VOID_TAGS = frozenset({"br"})
#: The attributes kept per element; everything else (event handlers, styles, classes) is dropped.
SAFE_ATTRS: Mapping[str, tuple[str, ...]] = {
    "a": ("href", "title", "hreflang", "rel"),
    "span": ("lang", "dir", "title"),
    "q": ("cite",),
}
_SAFE_SCHEME = re.compile(r"^(?:https?:|mailto:|tel:|#|/|\.|[^:/?#]*(?:[/?#]|$))", re.IGNORECASE)

_OPEN, _CLOSE, _VOID = "\ue010", "\ue011", "\ue012"
_END = "\ue013"
_MARKER = re.compile(f"([{_OPEN}{_CLOSE}{_VOID}])(\\d+){_END}")
#: A tag as written in msgid/msgstr: ``<a1>``, ``</a1>``, ``<br1/>``.
TAG = re.compile(r"<(/?)([a-z]+)([1-9][0-9]*)\s*(/?)>")


@dataclass(frozen=True)
class Element:
    """One inline element as found in the source: its tag, safe attributes, and whether its content
    is protected verbatim (``translate="no"``, ``class="notranslate"``, code)."""

    tag: str
    attrs: tuple[tuple[str, str], ...] = ()
    verbatim: bool = False


@dataclass(frozen=True)
class Span:
    """An element over ``text[start:end]`` of its block (``start == end`` for a line break)."""

    start: int
    end: int
    element: Element


def open_marker(index: int) -> str:
    return f"{_OPEN}{index}{_END}"


def close_marker(index: int) -> str:
    return f"{_CLOSE}{index}{_END}"


def void_marker(index: int) -> str:
    return f"{_VOID}{index}{_END}"


def safe_attrs(tag: str, attrs: Mapping[str, object]) -> tuple[tuple[str, str], ...]:
    """The attributes worth keeping, as strings; a link to ``javascript:`` or ``data:`` loses its href."""
    kept: list[tuple[str, str]] = []
    for name in SAFE_ATTRS.get(tag, ()):
        value = attrs.get(name)
        if isinstance(value, list):
            value = " ".join(str(v) for v in value)
        if value is None:
            continue
        value = " ".join(str(value).split())
        if name in ("href", "cite") and not _SAFE_SCHEME.match(value):
            continue
        kept.append((name, value))
    return tuple(kept)


def strip_markers(text: str) -> str:
    return _MARKER.sub("", text)


def extract_spans(marked: str, elements: Sequence[Element]) -> tuple[str, tuple[Span, ...]]:
    """Plain text and spans from folded text with markers; markers left unpaired are dropped.

    Removing a marker can leave two spaces ("a <em> b" folded is "a ␣M␣ b"): they are folded again,
    so the plain text is exactly what the parser would have produced without markup.
    """
    plain: list[str] = []
    opened: dict[int, int] = {}
    spans: list[Span] = []
    length = 0
    cursor = 0
    last = " "  # the last character kept: a space, or nothing yet
    for match in _MARKER.finditer(marked):
        chunk = marked[cursor : match.start()]
        if chunk.startswith(" ") and last == " ":
            chunk = chunk[1:]
        plain.append(chunk)
        length += len(chunk)
        last = chunk[-1] if chunk else last
        cursor = match.end()
        kind, index = match.group(1), int(match.group(2))
        if kind == _OPEN:
            opened[index] = length
        elif kind == _CLOSE and index in opened:
            start = opened.pop(index)
            if length > start:
                spans.append(Span(start, length, elements[index]))
        elif kind == _VOID:
            spans.append(Span(length, length, elements[index]))
    chunk = marked[cursor:]
    if chunk.startswith(" ") and last == " ":
        chunk = chunk[1:]
    plain.append(chunk)
    text = "".join(plain)
    stripped = text.rstrip()
    clipped = [c for c in (_clip(s, len(stripped)) for s in spans) if c is not None]
    return stripped, tuple(sorted(clipped, key=lambda s: (s.start, -s.end)))


def _clip(span: Span, length: int) -> Span | None:
    start, end = min(span.start, length), min(span.end, length)
    if end == start and span.element.tag not in VOID_TAGS:
        return None
    return Span(start, end, span.element)


def has_tag_syntax(text: str) -> bool:
    """Text that already contains something like ``<a1>``: markup is left out for such a block, so a
    literal tag in an article can never be mistaken for one of ours."""
    return TAG.search(text) is not None


TokenKind = Literal["open", "close", "void"]


@dataclass(frozen=True)
class InlineTag:
    """A numbered tag of one sentence (``a1``): its element, and for verbatim ones the exact text."""

    name: str  # "a1"
    element: Element
    text: str = ""  # the protected content of a verbatim element

    def open(self) -> str:
        return f"<{self.name}/>" if self.element.tag in VOID_TAGS else f"<{self.name}>"

    def close(self) -> str:
        return "" if self.element.tag in VOID_TAGS else f"</{self.name}>"


def tag_name(match: re.Match[str]) -> str:
    return f"{match.group(2)}{match.group(3)}"


def plain_of(tagged: str) -> str:
    """A tagged sentence without its tags (what a plain-text page shows)."""
    return re.sub(r"[ \t]{2,}", " ", TAG.sub("", tagged))


def _tags_of(text: str) -> list[tuple[str, str]]:
    """Each tag of a msgid or msgstr as (name, "open" | "close" | "void")."""
    return [
        (tag_name(m), "close" if m.group(1) else "void" if m.group(4) else "open") for m in TAG.finditer(text)
    ]


def tag_mismatch(msgid: str, msgstr: str) -> list[str]:
    """What is wrong with a translation's tags, judged against its msgid (the PO file alone says
    which tags a sentence has): unknown, missing, repeated or crossed tags. Empty when each tag of
    the msgid is there once and the elements are well nested."""
    expected = _tags_of(msgid)
    if not expected and "<" not in msgstr:
        return []
    known = {name for name, _ in expected}
    problems: list[str] = []
    stack: list[str] = []
    found = _tags_of(msgstr)
    for name, kind in found:
        if name not in known:
            problems.append(f"unknown tag <{'/' if kind == 'close' else ''}{name}>")
        elif kind == "open":
            stack.append(name)
        elif kind == "close":
            if stack and stack[-1] == name:
                stack.pop()
            else:
                problems.append(f"</{name}> crosses or has no <{name}>")
    for name, kind in expected:
        count = found.count((name, kind))
        written = {"open": f"<{name}>", "close": f"</{name}>", "void": f"<{name}/>"}[kind]
        if count != 1:
            problems.append(f"{written} {'missing' if count == 0 else f'{count} times'}")
    return list(dict.fromkeys(problems))


__all__ = [
    "INLINE_TAGS",
    "TAG",
    "VOID_TAGS",
    "Element",
    "InlineTag",
    "Span",
    "close_marker",
    "extract_spans",
    "has_tag_syntax",
    "open_marker",
    "plain_of",
    "safe_attrs",
    "strip_markers",
    "tag_mismatch",
    "tag_name",
    "void_marker",
]
