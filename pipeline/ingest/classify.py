"""Shape tests every parser shares: is this text a byline, a caption, a quotation, a sentence?

They look at folded text only (never markup), so a plain-text paragraph, a Markdown paragraph
and an HTML ``<p>`` with the same words get the same kind.
"""

from __future__ import annotations

import re
import unicodedata

from pipeline.ingest.model import Block

# Control characters other than whitespace: they are invisible, break PO files, and carry no text.
CONTROL = re.compile(r"[\x00-\x08\x0e-\x1b\x7f]")


def fold(text: str) -> str:
    """Fold inline whitespace and line breaks to single spaces; drop invisible control characters."""
    return " ".join(CONTROL.sub("", text).split())


def has_content(text: str) -> bool:
    """True when there is at least one letter or digit: a block of only rules or bullets is noise."""
    return any(unicodedata.category(ch)[0] in "LN" for ch in text)


def word_count(text: str) -> int:
    return len(text.split())


# Sentence-final punctuation (Latin, Arabic, Urdu, CJK), optionally followed by closing quotes or
# brackets: a line ending like this is prose, not a heading.
_TERMINAL = re.compile(r"[.!?…:;؟۔。！？][\"'”’»›)\]]*$")


def is_terminal(text: str) -> bool:
    """Does the text end like a sentence?"""
    return bool(_TERMINAL.search(text))


# "[Ahmad al-Rubaye/AFP]", "[File]", "[Photo courtesy of ...]". The "/" or a credit word keeps
# editorial insertions such as "[the group]" from turning a paragraph into a caption.
_CREDIT = re.compile(r"\[([^\[\]]{1,100})\]\s*[.]?$")
_CREDIT_WORD = re.compile(
    r"/|\b(?:photo|photos|image|courtesy|file|afp|ap|reuters|getty|epa|xinhua|anadolu|handout|"
    r"video|screenshot|via)\b",
    re.IGNORECASE,
)


def is_caption(text: str) -> bool:
    """A block ending with a bracketed photo credit, the house style of the sample's captions."""
    m = _CREDIT.search(text)
    return bool(m and _CREDIT_WORD.search(m.group(1)) and has_content(text[: m.start()]))


def starts_like_name(word: str) -> bool:
    """Names start with a capital, or with a letter from a script without case (Arabic, CJK)."""
    ch = word[:1]
    return ch.isupper() or (ch.isalpha() and not ch.islower())


_BYLINE = re.compile(r"(?:By|BY|Written by|Reporting by)\s+(\S+)")


def is_byline(text: str) -> bool:
    """A byline ("By Khalid al-Taie"): By + a name, short, and not read as a sentence.

    The name check matters: "By increasing the severity of punishment, ..." is a paragraph.
    """
    m = _BYLINE.match(text)
    if not m or not starts_like_name(m.group(1).lstrip("@\"“'‘(")):
        return False
    words = text.split()
    return len(words) <= 12 and len(text) <= 120 and not re.search(r"[.!?]$", text)


_QUOTE_PAIRS = {
    '"': '"”',
    "“": '”"',
    "”": '”"',
    "„": '“”"',
    "«": "»",
    "»": "«",
    "‹": "›",
    "‘": "’'",
    "'": "'’",
    "「": "」",
    "『": "』",
}
_AFTER_QUOTE = re.compile(r"[\s.,;:!?…)\]]*")


def is_quote(text: str) -> bool:
    """Is the whole block one quotation (the closing quote ends it, bar trailing punctuation)?

    A paragraph that opens with a quote and then attributes it ("...," he said.) is a paragraph,
    so only the *first* closing quote counts. Apostrophes inside words ("group's") are not closing
    single quotes.
    """
    if len(text) < 3 or text[0] not in _QUOTE_PAIRS:
        return False
    closers = _QUOTE_PAIRS[text[0]]
    single = text[0] in "'‘"
    for i in range(1, len(text)):
        ch = text[i]
        if ch not in closers:
            continue
        if single and i + 1 < len(text) and text[i + 1].isalpha():
            continue  # an apostrophe, not a closing quote
        return has_content(text[1:i]) and bool(_AFTER_QUOTE.fullmatch(text, i + 1))
    return False


def dedupe_sections(blocks: list[Block]) -> list[Block]:
    """Keep the first of section labels that differ only in case (front matter and meta tags repeat them)."""
    seen: set[str] = set()
    out: list[Block] = []
    for b in blocks:
        key = b.text.casefold()
        if b.kind == "section" and key in seen:
            continue
        if b.kind == "section":
            seen.add(key)
        out.append(b)
    return out
