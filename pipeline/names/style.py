"""The newsroom's style for numbers and dates: ``glossary/style.toml``, next to the names.

One table per target language (its CLDR locale, digits, month names, date patterns, ordinals) and a
``[protect]`` table switching protection per kind. A missing file means CLDR's defaults for every
language, both kinds protected. Every mistake is one error naming the file and the line, before any
translation runs, since a bad pattern found mid-batch would leave half the articles in one style.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

from babel import Locale
from babel.core import UnknownLocaleError

from pipeline.errors import GlossaryError
from pipeline.language import normalize

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib
from pipeline.names.numformat import (
    DIGIT_STYLES,
    SKELETONS,
    Digits,
    NumberStyle,
    format_day,
    render,
    sample_day,
)
from pipeline.names.protection import SlotKind
from pipeline.names.quantities import QuantityKind, find_quantities
from pipeline.names.terms import Match, Term

STYLE_FILE = "style.toml"
KINDS: tuple[QuantityKind, ...] = ("number", "date")
_PROTECT_KEYS = {"numbers": "number", "dates": "date"}
_PATTERN_KEYS = tuple(k for k in SKELETONS if k != "year")
_LANG_KEYS = {"locale", "digits", "months", "ordinal", *_PATTERN_KEYS}
_ORDINAL_CATEGORIES = {"zero", "one", "two", "few", "many", "other"}


@dataclass(frozen=True)
class Style:
    """Per-language number styles and the kinds to protect; ``path`` is where it was read from."""

    languages: dict[str, NumberStyle] = field(default_factory=dict)
    protect: frozenset[QuantityKind] = frozenset(KINDS)
    path: str = ""

    def for_lang(self, lang: str) -> NumberStyle:
        """The table for ``lang`` in either spelling (``[ar-EG]``, ``[ar_EG]``), else CLDR's defaults."""
        for code in (lang, normalize(lang), normalize(lang).replace("_", "-")):
            if code in self.languages:
                return self.languages[code]
        return NumberStyle.default(lang)

    def without(self, kinds: set[QuantityKind] | frozenset[QuantityKind]) -> Style:
        """The same style with some kinds left to the model (``--no-protect``)."""
        return Style(self.languages, self.protect - kinds, self.path)


def _line_of(text: str, section: str, key: str | None) -> int | None:
    """The line of ``[section]`` (or of ``key`` inside it), for error messages."""
    lines = text.splitlines()
    header = re.compile(rf"^\s*\[\s*{re.escape(section)}(?:\.[^\]]*)?\s*\]")
    start = next((i for i, line in enumerate(lines) if header.match(line)), None)
    if start is None:
        return None
    if key is None:
        return start + 1
    pattern = re.compile(rf"^\s*{re.escape(key)}\s*=")
    return next((i + 1 for i in range(start + 1, len(lines)) if pattern.match(lines[i])), start + 1)


#: The fields a date shape must show: the day (d), the month (M or L), the year (y).
_NEEDS = {"day_month": ("d", "ML"), "full_date": ("d", "ML", "y"), "month_year": ("ML", "y")}


def _pattern_problem(shape: str, pattern: str) -> str | None:
    """Babel formats almost any string, so check what a pattern must show: its fields, outside quotes."""
    if pattern.replace("''", "").count("'") % 2:
        return "unterminated quote"
    fields = set(re.sub(r"'[^']*'", "", pattern.replace("''", "")))
    if fields & set("HhKkmsSaBbjJ"):
        return "a date pattern has no time of day"
    missing = [need for need in _NEEDS[shape] if not fields & set(need)]
    return f"it must show {' and '.join(missing)}" if missing else None


class _Reader:
    def __init__(self, path: str, text: str) -> None:
        self.path, self.text = path, text

    def error(self, message: str, section: str, key: str | None = None) -> GlossaryError:
        return GlossaryError(message, self.path, _line_of(self.text, section, key))

    def protect(self, table: object) -> frozenset[QuantityKind]:
        if not isinstance(table, dict):
            raise self.error("[protect] must be a table: numbers = true, dates = true", "protect")
        kinds = set(KINDS)
        for key, value in table.items():
            if key not in _PROTECT_KEYS or not isinstance(value, bool):
                raise self.error(
                    f"[protect] takes numbers = true|false and dates = true|false, not {key}", "protect", key
                )
            if not value:
                kinds.discard(cast(QuantityKind, _PROTECT_KEYS[key]))
        return frozenset(kinds)

    def locale(self, code: object, section: str, key: str) -> str:
        try:
            return str(Locale.parse(normalize(str(code))))
        except (ValueError, TypeError, UnknownLocaleError):
            raise self.error(
                f"{key} = {code!r}: not a CLDR locale (ar, ar_IQ, fr_FR...)", section, key
            ) from None

    def language(self, lang: str, table: object) -> NumberStyle:
        if not isinstance(table, dict):
            raise self.error(f"[{lang}] must be a table", lang)
        unknown = sorted(set(table) - _LANG_KEYS)
        if unknown:
            known = ", ".join(sorted(_LANG_KEYS))
            raise self.error(f"[{lang}] has no setting {unknown[0]!r} (known: {known})", lang, unknown[0])
        locale = self.locale(table.get("locale", lang), lang, "locale")
        digits = table.get("digits", NumberStyle.default(locale).digits)
        if digits not in DIGIT_STYLES:
            raise self.error(f"digits = {digits!r}: use one of {', '.join(DIGIT_STYLES)}", lang, "digits")
        months = table.get("months", [])
        if not isinstance(months, list) or not all(isinstance(m, str) for m in months):
            raise self.error('months must be a list of locales, e.g. ["ar_IQ", "ar_EG"]', lang, "months")
        style = NumberStyle(
            locale,
            cast(Digits, digits),
            tuple(self.locale(m, lang, "months") for m in months),
            {k: str(table[k]) for k in _PATTERN_KEYS if k in table},
            self.ordinal(lang, table.get("ordinal", {})),
        )
        for shape, pattern in style.patterns.items():
            problem = _pattern_problem(shape, pattern)
            if problem is None:
                try:
                    format_day(sample_day(), shape, style)
                except (ValueError, KeyError, TypeError, AttributeError) as exc:
                    problem = str(exc)
            if problem:
                message = f"{shape} = {pattern!r}: not a CLDR date pattern ({problem})"
                raise self.error(message, lang, shape)
        return style

    def ordinal(self, lang: str, value: object) -> dict[str, str]:
        table = {"other": value} if isinstance(value, str) else value
        if (
            not isinstance(table, dict)
            or not set(table) <= _ORDINAL_CATEGORIES
            or not all(isinstance(v, str) and "{n}" in v for v in table.values())
        ):
            raise self.error(
                'ordinal is "{n}" or a table of CLDR categories, e.g. one = "{n}er"', lang, "ordinal"
            )
        return cast(dict[str, str], table)


def parse_style(text: str, path: str = STYLE_FILE) -> Style:
    """A style from TOML text; :class:`GlossaryError` names the file and line of any mistake."""
    try:
        data: dict[str, Any] = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line = re.search(r"line (\d+)", str(exc))
        raise GlossaryError(f"not valid TOML: {exc}", path, int(line.group(1)) if line else None) from None
    reader = _Reader(path, text)
    protect = reader.protect(data.pop("protect", {}))
    languages = {lang: reader.language(lang, table) for lang, table in data.items()}
    return Style(languages, protect, path)


def load_style(glossary: str | Path | None) -> Style:
    """``style.toml`` in the glossary folder (or the file itself); defaults when there is none."""
    if glossary is None:
        return Style()
    location = Path(glossary)
    if location.suffix == ".toml":
        file = location
    else:  # the glossary folder, or the folder of a glossary file
        file = (location.parent if location.is_file() else location) / STYLE_FILE
    if not file.is_file():
        return Style()
    try:
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise GlossaryError(f"cannot read the style file: {exc}", file) from None
    return parse_style(text, str(file))


def quantity_matches(text: str, lang: str, style: Style) -> list[tuple[SlotKind, Match]]:
    """The numbers and dates of ``text`` to protect in ``lang``: each a term whose ``lang`` form is
    its rendering, so the name guarantee's machinery puts it back exactly once (see ``protect``)."""
    if not style.protect:
        return []
    number_style = style.for_lang(lang)
    found: list[tuple[SlotKind, Match]] = []
    for q in find_quantities(text, style.protect):
        term = Term(q.text, {lang: render(q, number_style)})
        found.append((q.kind, Match(q.start, q.end, term, q.text)))
    return found


__all__ = ["KINDS", "STYLE_FILE", "Style", "load_style", "parse_style", "quantity_matches"]
