"""HTML pages: the article found inside the page chrome, walked in document order.

Parsing uses BeautifulSoup with the stdlib ``html.parser``, which keeps source lines and rejects
almost nothing. Page chrome (scripts, navigation, footers, asides, forms, comment/share/related/
ad/cookie boxes) is removed from the tree first, then the ``<article>`` (else ``<main>``, else
``<body>``) is walked; Markdown uses :func:`html_fragment_blocks` for raw HTML it embeds.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import replace
from pathlib import Path

from pipeline.errors import InputError
from pipeline.ingest import titles
from pipeline.ingest.boilerplate import finish
from pipeline.ingest.classify import (
    CONTROL,
    dedupe_sections,
    fold,
    is_byline,
    is_caption,
    starts_like_name,
    word_count,
)
from pipeline.ingest.decode import normalise_newlines
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
from pipeline.ingest.model import Block, BlockKind

# Never content: dropped wherever they are.
_HARD_DROP_TAGS = {
    "script", "style", "noscript", "template", "svg", "canvas", "iframe", "object", "embed",
    "video", "audio", "map", "button", "select", "textarea", "input", "pre",
}  # fmt: skip
# Page chrome, dropped unless it wraps the article itself (an ASP.NET <form> around the whole page).
_SOFT_DROP_TAGS = {"nav", "footer", "aside", "form", "dialog"}
# Class/id words of page furniture, matched as whole hyphen/underscore-separated segments so that
# "commentary" or "shadow" do not count, while "comment-box", "share_bar" and "ad-slot" do.
_FURNITURE_ATTR = re.compile(
    r"(?:^|[-_\s])(?:comments?|commenting|disqus|share|sharing|sharethis|social|socials|related|"
    r"newsletters?|subscribe|subscription|adverts?|advertisements?|advertising|ads?|adslot|"
    r"sponsored|promo|cookies?|cookie-?banner|consent|gdpr|breadcrumbs?|paywall)(?:$|[-_\s])",
    re.IGNORECASE,
)
_DROP_ROLES = {"navigation", "complementary", "contentinfo", "search", "banner", "dialog", "alert"}
_KEEP_ALWAYS = {"html", "body", "main"}
_BYLINE_ATTR = re.compile(r"byline|author", re.IGNORECASE)
# An "author" box holding the site's tools ("View author archive", "Get author RSS feed",
# "Edit Delete Invite"), not the article's byline.
_AUTHOR_TOOLS = re.compile(r"\b(?:archive|rss|feed|invite|delete|dismiss|promote)\b", re.IGNORECASE)
_SECTION_ATTR = re.compile(r"category|categories|kicker", re.IGNORECASE)
_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
# Elements that are one paragraph-like block when they hold no block-level elements themselves.
_PROSE_TAGS = {"p", "li", "dt", "dd", "td", "th", "caption", "summary"}
_BLOCK_TAGS = {
    "address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "details",
    "dialog", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2",
    "h3", "h4", "h5", "h6", "header", "hgroup", "hr", "html", "li", "main", "menu", "nav", "ol",
    "p", "pre", "section", "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
}  # fmt: skip


# State flags such as "has-comments" or "with-share-bar" describe a wrapper, not furniture.
_STATE_CLASS = re.compile(r"(?:has|with|no|is|show|enable|enabled|allow|can)[-_]", re.IGNORECASE)


def _attr_words(tag) -> str:
    """The class and id of a tag as one string, for furniture, byline and section matching."""
    classes = tag.get("class") or []
    if isinstance(classes, str):
        classes = classes.split()
    words = [c for c in classes if not _STATE_CLASS.match(c)]
    return " ".join([*words, str(tag.get("id") or "")])


def _inline_element(tag) -> Element | None:
    """The inline element a tag inside a paragraph stands for, or ``None`` to flatten it.

    ``translate="no"`` (HTML5) and ``class="notranslate"`` (Google's and others') protect the
    content verbatim, like ``<code>``; on a tag we do not keep, they become a protected ``<span>``.
    """
    classes = tag.get("class") or []
    classes = classes.split() if isinstance(classes, str) else classes
    protected = str(tag.get("translate", "")).strip().lower() == "no" or "notranslate" in classes
    name = tag.name
    if name not in INLINE_TAGS:
        return Element("span", (), True) if protected else None
    return Element(name, safe_attrs(name, tag.attrs), protected or name == "code")


def _is_furniture_tag(tag, page_paragraphs: int = 0) -> bool:
    """Navigation, comments, share bars, ads, cookie banners, site headers and hidden elements.

    Anything but the hard-dropped tags is kept when it contains the headline or ``<main>``, and a
    ``<form>`` is kept when it holds most of the page's paragraphs (ASP.NET wraps whole pages in
    one): a wrapper must not take the article with it.
    """
    name = tag.name
    if name in _KEEP_ALWAYS:
        return False
    if name in _HARD_DROP_TAGS:
        return True
    if tag.has_attr("hidden") or str(tag.get("aria-hidden", "")).lower() == "true":
        return True
    if re.search(r"display\s*:\s*none", str(tag.get("style", "")), re.IGNORECASE):
        return True
    furniture = (
        name in _SOFT_DROP_TAGS
        or str(tag.get("role", "")).lower() in _DROP_ROLES
        or bool(_FURNITURE_ATTR.search(_attr_words(tag)))
        or (name == "header" and tag.find_parent(["article", "main"]) is None)
    )
    if not furniture or tag.find(["h1", "main"]) is not None:
        return False
    if name == "form" and page_paragraphs >= 3:
        return len(tag.find_all("p")) * 2 < page_paragraphs
    return True


class _HtmlWalker:
    """Walks the article root in document order and emits typed blocks.

    Block-level elements become blocks; loose inline text between them (text directly in a
    ``<div>``) becomes a paragraph so content is not lost on sites that do not use ``<p>``.
    """

    def __init__(self) -> None:
        from bs4 import NavigableString, Tag
        from bs4.element import CData, Comment, Declaration, Doctype, ProcessingInstruction

        self.Tag = Tag
        self.NavigableString = NavigableString
        self.skip_strings = (Comment, Declaration, Doctype, CData, ProcessingInstruction)
        self.blocks: list[Block] = []
        self.headline_done = False
        #: The ``<h1>`` that is the headline when the first one is not (see :func:`_titled_h1`).
        self.headline_tag = None

    # -- text helpers ------------------------------------------------------------------------
    def text_of(self, node) -> str:
        """Visible text: strings only, ``<br>`` and block boundaries as spaces, entities decoded."""
        parts: list[str] = []
        self._collect(node, parts)
        return fold("".join(parts))

    def marked_of(self, nodes: list) -> tuple[str, tuple[Span, ...]]:
        """Visible text of ``nodes`` (as :meth:`text_of`) and the inline elements over it."""
        parts: list[str] = []
        elements: list[Element] = []
        for node in nodes:
            if isinstance(node, self.Tag):
                self._collect(node, parts, elements)
                parts.append(" ")
            else:
                parts.append(str(node))
        text, spans = extract_spans(fold(CONTROL.sub("", "".join(parts))), elements)
        return (text, ()) if has_tag_syntax(text) else (text, spans)

    def _collect(self, node, parts: list[str], elements: list[Element] | None = None) -> None:
        # Iterative, so deeply nested markup cannot exhaust the interpreter's recursion limit.
        stack: list = [node]
        while stack:
            item = stack.pop()
            if isinstance(item, str) and not isinstance(item, self.NavigableString):
                parts.append(item)  # a separator or a closing marker pushed below
            elif isinstance(item, self.NavigableString):
                if not isinstance(item, self.skip_strings):
                    parts.append(str(item))
            elif item.name == "br":
                parts.append(" ")
                if elements is not None:
                    elements.append(Element("br"))
                    parts.append(void_marker(len(elements) - 1) + " ")
            else:
                element = _inline_element(item) if elements is not None else None
                sep = " " if item.name in _BLOCK_TAGS else ""
                if element is not None and elements is not None:
                    elements.append(element)
                    parts.append(open_marker(len(elements) - 1))
                    sep = close_marker(len(elements) - 1)
                parts.append("" if element is not None else sep)
                stack.append(sep)
                stack.extend(reversed(list(item.children)))

    def is_block(self, tag) -> bool:
        """Block-level, or an inline tag wrapping block content (``<a><div>..</div></a>``)."""
        if tag.name in _BLOCK_TAGS:
            return True
        return any(d.name in _BLOCK_TAGS for d in tag.find_all(True))

    def string_line(self, node) -> int:
        """Approximate line of a bare text node (bs4 records lines only for tags)."""
        newlines = len(str(node)) - len(str(node).lstrip("\n \t"))
        newlines = str(node)[:newlines].count("\n")
        sibling = node.previous_sibling
        while sibling is not None:
            if isinstance(sibling, self.Tag) and sibling.sourceline:
                return sibling.sourceline + str(sibling).count("\n") + newlines
            newlines += str(sibling).count("\n")
            sibling = sibling.previous_sibling
        parent = node.parent
        return (parent.sourceline or 1) + newlines if parent is not None else 1 + newlines

    def line_of(self, node) -> int:
        if isinstance(node, self.Tag):
            return node.sourceline or 1
        return self.string_line(node)

    # -- emitting ----------------------------------------------------------------------------
    def emit(self, kind: BlockKind, text: str, line: int, spans: tuple[Span, ...] = ()) -> None:
        if text:
            self.blocks.append(Block(kind, text, line, spans))

    def emit_marked(self, kind: BlockKind, tag, line: int) -> None:
        """A block from one element, with its inline markup."""
        self.emit(kind, *self._marked_line(tag, line))

    def _marked_line(self, tag, line: int) -> tuple[str, int, tuple[Span, ...]]:
        text, spans = self.marked_of([tag])
        return text, line, spans

    def emit_prose(self, text: str, line: int, quote: bool, spans: tuple[Span, ...] = ()) -> None:
        """A paragraph-like run: byline, caption, quote or paragraph by its shape."""
        if quote:
            self.emit("quote", text, line, spans)
        elif is_byline(text):
            self.emit("byline", text, line, spans)
        elif is_caption(text):
            self.emit("caption", text, line, spans)
        else:
            self.emit("paragraph", text, line, spans)

    def emit_images(self, images: list, captioned: bool) -> None:
        """Alt text of standalone images, when it describes the picture in a sentence."""
        if captioned:
            return
        for img in images:
            alt = fold(str(img.get("alt") or ""))
            if word_count(alt) > 3:
                self.emit("caption", alt, img.sourceline or 1)

    # -- walking -----------------------------------------------------------------------------
    def walk(self, node, quote: bool = False, captioned: bool = False) -> None:
        run: list = []
        images: list = []

        def flush() -> None:
            text, spans = self.marked_of(run)
            if text:
                first = next(n for n in run if (isinstance(n, self.Tag) and self.text_of(n)) or fold(str(n)))
                self.emit_prose(text, self.line_of(first), quote, spans)
            else:
                self.emit_images(images, captioned)
            run.clear()
            images.clear()

        for child in node.children:
            if isinstance(child, self.NavigableString):
                if not isinstance(child, self.skip_strings):
                    run.append(child)
                continue
            if not isinstance(child, self.Tag):
                continue  # furniture was removed from the tree before the walk
            if child.name == "img":
                flush()  # a picture between runs of loose text stands on its own
                self.emit_images([child], captioned)
            elif self.is_block(child):
                flush()
                self.block(child, quote, captioned)
            else:
                run.append(child)
                images.extend(child.find_all("img"))
        flush()

    def block(self, tag, quote: bool, captioned: bool) -> None:
        """A block-level element: a heading, caption, quotation, byline or prose; else walk into it."""
        name = tag.name
        if name in _HEADINGS:
            self.emit_marked(self.heading_kind(name, tag), tag, tag.sourceline or 1)
        elif name == "figcaption":
            self.emit_marked("caption", tag, tag.sourceline or 1)
        elif name == "figure":
            self.walk(tag, quote, captioned=tag.find("figcaption") is not None)
        elif name == "blockquote":
            self.blockquote(tag, captioned)
        elif self._is_byline_tag(tag):
            self.emit_marked("byline", tag, tag.sourceline or 1)
        elif name in _PROSE_TAGS and not any(d.name in _BLOCK_TAGS for d in tag.find_all(True)):
            self.prose(tag, quote, captioned)
        elif name != "hr":
            self.walk(tag, quote, captioned)

    def heading_kind(self, name: str, tag=None) -> BlockKind:
        """The first ``<h1>`` (or the one that matches the page title) is the headline; every
        other heading is a subheading."""
        chosen = self.headline_tag
        if chosen is not None and name == "h1" and (tag is not chosen or self.headline_done):
            return "subheading"
        if name == "h1" and not self.headline_done:
            self.headline_done = True
            return "headline"
        return "subheading"

    def blockquote(self, tag, captioned: bool) -> None:
        """One quote, or, when it holds paragraphs of its own, each of them as a quote."""
        if any(self.is_block(c) for c in tag.find_all(True, recursive=False)):
            self.walk(tag, quote=True, captioned=captioned)
        else:
            self.emit_marked("quote", tag, tag.sourceline or 1)

    def prose(self, tag, quote: bool, captioned: bool) -> None:
        """A paragraph-like element with no blocks inside; an empty one may still hold a picture."""
        text, spans = self.marked_of([tag])
        if text:
            self.emit_prose(text, tag.sourceline or 1, quote, spans)
        else:
            self.emit_images(tag.find_all("img"), captioned)

    def _is_byline_tag(self, tag) -> bool:
        """Marked up as a byline/author (class, rel, itemprop, id) or an ``<address>``, and short."""
        marks = " ".join([_attr_words(tag), " ".join(tag.get("rel") or []), str(tag.get("itemprop") or "")])
        if not (tag.name == "address" or _BYLINE_ATTR.search(marks)):
            return False
        text = self.text_of(tag)
        named = any(starts_like_name(w) for w in text.split())  # not "email the author"
        return 0 < word_count(text) <= 20 and named and not _AUTHOR_TOOLS.search(text)


def html_fragment_blocks(fragment: str, first_line: int) -> list[Block]:
    """Blocks of an HTML fragment embedded in Markdown, with lines counted in the Markdown file.

    Never raises: Markdown parsing must not fail, so an unparsable fragment just yields nothing.
    """
    from bs4 import BeautifulSoup, MarkupResemblesLocatorWarning

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", MarkupResemblesLocatorWarning)
            soup = BeautifulSoup(fragment, "html.parser")
        for tag in soup.find_all(True):
            if not tag.decomposed and _is_furniture_tag(tag):
                tag.decompose()
        walker = _HtmlWalker()
        walker.walk(soup)
    except Exception:  # see the docstring
        return []
    return [replace(b, line=b.line + first_line - 1) for b in walker.blocks]


def parse_html(
    text: str, path: str | Path | None = None, *, dropped: list[Block] | None = None
) -> list[Block]:
    """Parse an HTML page (BeautifulSoup, stdlib ``html.parser``, which keeps source lines).

    Page chrome (scripts, navigation, footers, asides, forms, comment/share/related/ad/cookie
    boxes) is removed first and the ``<article>`` (else ``<main>``, else ``<body>``) is walked in
    document order. Raises :class:`InputError` when the page has no translatable text at all:
    an HTML file with nothing in it is the wrong file, and saying so beats an empty PO file.
    """
    from bs4 import BeautifulSoup, MarkupResemblesLocatorWarning

    text = normalise_newlines(text)
    try:
        with warnings.catch_warnings():
            # A short page that looks like a file name or URL is still a page: do not warn.
            warnings.simplefilter("ignore", MarkupResemblesLocatorWarning)
            soup = BeautifulSoup(text, "html.parser")
        blocks = _html_blocks(soup)
    except RecursionError:
        raise InputError("HTML is nested too deeply to be an article page", path) from None
    except Exception as exc:  # html.parser rejects very little; report what it does reject
        raise InputError(f"cannot parse HTML: {fold(str(exc))[:200]}", path) from None
    result = finish(blocks, dropped)
    if not result:
        raise InputError(
            "no translatable text in this HTML page (after dropping scripts, navigation, comment "
            "boxes and other page furniture); check that this is the article file",
            path,
        )
    return result


def _html_blocks(soup) -> list[Block]:
    """Blocks of a parsed page, before furniture filtering (see :func:`parse_html`)."""
    title = _title(soup)
    meta_sections = [
        Block("section", label, line)
        for label, line in (
            (fold(str(m.get("content") or "")), m.sourceline or 1)
            for m in soup.find_all("meta", attrs={"property": "article:section"})
        )
        if label
    ]
    title_texts = [titles.strip_site_name(title[0])] if title else []
    og_titles = soup.find_all("meta", attrs={"property": "og:title"})
    title_texts += [str(m.get("content") or "") for m in og_titles]
    _drop_chrome(soup, title)
    walker = _HtmlWalker()
    articles = soup.find_all("article")
    root = (
        max(articles, key=lambda a: len(walker.text_of(a)))
        if articles
        else soup.find("main") or soup.find("body") or soup
    )
    walker.headline_tag = titles.titled_h1(root, walker.text_of, title_texts)
    outside_h1 = titles.headline_outside(soup, root, walker.text_of, title is not None, title_texts)
    h1 = root.find("h1") if outside_h1 is None else outside_h1
    sections = dedupe_sections(
        _html_sections(soup, walker, h1.sourceline if h1 is not None else None) + meta_sections
    )
    if outside_h1 is not None and not outside_h1.decomposed:
        walker.emit("headline", walker.text_of(outside_h1), outside_h1.sourceline or 1)
        walker.headline_done = True
        outside_h1.decompose()
    walker.walk(root)

    blocks = sections + walker.blocks
    if not any(b.kind == "headline" for b in blocks) and title and title[0]:
        blocks.insert(len(sections), Block("headline", titles.strip_site_name(title[0]), title[1]))
    return blocks


def _title(soup) -> tuple[str, int] | None:
    """The ``<title>`` text and line: the headline's fallback and the source of the site name."""
    tag = soup.find("title")
    return (fold(tag.get_text(" ")), tag.sourceline or 1) if tag else None


def _drop_chrome(soup, title: tuple[str, int] | None) -> None:
    """Remove head elements, the site-name ``<h1>`` and every furniture element from the tree."""
    # Not <head> itself: html.parser does not close an unclosed <head>, which may hold the body.
    for tag in soup.find_all(["title", "meta", "link", "base"]):
        if not tag.decomposed:
            tag.decompose()
    # An <h1> that is the site name from <title> ("Headline | Diyaruna") is the logo, not the story.
    site_name = titles.site_name(title[0]) if title else ""
    if site_name:
        for tag in soup.find_all("h1"):
            if fold(tag.get_text(" ")).casefold() == site_name.casefold():
                tag.decompose()
    page_paragraphs = len(soup.find_all("p"))
    for tag in soup.find_all(True):
        if not tag.decomposed and _is_furniture_tag(tag, page_paragraphs):
            tag.decompose()


def _html_sections(soup, walker: _HtmlWalker, headline_line: int | None) -> list[Block]:
    """Section labels from kicker/category elements above the headline (removed once taken).

    Only those above the headline count: a "categories" tag cloud further down is navigation.
    """
    sections: list[Block] = []
    for tag in soup.find_all(True):
        if tag.decomposed or not _SECTION_ATTR.search(_attr_words(tag)):
            continue
        if headline_line is not None and (tag.sourceline or 0) > headline_line:
            continue
        if tag.find("h1") is not None or len(tag.find_all("p")) >= 2:
            continue  # WordPress's <article class="post category-news">: the article, not a label
        if _in_menu(tag):
            continue  # WordPress's <li class="menu-item-object-category">: the site menu
        items = tag.find_all("li") or tag.find_all("a")
        for item in items or [tag]:
            label = walker.text_of(item)
            if 0 < word_count(label) <= 6:
                sections.append(Block("section", label, item.sourceline or 1))
        tag.decompose()
    return sections


_MENU_ATTR = re.compile(r"(?:^|[-_\s])(?:menu|nav|navbar|navigation)(?:$|[-_\s])", re.IGNORECASE)
#: A list of more than this many category links is a menu, not an article's labels.
_MENU_ITEMS = 4


def _in_menu(tag) -> bool:
    """Part of a site menu: marked as one, or an item of a list longer than a breadcrumb trail."""
    if _MENU_ATTR.search(_attr_words(tag)):
        return True
    item = tag if tag.name == "li" else tag.find_parent("li")
    return (
        item is not None
        and item.parent is not None
        and len(item.parent.find_all("li", recursive=False)) > _MENU_ITEMS
    )
