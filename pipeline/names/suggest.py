"""Unknown names: proper names an article uses that the glossary does not list, with a suggested form.

``python -m pipeline glossary suggest ARTICLE...`` writes them as glossary-shaped TSV rows for an
editor to review and merge: the glossary is the newsroom's authority on names, so nothing here ever
enters it by itself (the suggestions are marked unreviewed, ``glossary check`` warns about rows
still carrying that mark, and ``suggest`` refuses to write into the glossary folder).

A candidate is a run of capitalised words (with name particles such as ``al-``, ``bin``, ``of``
inside) that the glossary does not match. A capitalised word that only ever appears at the start
of a sentence or in a heading is taken for an ordinary word, unless it also appears capitalised
mid-sentence somewhere in the input; titles (``Sheikh``), months and days, and adjectives formed
from a known name (``Iraqi`` from ``Iraq``) are not names to add.

The Arabic suggestion comes from :mod:`pipeline.names.transliterate`, a small rule-based
English-to-Arabic transliterator written for this project: a first draft for an editor, not an
authority.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal

from pipeline.ingest import Document
from pipeline.names.glossary import UNREVIEWED, Glossary
from pipeline.names.terms import TermKind
from pipeline.names.transliterate import transliterate
from pipeline.segment import split_sentences


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


TITLES = _words(
    "Sheikh Shaikh Sheik Mr Mrs Ms Dr Prof President Prime Minister King Queen Prince Princess Emir "
    "General Gen Colonel Col Lieutenant Lt Major Maj Captain Capt Sergeant Sgt Imam Ayatollah Sayyed "
    "Sayyid Mullah Governor Gov Senator Sen Judge Minister Deputy Commander Brigadier Field Marshal "
    "Grand Pope Bishop Archbishop Rev Saint St Sir Lord Lady Mayor Chief Spokesman Spokeswoman "
    "Ambassador"
)
CALENDAR = _words(
    "January February March April May June July August September October November December "
    "Monday Tuesday Wednesday Thursday Friday Saturday Sunday"
)
# Lower-case words that may sit inside a name: "Abu Bakr al-Baghdadi", "Bank of England".
PARTICLES = _words("al el ad an ar as at az bin ibn bint abu abd of de da del la le van von der")
# Words never worth suggesting even when capitalised mid-sentence (pronoun, interjections...).
NEVER = _words("I OK TV AM PM")
_DEMONYM_SUFFIXES = ("i", "n", "an", "ian", "ese", "ish", "ic", "is")
_HEADINGS = ("headline", "section", "subheading", "title")

_WORD = re.compile(r"[A-Za-z][A-Za-z'’]*(?:-[A-Za-z][A-Za-z'’]*)*")
_INITIAL_OPENERS = "\"'“‘«([—–- "


@dataclass
class Candidate:
    """One unknown name: its spelling, occurrences (``path:line``) and a suggested target form."""

    name: str
    occurrences: list[str] = field(default_factory=list)
    kind: TermKind | Literal[""] = ""
    suggestion: str = ""


@dataclass(frozen=True)
class _Span:
    words: tuple[str, ...]
    initial: bool  # starts at the sentence's first word (or in a heading)
    line: int
    path: str


def _is_capitalised(word: str) -> bool:
    head = word.split("-", 1)
    if head[0].lower() in PARTICLES and len(head) == 2:  # "al-Baghdadi"
        return head[1][:1].isupper()
    return word[:1].isupper()


def _strip_possessive(word: str) -> str:
    """Drop a possessive; write a particle as mid-sentence: "Al-Kadhimi's" → "al-Kadhimi"."""
    word = re.sub(r"['’]s?$", "", word)
    head, sep, rest = word.partition("-")
    return head.lower() + sep + rest if sep and head.lower() in PARTICLES else word


def _spans(text: str, glossary: Glossary, *, heading: bool, line: int, path: str) -> list[_Span]:
    """Runs of capitalised words in one sentence, with glossary names cut out."""
    masked = list(text)
    for match in glossary.find(text):
        for i in range(match.start, match.end):
            masked[i] = "\0" if not text[i].isspace() else text[i]
    masked_text = "".join(masked)
    first_word = len(text) - len(text.lstrip(_INITIAL_OPENERS))
    spans: list[_Span] = []
    run: list[tuple[str, int]] = []

    def flush() -> None:
        while run and run[-1][0].lower() in PARTICLES:
            run.pop()
        if run:
            start = run[0][1]
            words = tuple(_strip_possessive(w) for w, _ in run)
            offset_line = line + text[:start].count("\n")
            spans.append(_Span(words, heading or start <= first_word, offset_line, path))
        run.clear()

    previous_end = None
    for m in _WORD.finditer(masked_text):
        word = m.group(0)
        gap = masked_text[previous_end : m.start()] if previous_end is not None else ""
        previous_end = m.end()
        joined = run and re.fullmatch(r"[ \t\n]+", gap) is not None
        if run and not joined:
            flush()
        if _is_capitalised(word):
            run.append((word, m.start()))
            if re.search(r"['’]s?$", word):
                flush()  # "Kadhimi's deputy": the possessive ends the name
        elif run and word.lower() in PARTICLES:
            run.append((word, m.start()))
        else:
            flush()
    flush()
    return spans


def _trim(span: _Span, midsentence_words: set[str], known: set[str]) -> tuple[str, ...]:
    words = list(span.words)
    while words and words[0] in TITLES:
        words.pop(0)
    if span.initial:
        # An initial capital proves nothing: keep the first word only if it is a name elsewhere.
        while words and words[0].casefold() not in midsentence_words:
            words.pop(0)
    while words and words[0].lower() in PARTICLES:
        words.pop(0)
    if len(words) == 1:
        word = words[0]
        if word in CALENDAR or word in NEVER or len(word) < 2 or _is_demonym(word, known):
            return ()
    return tuple(words)


def _is_demonym(word: str, known: set[str]) -> bool:
    lower = word.casefold()
    for name in known:
        for suffix in _DEMONYM_SUFFIXES:
            if lower == name + suffix or (name.endswith(("a", "e")) and lower == name[:-1] + suffix):
                return True
    return False


def unknown_names(documents: Sequence[Document], glossary: Glossary) -> list[Candidate]:
    """Names the glossary lacks, most frequent first, each with where it occurs."""
    spans: list[_Span] = []
    for doc in documents:
        path = str(doc.path)
        for block in doc.blocks:
            heading = block.kind in _HEADINGS
            cursor = 0
            for sentence, _sep in split_sentences(block.text):
                at = block.text.find(sentence, cursor)
                at = cursor if at < 0 else at
                line = block.line + block.text[:at].count("\n")
                cursor = at + len(sentence)
                spans.extend(_spans(sentence, glossary, heading=heading, line=line, path=path))
    midsentence = {w.casefold() for s in spans if not s.initial for w in s.words}
    midsentence |= {w.casefold() for s in spans if s.initial for w in s.words[1:]}
    known = {s.casefold() for t in glossary.terms for s in t.surfaces}
    found: dict[str, Candidate] = {}
    for span in spans:
        words = _trim(span, midsentence, known)
        if not words:
            continue
        name = " ".join(words)
        if name.casefold() in known:
            continue
        candidate = found.setdefault(name, Candidate(name))
        candidate.occurrences.append(f"{span.path}:{span.line}")
        if not candidate.kind:
            candidate.kind = _guess_kind(span.words, words)
    return sorted(found.values(), key=lambda c: (-len(c.occurrences), c.name))


def _guess_kind(span_words: Sequence[str], words: Sequence[str]) -> TermKind | Literal[""]:
    if span_words and span_words[0] in TITLES:
        return "person"
    if len(words) == 1 and words[0].isupper():
        return "org"
    if any(w.lower().startswith(("al-", "bin", "ibn", "abu")) for w in words) and len(words) >= 2:
        return "person"
    return ""


def suggestions_tsv(candidates: Iterable[Candidate], lang: str = "ar") -> str:
    """Glossary-shaped TSV (``en``, ``<lang>``, ``kind``, ``variants``, ``note``) for review."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_NONE, escapechar="\\")
    writer.writerow(["en", lang, "kind", "variants", "note"])
    for c in candidates:
        more = len(c.occurrences) - 5
        where = ", ".join(c.occurrences[:5]) + (f" (+{more} more)" if more > 0 else "")
        source = "rule-based transliteration" if lang == "ar" else "English form kept"
        note = f"{UNREVIEWED} ({source}); {len(c.occurrences)}x: {where}"
        writer.writerow([c.name, c.suggestion, c.kind, "", note])
    return out.getvalue()


def suggest(documents: Sequence[Document], glossary: Glossary, lang: str = "ar") -> list[Candidate]:
    """Unknown names with a suggested ``lang`` form (a transliteration for Arabic, else the English)."""
    candidates = unknown_names(documents, glossary)
    for c in candidates:
        c.suggestion = transliterate(c.name) if lang == "ar" else c.name
    return candidates
