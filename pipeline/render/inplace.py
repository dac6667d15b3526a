"""The page translated in place, and the article body as a fragment for a CMS.

``<slug>.inplace.html`` is the *original* HTML page (the copy kept beside the layout at translate
time, :func:`pipeline.catalog.layout.read_original`) with each extracted block's element given its
translation: the same sentences, inline elements and attributes as the clean page (from the layout,
never from the PO file), escaped. The page around the article (menus, images, embeds, styles) stays
the publisher's, made static first (:mod:`.sanitize`: no script survives). ``lang``/``dir`` go on
the article's container (the deepest element holding the translated body) and on each translated
element; ``<html>`` keeps the source's language (``en`` when it names none), since the page's
chrome is still English. A block whose element cannot be found again (see
:mod:`pipeline.ingest.anchors`) is not placed, and the render says so: the clean page has it.

``<slug>.fragment.html`` is the translated body alone, as semantic HTML a CMS can take as it is: one
``<article>`` with ``lang``/``dir``, then ``h1``, ``p``, ``h2``, ``blockquote``, ``figure`` /
``figcaption``, no ``<html>``, ``<head>``, styles or scripts.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from markupsafe import Markup

from pipeline.catalog.layout import Layout
from pipeline.ingest.anchors import Node, locate, parse_page, words
from pipeline.language import text_direction
from pipeline.render.blocks import block_html
from pipeline.render.inline import plain
from pipeline.render.localize import LocalBlock
from pipeline.render.sanitize import clean, lock

#: Wordless children that are *not* kept when a block's element gets its translation: the
#: translation brings its own line breaks. Every other wordless child is kept (a picture inside a
#: paragraph, an embedded player, an icon, an empty anchor ``<a id>`` or link around an image).
_REPLACED = frozenset({"br", "wbr"})


@dataclass
class InPlace:
    """The page, and which blocks found no element (their layout index, line and text)."""

    html: str
    placed: int
    lost: list[tuple[int, int, str]] = field(default_factory=list)


def source_text(layout: Layout, index: int) -> str:
    """The block's English text as ingest saw it (tags dropped), to re-find its element by."""
    return " ".join(plain(s.text, s.tags) for s in layout.blocks[index].segments)


def _target(element, tagged: bool):
    """Where the translation goes: a block without inline tags whose element only wraps one
    element with all its words (``<li><a href>Iraq News</a></li>``) fills that inner element, so
    the publisher's link or emphasis stays around the translated words."""
    while not tagged and len(element) == 1 and not words(element.text or ""):
        child = element[0]
        if not isinstance(child.tag, str) or words(child.tail or "") or not words(child.text_content()):
            break
        element = child
    return element


def _wordless(element) -> list[tuple[Node, bool]]:
    """The outermost wordless descendants worth keeping, each with whether words come before it."""
    out: list[tuple[Node, bool]] = []
    seen = bool(words(element.text or ""))

    def walk(node) -> None:
        nonlocal seen
        for child in node:
            tag = child.tag.lower() if isinstance(child.tag, str) else ""
            if tag and tag not in _REPLACED and not words(child.text_content()):
                out.append((child, seen))
            elif tag:
                seen = seen or bool(words(child.text or ""))
                walk(child)
            seen = seen or bool(words(child.tail or ""))

    walk(element)
    return out


def _fill(element, block: LocalBlock, rtl: bool) -> None:
    """Give ``element`` the block's translation in place of its text; wordless parts are kept."""
    from lxml import html  # type: ignore[import-untyped]

    in_link = any(str(e.tag).lower() == "a" for e in (element, *element.iterancestors()))
    kept = _wordless(element)
    before = [child for child, seen in kept if not seen]
    after = [child for child, seen in kept if seen]
    for child in before + after:
        child.getparent().remove(child)
        child.tail = None
    for child in list(element):
        element.remove(child)
    element.text = None
    element.extend(before)
    wrapper = html.fragment_fromstring(str(block_html(block, rtl)) or " ", create_parent="div")
    if in_link:  # a label that is itself a link: the page's link stays, the block's cannot nest in it
        for link in list(wrapper.iter("a")):
            link.drop_tag()
    if before:
        before[-1].tail = wrapper.text
    else:
        element.text = wrapper.text
    element.extend(list(wrapper))
    element.extend(after)


def _links_with_words(element) -> bool:
    """Links inside the element (not the element itself) that carry words of its text."""
    return any(a.get("href") is not None and words(a.text_content()) for a in element.iterdescendants("a"))


def _attached(element, root) -> bool:
    """Still in the page: not inside an element an earlier block's translation replaced."""
    return element is root or any(a is root for a in element.iterancestors())


def _container(elements: Sequence[Node]):
    """The deepest element holding every placed body element (``<body>`` at most)."""
    chains = [list(reversed([e, *e.iterancestors()])) for e in elements]
    if not chains:
        return None
    common = None
    for level in zip(*chains, strict=False):
        if all(e is level[0] for e in level):
            common = level[0]
        else:
            break
    return common


def _retitle(root, english: str, translated: str) -> None:
    """The page's ``<title>`` with the headline translated, when it holds the headline's words."""
    title = root.find(".//title")
    if title is None or not english or not translated:
        return
    current = " ".join((title.text_content() or "").split())
    headline = " ".join(english.split())
    if headline and headline in current:
        title.text = current.replace(headline, translated, 1)


def render_inplace(layout: Layout, blocks: list[LocalBlock], lang: str, original: str) -> InPlace:
    """The original page with the article translated in place (see the module docstring)."""
    from lxml import html

    root = parse_page(original)
    texts = [source_text(layout, i) for i in range(len(layout.blocks))]
    elements = locate(root, [b.anchor for b in layout.blocks], texts, [b.line for b in layout.blocks])
    direction = text_direction(lang)
    rtl = direction == "rtl"
    placed: list[Node] = []
    lost: list[tuple[int, int, str]] = []
    for index, (element, block) in enumerate(zip(elements, blocks, strict=True)):
        if element is None or not _attached(element, root):
            lost.append((index, layout.blocks[index].line, texts[index]))
            continue
        if element.tag in ("title", "img"):  # a headline from the title, a caption from alt text
            element.set("alt", block.text) if element.tag == "img" else setattr(element, "text", block.text)
            continue
        tagged = any(p.tags for p in block.pieces)
        element = _target(element, tagged)
        if not tagged and _links_with_words(element):
            # the translation has no tags for them: placing it would cut the page's links
            lost.append((index, layout.blocks[index].line, texts[index]))
            continue
        _fill(element, block, rtl)
        element.set("lang", lang)
        element.set("dir", direction)
        if layout.blocks[index].kind != "section":
            placed.append(element)
        if layout.blocks[index].kind == "headline":
            _retitle(root, texts[index], block.text)
    container = _container(placed)
    if container is not None and container.tag != "html":
        container.set("lang", lang)
        container.set("dir", direction)
    if not root.get("lang"):
        root.set("lang", "en")
    clean(root)
    lock(root)
    page = html.tostring(root, doctype="<!DOCTYPE html>", encoding="unicode", method="html")
    return InPlace(page + "\n", len(elements) - len(lost), lost)


#: How each block kind is marked up in the fragment.
_FRAGMENT_TAGS = {
    "headline": ("<h1>", "</h1>"),
    "subheading": ("<h2>", "</h2>"),
    "section": ('<p class="section">', "</p>"),
    "byline": ('<p class="byline">', "</p>"),
    "caption": ("<figure><figcaption>", "</figcaption></figure>"),
    "quote": ("<blockquote><p>", "</p></blockquote>"),
    "paragraph": ("<p>", "</p>"),
}


def render_fragment(blocks: list[LocalBlock], lang: str) -> str:
    """The translated article body as one ``<article>`` element (see the module docstring)."""
    direction = text_direction(lang)
    lines = [str(Markup('<article class="newsroom-article" lang="{}" dir="{}">').format(lang, direction))]
    for block in blocks:
        body = block_html(block, direction == "rtl")
        if not str(body).strip():
            continue
        start, end = _FRAGMENT_TAGS.get(block.kind, ("<p>", "</p>"))
        lines.append(f"{start}{body}{end}")
    lines.append("</article>")
    return "\n".join(lines) + "\n"


__all__ = ["InPlace", "render_fragment", "render_inplace", "source_text"]
