"""What the cross-language overview shows about each language it lists.

Names and direction come from :mod:`pipeline.language` (CLDR); ``Plural-Forms`` from our checked
gettext table (:func:`pipeline.catalog.plurals.plural_forms`), because Babel's own plural table is
wrong for some of the languages we publish in. It lives in render, not beside the other locale
facts, because the plural table belongs to the catalog stage, which the base module sits below.
"""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.catalog.plurals import plural_forms
from pipeline.language import Direction, english_name, native_name, text_direction


@dataclass(frozen=True)
class LanguageInfo:
    code: str
    name: str  # in English, for the newsroom
    native: str  # in the language itself, for readers
    direction: Direction
    plural_forms: str


def language_info(lang: str) -> LanguageInfo:
    return LanguageInfo(lang, english_name(lang), native_name(lang), text_direction(lang), plural_forms(lang))
