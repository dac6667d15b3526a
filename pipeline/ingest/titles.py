"""Page titles: the headline part of a ``<title>`` and the site name after it.

A page's ``<title>`` is usually "Headline | Site": the headline is article text, the site name is page
furniture (and tells the HTML walker which repeated strings are the site's own).
"""

from __future__ import annotations

import re

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
