"""Inline tags on the page: a sentence's ``<a1>…</a1>`` become the source's elements, safely.

The tag *names* come from the PO file (a translator may break them); the elements and their
attributes come from the layout, never from the PO file, so a translator can neither change a link
nor inject markup. A tag that is unknown, repeated, unclosed or crossed is dropped and its text kept
(escaped like all text); ``status`` and the ``tags`` QA check say so. Attributes are filtered again
here (the layout is a file on disk, so untrusted too) and escaped.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

from pipeline.ingest.inline import INLINE_TAGS, TAG, VOID_TAGS, InlineTag, safe_attrs, tag_name


@dataclass(frozen=True)
class Mark:
    """A kept tag of a translation: where it opens or closes, and its element."""

    kind: str  # "open", "close" or "void"
    tag: InlineTag


Item = str | Mark


def _valid(matches: Sequence[re.Match[str]], tags: Sequence[InlineTag]) -> dict[int, Mark]:
    """Which of the tags found are kept, by match number: known, once each, well nested."""
    by_name = {t.name: t for t in tags if t.element.tag in INLINE_TAGS}
    keep: dict[int, Mark] = {}
    stack: list[tuple[int, str]] = []
    used: set[str] = set()
    for n, match in enumerate(matches):
        name = tag_name(match)
        tag = by_name.get(name)
        if tag is None:
            continue
        closing = match.group(1) == "/"
        if tag.element.tag in VOID_TAGS:
            if not closing and name not in used:
                used.add(name)
                keep[n] = Mark("void", tag)
        elif closing:
            if stack and stack[-1][1] == name:
                opened, _ = stack.pop()
                keep[opened] = Mark("open", tag)
                keep[n] = Mark("close", tag)
        elif name not in used:
            used.add(name)
            stack.append((n, name))
    return keep


def parse(text: str, tags: Sequence[InlineTag]) -> list[Item]:
    """Text and the tags that are valid; the others become nothing (their text is kept)."""
    matches = list(TAG.finditer(text))
    keep = _valid(matches, tags)
    items: list[Item] = []
    cursor = 0
    verbatim: InlineTag | None = None
    for n, match in enumerate(matches):
        chunk = text[cursor : match.start()]
        cursor = match.end()
        if verbatim is None and chunk:
            items.append(chunk)
        mark = keep.get(n)
        if mark is None:
            continue
        if mark.kind == "open" and mark.tag.element.verbatim:
            items.append(mark)
            items.append(mark.tag.text)  # protected: the source's own words, whatever the msgstr says
            verbatim = mark.tag
            continue
        if mark.kind == "close" and verbatim is mark.tag:
            verbatim = None
        if verbatim is None:
            items.append(mark)
    if verbatim is None and text[cursor:]:
        items.append(text[cursor:])
    return items


def _start_tag(tag: InlineTag, inert: bool = False) -> Markup:
    name = tag.element.tag
    attrs = safe_attrs(name, dict(tag.element.attrs))
    if tag.element.verbatim and name != "code":
        attrs = (*attrs, ("translate", "no"))
    if inert and name == "a":  # shown, not a tab stop: the review page's Tab order is its sentences
        href = dict(attrs).get("href", "")
        attrs = (
            *[a for a in attrs if a[0] != "title"],
            ("tabindex", "-1"),
            ("title", f"{tag.name} → {href}"),
        )
    rendered = "".join(f' {key}="{escape(value)}"' for key, value in attrs)
    return Markup(f"<{name}{rendered}>")


def to_html(
    text: str, tags: Sequence[InlineTag], chunk: Callable[[str], Markup], *, inert: bool = False
) -> Markup:
    """The sentence as safe HTML: ``chunk`` escapes (and isolates) each run of text. ``inert``
    (the review page): links are no tab stops and say their tag and address on hover."""
    out: list[str] = []
    for item in parse(text, tags):
        if isinstance(item, str):
            out.append(str(chunk(item)))
        elif item.kind == "close":
            out.append(f"</{item.tag.element.tag}>")
        else:
            out.append(str(_start_tag(item.tag, inert)))
    return Markup("".join(out))


_MD_MARKS = {"em": "*", "i": "*", "strong": "**", "b": "**", "s": "~~", "code": "`"}


def to_markdown(text: str, tags: Sequence[InlineTag], chunk: Callable[[str], str]) -> str:
    """The sentence as Markdown: links, emphasis, code and hard breaks; other elements as text."""
    out: list[str] = []
    in_code = False
    for item in parse(text, tags):
        if isinstance(item, str):
            out.append(item.replace("`", "'") if in_code else chunk(item))
            continue
        element = item.tag.element
        if element.tag == "br":
            out.append("\\\n")
        elif element.tag == "a":
            href = dict(safe_attrs("a", dict(element.attrs))).get("href", "")
            out.append("[" if item.kind == "open" else f"](<{href.replace('>', '%3E')}>)")
        else:
            out.append(_MD_MARKS.get(element.tag, ""))
            in_code = element.tag == "code" and item.kind == "open"
    return "".join(out)


def plain(text: str, tags: Sequence[InlineTag]) -> str:
    """The sentence's text alone (what plain-text pages and titles show)."""
    return "".join(item for item in parse(text, tags) if isinstance(item, str))


__all__ = ["Mark", "parse", "plain", "to_html", "to_markdown"]
