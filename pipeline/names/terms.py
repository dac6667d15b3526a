"""Glossary terms and the patterns that find them, in English source text and in translations.

The bottom of the names stage: the glossary loader, the CLDR layer, protection and the QA checks all
build on :class:`Term` and these matchers, and this module imports none of them, so the built-in
layer can make terms without importing the file loader that layers it under the project's.
"""

from __future__ import annotations

import re
import weakref
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal, get_args

from pipeline.names.orthography import contracted_stem

#: What a name is: the ``kind`` column of a glossary file (optional; "" when left empty).
TermKind = Literal["person", "place", "org", "outlet", "other"]
KINDS: tuple[TermKind, ...] = get_args(TermKind)


@dataclass(frozen=True)
class Term:
    """One glossary entry. ``forms`` maps a language code to the name's fixed form there."""

    en: str
    forms: Mapping[str, str]
    kind: TermKind | Literal[""] = ""
    variants: tuple[str, ...] = ()
    note: str = ""
    path: str = ""
    line: int = 0
    builtin: str = ""  # the built-in layer it comes from ("CLDR"); "" for the project glossary
    case_sensitive: bool = False  # built-in names only match as capitalised

    def target(self, lang: str) -> str | None:
        """The form to publish in ``lang``; ``None`` means keep the English verbatim."""
        return self.forms.get(lang) or None

    @property
    def surfaces(self) -> tuple[str, ...]:
        return (self.en, *self.variants)


@dataclass(frozen=True)
class Match:
    """One occurrence of a term in English text: ``text`` is the spelling as written there."""

    start: int
    end: int
    term: Term
    text: str


def surface_pattern(surface: str) -> str:
    """A regex for one English spelling, tolerant of the forms real copy uses.

    Spaces match any run of whitespace (names broken across lines), hyphens match the Unicode
    hyphens and a space (``al-Raqa`` / ``al Raqa``), apostrophes match typographic ones.
    """
    out: list[str] = []
    for ch in surface.strip():
        if ch.isspace():
            if not out or out[-1] != r"\s+":
                out.append(r"\s+")
        elif ch in "-‐‑–":
            out.append(r"[-‐‑–\s]")
        elif ch in "'’ʼ":
            out.append(r"['’ʼ]")
        else:
            out.append(re.escape(ch))
    return "".join(out)


def is_acronym(surface: str) -> bool:
    """``SDF``, ``U.N.``: matched case-sensitively, since "sdf" is not the name."""
    letters = [c for c in surface if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


def fold_surface(text: str) -> str:
    """A matched spelling with whitespace and typographic hyphens/apostrophes made plain, so that
    the spelling found in copy can be looked up under the glossary's own."""
    folded = re.sub(r"\s+", " ", text)
    return re.sub(r"[‐‑–]", "-", folded).replace("’", "'").replace("ʼ", "'")


def forms_pattern(forms: Iterable[str], extra: Iterable[str] = ()) -> FormsFinder | None:
    """Whole-word finder for target forms in translated text; None if there are none.

    The one definition of "a glossary form occurs here", shared by protection (claiming the model's
    own copies, counting names) and the QA checks, so the guarantee and the checks cannot disagree.
    Group 1 is the name as written, which after a joined لـ may be the contracted spelling
    ("للرقة" for الرقة): :func:`form_of` gives the glossary form a match stands for.

    ``forms`` is the set that stays the same from call to call (every form of the glossary), whose
    pattern of thousands of alternatives is compiled once; ``extra`` the few a segment adds (its
    numbers' and dates' forms, different in every article). Compiling the union for each segment
    cost about 50 ms a segment over an archive; the two patterns are searched side by side instead,
    with the union's own precedence (see :class:`FormsFinder`).
    """
    # The glossary's forms come as one frozenset per run: not copied for every segment.
    stable = forms if isinstance(forms, frozenset) and "" not in forms else frozenset(f for f in forms if f)
    added = frozenset(f for f in extra if f) - stable
    if not added:
        base = _compiled_forms(stable)
        return FormsFinder((base,)) if base is not None else None
    base = _compiled_forms(stable)
    small = _compiled_forms(added)
    if base is None or small is None or not _separable(stable, added):
        union = _compiled_forms(stable | added)
        return FormsFinder((union,)) if union is not None else None
    return FormsFinder((base, small))


def _separable(stable: frozenset[str], added: frozenset[str]) -> bool:
    """Whether two patterns find exactly what the union's pattern finds: no contracted spelling
    of one set is a form or a contracted spelling of the other (the union would drop or share it)."""
    mine = _stems(stable)
    theirs = _stems(added)
    return not (mine & added or theirs & stable or mine & theirs)


@lru_cache(maxsize=256)
def _stems(forms: frozenset[str]) -> frozenset[str]:
    return frozenset(s for f in forms if (s := contracted_stem(f)) is not None and s not in forms)


#: The prefixes a finder allows before a name, in the order its regex tries them (greedy,
#: left to right): a joined و/ف, then ب/ل/ك, then the tatweel with or without an article.
_PREFIX_ORDER = [
    (conj, clitic, tatweel)
    for conj in ("و", "ف", "")
    for clitic in ("ب", "ل", "ك", "")
    for tatweel in ("الـ", "لـ", "ـ", "")
]


def _prefix_rank(prefix: str) -> int:
    """Where the regex's backtracking reaches this prefix: earlier wins between two patterns."""
    for rank, parts in enumerate(_PREFIX_ORDER):
        if "".join(parts) == prefix:
            return rank
    return len(_PREFIX_ORDER)


def _precedence(match: re.Match[str]) -> tuple[int, int, int, str]:
    """The union pattern's choice among matches at one place: prefix first, then the longest name."""
    name = match.group(1)
    prefix = match.string[match.start() : match.start(1)]
    return (match.start(), _prefix_rank(prefix), -len(name), name)


class FormsFinder:
    """What one regex over every form would find (``finditer``, ``sub``), from one or two compiled
    patterns: the leftmost match wins, and at one place the one the union's regex would try first."""

    def __init__(self, patterns: tuple[re.Pattern[str], ...]) -> None:
        self.patterns = patterns

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        if len(self.patterns) == 1:
            yield from self.patterns[0].finditer(text)
            return
        heads = [p.search(text) for p in self.patterns]
        while True:
            found = [m for m in heads if m is not None]
            if not found:
                return
            best = min(found, key=_precedence)
            yield best
            end = best.end()
            # A head starting at or after ``end`` is still the leftmost match from there.
            heads = [
                m if m is None or m.start() >= end else p.search(text, end)
                for m, p in zip(heads, self.patterns, strict=True)
            ]

    def sub(self, repl: Callable[[re.Match[str]], str], text: str) -> str:
        pieces: list[str] = []
        last = 0
        for match in self.finditer(text):
            pieces += [text[last : match.start()], repl(match)]
            last = match.end()
        pieces.append(text[last:])
        return "".join(pieces)


#: For each compiled finder, the contracted spellings it knows and the form each stands for.
#: Weak keys: a plain dict kept every pattern ever compiled alive (the caches' bounds undone), so a
#: run's memory grew with each article's own figures; an entry now goes with its pattern.
_CONTRACTED: weakref.WeakKeyDictionary[re.Pattern[str], dict[str, str]] = weakref.WeakKeyDictionary()


def form_of(match: re.Match[str]) -> str:
    """The glossary form a :func:`forms_pattern` match stands for ("لرقة" in "للرقة" is الرقة)."""
    written = match.group(1)
    return _CONTRACTED.get(match.re, {}).get(written, written)


@lru_cache(maxsize=256)
def _compiled_forms(forms: frozenset[str]) -> re.Pattern[str] | None:
    """Longest first: "سوريا" inside "قوات سوريا الديمقراطية" is one occurrence of the longer name,
    not two. Arabic proclitics glued to a name still count, since "والموصل" is how "and Mosul" is
    written (و or ف, then one of ب ل ك); after لـ a form with the article is also found contracted
    ("للرقة", "لله": :mod:`pipeline.names.orthography`), and only there (the lookbehind). A figure
    or Latin name is joined by a tatweel, with the model's article if it wrote one ("بـ25", "الـ3",
    "للـ2017"), as :func:`~pipeline.names.orthography.attach` writes it."""
    if not forms:
        return None
    stems = {
        stem: form for form in forms if (stem := contracted_stem(form)) is not None and stem not in forms
    }
    alternatives = [(f, re.escape(f)) for f in forms] + [(s, "(?<=ل)" + re.escape(s)) for s in stems]
    alternatives.sort(key=lambda a: (-len(a[0]), a[0]))
    body = "|".join(pattern for _, pattern in alternatives)
    pattern = re.compile(rf"(?<![\w])(?:[وف](?=\S))?(?:[بلك](?=\S))?(?:(?:ال|ل)?ـ)?({body})(?![\w])")
    _CONTRACTED[pattern] = stems
    return pattern
