"""Page titles: the headline part of a ``<title>`` and the site name after it.

A page's ``<title>`` is usually "Headline | Site": the headline is article text, the site name is page
furniture (and tells the HTML walker which repeated strings are the site's own).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from pipeline.ingest.classify import word_count


def site_name(title: str) -> str:
    """The site-name part of a title ("Headline | Diyaruna" -> "Diyaruna"), or ""."""
    stripped = strip_site_name(title)
    return re.sub(r"^\s*[|–—·-]\s*", "", title[len(stripped) :]).strip() if stripped != title else ""


def strip_site_name(title: str) -> str:
    """Drop a short site name after the last title separator: "Headline | Site" -> "Headline"."""
    seps = list(re.finditer(r"\s+[|–—·-]\s+", title))
    if seps and word_count(title[seps[-1].end() :]) <= 4 and title[: seps[-1].start()].strip():
        return title[: seps[-1].start()]
    return title


def titled_index(h1_texts: list[str], title_texts: list[str]) -> int | None:
    """Which ``<h1>`` is the headline when the first one is not the page's title and a later one
    is (its index), else ``None`` (the first ``<h1>`` is the headline).

    Pages put the site's name or a show's in an ``<h1>`` above the story's own ("Good Morning
    America", then "Veteran Wraps Baby in American Flag…" on a Yahoo page; "msn back to msn home
    news"): the ``<title>`` (less the site name) or ``og:title`` says which one is the story's.
    """
    wanted = {" ".join(t.casefold().split()) for t in title_texts if word_count(t) >= 3}
    texts = [" ".join(t.casefold().split()) for t in h1_texts]
    if not wanted or len(texts) < 2 or any(_same_title(texts[0], w) for w in wanted):
        return None
    return next((i for i, t in enumerate(texts) if i and any(_same_title(t, w) for w in wanted)), None)


def _same_title(text: str, title: str) -> bool:
    """An ``<h1>`` that is the title, or holds it, or is most of it (a title may add a dek)."""
    return bool(text) and (text in title or title in text) and word_count(text) * 2 >= word_count(title)


def titled_h1(scope, text_of: Callable[[object], str], title_texts: list[str]):
    """The ``<h1>`` in ``scope`` to take for the headline when the first is not the page's title
    and a later one is (:func:`titled_index`), else ``None``."""
    h1s = scope.find_all("h1")
    at = titled_index([text_of(h) for h in h1s], title_texts)
    return h1s[at] if at is not None else None


def headline_outside(soup, root, text_of: Callable[[object], str], titled: bool, title_texts: list[str]):
    """An ``<h1>`` above the article root when the root has none, else ``None``.

    The one matching the page title when there are several (:func:`titled_h1`). A one-word
    ``<h1>`` outside the article is usually the site logo, so with a ``<title>`` to fall back on
    (``titled``) it needs three words to count.
    """
    if root.find("h1") is not None:
        return None
    candidate = titled_h1(soup, text_of, title_texts) or soup.find("h1")
    if candidate is not None and (not titled or word_count(text_of(candidate)) >= 3):
        return candidate
    return None
