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

The Arabic suggestion comes from :func:`transliterate`, a small rule-based English-to-Arabic
transliterator written for this project (Apache-2.0, like the rest of it): a table of common Arabic
name parts (``Mohammed`` → محمد, ``Abu`` → أبو) and letter rules for the rest. It is a first draft
for an editor, not an authority.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from pipeline.ingest.documents import Document
from pipeline.names.glossary import UNREVIEWED, Glossary
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
    kind: str = ""
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


def _guess_kind(span_words: Sequence[str], words: Sequence[str]) -> str:
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


# --- transliteration ---------------------------------------------------------------------------


#: Whole name parts with an established Arabic spelling (lower case keys).
def _pairs(text: str) -> dict[str, str]:
    """``"en=ar ..."`` pairs; ``_`` in a form stands for a space."""
    return {en: ar.replace("_", " ") for en, ar in (pair.split("=") for pair in text.split())}


NAME_PARTS: dict[str, str] = _pairs(
    "abu=أبو abd=عبد abdul=عبد abdel=عبد bin=بن ibn=بن bint=بنت mohammed=محمد muhammad=محمد "
    "mohammad=محمد mohamed=محمد ahmed=أحمد ahmad=أحمد ali=علي hassan=حسن hasan=حسن hussein=حسين "
    "husayn=حسين hussain=حسين omar=عمر umar=عمر khalid=خالد khaled=خالد mustafa=مصطفى mahmoud=محمود "
    "ibrahim=إبراهيم youssef=يوسف yusuf=يوسف saleh=صالح salah=صلاح abdullah=عبد_الله "
    "abdallah=عبد_الله saeed=سعيد said=سعيد hamid=حامد karim=كريم nasser=ناصر jamal=جمال "
    "fatima=فاطمة aisha=عائشة layla=ليلى tariq=طارق ziad=زياد walid=وليد faisal=فيصل abbas=عباس "
    "qassem=قاسم qasem=قاسم kassem=قاسم haider=حيدر haidar=حيدر qasim=قاسم jafar=جعفر nouri=نوري "
    "mustapha=مصطفى osama=أسامة usama=أسامة hamza=حمزة bakr=بكر allah=الله sheikh=الشيخ mosque=مسجد "
    "university=جامعة "
)
_DIGRAPHS = {
    "sh": "ش", "kh": "خ", "gh": "غ", "th": "ث", "dh": "ذ", "ch": "تش", "ph": "ف", "ck": "ك",
    "ou": "و", "oo": "و", "ee": "ي", "ei": "ي", "ai": "ي", "ay": "اي", "aa": "ا", "ie": "ي", "ue": "و",
    "iy": "ي",
}  # fmt: skip
_LETTERS = {
    "b": "ب", "c": "ك", "d": "د", "f": "ف", "g": "غ", "h": "ه", "j": "ج", "k": "ك", "l": "ل", "m": "م",
    "n": "ن", "p": "ب", "q": "ق", "r": "ر", "s": "س", "t": "ت", "v": "ف", "w": "و", "x": "كس", "y": "ي",
    "z": "ز",
}  # fmt: skip
_VOWELS = frozenset("aeiou") | {"ou", "oo", "ee", "ei", "ai", "ay", "aa", "ie", "ue", "iy"}
_INITIAL_VOWELS = {"a": "أ", "e": "إ", "i": "إ", "o": "أو", "u": "أو"}
_MEDIAL_VOWELS = {"a": "ا", "e": "", "i": "ي", "o": "و", "u": "و"}
_FINAL_VOWELS = {"a": "ا", "e": "", "i": "ي", "o": "و", "u": "و", "y": "ي"}


def _units(word: str) -> list[str]:
    """Letters and digraphs (``sh``, ``ou``...), left to right."""
    units: list[str] = []
    i = 0
    while i < len(word):
        pair = word[i : i + 2]
        # "ay" before a vowel or another y is a vowel then a consonant: Qa-yyarah, Ba-yan.
        glide = pair == "ay" and word[i + 2 : i + 3] in tuple("aeiouy")
        step = 2 if pair in _DIGRAPHS and not glide else 1
        units.append(word[i : i + step])
        i += step
    return units


def _transliterate_word(word: str) -> str:
    """Letter rules, with Arabic spelling's main habit: a short vowel is not written.

    English spellings do not mark vowel length, so ``a`` and ``u`` before two consonants (a closed
    syllable: *Baghdadi*, *Fallujah*) are taken as short and dropped; other vowels are written.
    """
    lower = re.sub(r"[^a-z]", "", word.lower())
    if lower in NAME_PARTS:
        return NAME_PARTS[lower]
    if not lower:
        return ""
    if lower.endswith("ah") and len(lower) > 3:  # Arabic -ah: taa marbuta
        return _transliterate_word(lower[:-2]) + "ة"
    units = _units(lower)
    out: list[str] = []
    for k, unit in enumerate(units):
        following = units[k + 1 : k + 3]
        if k == 0 and unit in _VOWELS:
            out.append("أ" + _DIGRAPHS[unit] if len(unit) == 2 else _INITIAL_VOWELS[unit])
        elif len(unit) == 2:
            out.append(_DIGRAPHS[unit])
        elif k == len(units) - 1 and unit in _FINAL_VOWELS:
            out.append(_FINAL_VOWELS[unit])
        elif unit in "au" and len(following) == 2 and not any(f in _VOWELS for f in following):
            continue  # a short vowel in a closed syllable
        elif unit in _MEDIAL_VOWELS:
            out.append(_MEDIAL_VOWELS[unit])
        elif k > 0 and unit == units[k - 1]:
            continue  # a doubled consonant is written once
        elif unit == "c" and following[:1] and following[0][0] in "eiy":
            out.append("س")
        elif unit == "g" and following[:1] and following[0][0] in "eiy":
            out.append("ج")
        else:
            out.append(_LETTERS.get(unit, ""))
    return "".join(out)


def transliterate(name: str) -> str:
    """A first-draft Arabic spelling of an English-written name (rule-based; review it).

    ``al-``/``el-`` prefixes become the attached article (``al-Kadhimi`` → الكاذيمي). Acronyms come
    back unchanged: whether to spell them out or translate them is the editor's call.
    """
    parts: list[str] = []
    article = ""
    for word in re.sub(r"(?<=\w)-(?=[A-Z])", " ", name).split():
        if len(word) > 1 and word.isupper():
            parts.append(word)
            continue
        prefix = re.match(r"(?i)^(?:al|el|ad|an|ar|as|at|az)[-‐‑]", word)
        if word.lower() in ("al", "el"):
            article = "ال"
        elif word.lower() in ("of", "and", "the", "de"):
            continue
        elif prefix:
            parts.append("ال" + _transliterate_word(word[prefix.end() :]))
        else:
            parts.append(article + _transliterate_word(word))
            article = ""
    return " ".join(parts)


def suggest(documents: Sequence[Document], glossary: Glossary, lang: str = "ar") -> list[Candidate]:
    """Unknown names with a suggested ``lang`` form (a transliteration for Arabic, else the English)."""
    candidates = unknown_names(documents, glossary)
    for c in candidates:
        c.suggestion = transliterate(c.name) if lang == "ar" else c.name
    return candidates
