"""Unknown names: proper names an article uses that the glossary does not list, with Arabic candidates.

``python -m pipeline glossary suggest ARTICLE...`` writes them as glossary-shaped TSV rows for an
editor to review and merge (``glossary add``): the glossary is the newsroom's authority on names,
so nothing here ever enters it by itself (the suggestions are marked unreviewed, ``glossary add``
refuses rows still carrying the mark, and ``suggest`` refuses to write into the glossary folder).

Detection weighs evidence across the whole batch, not one sentence: a candidate is a run of
capitalised words (with name particles such as ``al-``, ``bin``, ``of`` inside). Titles
("British Prime Minister", "Lord Justice", "Mr") and function words ("The", "But") are trimmed off
its front; a word at the start of a sentence or in a heading counts only with evidence (it is
capitalised mid-sentence somewhere in the batch, it is a known given name, or it is never written
in lower case anywhere and is no common word); nationality adjectives, acronyms of common nouns
(LNG) and generic heads ("Ministry") alone are left out. A glossary name inside a longer run stays
part of it ("National Bank of Kuwait" is one organisation). Each row says why it was kept.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from pipeline.ingest import Document
from pipeline.names.arabic_forms import Form, candidates
from pipeline.names.glossary import UNREVIEWED, Glossary
from pipeline.names.terms import TermKind
from pipeline.names.wordlists import (
    CALENDAR,
    COMMON_ACRONYMS,
    COMMON_STARTERS,
    DEMONYMS,
    FUNCTION_WORDS,
    GENERIC,
    GIVEN_NAMES,
    NAME_OPENERS,
    PARTICLES,
    REGIONAL,
    SPEECH_VERBS,
    TITLE_QUALIFIERS,
    TITLES,
)
from pipeline.segment import split_sentences

if TYPE_CHECKING:
    from pipeline.mt.base import Backend

_HEADINGS = ("headline", "section", "subheading", "title")
_WORD = re.compile(r"[A-Za-z][A-Za-z'’.]*(?:-[A-Za-z][A-Za-z'’]*)*")
_INITIAL_OPENERS = "\"'“‘«([—–- "
_ADJECTIVE_SUFFIXES = ("-based", "-led", "-backed", "-run", "-held", "-born", "-controlled", "-style")


@dataclass
class Candidate:
    """One unknown name: its spelling, occurrences (``path:line``), why it was kept, Arabic candidates."""

    name: str
    occurrences: list[str] = field(default_factory=list)
    kind: TermKind | Literal[""] = ""
    suggestion: str = ""
    reasons: list[str] = field(default_factory=list)
    forms: list[Form] = field(default_factory=list)


@dataclass(frozen=True)
class _Span:
    words: tuple[str, ...]
    initial: bool  # starts at the sentence's first word (or in a heading)
    heading: bool
    line: int
    path: str
    next_word: str = ""  # the word after the span, lower case ("said")


def _is_capitalised(word: str) -> bool:
    head = word.split("-", 1)
    if head[0].lower() in PARTICLES and len(head) == 2:  # "al-Baghdadi"
        return head[1][:1].isupper()
    return word[:1].isupper()


def _clean(word: str) -> str:
    """Drop a possessive and a final full stop (not an initial's: "W.", "U.S."); write a particle as
    mid-sentence: "Al-Kadhimi's" → "al-Kadhimi"."""
    word = re.sub(r"['’]s?$", "", word)
    if word.endswith(".") and not re.fullmatch(r"(?:[A-Z]\.)+", word):
        word = word.rstrip(".")
    head, sep, rest = word.partition("-")
    return head.lower() + sep + rest if sep and head.lower() in PARTICLES else word


def _masked(text: str, glossary: Glossary) -> str:
    """Glossary names with a lower-case word inside ("Islamic State of Iraq and Syria") masked, so
    that no piece of them is suggested; names of capitalised words only stay, so that a longer run
    around one is kept whole ("National Bank of Kuwait")."""
    chars = list(text)
    for match in glossary.find(text):
        words = _WORD.findall(match.text)
        if any(w[:1].islower() and w.lower() not in PARTICLES for w in words):
            for i in range(match.start, match.end):
                chars[i] = "\0" if not text[i].isspace() else text[i]
    return "".join(chars)


def _spans(text: str, *, heading: bool, line: int, path: str) -> list[_Span]:
    """Runs of capitalised words in one sentence (particles such as "of", "al-" inside)."""
    first_word = len(text) - len(text.lstrip(_INITIAL_OPENERS))
    spans: list[_Span] = []
    run: list[tuple[str, int]] = []

    def flush(next_word: str = "") -> None:
        while run and run[-1][0].lower() in PARTICLES:
            run.pop()
        if run:
            start = run[0][1]
            words = tuple(_clean(w) for w, _ in run)
            offset_line = line + text[:start].count("\n")
            initial = heading or start <= first_word
            spans.append(_Span(words, initial, heading, offset_line, path, next_word.lower()))
        run.clear()

    previous_end = None
    for m in _WORD.finditer(text):
        word = m.group(0)
        gap = text[previous_end : m.start()] if previous_end is not None else ""
        previous_end = m.end()
        if run and re.fullmatch(r"[ \t\n]+", gap) is None:
            flush(word if not gap.strip() else "")
        if _is_capitalised(word):
            run.append((word, m.start()))
            if re.search(r"['’]s?$", word) or (word.endswith(".") and not re.fullmatch(r"[A-Z]\.", word)):
                flush()  # "Kadhimi's deputy", "... said Bush.": the name ends here
        elif run and word.lower() in PARTICLES:
            run.append((word, m.start()))
        else:
            flush(word)
    flush()
    return spans


@dataclass(frozen=True)
class _Evidence:
    """What the whole batch says about words: capitalised mid-sentence, ever written in lower case."""

    midsentence: frozenset[str]
    lowercase: frozenset[str]
    known: frozenset[str]  # glossary spellings, case-folded

    def named(self, word: str) -> str | None:
        """Why a capitalised word at a sentence start is a name, or None."""
        folded = word.casefold()
        if folded in self.midsentence:
            return "capitalised mid-sentence elsewhere"
        if word in GIVEN_NAMES:
            return "known given name"
        if word in NAME_OPENERS:
            return f"'{word}' opens an Arabic name"
        return None

    def common(self, word: str) -> bool:
        folded = word.casefold()
        return folded in FUNCTION_WORDS or folded in COMMON_STARTERS or folded in self.lowercase


def _descriptive(word: str, evidence: _Evidence) -> bool:
    """A word that may stand before a title ("British Prime Minister", "Anbar Governor")."""
    return (
        word in TITLES
        or word in TITLE_QUALIFIERS
        or _is_demonym(word, evidence.known)
        or word.casefold() in evidence.known
        or word.casefold() in FUNCTION_WORDS
        or word.endswith(_ADJECTIVE_SUFFIXES)
        or word in PARTICLES
    )


def _trim_back(words: list[str], evidence: _Evidence) -> list[str]:
    """Dates, particles, titles and adjectives off the end ("State Department Under Secretary",
    "United Nations European"), and a known name used as an adjective ("JCPOA Iran nuclear")."""
    title = False
    while len(words) > 1:
        last, before = words[-1], words[-2]
        if last in TITLES or (title and last in TITLE_QUALIFIERS):
            title = True
        elif not (
            last in CALENDAR
            or last.lower() in PARTICLES
            or _is_demonym(last, evidence.known)
            or (last.casefold() in evidence.known and before.lower() not in PARTICLES)
        ):
            break
        words = words[:-1]
    return words


def _after_titles(words: list[str]) -> tuple[list[str], str]:
    """A given name after a title starts the name, whatever stands between: "Under Secretary for
    Political Affairs Wendy Sherman" is Wendy Sherman."""
    for i, word in enumerate(words[1:], 1):
        titles = [w for w in words[:i] if w in TITLES]
        if word in GIVEN_NAMES and titles:
            return words[i:], f"after the title '{titles[-1]}'"
    return words, ""


def _trim_front(words: list[str], evidence: _Evidence) -> tuple[list[str], str]:
    """Titles and function words off the front; the reason a title gives, if one was cut."""
    words, reason = _after_titles(words)
    if reason:
        return words, reason
    last_title = -1
    for i, word in enumerate(words[:-1]):
        if not _descriptive(word, evidence):
            break
        if word in TITLES:
            last_title = i
    if last_title >= 0:
        reason = f"after the title '{words[last_title]}'"
        words = words[last_title + 1 :]
    while len(words) > 1 and (
        words[0].casefold() in FUNCTION_WORDS
        or words[0].endswith(_ADJECTIVE_SUFFIXES)
        or words[0] in REGIONAL
    ):
        words = words[1:]
    while words and words[0].lower() in PARTICLES and words[0][:1].islower():
        words = words[1:]
    return words, reason


def _trim(span: _Span, evidence: _Evidence) -> tuple[tuple[str, ...], str]:
    """The name in a span, and why it was kept; ``()`` when it is no name to suggest."""
    words, reason = _trim_front(list(span.words), evidence)
    if span.initial and not reason and words and words == list(span.words):
        first = words[0]
        why = evidence.named(first)
        if why:
            reason = why
        elif evidence.common(first) or _is_demonym(first, evidence.known) or first.endswith("ly"):
            words, reason = _trim_front(words[1:], evidence)
        elif span.heading:
            return (), ""
        elif len(words) == 1 and span.next_word in SPEECH_VERBS:
            reason = f"subject of '{span.next_word}', never written in lower case"
        elif len(words) > 1 and not _named_rest(words[1:], evidence):
            reason = "a run of capitals, none written in lower case in the batch"
        else:  # "Early ISIS", "Late": an ordinary word that happens to start the sentence
            words, reason = _trim_front(words[1:], evidence)
    words = _trim_back(words, evidence)
    if not words or _not_a_name(words, evidence):
        return (), ""
    return tuple(words), reason or "capitalised mid-sentence"


def _named_rest(words: Sequence[str], evidence: _Evidence) -> bool:
    """The words after a sentence's first are a name by themselves (a glossary name, or named
    elsewhere): the first word is then an ordinary word before it."""
    return " ".join(words).casefold() in evidence.known or evidence.named(words[0]) is not None


def _not_a_name(words: Sequence[str], evidence: _Evidence) -> bool:
    if " ".join(words).casefold() in evidence.known:
        return True
    if all(w in DEMONYMS or w in TITLES or w in CALENDAR or _is_demonym(w, evidence.known) for w in words):
        return True
    if len(words) > 1:
        return False
    word = words[0]
    return (
        len(word) < 2
        or word in CALENDAR
        or word in COMMON_ACRONYMS
        or word in GENERIC
        or word in TITLE_QUALIFIERS
        or word.casefold() in FUNCTION_WORDS
        or word.endswith(_ADJECTIVE_SUFFIXES)
        or "." in word.rstrip(".")  # "p.m."
    )


_DEMONYM_SUFFIXES = ("i", "n", "an", "ian", "ese", "ish", "ic", "is")


def _is_demonym(word: str, known: Iterable[str]) -> bool:
    if word in DEMONYMS:
        return True
    lower = word.casefold()
    for name in known:
        for suffix in _DEMONYM_SUFFIXES:
            if lower == name + suffix or (name.endswith(("a", "e")) and lower == name[:-1] + suffix):
                return True
    return False


def _all_spans(documents: Sequence[Document], glossary: Glossary) -> tuple[list[_Span], set[str]]:
    """Every span in the batch, and every word it ever writes in lower case."""
    spans: list[_Span] = []
    lowercase: set[str] = set()
    for doc in documents:
        path = str(doc.path)
        for block in doc.blocks:
            heading = block.kind in _HEADINGS
            lowercase.update(w.casefold() for w in _WORD.findall(block.text) if w[:1].islower())
            cursor = 0
            for sentence, _sep in split_sentences(block.text):
                at = block.text.find(sentence, cursor)
                at = cursor if at < 0 else at
                line = block.line + block.text[:at].count("\n")
                cursor = at + len(sentence)
                spans.extend(_spans(_masked(sentence, glossary), heading=heading, line=line, path=path))
    return spans, lowercase


def _heading_parts(span: _Span, evidence: _Evidence) -> list[_Span]:
    """A title-case heading capitalises every word: keep only runs of words named elsewhere."""
    parts: list[_Span] = []
    run: list[str] = []
    for word in (*span.words, ""):
        after_given = bool(run) and run[-1] in GIVEN_NAMES  # "Robert Berger" in a byline
        known = word.casefold() in evidence.known or word.lower() in PARTICLES
        if word and (evidence.named(word) or known or after_given):
            run.append(word)
            continue
        if run:
            parts.append(_Span(tuple(run), False, True, span.line, span.path))
        run = []
    return parts


def unknown_names(documents: Sequence[Document], glossary: Glossary) -> list[Candidate]:
    """Names the glossary lacks, most frequent first, each with where it occurs and why it was kept."""
    spans, lowercase = _all_spans(documents, glossary)
    midsentence = {w.casefold() for s in spans if not s.initial for w in s.words}
    midsentence |= {w.casefold() for s in spans if s.initial and not s.heading for w in s.words[1:]}
    known = frozenset(s.casefold() for t in glossary.terms for s in t.surfaces)
    evidence = _Evidence(frozenset(midsentence), frozenset(lowercase - midsentence), known)
    found: dict[str, Candidate] = {}
    for raw in spans:
        for span in _heading_parts(raw, evidence) if raw.heading else [raw]:
            words, reason = _trim(span, evidence)
            if not words:
                continue
            name = " ".join(words)
            candidate = found.setdefault(name, Candidate(name))
            candidate.occurrences.append(f"{span.path}:{span.line}")
            if reason not in candidate.reasons:
                candidate.reasons.append(reason)
            if not candidate.kind:
                candidate.kind = _guess_kind(reason, words)
    _link_surnames(found)
    return sorted(found.values(), key=lambda c: (-len(c.occurrences), c.name))


def _link_surnames(found: dict[str, Candidate]) -> None:
    """ "Fischer" alone after "Stanley Fischer": say so (a glossary lists a surname alone as its own
    entry, as it does al-Baghdadi, so the row stays)."""
    for full in [c for c in found.values() if len(c.name.split()) > 1]:
        last = full.name.split()[-1]
        for alone in {last, re.sub(r"^(?:al|el)-", "", last)}:
            candidate = found.get(alone)
            if candidate is not None and candidate is not full:
                candidate.reasons.append(f"surname of '{full.name}'")
                candidate.kind = candidate.kind or full.kind


def _guess_kind(reason: str, words: Sequence[str]) -> TermKind | Literal[""]:
    if reason.startswith("after the title") or (len(words) > 1 and words[0] in GIVEN_NAMES):
        return "person"
    if len(words) == 1 and words[0].isupper():
        return "org"
    if any(w in GENERIC for w in words) and len(words) > 1:
        return "org"
    if any(w.lower().startswith(("al-", "bin", "ibn", "abu")) for w in words) and len(words) >= 2:
        return "person"
    return ""


def suggestions_tsv(candidates: Iterable[Candidate], lang: str = "ar") -> str:
    """Glossary-shaped TSV (``en``, ``<lang>``, ``kind``, ``variants``, ``note``) for review; the note
    says why the name was kept, where it occurs and every candidate form with its source."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_NONE, escapechar="\\")
    writer.writerow(["en", lang, "kind", "variants", "note"])
    for c in candidates:
        more = len(c.occurrences) - 5
        where = ", ".join(c.occurrences[:5]) + (f" (+{more} more)" if more > 0 else "")
        forms = " | ".join(str(f) for f in c.forms) if c.forms else "English form kept"
        note = f"{UNREVIEWED}; kept: {', '.join(c.reasons)}; {len(c.occurrences)}x: {where}; {lang}: {forms}"
        writer.writerow([c.name, c.suggestion, c.kind, "", note.replace("\t", " ")])
    return out.getvalue()


def suggest(
    documents: Sequence[Document], glossary: Glossary, lang: str = "ar", backend: Backend | None = None
) -> list[Candidate]:
    """Unknown names with candidate ``lang`` forms, best first (Arabic: curated table, CLDR,
    GeoNames, the model's rendering of the name alone when ``backend`` is given, transliteration);
    for other languages the English form is kept."""
    found = unknown_names(documents, glossary)
    if lang != "ar":
        for c in found:
            c.suggestion = c.name
        return found
    model = backend.translate([c.name for c in found], lang=lang) if backend and found else []
    for i, c in enumerate(found):
        c.forms = candidates(c.name, model[i] if model else None)
    by_name = {c.name: c for c in found}
    for c in found:
        full = next((by_name[r[12:-1]] for r in c.reasons if r.startswith("surname of '")), None)
        if full is not None and full.forms and full.forms[0].source != "transliteration":
            surname = full.forms[0].form.split()[-1]
            others = [f for f in c.forms if f.form != surname]
            c.forms = [Form(surname, full.forms[0].source, "medium"), *others]
        c.suggestion = c.forms[0].form
        if c.forms[0].source in ("CLDR", "GeoNames") and not c.kind:
            c.kind = "place"
    return found
