"""An article body split into chunks: the paragraphs of the chunks after the first.

Some publishers (Condé Nast's Wired among them) cut an article body into several sibling
containers of the same class (``<div class="body article__body">`` … ad … ``<div class="body
article__body">``). Both trafilatura and our walker take the first chunk for the whole article and
drop the rest: on two of scrapinghub's benchmark pages that lost more than half the article,
silently. A chunk is recognised by its container's tag and class: when one container of that kind
holds paragraphs we kept, the prose paragraphs of the other containers of the same kind are the
article's too.
"""

from __future__ import annotations

import re
from collections import defaultdict

from pipeline.ingest.classify import fold, is_terminal
from pipeline.ingest.model import Block

#: A container class that names an article body (not a teaser, comment or sidebar).
_BODY_CLASS = re.compile(r"body|content|article|story|text|chunk|entry|post", re.IGNORECASE)
#: A paragraph of a further chunk must read as prose: this many words, ending like a sentence.
_PROSE_WORDS = 10
#: The chunk we kept must hold at least this many of our paragraphs to vouch for its siblings.
_VOUCH = 2


def continued_chunks(text: str, blocks: list[Block]) -> list[Block]:
    """Paragraphs of body chunks we did not keep, as blocks at their source lines (may be ``[]``)."""
    try:
        from lxml import html as lxml_html  # type: ignore[import-untyped]

        root = lxml_html.document_fromstring(text)
    except Exception:  # an unparsable page has no chunks to add; the engines already spoke
        return []
    kept = {b.text for b in blocks}
    # (tag, class) -> container -> its paragraphs' (line, text)
    kinds: dict[tuple[str, str], dict[object, list[tuple[int, str]]]] = defaultdict(dict)
    for paragraph in root.iter("p"):
        parent = paragraph.getparent()
        css = str(parent.get("class") or "") if parent is not None else ""
        if not _BODY_CLASS.search(css):
            continue
        line = paragraph.sourceline or 1
        kinds[(str(parent.tag), css)].setdefault(parent, []).append((line, fold(paragraph.text_content())))
    added: list[Block] = []
    for containers in kinds.values():
        vouched = [c for c, ps in containers.items() if sum(t in kept for _, t in ps) >= _VOUCH]
        if not vouched:
            continue
        for paragraphs in containers.values():
            if any(t in kept for _, t in paragraphs):
                continue  # a chunk we have: what it lacks was left out on purpose
            added.extend(Block("paragraph", t, line) for line, t in paragraphs if _prose(t))
    return added


def _prose(text: str) -> bool:
    return len(text.split()) >= _PROSE_WORDS and is_terminal(text)
