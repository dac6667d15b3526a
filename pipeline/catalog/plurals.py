"""Plural rules: the ``Plural-Forms`` header each language's PO files are written with.

Translators' plural msgstrs are indexed by this rule, so it has to be the one Poedit, Weblate
and gettext's own tools use, and a rule that moves under an existing file has to be reported
(:func:`plural_rule_drift`), never applied silently.
"""

from __future__ import annotations

import gettext
import re

import polib

from pipeline.errors import CatalogError
from pipeline.language import base_language, normalize

#: gettext's plural rules for the languages we support, as Poedit and Weblate use them. Sources:
#: GNU gettext's table (gettext-tools/src/plural-table.c, what ``msginit`` writes) for en, de, es,
#: it, pt, pt_BR, fr, he, tr, ru, uk, pl; the gettext manual's "six forms" rule for ar (not in msginit's
#: table); CLDR for fa ("one: i = 0 or n = 1", as Weblate) and ur (not in gettext's table).
#: Babel's own table disagrees for ar (forms 4 and 5 swapped, babel #816), tr and fa (one form),
#: so Babel is only a fallback, and only where it agrees with CLDR (see ``babel_plural_forms``).
GETTEXT_PLURALS: dict[str, tuple[int, str]] = {
    "ar": (6, "n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 : n%100>=11 ? 4 : 5"),
    "en": (2, "n != 1"),
    "de": (2, "n != 1"),
    "es": (2, "n != 1"),
    "it": (2, "n != 1"),
    "pt": (2, "n != 1"),
    "pt_BR": (2, "n > 1"),
    "fr": (2, "n > 1"),
    "he": (2, "n != 1"),
    "tr": (2, "n != 1"),
    "fa": (2, "n > 1"),
    "ur": (2, "n != 1"),
    "ru": (3, "n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2"),
    "uk": (3, "n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2"),
    "pl": (3, "n==1 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2"),
}

#: Counts compared when checking Babel's rule against CLDR's (covers every n%100 and n%10 case).
_PLURAL_PROBE = range(0, 1001)
_HEADER = re.compile(r"\s*nplurals\s*=\s*(\d+)\s*;\s*plural\s*=(.*?);?\s*$")


def plural_forms(lang: str) -> str:
    """The ``Plural-Forms`` header value for ``lang``."""
    for key in (normalize(lang), base_language(lang)):
        if key in GETTEXT_PLURALS:
            n, rule = GETTEXT_PLURALS[key]
            return f"nplurals={n}; plural={rule};"
    return babel_plural_forms(lang)


def babel_plural_forms(lang: str) -> str:
    """Babel's rule for a language outside our table, if it agrees with CLDR's for n = 0..1000.

    Babel's hand-written gettext table is what ``get_plural`` returns; its CLDR data is what the
    rule should mean. Where they disagree (Arabic, Persian, Turkish...), neither can be trusted
    blindly, so the language needs a checked entry in ``GETTEXT_PLURALS``.
    """
    from babel import Locale
    from babel.core import UnknownLocaleError
    from babel.messages.plurals import get_plural

    try:
        plural = get_plural(lang)
        cldr = Locale.parse(normalize(lang)).plural_form
    except (UnknownLocaleError, ValueError):
        raise CatalogError(f"unknown language code '{lang}'") from None
    order: list[str] = [
        t for t in ("zero", "one", "two", "few", "many", "other") if t in cldr.tags or t == "other"
    ]
    rule = gettext.c2py(plural.plural_expr)
    if plural.num_plurals != len(order) or any(rule(n) != order.index(cldr(n)) for n in _PLURAL_PROBE):
        raise CatalogError(
            f"no checked plural rule for '{lang}': Babel's ({plural.plural_expr}) disagrees with CLDR; "
            "add gettext's rule to pipeline.catalog.plurals.GETTEXT_PLURALS"
        )
    return f"nplurals={plural.num_plurals}; plural={plural.plural_expr};"


def plural_rule_drift(po: polib.POFile, lang: str) -> str | None:
    """The current table's rule when it differs from the one ``po`` was written with, else None.

    Rules are compared by meaning (``nplurals`` and the form chosen for n = 0..1000), not by text,
    so a reformatted but equivalent expression is no drift.
    """
    written = po.metadata.get("Plural-Forms", "")
    if not written.strip():
        return None  # no rule declared: the next translate run writes the current one
    try:
        current = plural_forms(lang)
    except CatalogError:
        return None
    if _plural_meaning(written) != _plural_meaning(current):
        return current
    return None


def _plural_meaning(header: str) -> tuple[int, tuple[int, ...]] | None:
    match = _HEADER.match(header)
    if match is None:
        return None
    try:
        rule = gettext.c2py(match.group(2))
    except (ValueError, SyntaxError):
        return None
    return int(match.group(1)), tuple(rule(n) for n in _PLURAL_PROBE)
