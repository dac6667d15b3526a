"""Page furniture: the comment boxes, share links, cookie notices and copyright lines that come
with scraped articles and must never reach a translator.

Every parser runs its blocks through :func:`finish`, so the list of furniture phrases is kept
once here and a phrase added for one format is dropped in all three.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from pipeline.ingest.classify import fold, has_content
from pipeline.ingest.model import Block

# Phrases that are furniture on their own and may be run together on one line or in one element
# ("0 Comment(s) Comment Policy * Denotes Required Field 1500 / 1500"). None may end in
# whitespace: the scanner in is_boilerplate needs a separator between phrases.
_FURNITURE_PHRASES = [
    r"do you (?:like|enjoy) this (?:article|story|post)(?:\s*\?)?",
    r"(?:was|is|did you find) this (?:article|story|page) (?:helpful|useful)(?:\s*\?)?",
    r"\d[\d,.]*\s*comments?(?:\s*\(s\))?",
    r"comments?(?:\s*\(s\))?(?:\s*\(\d+\))?(?:\s*:)?",
    r"no comments(?: yet)?\.?",
    r"be the first to comment\.?",
    r"(?:leave|post|add|write) (?:a|your) (?:comment|reply)(?:\s*:)?",
    r"(?:join|start) the (?:conversation|discussion)",
    r"comment policy(?:\s*:)?",
    r"(?:\*\s*)?(?:denotes|indicates) (?:a )?required fields?\.?",
    r"\d+\s*/\s*\d+",
    r"(?:name|e-?mail|comment|website)\s*\*",
    r"(?:submit|send|post)(?: comment)?",
    r"share(?: this| the)?(?: article| story| page| post| video)?"
    r"(?: (?:on|via) (?:facebook|twitter|x|whatsapp|linkedin|telegram|e-?mail|reddit))?(?:\s*:)?",
    r"(?:facebook|twitter|whatsapp|linkedin|telegram|e-?mail|reddit|pinterest|messenger|"
    r"print|tweet|copy link|copy url)",
    r"related(?: articles?| stories| news| posts| content| coverage| links| topics| reading)?(?:\s*:)?",
    r"(?:you (?:may|might) also (?:like|be interested in)|more (?:stories|news|articles)|"
    r"recommended(?: for you| articles| stories| reading)?|see also|also read|read also|"
    r"most (?:read|popular|viewed|shared)|trending(?: now)?|editor'?s picks?)(?:\s*(?::|\.\.\.|…))?",
    r"explore further|(?:most )?popular (?:on|at) \w[\w.'-]*(?: \w[\w.'-]*)?",
    r"thanks for (?:signing up|subscribing)!?|(?:loading|load) comments(?:\s*(?:\.\.\.|…))?",
    r"(?:read|see|view|show|load) more(?: (?:stories|articles|news|comments))?"
    r"(?:\s*(?:»|›|>+|→|\.\.\.|…))?",
    r"continue reading(?:\s*(?:»|›|→|\.\.\.|…))?",
    r"read (?:the )?full (?:story|article)(?:\s*(?:»|›|→|\.\.\.|…))?",
    r"advertisements?|advertising|sponsored(?: content| links?)?|paid (?:content|post|partner)",
    r"newsletters?(?: sign-?up)?",
    r"(?:accept|reject|allow|decline|manage)(?: all)? cookies?",
    r"cookie (?:policy|settings|preferences|notice|consent)",
    r"back to top|skip to (?:main )?content|print this (?:article|page|story)|"
    r"e-?mail this (?:article|page|story)",
]

# Furniture that swallows the rest of the block, so it may only come last.
_FURNITURE_TAILS = [
    r"subscribe\b.{0,150}",
    r"(?:sign up|register) (?:for|to) (?:our|the) .{0,40}newsletters?\b.{0,150}",
    r"(?:get|join) (?:our|the) .{0,30}newsletters?\b.{0,150}",
    r"follow us\b.{0,100}",
    r"follow (?:me|him|her|them|[^.!?]{1,60}?) on (?:twitter|facebook|instagram|linkedin|youtube)\b"
    r"[^.!?]{0,120}[.!?]?",
    r"click here to (?:subscribe|sign up|register)\b.{0,150}",
    r"(?:read more|related|see also|also read|read also)\s*:\s*.{1,200}",
    r"(?:this (?:web)?site|we|our (?:web)?site)(?: and (?:our|its) partners)? uses? cookies\b.{0,400}",
    r"by (?:continuing|using)\b.{0,120}\bcookies\b.{0,300}",
    r"(?:©|\(c\)|copyright\s*(?:©|\(c\)|\d{4})).{0,200}",
    r"tags?\s*:.{0,200}",
]

_SEP = re.compile(r"[\s|•·–—,;]+")
_PHRASES = [re.compile(p, re.IGNORECASE) for p in _FURNITURE_PHRASES]
_TAIL = re.compile("(?:" + "|".join(_FURNITURE_TAILS) + ")", re.IGNORECASE | re.DOTALL)
_RIGHTS = re.compile(r".{0,200}\ball rights reserved\b.{0,100}", re.IGNORECASE | re.DOTALL)

# Furniture that starts the comment box / reader-feedback footer; in plain text everything after it
# (form labels, comment counts, other readers' comments) is dropped.
_FOOTER_START = re.compile(
    r"(?:do you (?:like|enjoy) this|(?:was|is|did you find) this (?:article|story|page)|"
    r"\d[\d,.]*\s*comment|comments?\b|comment policy|no comments|be the first to comment|"
    r"(?:leave|post|add|write) (?:a|your) (?:comment|reply)|(?:join|start) the (?:conversation|discussion))",
    re.IGNORECASE,
)

#: Furniture is short; longer blocks are content, and the cap keeps the regex cheap on any input.
_BOILERPLATE_MAX_CHARS = 600


def is_boilerplate(text: str) -> bool:
    """Is this block page furniture rather than content?

    The patterns are anchored on the whole block (after folding whitespace), so a paragraph that
    merely *mentions* comments or sharing is kept; only blocks that are nothing but furniture
    phrases ("Share this article", "0 Comment(s)", "Advertisement", "© 2017 Diyaruna", cookie
    banners) match.
    """
    folded = fold(text)
    if not folded or len(folded) > _BOILERPLATE_MAX_CHARS:
        return False
    if _RIGHTS.fullmatch(folded):
        return True
    # Scan phrase by phrase, taking the longest phrase at each step and never backtracking: one
    # big alternation regex goes exponential on runs like "comments read more comments read ...".
    pos = 0
    while True:
        if _TAIL.fullmatch(folded, pos):
            return True
        end = max((m.end() for r in _PHRASES if (m := r.match(folded, pos))), default=pos)
        if end == pos:
            return False
        if end == len(folded):
            return True
        sep = _SEP.match(folded, end)
        if sep is None:
            return False
        pos = sep.end()


#: A bare "Comments" label: a reader-comment heading, or an article's own subheading ("Comments"
#: on a bill, a minister's comments). It opens a footer only when more furniture follows it.
_WEAK_FOOTER_START = re.compile(r"comments?(?:\s*\(\d+\))?(?:\s*:)?", re.IGNORECASE)


def _is_footer_start(text: str) -> bool:
    """Furniture that opens the comment/feedback footer (everything after it is not article)."""
    return is_boilerplate(text) and bool(_FOOTER_START.match(fold(text)))


def _opens_footer(blocks: list[Block], at: int) -> bool:
    """Does the footer really start at ``blocks[at]``? A strong opener ("Do you like this
    article?", "0 Comment(s)", "Leave a comment") does; a bare "Comments" line only when nothing
    but furniture or the end follows it, since it is just as often a subheading of the article."""
    if not _WEAK_FOOTER_START.fullmatch(fold(blocks[at].text)):
        return True
    following = [b for b in blocks[at + 1 :] if b.text and has_content(b.text)]
    return not following or is_boilerplate(following[0].text)


def finish(blocks: Iterable[Block], dropped: list[Block] | None = None) -> list[Block]:
    """Drop furniture and empty blocks; cut at the comment footer once the article has begun.

    The footer cut waits for the first paragraph so that a "3 Comments" counter next to the byline
    cannot swallow the article. ``dropped`` receives the footer's blocks (its opener first), so
    the caller can say what was cut: dropping article text is never silent.
    """
    items = list(blocks)
    out: list[Block] = []
    seen_paragraph = False
    for at, block in enumerate(items):
        if not block.text or not has_content(block.text):
            continue
        if is_boilerplate(block.text):
            if seen_paragraph and _is_footer_start(block.text):
                if _opens_footer(items, at):
                    if dropped is not None:
                        dropped.extend(b for b in items[at:] if b.text and has_content(b.text))
                    break
                kind = "subheading" if block.kind == "paragraph" else block.kind
                out.append(Block(kind, block.text, block.line))  # the article's own "Comments"
            continue
        seen_paragraph = seen_paragraph or block.kind == "paragraph"
        out.append(block)
    return out


def footer_content(dropped: list[Block]) -> list[Block]:
    """The blocks of a cut footer that are not furniture themselves: text a reader may miss."""
    return [b for b in dropped[1:] if not is_boilerplate(b.text)]
