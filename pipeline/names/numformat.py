"""Render a protected number or date in a target locale, from CLDR through Babel, in house style.

Babel gives the locale's grouping and decimal symbols (``format_decimal``), its percent pattern
(where the sign goes, with or without a space: ``2 %`` in French) and its date patterns and month
names (``format_date``, CLDR skeletons ``MMMMd``/``yMMMMd``/``yMMMM``); the newsroom's style
(:class:`NumberStyle`, from ``glossary/style.toml``) picks the digits, overrides patterns and can
join two locales' month names ("تشرين الثاني/نوفمبر"). Two things are ours, because Babel 2.x
formats with ASCII digits whatever the numbering system and puts the pattern's literal ``%``
rather than the numbering system's sign: the digits are mapped from CLDR's ``arab`` digit set, and
the sign is CLDR's ``percentSign`` for that system. Bidi marks (LRM, ALM) in CLDR's symbols are
left out: the PO file holds what a translator can see, and pages isolate numbers themselves.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import lru_cache
from typing import Literal, get_args

from babel import Locale
from babel.dates import format_date, match_skeleton
from babel.numbers import format_decimal

from pipeline.language import normalize
from pipeline.names.quantities import Figure, Quantity

#: The digits a newsroom may publish: Western (``latn``) or Arabic-Indic (``arab``), CLDR's names.
Digits = Literal["latn", "arab"]
DIGIT_STYLES: tuple[Digits, ...] = get_args(Digits)
_DIGIT_MAP = {"latn": str.maketrans("", ""), "arab": str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")}
_BIDI_MARKS = dict.fromkeys(map(ord, "\u200e\u200f\u061c"))
#: Date shapes and the CLDR skeleton each is rendered from when the style gives no pattern.
SKELETONS = {"day_month": "MMMMd", "full_date": "yMMMMd", "month_year": "yMMMM", "year": "y"}
#: Ordinals per CLDR ordinal category (``Locale.ordinal_form``) for languages that mark them with
#: digits; elsewhere an ordinal is its number (Arabic and Hebrew news write "27" or spell it out).
ORDINALS: dict[str, dict[str, str]] = {
    "fr": {"one": "{n}er", "other": "{n}e"},
    "en": {"one": "{n}st", "two": "{n}nd", "few": "{n}rd", "other": "{n}th"},
}


@dataclass(frozen=True)
class NumberStyle:
    """How one target language writes numbers and dates.

    ``locale``: the CLDR locale of formats and month names (``ar_IQ``: تشرين الثاني; ``ar_EG``: نوفمبر).
    ``months``: locales whose month names are joined with ``/`` (empty: ``locale``'s own).
    ``patterns``: CLDR date patterns by shape (``day_month``, ``full_date``, ``month_year``).
    ``ordinal``: templates by CLDR ordinal category, ``{n}`` the number (``other`` is the fallback).
    """

    locale: str
    digits: Digits = "latn"
    months: tuple[str, ...] = ()
    patterns: dict[str, str] = field(default_factory=dict)
    ordinal: dict[str, str] = field(default_factory=dict)

    @classmethod
    def default(cls, lang: str) -> NumberStyle:
        """CLDR's own choices for ``lang`` (``ar``, ``ar-EG`` or ``ar_EG``): its default digits if they
        are ones we know."""
        locale = Locale.parse(normalize(lang))
        digits: Digits = "arab" if locale.default_numbering_system == "arab" else "latn"
        return cls(str(locale), digits)


@lru_cache(maxsize=64)
def _locale(code: str) -> Locale:
    return Locale.parse(code)


def _digits(text: str, style: NumberStyle) -> str:
    return text.translate(_DIGIT_MAP[style.digits])


def figure(fig: Figure, style: NumberStyle) -> str:
    """``1,500`` → ``1 500`` (fr), ``١٬٥٠٠`` (ar, arab); a number written ungrouped (``1500``, an
    identifier or a year) stays ungrouped, and its fraction digits are kept as written."""
    whole = "#,##0" if fig.grouped else "0" * fig.width
    pattern = whole + ("." + "0" * fig.decimals if fig.decimals else "")
    text = format_decimal(fig.value, pattern, locale=_locale(style.locale), numbering_system=style.digits)
    return _digits(text, style)


def _percent(number: str, style: NumberStyle) -> str:
    """``number`` inside the locale's percent pattern, with the digit system's own sign."""
    locale = _locale(style.locale)
    pattern = locale.percent_formats[None]
    sign = str(locale.number_symbols[style.digits]["percentSign"]).translate(_BIDI_MARKS)
    prefix, suffix = (
        part.replace("%", sign).translate(_BIDI_MARKS) for part in (pattern.prefix[0], pattern.suffix[0])
    )
    return f"{prefix}{number}{suffix}"


def _ordinal(fig: Figure, style: NumberStyle) -> str:
    language = style.locale.split("_")[0]
    table = style.ordinal or ORDINALS.get(language, {"other": "{n}"})
    category = _locale(style.locale).ordinal_form(int(fig.value))
    return (table.get(category) or table.get("other", "{n}")).format(n=figure(fig, style))


def _month_names(month: int, style: NumberStyle) -> str:
    names = [_locale(code).months["format"]["wide"][month] for code in style.months]
    return "/".join(dict.fromkeys(names))


def date_pattern(shape: str, style: NumberStyle) -> str:
    """The CLDR pattern for a date shape: the style's, else the locale's best match for the skeleton."""
    if shape in style.patterns:
        return style.patterns[shape]
    return _best_pattern(shape, style.locale)


@lru_cache(maxsize=256)
def _best_pattern(shape: str, code: str) -> str:
    """Babel's skeleton matching walks every skeleton of the locale: a millisecond per date, so
    once per shape and locale, not once per date of a long article."""
    locale = _locale(code)
    skeleton = SKELETONS[shape]
    best = match_skeleton(skeleton, locale.datetime_skeletons) or skeleton
    return str(locale.datetime_skeletons[best].pattern) if best in locale.datetime_skeletons else "y"


def format_day(day: date, shape: str, style: NumberStyle) -> str:
    """A date in the style's pattern; dual month names replace the month as a quoted literal."""
    pattern = date_pattern(shape, style)
    if style.months:
        literal = "'" + _month_names(day.month, style).replace("'", "''") + "'"
        for token in ("MMMM", "LLLL"):
            pattern = pattern.replace(token, literal)
    return _digits(format_date(day, pattern, locale=_locale(style.locale)), style).translate(_BIDI_MARKS)


def render(quantity: Quantity, style: NumberStyle) -> str:
    """What a protected quantity publishes as in the target language."""
    if quantity.kind == "date":
        assert quantity.day is not None
        return format_day(quantity.day, quantity.shape, style)
    if quantity.shape == "ordinal":
        return _ordinal(quantity.figures[0], style)
    numbers = "–".join(figure(f, style) for f in quantity.figures)
    return _percent(numbers, style) if quantity.percent else numbers


def sample_day() -> date:
    """A day to try a style's patterns on (4 November 2017, the sample article's)."""
    return date(2017, 11, 4)


__all__ = [
    "DIGIT_STYLES",
    "ORDINALS",
    "SKELETONS",
    "Decimal",
    "Digits",
    "NumberStyle",
    "date_pattern",
    "figure",
    "format_day",
    "render",
    "sample_day",
]
