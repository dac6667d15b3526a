"""Language codes and the few facts about a language every stage needs: its base code, names,
direction, script and digits.

One module at the bottom of the package, so that the glossary checks, the QA checks, the model
registry, the catalogs and the pages all agree on what ``ar-EG`` or ``pt_BR`` means. Names and
direction come from Babel's CLDR data; scripts and digits are small tables of our own, because
CLDR says which script a *locale* uses, not which letters count as "written in it".
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from babel import Locale

Direction = Literal["ltr", "rtl"]

#: A letter range per script our checks tell apart, and the base languages written in it.
SCRIPT_RANGES: dict[str, str] = {
    "Arab": "\u0600-\u06ff",
    "Hebr": "\u0590-\u05ff",
    "Cyrl": "\u0400-\u04ff",
    "Grek": "\u0370-\u03ff",
    "Hani": "\u4e00-\u9fff",
    "Jpan": "\u3040-\u30ff\u4e00-\u9fff",
    "Hang": "\uac00-\ud7af",
}
_SCRIPT_OF: dict[str, str] = {
    **dict.fromkeys(("ar", "arz", "apc", "acm", "ary", "fa", "ur", "ps", "ckb", "ug", "sd"), "Arab"),
    **dict.fromkeys(("he", "yi"), "Hebr"),
    **dict.fromkeys(("ru", "uk", "bg"), "Cyrl"),
    "el": "Grek",
    "zh": "Hani",
    "ja": "Jpan",
    "ko": "Hang",
}

#: Arabic-Indic and Persian digits, as ASCII digits (for comparing numbers across scripts).
_TO_ASCII_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
#: Any digit a number in our languages may be written with, as a regex character-class body.
DIGIT_CLASS = "0-9٠-٩۰-۹"


def normalize(lang: str) -> str:
    """``ar-EG`` → ``ar_EG``: Babel's and gettext's spelling of a locale code."""
    return lang.strip().replace("-", "_")


#: BCP 47's shape for the codes we accept: language, optional script, optional region (``ar``,
#: ``ar-EG``, ``pt_BR``, ``zh_Hant``, ``es-419``), in their canonical case.
_CODE = re.compile(r"[a-z]{2,3}(?:_[A-Z][a-z]{3})?(?:_(?:[A-Z]{2}|[0-9]{3}))?")


def code_problem(lang: str) -> str | None:
    """Why ``lang`` is not a language code we can name a folder after, or None if it is one.

    Codes become folder names (``locales/<lang>/``, ``build/<lang>/``) and page ``lang``
    attributes, so they must be canonical BCP 47 that CLDR knows: ``ar-../../x`` would write
    outside those folders, ``AR`` and ``ar-zz`` would be a second, unreadable Arabic. Babel's
    ``Locale.parse`` is too forgiving for this (it folds case and maps ``ar_ZZ`` to ``ar_EG``),
    so the spelling is checked first and then looked up in CLDR's locale list as written.
    """
    from babel import localedata

    code = normalize(lang)
    if not code:
        return "empty language code"
    canonical = _canonical(code)
    if canonical is None or not _CODE.fullmatch(canonical) or canonical == "root":
        return "not a language code (BCP 47: a language such as ar, fr, he, optionally a region: ar-EG)"
    if not localedata.exists(canonical):
        return "not a language or region CLDR knows (use a code such as ar, fr, he, ar-EG)"
    if canonical != code:
        return f"not in a language code's case (did you mean '{_spelled_as(canonical, lang)}'?)"
    return None


def _spelled_as(canonical: str, lang: str) -> str:
    return canonical.replace("_", "-") if "-" in lang else canonical


def _canonical(code: str) -> str | None:
    parts = code.split("_")
    if not 1 <= len(parts) <= 3 or not all(p.isalnum() and p.isascii() for p in parts):
        return None
    out = [parts[0].lower()]
    for part in parts[1:]:
        out.append(part.title() if len(part) == 4 else part.upper())
    return "_".join(out)


def base_language(lang: str) -> str:
    """``ar_EG``, ``ar-EG``, ``AR`` → ``ar``."""
    return normalize(lang).split("_")[0].lower()


def script(lang: str) -> str | None:
    """The script (ISO 15924) a language is written in, for the languages we tell apart; None
    for Latin-script and unknown ones."""
    return _SCRIPT_OF.get(base_language(lang))


def letter_range(lang: str) -> str | None:
    """A regex character-class body of the letters of ``lang``'s script, or None (Latin/unknown)."""
    code = script(lang)
    return SCRIPT_RANGES[code] if code else None


def is_arabic_script(lang: str) -> bool:
    return script(lang) == "Arab"


def ascii_digits(text: str) -> str:
    """``١٬٥٠٠`` → ``1٬500``: digits only; separators are left to the caller."""
    return text.translate(_TO_ASCII_DIGITS)


def _locale(lang: str) -> Locale | None:
    from babel import Locale
    from babel.core import UnknownLocaleError

    try:
        return Locale.parse(normalize(lang))
    except (ValueError, LookupError, UnknownLocaleError):
        return None


def english_name(lang: str) -> str:
    """The language's name in English (for the newsroom), or the code itself if CLDR lacks it."""
    locale = _locale(lang)
    return (locale.get_display_name("en") if locale is not None else None) or lang


def native_name(lang: str) -> str:
    """The language's name in itself (for readers), or the code itself if CLDR lacks it."""
    locale = _locale(lang)
    return (locale.get_display_name(locale) if locale is not None else None) or lang


def text_direction(lang: str) -> Direction:
    """``rtl`` or ``ltr`` from CLDR; ``ltr`` for a code CLDR does not know."""
    locale = _locale(lang)
    return "rtl" if locale is not None and locale.text_direction == "rtl" else "ltr"
