"""Find numbers and absolute dates in English source text, so they can be protected like names.

A model that sees "2%" may write "20%"; one that sees "November 4th" may write another day. What is
found here is masked before translation and rendered from CLDR after it (:mod:`numformat`), so the
published figure is the source's, in the newsroom's style. Only what can be read unambiguously is
taken: relative dates ("last year", "on Monday"), number words ("three"), times ("10:30"), numbers
glued to letters ("F-16", "G20", "COVID-19") and slash dates ("04/11/2017", whose order is a guess)
are left to the model, and the ``numbers`` QA check still watches them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Literal

#: What a slot holds: the two kinds of quantity, each switchable on its own (``style.toml``).
QuantityKind = Literal["number", "date"]
#: How it was written, which decides how it is rendered.
Shape = Literal[
    "integer", "decimal", "percent", "range", "ordinal", "year", "day_month", "full_date", "month_year"
]

MONTHS: dict[str, int] = {
    name: number
    for number, names in enumerate(
        (
            ("January", "Jan"),
            ("February", "Feb"),
            ("March", "Mar"),
            ("April", "Apr"),
            ("May",),
            ("June", "Jun"),
            ("July", "Jul"),
            ("August", "Aug"),
            ("September", "Sept", "Sep"),
            ("October", "Oct"),
            ("November", "Nov"),
            ("December", "Dec"),
        ),
        start=1,
    )
    for name in names
}
_FULL = [m for m in MONTHS if len(m) > 4 or m in ("May", "June", "July")]
_ABBREVIATED = [m for m in MONTHS if m not in _FULL]
# An abbreviation may take a full stop ("Nov. 4"); a full name may not, the stop ends the sentence.
_MONTH = (
    "(?P<month>(?:"
    + "|".join(_FULL)
    + r")\b|(?:"
    + "|".join(sorted(_ABBREVIATED, key=len, reverse=True))
    + r")\b\.?)"
)
_DAY = r"(?P<day>[0-3]?\d)(?P<suffix>st|nd|rd|th)?\b"
_YEAR = r"(?P<year>1[6-9]\d\d|20\d\d)\b"
# A number as English copy writes it: "1,500", "1500", "3.5", "0.25". Not part of a longer token:
# no letter, digit, separator, slash or colon next to it, and no word-hyphen before it ("F-16").
_BEFORE = r"(?<![\w.,/:$€£])(?<![A-Za-z]-)"
_AFTER = r"(?![\w]|[.,:/]\d)"
_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_PERCENT = r"\s?%|\s+(?:percent|per\s+cent)\b"

_DATE_PATTERNS: tuple[tuple[Shape, re.Pattern[str]], ...] = (
    ("full_date", re.compile(rf"\b{_MONTH}\s+{_DAY},?\s+{_YEAR}")),
    ("full_date", re.compile(rf"\b{_DAY}(?:\s+of)?\s+{_MONTH},?\s+{_YEAR}")),
    ("day_month", re.compile(rf"\b{_MONTH}\s+{_DAY}")),
    ("day_month", re.compile(rf"\b{_DAY}(?:\s+of)?\s+{_MONTH}")),
    ("month_year", re.compile(rf"\b{_MONTH},?\s+{_YEAR}")),
)
# A year is a date only in context ("in 2017", "since 2014", "the 2003 invasion"), else it is a number.
_YEAR_CONTEXT = re.compile(
    r"\b(?:[Ii]n|[Ss]ince|[Bb]y|[Uu]ntil|[Tt]ill|[Ff]rom|[Oo]f|[Dd]uring|[Bb]efore|[Aa]fter|[Tt]hrough|"
    r"[Tt]he|[Ee]arly|[Ll]ate|[Mm]id-?|[Yy]ear|[Ss]pring|[Ss]ummer|[Aa]utumn|[Ff]all|[Ww]inter)\s*"
    rf"{_BEFORE}{_YEAR}(?![\w]|[.,:/%]\d|\s?%|\s+per)"
)
_NUMBER_PATTERNS: tuple[tuple[Shape | Literal["number"], re.Pattern[str]], ...] = (
    ("range", re.compile(rf"{_BEFORE}(?P<a>{_NUM})\s?[-–—]\s?(?P<b>{_NUM})(?P<pct>{_PERCENT})?{_AFTER}")),
    ("percent", re.compile(rf"{_BEFORE}(?P<a>{_NUM})(?:{_PERCENT})")),
    ("ordinal", re.compile(rf"{_BEFORE}(?P<a>\d{{1,3}}(?:,\d{{3}})+|\d+)(?P<suffix>st|nd|rd|th)\b")),
    ("number", re.compile(rf"{_BEFORE}(?P<a>{_NUM}){_AFTER}")),
)


@dataclass(frozen=True)
class Figure:
    """One number as written: its value, its fraction digits, whether the source grouped thousands."""

    value: Decimal
    decimals: int
    grouped: bool
    width: int = 1  # integer digits to keep: "00" in a score "26 - 00" stays two digits

    @classmethod
    def parse(cls, text: str) -> Figure:
        plain = text.replace(",", "")
        whole, _, fraction = plain.partition(".")
        width = len(whole) if whole.startswith("0") else 1
        return cls(Decimal(plain), len(fraction), "," in text, width)


@dataclass(frozen=True)
class Quantity:
    """A number or date found in the source: ``text`` is the span as written (``start``:``end``)."""

    start: int
    end: int
    text: str
    kind: QuantityKind
    shape: Shape
    figures: tuple[Figure, ...] = ()  # numbers: one, or two for a range
    percent: bool = False  # a percentage, or a range of them ("10-15%")
    day: date | None = None  # dates: the day (the year is a placeholder without ``has_year``)
    has_year: bool = False


def _ordinal_ok(number: str, suffix: str | None) -> bool:
    """``1st``, ``22nd``, ``13th`` but not ``1th`` or ``3st``: a wrong suffix is not an ordinal we trust."""
    if not suffix:
        return True
    n = int(number.replace(",", ""))
    expected = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return suffix == expected


def _date_of(match: re.Match[str]) -> tuple[date, bool] | None:
    groups = match.groupdict()
    year = int(groups["year"]) if groups.get("year") else None
    day = int(groups["day"]) if groups.get("day") else 1
    if groups.get("day") and not _ordinal_ok(groups["day"], groups.get("suffix")):
        return None
    try:  # 2000 is a leap year, so "February 29" without a year is still a day
        return date(year or 2000, MONTHS[groups["month"].rstrip(".")], day), year is not None
    except ValueError:
        return None  # "February 30", "November 31"


def _free(taken: list[tuple[int, int]], start: int, end: int) -> bool:
    return all(end <= s or start >= e for s, e in taken)


def _dates(text: str, taken: list[tuple[int, int]]) -> list[Quantity]:
    found: list[Quantity] = []
    for shape, pattern in _DATE_PATTERNS:
        for m in pattern.finditer(text):
            parsed = _date_of(m)
            if parsed is None or not _free(taken, m.start(), m.end()):
                continue
            taken.append((m.start(), m.end()))
            found.append(
                Quantity(m.start(), m.end(), m.group(0), "date", shape, day=parsed[0], has_year=parsed[1])
            )
    for m in _YEAR_CONTEXT.finditer(text):
        start, end = m.span("year")
        if _free(taken, start, end):
            taken.append((start, end))
            found.append(
                Quantity(
                    start,
                    end,
                    m.group("year"),
                    "date",
                    "year",
                    day=date(int(m.group("year")), 1, 1),
                    has_year=True,
                )
            )
    return found


def _numbers(text: str, taken: list[tuple[int, int]]) -> list[Quantity]:
    found: list[Quantity] = []
    for shape, pattern in _NUMBER_PATTERNS:
        for m in pattern.finditer(text):
            if not _free(taken, m.start(), m.end()):
                continue
            groups = m.groupdict()
            if shape == "ordinal" and not _ordinal_ok(groups["a"], groups["suffix"]):
                continue
            figures = tuple(Figure.parse(groups[k]) for k in ("a", "b") if groups.get(k))
            kind: Shape = ("decimal" if figures[0].decimals else "integer") if shape == "number" else shape
            percent = shape == "percent" or bool(groups.get("pct"))
            taken.append((m.start(), m.end()))
            found.append(Quantity(m.start(), m.end(), m.group(0), "number", kind, figures, percent))
    return found


def find_quantities(
    text: str, kinds: frozenset[QuantityKind] = frozenset({"number", "date"})
) -> list[Quantity]:
    """Every number and absolute date in ``text``, in order, none overlapping; dates first, so the
    "4" of "November 4" is part of the date, not a number of its own."""
    taken: list[tuple[int, int]] = []
    found = _dates(text, taken) + _numbers(text, taken)
    return sorted((q for q in found if q.kind in kinds), key=lambda q: q.start)


__all__ = ["MONTHS", "Figure", "Quantity", "QuantityKind", "Shape", "find_quantities"]
