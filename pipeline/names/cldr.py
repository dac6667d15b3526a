"""Country and city names from Babel's CLDR data: a built-in glossary layer under the project's.

CLDR (the Unicode Common Locale Data Repository, shipped inside Babel) names every country in
every language (``Locale('ar').territories['IQ'] == 'العراق'``) and has "exemplar city" names for
time zones (``Asia/Baghdad`` → بغداد). That gives correct names for places no newsroom glossary
lists yet, in any target language, for free. The project glossary overrides it: a term whose English
spelling (or variant) a project entry uses is dropped from this layer.

Built-in terms match case-sensitively (``Turkey`` the country, not the bird in lower case) and skip
names that are also common English words or first names (``Chad``, ``Christmas``, ``Sydney``),
because an unreviewed layer must not rewrite ordinary words.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from functools import lru_cache
from typing import Literal

from pipeline.language import normalize
from pipeline.names.terms import Term, TermKind

LAYER = "CLDR"
#: Where in CLDR a name comes from: a territory (country) name, or a time zone's exemplar city.
Source = Literal["territory", "city"]

#: English spellings newsrooms use that CLDR lists under another name, by territory code.
ENGLISH_ALIASES: dict[str, tuple[str, ...]] = {
    "TR": ("Turkey",),
    "MM": ("Myanmar", "Burma"),
    "CD": ("Democratic Republic of the Congo", "DR Congo"),
    "CG": ("Republic of the Congo",),
    "CI": ("Ivory Coast", "Cote d'Ivoire"),
    "PS": ("Palestine",),
    "US": ("United States of America",),
    "GB": ("Britain", "Great Britain"),
    "CZ": ("Czech Republic",),
    "MK": ("Macedonia",),
    "SZ": ("Swaziland",),
    "VA": ("Vatican",),
}

#: CLDR names that are also ordinary English words or common first names and surnames.
AMBIGUOUS = frozenset(
    {
        "Chad", "Jersey", "Guernsey", "Man", "Christmas", "Easter", "Wake", "Resolute", "Center",
        "Stanley", "Dawson", "Casey", "Davis", "Palmer", "Troll", "Regina", "Phoenix", "Victoria",
        "Hope", "Beulah", "Marengo", "Knox", "Nome", "Sydney", "Darwin", "Adelaide", "Chatham",
        "Mendoza", "Cordoba", "Santa Isabel",
    }
)  # fmt: skip
# Time-zone areas whose exemplar cities are real cities (not bases, islands or US counties).
_CITY_AREAS = ("Africa", "America", "Asia", "Europe")
_NOT_PLACES = ("EZ", "ZZ", "QO")
_ORGANISATIONS = ("EU", "UN")


class _CldrForms(Mapping[str, str]):
    """A name's forms, looked up in CLDR on demand for any language.

    It lists no languages (CLDR has hundreds): ``Glossary.languages`` stays the project's own.
    """

    def __init__(self, kind: Source, key: str) -> None:
        self.kind, self.key = kind, key

    def __getitem__(self, lang: str) -> str:
        name = _localized(self.kind, self.key, lang)
        if not name:
            raise KeyError(lang)
        return name

    def __iter__(self) -> Iterator[str]:
        return iter(())

    def __len__(self) -> int:
        return 0

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _CldrForms) and (self.kind, self.key) == (other.kind, other.key)

    def __hash__(self) -> int:
        return hash((self.kind, self.key))


@lru_cache(maxsize=4096)
def _localized(kind: Source, key: str, lang: str) -> str | None:
    from babel import Locale
    from babel.core import UnknownLocaleError
    from babel.dates import get_timezone_location

    try:
        locale = Locale.parse(normalize(lang))
    except (UnknownLocaleError, ValueError):
        return None
    if kind == "territory":
        return locale.territories.get(key)
    if key not in locale.time_zones or "city" not in locale.time_zones[key]:
        return None  # the city has no name of its own in this language: keep it as written
    return get_timezone_location(key, locale=locale, return_city=True)


def _usable(name: str) -> bool:
    return bool(name) and name not in AMBIGUOUS and not any(c in name for c in "()&/") and " - " not in name


def _term(en: str, forms: _CldrForms, variants: tuple[str, ...], note: str, kind: TermKind = "place") -> Term:
    return Term(en, forms, kind, variants, note, LAYER, 0, builtin=LAYER, case_sensitive=True)


@lru_cache(maxsize=1)
def cldr_terms() -> tuple[Term, ...]:
    """Every country and city the layer knows, with English spellings; forms come from CLDR."""
    from babel import Locale
    from babel.dates import get_timezone_location

    english = Locale("en")
    terms: list[Term] = []
    seen: set[str] = set()
    for code, name in sorted(english.territories.items()):
        # Regions (001), groupings (EU, UN) and user-assigned codes are not places; Kosovo's is real.
        if code != "XK" and (len(code) != 2 or not code.isalpha() or code in _NOT_PLACES or code[0] == "X"):
            continue
        spellings = [s for s in (name, *ENGLISH_ALIASES.get(code, ())) if _usable(s) and s not in seen]
        if not spellings:
            continue
        seen.update(spellings)
        forms = _CldrForms("territory", code)
        note = f"CLDR territory {code}"
        kind: TermKind = "org" if code in _ORGANISATIONS else "place"
        terms.append(_term(spellings[0], forms, tuple(spellings[1:]), note, kind))
    for zone in sorted(Locale("ar").time_zones):
        area, _, rest = zone.partition("/")
        if area not in _CITY_AREAS or "/" in rest or not rest:
            continue
        city = get_timezone_location(zone, locale=english, return_city=True)
        if not _usable(city) or city in seen:
            continue
        seen.add(city)
        terms.append(_term(city, _CldrForms("city", zone), (), f"CLDR city {zone}"))
    return tuple(terms)
