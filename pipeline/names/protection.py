"""Protect names: mask glossary terms before translation, put their fixed forms back after.

The model never sees a protected name, only a placeholder such as ``XNAME0``. Whatever the model
does to the placeholders, the pipeline guarantees that each source occurrence yields exactly one
target form, and reports each repair so the PO entry can say what was fixed:

* garbled (``X NAME 0``, ``xname-0``, ``XNAME٠``) or transliterated (``اكسنيم0``): recognised;
* repeated: the extra copies are removed;
* translated (``الاسم 0``, "name 0"): recognised, but counted as a fault;
* dropped: if the model wrote the name's target form itself, that copy is kept as the occurrence;
  otherwise the form is inserted where the name stood in the source, relative to the sentence;
* moved: placeholders are matched by number, so word order is the model's to choose.

:func:`translate_protected` is what the runner calls: a segment whose placeholders did not come back
cleanly is sent once more with a placeholder of a different make (``ZXQ0``: no English word a model
could translate, different sub-word pieces), and the better of the two outputs is kept; repairs only
fill what both attempts missed. Nothing is left to the model: the final placement is always ours.

Copies of a glossary form that the model wrote on its own and that no placeholder claims ("stray"
copies, e.g. a random model's noise, or a real model rendering a non-name word as a place) are left
in the text, because removing words a model produced can break the sentence, and they are reported
in the PO entry for review. The guarantee and :func:`count_names` are about the source's occurrences:
each yields exactly one target form; strays are counted separately.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Literal

from pipeline.language import DIGIT_CLASS, ascii_digits
from pipeline.mt.base import Backend, phase
from pipeline.names.glossary import Glossary
from pipeline.names.orthography import attach
from pipeline.names.terms import Match, Term, form_of, forms_pattern

_NUM = rf"([{DIGIT_CLASS}]+)"


@dataclass(frozen=True)
class Surface:
    """One make of placeholder: its template and the tolerant patterns that find it in MT output.

    ``pattern`` finds the placeholder as written or garbled (spaces, case, separators, Arabic digits,
    transliteration into Arabic script); ``translated`` finds it translated (only used for slots
    the first pattern did not find, since "name 3" can be ordinary text).
    """

    template: str
    pattern: re.Pattern[str]
    translated: re.Pattern[str] | None = None

    def format(self, n: int) -> str:
        return self.template.format(n=n)


# Latin placeholder, tolerant of inserted spaces, separators and case ("X NAME 0", "xname-0").
_XNAME_LATIN = rf"[XxＸ]\s*[-_]?\s*[Nn]\s*[Aa]\s*[Mm]\s*[Ee]\s*[-_]?\s*{_NUM}"
# The same placeholder transliterated into Arabic script by the model ("اكسنيم0", "إكس نيم ٠").
_XNAME_ARABIC = rf"[اإ]?كس\s*[-_]?\s*(?:نيم|نام|نايم|نيمي)\s*[-_]?\s*{_NUM}"
# "NAME" translated: Arabic اسم/الاسم, English or French "name"/"nom", Hebrew שם.
_XNAME_TRANSLATED = rf"(?:(?:ال)?اسم|(?i:name|nom)|שם)\s*[-_]?\s*{_NUM}"
_ZXQ_LATIN = rf"[Zz]\s*[-_]?\s*[Xx]\s*[-_]?\s*[Qq]\s*[-_]?\s*{_NUM}"
_ZXQ_ARABIC = rf"زد\s*[-_]?\s*[اإ]?كس\s*[-_]?\s*كيو\s*[-_]?\s*{_NUM}"

# A placeholder may be glued to an Arabic proclitic ("وXNAME1", "and Mosul") or to the previous
# placeholder ("XNAME0XNAME1"): only a Latin letter before it means it is part of a longer word.
_START = r"(?<![A-Za-z])"
_END = rf"(?![{DIGIT_CLASS}])"

#: Placeholder makes, tried in order: the first for every segment, the next for a retry.
SURFACES: tuple[Surface, ...] = (
    Surface(
        "XNAME{n}",
        re.compile(rf"{_START}(?:{_XNAME_LATIN}|{_XNAME_ARABIC}){_END}"),
        re.compile(rf"{_START}{_XNAME_TRANSLATED}{_END}"),
    ),
    Surface("ZXQ{n}", re.compile(rf"{_START}(?:{_ZXQ_LATIN}|{_ZXQ_ARABIC}){_END}")),
)
#: A placeholder even inside a longer word: what may never be left in published text. (The spaced
#: forms, "x name 3", only count as placeholders on their own: inside words they are English.)
PLACEHOLDER = re.compile(
    "|".join(f"(?:{p})" for p in (rf"(?i:xname|zxq)[-_]?{_NUM}", _XNAME_ARABIC, _ZXQ_ARABIC)) + _END
)
# Private-use brackets hold a slot's place while repairs run; they cannot occur in model output
# because placement removes them from it first.
_SENTINEL = re.compile("\ue000(\\d+)\ue001")


_REMOVED = "\ue002"
#: The article a model glued before a placeholder, kept aside until the slot's form is known.
_ARTICLE = "\ue003"


def _sentinel(index: int) -> str:
    return f"\ue000{index}\ue001"


#: What a slot protects: a glossary name, or a number or date (its term's form is its rendering).
SlotKind = Literal["name", "number", "date"]


@dataclass(frozen=True)
class Slot:
    """One protected occurrence: ``source`` is the text as written in the article."""

    index: int
    term: Term
    source: str
    start: int
    end: int
    kind: SlotKind = "name"

    def form(self, lang: str) -> str:
        return self.term.target(lang) or self.source


@dataclass(frozen=True)
class Protected:
    source: str
    masked: str
    slots: tuple[Slot, ...]
    surface: int = 0  # index into SURFACES


@dataclass(frozen=True)
class Restored:
    text: str
    repairs: tuple[str, ...]
    faults: int = 0  # placeholders that did not come back cleanly in the output kept
    retried: bool = False  # sent to the model again with another make of placeholder


def placeholder(n: int, surface: str | Surface = SURFACES[0]) -> str:
    return surface.format(n=n)


def _mask(text: str, slots: Sequence[Slot], surface: int) -> str:
    parts: list[str] = []
    cursor = 0
    for slot in slots:
        parts.append(text[cursor : slot.start])
        parts.append(SURFACES[surface].format(slot.index))
        cursor = slot.end
    parts.append(text[cursor:])
    return "".join(parts)


def protect(
    text: str, glossary: Glossary, surface: int = 0, extra: Sequence[tuple[SlotKind, Match]] = ()
) -> Protected:
    """Replace every glossary occurrence in ``text`` by a numbered placeholder.

    ``extra``: other spans to protect the same way (numbers and dates, whose term holds the
    rendered form); one that overlaps a glossary name is left to the name.
    """
    found: list[tuple[SlotKind, Match]] = [("name", m) for m in glossary.find(text)]
    names = [(m.start, m.end) for _, m in found]
    found += [(k, m) for k, m in extra if all(m.end <= s or m.start >= e for s, e in names)]
    found.sort(key=lambda km: km[1].start)
    slots = tuple(Slot(i, m.term, m.text, m.start, m.end, k) for i, (k, m) in enumerate(found))
    return Protected(text, _mask(text, slots, surface), slots, surface)


def remask(protected: Protected, surface: int) -> Protected:
    """The same slots behind another make of placeholder (for a retry)."""
    return replace(protected, masked=_mask(protected.source, protected.slots, surface), surface=surface)


def _insertion_point(text: str, fraction: float) -> int:
    """A word boundary near ``fraction`` of the way through ``text``, before final punctuation."""
    body_end = len(text.rstrip().rstrip(".!?؟۔\"'”»)]"))
    if body_end == 0:
        return 0
    target = round(fraction * body_end)
    if target <= 0:
        return 0
    if target >= body_end:
        return body_end
    candidates = [0, *(m.start() for m in re.finditer(r"\s", text[:body_end])), body_end]
    return min(candidates, key=lambda i: abs(i - target))


def _relative_position(source: str, slot: Slot) -> float:
    """Where a name stood in its sentence, 0 to 1; a name that ends the sentence stays at the end."""
    if not source[slot.end :].strip(" \t\n.!?;:,\"'”»)]’"):
        return 1.0
    return slot.start / max(len(source), 1)


@dataclass
class _Attempt:
    text: str  # with sentinels where slots go
    repairs: list[str]
    faults: int
    strays: list[str]


@dataclass
class _Placing:
    """Placing one output's slots, step by step: which slots are found so far, and what was repaired."""

    protected: Protected
    repairs: list[str] = field(default_factory=list)
    faults: int = 0
    used: set[int] = field(default_factory=set)

    @property
    def slots(self) -> tuple[Slot, ...]:
        return self.protected.slots

    def fault(self, repair: str) -> None:
        self.faults += 1
        self.repairs.append(repair)

    def missing(self) -> list[Slot]:
        return [slot for slot in self.slots if slot.index not in self.used]

    def placeholder(self, match: re.Match[str]) -> str:
        """A placeholder as written or garbled: the first copy of a slot takes its place."""
        index, raw = _index_of(match), match.group(0)
        if index >= len(self.slots):
            self.fault(f"removed stray placeholder '{raw}'")
            return _REMOVED
        slot = self.slots[index]
        if index in self.used:
            self.fault(f"{slot.term.en}: duplicated by the model, extra copy removed")
            return _REMOVED
        self.used.add(index)
        if raw != SURFACES[self.protected.surface].format(index):
            self.repairs.append(f"{slot.term.en}: placeholder came back as '{raw}', recognised")
        return _sentinel(index)

    def translated(self, match: re.Match[str]) -> str:
        """A placeholder the model translated ("الاسم 0"): only for a slot not found otherwise."""
        index, raw = _index_of(match), match.group(0)
        if index >= len(self.slots) or index in self.used:
            return raw  # ordinary text that happens to look like "name 3"
        self.used.add(index)
        self.fault(f"{self.slots[index].term.en}: placeholder translated as '{raw}', replaced")
        return _sentinel(index)

    def debris(self, match: re.Match[str]) -> str:
        self.fault(f"removed placeholder debris '{match.group(0)}'")
        return _REMOVED


def _index_of(match: re.Match[str]) -> int:
    return int(ascii_digits(next(g for g in match.groups() if g is not None)))


def _drop_removed(text: str) -> str:
    """A removed copy takes the space before it along, so no gap is left before punctuation."""
    return re.sub(r"[ \t]*\ue002", "", text)


def _place(output: str, protected: Protected, lang: str, known_forms: Iterable[str] = ()) -> _Attempt:
    """Find each slot in ``output`` and mark its place with a sentinel: exactly one per slot."""
    state = _Placing(protected)
    text = _recognise(re.sub("[\ue000-\ue003]", "", output), state)
    own, known = _glossary_forms(protected, lang), frozenset(known_forms)
    finder = forms_pattern(known, within=text, also=own)
    if finder is not None:
        text = _claim_model_copies(text, state, finder, lang)
    text = _insert_dropped(text, state)
    # What is left that looks like a glossary form was written by the model on its own.
    finder = forms_pattern(known, within=text, also=own)
    strays = [form_of(m) for m in finder.finditer(text)] if finder is not None else []
    return _Attempt(text, state.repairs, state.faults, strays)


def _recognise(text: str, state: _Placing) -> str:
    """Placeholders as written, garbled or translated become sentinels; copies and debris go."""
    surface = SURFACES[state.protected.surface]
    text = _drop_removed(surface.pattern.sub(state.placeholder, text))
    if surface.translated is not None and state.missing():
        text = surface.translated.sub(state.translated, text)
    # Anything placeholder-like still there (another make, or glued inside a Latin word) is debris.
    return _drop_removed(PLACEHOLDER.sub(state.debris, text))


def _claim_model_copies(text: str, state: _Placing, finder: re.Pattern[str], lang: str) -> str:
    """A dropped placeholder whose target form the model wrote itself: keep the model's copy."""
    missing: dict[str, list[int]] = {}
    for slot in state.missing():
        missing.setdefault(slot.form(lang), []).append(slot.index)
    if not missing:
        return text

    def claim(match: re.Match[str]) -> str:
        form = form_of(match)
        if not missing.get(form):
            return match.group(0)
        index = missing[form].pop(0)
        state.used.add(index)
        state.repairs.append(
            f"{state.slots[index].term.en}: placeholder dropped, the model wrote '{form}' itself"
        )
        return match.group(0)[: match.start(1) - match.start(0)] + _sentinel(index)

    return finder.sub(claim, text)


def _insert_dropped(text: str, state: _Placing) -> str:
    """Insert each still-missing name where it stood in the source, relative to the sentence.

    Points are chosen on the text before any insertion, so several dropped names keep their source
    order; sentinels have no spaces, so an insertion never lands inside a name put back.
    """
    dropped = state.missing()
    source = state.protected.source
    points = [(_insertion_point(text, _relative_position(source, slot)), slot.index) for slot in dropped]
    for at, index in sorted(points, reverse=True):
        before, after = text[:at], text[at:]
        pad_left = " " if before and not before[-1].isspace() else ""
        pad_right = " " if after and (after[0].isalnum() or after[0] == "\ue000") else ""
        text = f"{before}{pad_left}{_sentinel(index)}{pad_right}{after}"
    state.faults += len(dropped)
    state.repairs.extend(f"{slot.term.en}: dropped by the model, inserted" for slot in dropped)
    return text


def _separate(text: str) -> str:
    """Keep each name a word of its own: a placeholder the model glued to a word ("منXNAME0") would
    publish as "منالموصل". The one-letter proclitics (و ف ب ك ل, and و/ف before ب ك ل) are joined to
    the name, as Arabic writes them, even where the model left a space ("و XNAME0"); an article the
    model glued on ("الXNAME0", "للXNAME0") is dropped, since the glossary form has its own."""

    def fix(m: re.Match[str]) -> str:
        start, end = m.start(), m.end()
        before = text[start - 1] if start else ""
        lead = " " if before.isalnum() and not _GLUED.search(text, 0, start) else ""
        after = text[end] if end < len(text) else ""
        trail = " " if after.isalnum() or after == "\ue000" else ""
        return f"{lead}{m.group(0)}{trail}"

    # A tatweel the model put between glued letters and a placeholder ("لـXNAME0", "بـ XNAME0", the
    # way Arabic joins a letter to a Latin word) goes: the slot's form decides the spelling (attach).
    text = re.sub("(?<!\\w)([وف]?[بكل]?(?:ال|ل)?)ـ+[ \t]*(?=\ue000)", r"\1", text)
    text = re.sub("(?<!\\w)([وفبكل])[ \t]+(?=\ue000)", r"\1", text)
    # The article the model glued on ("الXNAME0", "للXNAME0") is marked, not dropped, until the
    # slot's form is known: an Arabic name has its own, a number keeps the model's ("الـ25").
    text = re.sub("(?<!\\w)([وف]?[بكل]?)ال(?=\ue000)", "\\1" + _ARTICLE, text)
    text = re.sub("(?<!\\w)([وف]?ل)ل(?=\ue000)", "\\1" + _ARTICLE, text)
    return _SENTINEL.sub(fix, text)


# Proclitics glued to the end of the text searched (a whole word of them: "ول", not the "ل" of "كل").
_GLUED = re.compile("(?<!\\w)(?:[وف]?[بكل]|[وف])$")
# A slot's sentinel with the proclitics glued before it, if any.
_PLACED = re.compile("((?<!\\w)(?:[وف]?[بكل]|[وف]))?(\ue003)?\ue000(\\d+)\ue001")


def _finish(
    attempt: _Attempt, protected: Protected, lang: str, extra: Sequence[str] = (), retried: bool = False
) -> Restored:
    slots = protected.slots

    def put(m: re.Match[str]) -> str:  # "ل" + "الرقة" is "للرقة", "ب" + "25" is "بـ25" (orthography)
        return attach(m.group(1) or "", slots[int(m.group(3))].form(lang), article=bool(m.group(2)))

    text = _PLACED.sub(put, _separate(attempt.text)).replace(_ARTICLE, "")
    text = re.sub(r"[ \t]{2,}", " ", text).strip()
    notes = [*extra, *attempt.repairs]
    notes.extend(f"the model wrote '{f}' itself (not from a source name); check it" for f in attempt.strays)
    return Restored(text, tuple(notes), attempt.faults, retried)


def _glossary_forms(protected: Protected, lang: str) -> list[str]:
    return [slot.form(lang) for slot in protected.slots]


def restore(output: str, protected: Protected, lang: str, known_forms: Iterable[str] = ()) -> Restored:
    """Put each slot's target form back into ``output``: exactly once per slot, whatever happened.

    ``known_forms`` (every glossary form in ``lang``) lets stray copies of names that are not in
    this segment be reported too.
    """
    return _finish(_place(output, protected, lang, known_forms), protected, lang)


def translate_protected(
    backend: Backend,
    items: Sequence[Protected],
    lang: str,
    *,
    glossary: Glossary | None = None,
    retries: int = len(SURFACES) - 1,
) -> list[Restored]:
    """Translate masked segments and restore their names, retrying faulty segments with another surface.

    One batch per attempt: the first with every segment, each retry with only the segments whose
    placeholders have not yet come back cleanly, under the next surface in :data:`SURFACES`.
    """
    known = frozenset(glossary_forms(glossary, lang)) if glossary is not None else frozenset()
    outputs = backend.translate([p.masked for p in items], lang=lang) if items else []
    if len(outputs) != len(items):
        raise ValueError(f"backend returned {len(outputs)} translations for {len(items)} segments")
    best = [(_place(o, p, lang, known), p) for o, p in zip(outputs, items, strict=True)]
    notes: list[list[str]] = [[] for _ in items]
    for attempt in range(1, min(retries, len(SURFACES) - 1) + 1):
        todo = [i for i, (a, p) in enumerate(best) if a.faults and p.slots]
        if not todo:
            break
        again = [remask(items[i], attempt) for i in todo]
        with phase(backend, f"retry {lang} ({len(todo)} with placeholder faults)"):
            outputs = backend.translate([p.masked for p in again], lang=lang)
        for i, p, output in zip(todo, again, outputs, strict=True):
            placed = _place(output, p, lang, known)
            first = SURFACES[items[i].surface].format(0)
            if placed.faults < best[i][0].faults:
                notes[i].append(
                    f"{best[i][0].faults} placeholder fault(s) with '{first}'; "
                    f"retried with '{SURFACES[attempt].format(0)}': {placed.faults} left"
                )
                best[i] = (placed, p)
            else:
                notes[i].append(
                    f"{best[i][0].faults} placeholder fault(s); a retry with "
                    f"'{SURFACES[attempt].format(0)}' did no better"
                )
    return [_finish(a, p, lang, n, bool(n)) for (a, p), n in zip(best, notes, strict=True)]


def glossary_forms(glossary: Glossary, lang: str) -> list[str]:
    """Every target form the glossary publishes in ``lang`` (the English name where it has none)."""
    return [term.target(lang) or term.en for term in glossary.terms]


@dataclass(frozen=True)
class NameCount:
    """How many source name occurrences came out in their target form (``found``) of ``expected``;
    ``extra``: target forms beyond those (model-written strays, or duplicates a repair missed)."""

    found: int
    expected: int
    extra: int

    def __add__(self, other: NameCount) -> NameCount:
        return NameCount(self.found + other.found, self.expected + other.expected, self.extra + other.extra)


def count_names(text: str, protected: Protected, lang: str, known_forms: Iterable[str] = ()) -> NameCount:
    """Score one translated segment from its text alone (independent of how it was restored)."""
    expected = Counter(_glossary_forms(protected, lang))
    finder = forms_pattern(known_forms, within=text, also=expected)
    found = Counter(form_of(m) for m in finder.finditer(text)) if finder is not None else Counter()
    hits = sum(min(found[f], n) for f, n in expected.items())
    return NameCount(hits, sum(expected.values()), sum(found.values()) - hits)


def score_backend(
    backend: Backend, texts: Sequence[str], glossary: Glossary, lang: str
) -> tuple[NameCount, list[Restored]]:
    """Translate ``texts`` as the runner does and count the names that came out in their target form."""
    items = [protect(text, glossary) for text in texts]
    restored = translate_protected(backend, items, lang, glossary=glossary)
    known = frozenset(glossary_forms(glossary, lang))
    total = NameCount(0, 0, 0)
    for item, result in zip(items, restored, strict=True):
        total += count_names(result.text, item, lang, known)
    return total, restored


def leftover_placeholders(text: str) -> list[str]:
    """Placeholder-like strings in published text (there must be none)."""
    return [m.group(0) for m in PLACEHOLDER.finditer(text)]


__all__ = [
    "PLACEHOLDER",
    "SURFACES",
    "NameCount",
    "Protected",
    "Restored",
    "Slot",
    "SlotKind",
    "Surface",
    "count_names",
    "glossary_forms",
    "leftover_placeholders",
    "placeholder",
    "protect",
    "remask",
    "restore",
    "score_backend",
    "translate_protected",
]
