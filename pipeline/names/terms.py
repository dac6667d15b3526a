"""Glossary terms and the patterns that find them, in English source text and in translations.

The bottom of the names stage: the glossary loader, the CLDR layer, protection and the QA checks all
build on :class:`Term` and these matchers, and this module imports none of them, so the built-in
layer can make terms without importing the file loader that layers it under the project's.
"""

from __future__ import annotations

import re
import weakref
from collections.abc import Iterable, Mapping
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


def forms_pattern(
    forms: Iterable[str], within: str | None = None, *, also: Iterable[str] = ()
) -> re.Pattern[str] | None:
    """Whole-word finder for target forms in translated text; None if there are none.

    The one definition of "a glossary form occurs here", shared by protection (claiming the model's
    own copies, counting names) and the QA checks, so the guarantee and the checks cannot disagree.
    Group 1 is the name as written, which after a joined لـ may be the contracted spelling
    ("للرقة" for الرقة): :func:`form_of` gives the glossary form a match stands for. ``also``: more
    forms (a segment's own names and figures), kept apart so that ``forms`` (the whole glossary,
    best passed as a frozenset) is indexed once.

    ``within``: the text the finder will search. Only the forms that occur in it (or whose
    contracted spelling does) are compiled in: an alternative whose literal is not in the text can
    match nowhere in it, so the matches are the same, and a segment's finder is then one of a few
    small cached patterns instead of a fresh alternation of the whole glossary plus that segment's
    numbers (compiling one for every segment was most of a long article's run time).
    """
    every = frozenset(forms)
    extra = frozenset(f for f in also if f and f not in every)
    if within is None:
        return _compiled_forms(frozenset(f for f in every | extra if f))
    index = _index(every)
    present = {form for first in index.keys() & set(within) for lit, form in index[first] if lit in within}
    present.update(f for f in extra if f in within or ((stem := _stem(f)) is not None and stem in within))
    return _compiled_forms(frozenset(present))


@lru_cache(maxsize=4096)
def _stem(form: str) -> str | None:
    return contracted_stem(form)


@lru_cache(maxsize=16)
def _index(forms: frozenset[str]) -> dict[str, list[tuple[str, str]]]:
    """Each form and its contracted spelling (see :func:`_compiled_forms`), by first character:
    only the groups whose character is in a text need a substring test."""
    index: dict[str, list[tuple[str, str]]] = {}
    for form in forms:
        if not form:
            continue
        for literal in (form, _stem(form)):
            if literal:
                index.setdefault(literal[0], []).append((literal, form))
    return index


#: For each compiled finder, the contracted spellings it knows and the form each stands for.
#: Weak keys: a finder ``_compiled_forms`` has let go of takes its entry along (a plain dict kept
#: every finder ever compiled: 140 MB on a 250 KB article when each segment compiled its own).
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
