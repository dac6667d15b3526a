"""The original page made script-free before its translation is published in place.

The page translated in place is the publisher's own page, but read from disk, so untrusted: it may
carry anything a hostile or broken page can (event handlers, ``javascript:`` links, ``srcdoc``,
markup that a browser parses differently from lxml). And the publisher's scripts themselves do not
belong on it: ad and analytics code phones home, and a site's front-end framework re-renders the
article from its own English data over the translation. So the in-place page is **static**: every
script goes, and so does everything that runs code or leaves the page by itself (event handlers,
``javascript:``/``vbscript:``/``data:`` URLs outside images, ``srcdoc``, refresh redirects, plugins,
comments, which hide conditional markup). The publisher's layout stays: styles, stylesheets,
images, ``<picture>``, video, audio and ``<iframe>`` embeds with an ``http(s)`` address, forms,
links. Two guards back each other: this tree walk, and a ``Content-Security-Policy`` of
``script-src 'none'`` in the page's ``<head>`` (:func:`lock`), which a browser enforces whatever a
parser-differential trick might smuggle past the walk.
"""

from __future__ import annotations

import re

#: Elements removed with their content: code, inert or re-parsed content, plugins.
_REMOVED = frozenset(
    {
        "script", "noscript", "template", "xmp", "noembed", "noframes", "plaintext", "object", "embed",
        "applet", "portal", "frame", "frameset", "animate", "animatemotion", "animatetransform", "set",
        "handler", "listener", "foreignobject", "mglyph", "malignmark",
    }
)  # fmt: skip
#: Attributes whose value is a URL a browser follows.
_URL_ATTRS = frozenset(
    {
        "href", "src", "action", "formaction", "data", "poster", "background", "cite", "longdesc",
        "ping", "manifest", "codebase", "dynsrc", "lowsrc", "xlink:href", "usemap", "itemtype",
    }
)  # fmt: skip
_DROPPED_ATTRS = frozenset({"srcdoc", "formaction", "ping", "nonce", "integrity"})
_NAME = re.compile(r"^[a-z_][a-z0-9_.:-]*$", re.IGNORECASE)
_TAG_NAME = re.compile(r"^[a-z][a-z0-9-]*$")
_SAFE_URL = re.compile(r"^(?:https?:|mailto:|tel:|#|/|\.|[^:/?#]*(?:[/?#]|$))", re.IGNORECASE)
_IMAGE_DATA = re.compile(r"^data:image/(?:png|jpe?g|gif|webp|avif|bmp);", re.IGNORECASE)
_URL_NEWLINES = re.compile(r"[\t\n\r]")
_BLANKS = re.compile(r"[\x00-\x20\x7f]+")
_BAD_STYLE = re.compile(r"expression\s*\(|javascript:|vbscript:|behavior\s*:|-moz-binding", re.IGNORECASE)


def safe_url(value: str, *, image: bool = False) -> bool:
    """A URL the page may keep: web, mail, phone or relative (browsers ignore blanks and control
    characters in a scheme, so ``java\\tscript:`` is judged without them)."""
    probe = _BLANKS.sub("", value)
    return bool(_SAFE_URL.match(probe)) or (image and bool(_IMAGE_DATA.match(probe)))


def _keep_attr(tag: str, name: str, value: str) -> bool:
    lowered = name.lower()
    if not _NAME.match(name) or lowered.startswith("on") or lowered in _DROPPED_ATTRS:
        return False
    if lowered in _URL_ATTRS:
        return safe_url(value, image=lowered in ("src", "poster") and tag in ("img", "source", "video"))
    if lowered in ("srcset", "imagesrcset"):
        return all(safe_url(part.split()[0], image=True) for part in value.split(",") if part.split())
    if lowered == "style":
        return not _BAD_STYLE.search(value)
    if lowered == "http-equiv":
        return value.strip().lower() not in ("refresh", "set-cookie")
    return True


def _drop(element) -> None:
    """Remove an element and its content, keeping the text that follows it."""
    parent = element.getparent()
    if parent is None:
        return
    tail = element.tail
    previous = element.getprevious()
    parent.remove(element)
    if tail:
        if previous is not None:
            previous.tail = (previous.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail


def _unsafe_element(element, tag: str) -> bool:
    if tag in _REMOVED:
        return True
    if tag == "meta" and (element.get("http-equiv") or "").strip().lower() in ("refresh", "set-cookie"):
        return True
    if tag == "base":
        return not safe_url(element.get("href") or "")
    if tag == "link":
        rel = (element.get("rel") or "").lower().split()
        return bool({"import", "modulepreload", "serviceworker"} & set(rel)) or element.get("as") == "script"
    if tag == "style":  # markup in a style only matters where a browser parses it as markup (SVG, MathML)
        inside_foreign = any(str(a.tag).lower() in ("svg", "math") for a in element.iterancestors())
        return inside_foreign or "<" in (element.text or "")
    return False


def clean(root) -> None:
    """Make the tree script-free in place (see the module docstring)."""
    for node in list(root.iter()):
        if not isinstance(node.tag, str):  # comments and processing instructions
            _drop(node)
    for element in list(root.iter()):
        if element.getparent() is None and element is not root:
            continue  # inside a subtree already removed
        tag = str(element.tag).lower()
        if not _TAG_NAME.match(tag):
            element.drop_tag()  # a name no browser would parse as this one: keep its text
            continue
        if _unsafe_element(element, tag):
            _drop(element)
            continue
        _clean_element(element, tag)


def _clean_element(element, tag: str) -> None:
    """Its unsafe attributes out; an iframe's fallback content (inert, yet re-parsed) out; the
    markup a title or textarea cannot hold made text."""
    for name, value in list(element.attrib.items()):
        if not _keep_attr(tag, name, value):
            del element.attrib[name]
        elif name.lower() in _URL_ATTRS:
            # as a browser's URL parser reads it: lxml would write a newline in an href as %0A
            element.set(name, _URL_NEWLINES.sub("", value).strip(" \t\n\r\f"))
    if tag == "iframe":
        for child in list(element):
            element.remove(child)
        element.text = None
    if tag in ("title", "textarea") and len(element):
        element.text = element.text_content()
        for child in list(element):
            element.remove(child)


#: No script of any kind runs on the page, whatever slipped past :func:`clean`; nor plugins, nor a
#: ``<base>`` that could re-point the page's links elsewhere than the publisher's site.
CSP = "script-src 'none'; object-src 'none'; base-uri http: https:"


def lock(root) -> None:
    """UTF-8 (the page is written so: the original's own charset declaration is replaced) and the
    CSP, as the first children of ``<head>`` (a charset must come within the first 1024 bytes)."""
    from lxml import html  # type: ignore[import-untyped]

    head = root.find("head")
    if head is None:
        head = html.Element("head")
        root.insert(0, head)
    for meta in head.findall("meta"):
        equiv = (meta.get("http-equiv") or "").strip().lower()
        if meta.get("charset") is not None or equiv in ("content-type", "content-security-policy"):
            _drop(meta)
    policy = html.Element("meta", {"http-equiv": "Content-Security-Policy", "content": CSP})
    head.insert(0, policy)
    head.insert(0, html.Element("meta", {"charset": "utf-8"}))
