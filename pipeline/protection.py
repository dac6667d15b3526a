"""Protect names: mask glossary terms before translation, put their fixed forms back after.

The model never sees a protected name, only a placeholder such as ``XNAME0``. Whatever the
model does to the placeholders (drop, repeat, split, transliterate, move them), :func:`restore`
guarantees that each source occurrence yields exactly one target form, and reports each repair
so the PO entry can say what was fixed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .glossary import Glossary, Term

#: Placeholder surfaces, tried in order. ``{n}`` is the slot number.
SURFACES = ("XNAME{n}",)

_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
_NUM = r"([0-9٠-٩۰-۹]+)"
# Latin placeholder, tolerant of inserted spaces, separators and case ("X NAME 0", "xname-0").
_LATIN = rf"[XxＸ]\s*[-_]?\s*[Nn]\s*[Aa]\s*[Mm]\s*[Ee]\s*[-_]?\s*{_NUM}"
# The same placeholder transliterated into Arabic script by the model ("اكسنيم0", "إكس نيم ٠").
_ARABIC = rf"[اإ]?كس\s*[-_]?\s*(?:نيم|نام|نايم|نيمي)\s*[-_]?\s*{_NUM}"
PLACEHOLDER = re.compile(rf"{_LATIN}|{_ARABIC}")
# Private-use brackets hold a slot's place while repairs run; they cannot occur in model output
# because restore() removes them from it first.
_SENTINEL = re.compile("\ue000(\\d+)\ue001")


def _sentinel(index: int) -> str:
    return f"\ue000{index}\ue001"


@dataclass(frozen=True)
class Slot:
    """One protected occurrence: ``source`` is the text as written in the article."""

    index: int
    term: Term
    source: str
    start: int
    end: int

    def form(self, lang: str) -> str:
        return self.term.target(lang) or self.source


@dataclass(frozen=True)
class Protected:
    source: str
    masked: str
    slots: tuple[Slot, ...]


@dataclass(frozen=True)
class Restored:
    text: str
    repairs: tuple[str, ...]


def placeholder(n: int, surface: str = SURFACES[0]) -> str:
    return surface.format(n=n)


def protect(text: str, glossary: Glossary, surface: str = SURFACES[0]) -> Protected:
    """Replace every glossary occurrence in ``text`` by a numbered placeholder."""
    parts: list[str] = []
    slots: list[Slot] = []
    cursor = 0
    for match in glossary.find(text):
        parts.append(text[cursor : match.start])
        parts.append(placeholder(len(slots), surface))
        slots.append(Slot(len(slots), match.term, match.text, match.start, match.end))
        cursor = match.end
    parts.append(text[cursor:])
    return Protected(text, "".join(parts), tuple(slots))


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


def restore(output: str, protected: Protected, lang: str) -> Restored:
    """Put each slot's target form back into ``output``: exactly once per slot, whatever happened."""
    slots = protected.slots
    repairs: list[str] = []
    used: set[int] = set()

    def substitute(match: re.Match[str]) -> str:
        digits = next(g for g in match.groups() if g is not None)
        index = int(digits.translate(_DIGITS))
        raw = match.group(0)
        if index >= len(slots):
            repairs.append(f"removed stray placeholder '{raw}'")
            return ""
        slot = slots[index]
        if index in used:
            repairs.append(f"{slot.term.en}: duplicated by the model, extra copy removed")
            return ""
        used.add(index)
        if raw != placeholder(index):
            repairs.append(f"{slot.term.en}: placeholder came back as '{raw}', recognised")
        return _sentinel(index)

    text = PLACEHOLDER.sub(substitute, output.replace("\ue000", "").replace("\ue001", ""))
    missing = [slot for slot in slots if slot.index not in used]
    # Insert each dropped name where it stood in the source, relative to the sentence. Points
    # are chosen on the text before any insertion, so several dropped names keep their source
    # order; sentinels have no spaces, so an insertion never lands inside a name put back.
    points = [
        (_insertion_point(text, slot.start / max(len(protected.source), 1)), slot.index) for slot in missing
    ]
    for at, index in sorted(points, reverse=True):
        before, after = text[:at], text[at:]
        pad_left = " " if before and not before[-1].isspace() else ""
        pad_right = " " if after and (after[0].isalnum() or after[0] == "\ue000") else ""
        text = f"{before}{pad_left}{_sentinel(index)}{pad_right}{after}"
    repairs.extend(f"{slot.term.en}: dropped by the model, inserted" for slot in missing)
    text = _SENTINEL.sub(lambda m: slots[int(m.group(1))].form(lang), text)
    text = re.sub(r"[ \t]{2,}", " ", text).strip()
    return Restored(text, tuple(repairs))
