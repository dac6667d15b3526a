"""Language codes and the few facts about a language every stage needs: its base code, names,
direction, script and digits.

One module at the bottom of the package, so that the glossary checks, the QA checks, the model
registry, the catalogs and the pages all agree on what ``ar-EG`` or ``pt_BR`` means. Names and
direction come from Babel's CLDR data; scripts and digits are small tables of our own, because
CLDR says which script a *locale* uses, not which letters count as "written in it".
"""

from __future__ import annotations

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
