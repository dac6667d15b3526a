"""Markdown articles, parsed with markdown-it (CommonMark, which never fails on any input).

Markup says most of what a block is (headings, block quotes, lists); the shared classifiers in
:mod:`pipeline.ingest.classify` settle the rest (bylines, captions). Raw HTML inside the Markdown
goes through the HTML parser, so a ``<figure>`` with its ``<figcaption>`` is still article text.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from pipeline.ingest.boilerplate import finish
from pipeline.ingest.classify import dedupe_sections, fold, is_byline, is_caption
from pipeline.ingest.decode import normalise_newlines
from pipeline.ingest.html import html_fragment_blocks
from pipeline.ingest.inline import (
    Element,
    Span,
    close_marker,
    extract_spans,
    has_tag_syntax,
    open_marker,
    safe_attrs,
    void_marker,
)
from pipeline.ingest.model import Block, BlockKind

if TYPE_CHECKING:
    from markdown_it.token import Token

#: Front-matter keys whose values are section labels.
_FRONT_MATTER_SECTIONS = ("section", "sections", "category", "categories")


def _front_matter(text: str) -> tuple[str, dict[str, list[tuple[int, str]]]]:
    """Strip YAML front matter: the body (blank lines in its place) and key -> [(line, value)].

    The front matter lines are blanked rather than removed so markdown-it's line numbers still
    match the file. Only ``key: value``, ``key: [a, b]`` and ``- item`` lists are understood: that
    is all ``title`` and ``categories`` need, and it avoids a YAML dependency.
    """
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        return text, {}
    end = next((i for i in range(1, len(lines)) if lines[i].strip() in ("---", "...")), None)
    if end is None:
        return text, {}
    meta: dict[str, list[tuple[int, str]]] = {}
    key = None
    for number in range(1, end):
        line = lines[number]
        item = re.match(r"\s+-\s+(.*)$|-\s+(.*)$", line)
        if item and key:
            meta[key].append((number + 1, _unquote(item.group(1) or item.group(2))))
            continue
        m = re.match(r"([A-Za-z_][\w-]*)\s*:\s*(.*)$", line)
        if not m:
            continue
        key = m.group(1).lower()
        value = m.group(2).strip()
        if value.startswith("[") and value.endswith("]"):
            values = [_unquote(v) for v in value[1:-1].split(",")]
        else:
            values = [_unquote(value)] if value else []
        meta[key] = [(number + 1, v) for v in values if v]
    body = "\n" * (end + 1) + "\n".join(lines[end + 1 :])
    return body, meta


def _unquote(value: str) -> str:
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        value = value[1:-1]
    return fold(value)


#: Where a paragraph-like unit sits: what it is before the classifiers look at its text.
_MdContext = Literal["heading1", "heading", "quote", "list", "cell", "paragraph", "html"]


@dataclass
class _MdPara:
    """One Markdown paragraph-like unit, before it is given a kind."""

    line: int
    text: str  # visible text (image alt texts excluded)
    alts: list[str]
    emphasised: bool  # all visible text is inside emphasis
    context: _MdContext
    spans: tuple[Span, ...] = ()
    html_blocks: list[Block] = field(default_factory=list)  # for context "html"


_MD_ELEMENTS = {"em": "em", "strong": "strong", "s": "s", "link": "a"}


def _md_inline(children: Sequence[Token]) -> tuple[str, list[str], bool, tuple[Span, ...]]:
    """Plain text of inline tokens and the inline elements over it (links, emphasis, code, hard
    breaks); images are set aside as alt texts."""
    parts: list[str] = []
    alts: list[str] = []
    elements: list[Element] = []
    opened: list[int] = []
    emphasis = 0
    emphasised = True
    for tok in children:
        kind, _, edge = tok.type.rpartition("_")
        if kind in _MD_ELEMENTS and edge == "open":
            emphasis += kind != "link"
            tag = _MD_ELEMENTS[kind]
            elements.append(Element(tag, safe_attrs(tag, dict(tok.attrs))))
            opened.append(len(elements) - 1)
            parts.append(open_marker(opened[-1]))
        elif kind in _MD_ELEMENTS and edge == "close":
            emphasis = max(0, emphasis - (kind != "link"))
            parts.append(close_marker(opened.pop()) if opened else "")
        elif tok.type in ("text", "code_inline"):
            if tok.type == "code_inline":
                elements.append(Element("code", (), True))
                parts.append(open_marker(len(elements) - 1) + tok.content + close_marker(len(elements) - 1))
            else:
                parts.append(tok.content)
            if tok.content.strip() and not emphasis:
                emphasised = False
        elif tok.type == "softbreak":
            parts.append(" ")
        elif tok.type == "hardbreak" or (tok.type == "html_inline" and re.match(r"<br\b", tok.content, re.I)):
            elements.append(Element("br"))
            parts.append(" " + void_marker(len(elements) - 1) + " ")
        elif tok.type == "image":
            alt, _, _, _ = _md_inline(tok.children or [])
            alts.append(alt)
    text, spans = extract_spans(fold("".join(parts)), elements)
    return text, [a for a in alts if a], emphasised and bool(text), () if has_tag_syntax(text) else spans


def parse_markdown(
    text: str, path: str | Path | None = None, *, dropped: list[Block] | None = None
) -> list[Block]:
    """Parse a Markdown article into blocks.

    The first ``# h1`` is the headline (front-matter ``title:`` if there is no h1); other headings
    are subheadings; "By Name" paragraphs are bylines; an image's alt text is a caption unless a
    visible caption (emphasised text or a bracketed credit) follows it; blockquote paragraphs are
    quotes; list items and table cells are paragraphs; code and raw HTML blocks are skipped.
    """
    from markdown_it import MarkdownIt

    del path
    body, meta = _front_matter(normalise_newlines(text))
    md = MarkdownIt("commonmark").enable(["table", "strikethrough"])
    paras = _md_paras(md.parse(body))
    blocks = _MdBlocks(_front_matter_blocks(meta, paras))
    for n, p in enumerate(paras):
        blocks.add(p, paras[n + 1] if n + 1 < len(paras) else None)
    return finish(blocks.blocks, dropped)


def _md_paras(tokens: Sequence[Token]) -> list[_MdPara]:
    """The paragraph-like units in order, each with the structure it sits in."""
    paras: list[_MdPara] = []
    stack: list[str] = []
    for tok in tokens:
        if tok.nesting == 1:
            stack.append(tok.tag)
        elif tok.nesting == -1:
            if stack:
                stack.pop()
        elif tok.type == "html_block" and tok.map:
            # Raw HTML in Markdown (a <figure> with its <figcaption>, say) is still article text.
            fragment = html_fragment_blocks(tok.content, tok.map[0] + 1)
            paras.append(_MdPara(tok.map[0] + 1, "", [], False, "html", html_blocks=fragment))
        elif tok.type == "inline":  # not code blocks, fences or rules: nothing to translate there
            line = (tok.map[0] + 1) if tok.map else 1
            visible, alts, emphasised, spans = _md_inline(tok.children or [])
            paras.append(_MdPara(line, visible, alts, emphasised, _md_context(stack), spans=spans))
    return paras


def _md_context(stack: list[str]) -> _MdContext:
    """The innermost structure that decides a unit's kind: a heading, else quote, list, table."""
    if stack and stack[-1] in ("h1", "h2", "h3", "h4", "h5", "h6"):
        return "heading1" if stack[-1] == "h1" else "heading"
    if "blockquote" in stack:
        return "quote"
    if "li" in stack:
        return "list"
    if "td" in stack or "th" in stack:
        return "cell"
    return "paragraph"


def _front_matter_blocks(meta: dict[str, list[tuple[int, str]]], paras: list[_MdPara]) -> list[Block]:
    """Sections from the front matter, and its ``title`` as the headline when there is no h1."""
    blocks: list[Block] = []
    for key in _FRONT_MATTER_SECTIONS:
        blocks.extend(Block("section", value, line) for line, value in meta.get(key, []))
    blocks = dedupe_sections(blocks)
    has_h1 = any(p.context == "heading1" and p.text for p in paras)
    if not has_h1 and meta.get("title"):
        line, title = meta["title"][0]
        blocks.append(Block("headline", title, line))
    return blocks


def _visible_caption(p: _MdPara | None) -> bool:
    """Is this the caption printed under an image (emphasised, or with a bracketed credit)?"""
    return (
        p is not None and p.context == "paragraph" and bool(p.text) and (p.emphasised or is_caption(p.text))
    )


class _MdBlocks:
    """Gives each unit its kind, in order; the kinds depend on what came before.

    Only the first h1 (or a headline in embedded HTML) is the headline, and emphasised text right
    after an image is that image's caption.
    """

    def __init__(self, leading: list[Block]) -> None:
        self.blocks = leading
        self.headline_done = any(b.kind == "headline" for b in leading)
        self.previous_was_image = False

    def add(self, p: _MdPara, nxt: _MdPara | None) -> None:
        if p.context == "html":
            self.add_html(p.html_blocks)
            self.previous_was_image = False
            return
        if p.context == "paragraph" and p.alts and not p.text:
            # The visible caption under an image describes it better than its alt text.
            if not _visible_caption(nxt):
                self.blocks.extend(Block("caption", alt, p.line) for alt in p.alts)
            self.previous_was_image = True
            return
        kind = self.prose_kind(p) if p.context == "paragraph" else self.structural_kind(p)
        if p.context == "paragraph" and kind == "paragraph":
            self.blocks.extend(Block("caption", alt, p.line) for alt in p.alts)
        self.previous_was_image = False
        if p.text:
            self.blocks.append(Block(kind, p.text, p.line, p.spans))

    def add_html(self, blocks: list[Block]) -> None:
        """Blocks of embedded HTML; its ``<h1>`` is a subheading once the article has a headline."""
        for block in blocks:
            if block.kind == "headline" and self.headline_done:
                block = replace(block, kind="subheading")
            self.headline_done = self.headline_done or block.kind == "headline"
            self.blocks.append(block)

    def structural_kind(self, p: _MdPara) -> BlockKind:
        """Kind from the markup alone: headings, block quotes, list items and table cells."""
        if p.context == "quote":
            return "quote"
        if p.context in ("list", "cell"):
            return "paragraph"
        if p.context == "heading1" and not self.headline_done and p.text:
            self.headline_done = True
            return "headline"
        return "subheading"

    def prose_kind(self, p: _MdPara) -> BlockKind:
        """Kind of a plain paragraph, from its text and whether an image came just before."""
        if p.alts and (p.emphasised or is_caption(p.text)):
            return "caption"  # image and its caption in one paragraph
        if is_byline(p.text):
            return "byline"
        if is_caption(p.text) or (self.previous_was_image and p.emphasised):
            return "caption"
        return "paragraph"
