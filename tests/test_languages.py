"""Locale data per language: gettext plural rules (checked against GNU gettext and CLDR),
text direction and names, and the glossary's per-language columns."""

from __future__ import annotations

import gettext
import shutil
import subprocess
from pathlib import Path

import polib
import pytest

from pipeline.catalog.plurals import GETTEXT_PLURALS, babel_plural_forms, plural_forms
from pipeline.cli import main
from pipeline.errors import CatalogError
from pipeline.names.glossary import Glossary, missing_forms, parse_tsv
from pipeline.render.locale_info import language_info

from .helpers import msgfmt_check

# The GNU gettext manual's rules ("Plural forms" section), written out so a change to the table
# has to change this test too.
AR = "n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 : n%100>=11 ? 4 : 5"
PINNED = {
    "ar": f"nplurals=6; plural={AR};",
    "fr": "nplurals=2; plural=n > 1;",
    "he": "nplurals=2; plural=n != 1;",
    "fa": "nplurals=2; plural=n > 1;",
    "ur": "nplurals=2; plural=n != 1;",
    "tr": "nplurals=2; plural=n != 1;",
    "de": "nplurals=2; plural=n != 1;",
    "pt_BR": "nplurals=2; plural=n > 1;",
}
PROBE = range(0, 1001)


def _rule(header: str):
    return gettext.c2py(header.split("plural=", 1)[1].rstrip(";"))


def test_pinned_rules() -> None:
    for lang, header in PINNED.items():
        assert plural_forms(lang) == header, lang
    assert plural_forms("pt") == "nplurals=2; plural=n != 1;"  # pt_BR is looked up before pt
    assert plural_forms("ar-EG") == PINNED["ar"]


def test_arabic_forms() -> None:
    """zero, one, two, few (3-10 and n%100 in 3..10), many (n%100 in 11..99), other (100, 101, 102...)."""
    rule = _rule(plural_forms("ar"))
    expected = {0: 0, 1: 1, 2: 2, 3: 3, 10: 3, 11: 4, 99: 4, 100: 5, 101: 5, 102: 5, 103: 3, 111: 4, 1000: 5}
    assert {n: rule(n) for n in expected} == expected


def _msginit(lang: str, tmp_path: Path) -> str | None:
    pot = tmp_path / "x.pot"
    pot.write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n', encoding="utf-8")
    result = subprocess.run(
        ["msginit", "--no-translator", f"--locale={lang}", "-i", str(pot), "-o", "-"],
        capture_output=True,
        text=True,
    )
    po = polib.pofile(result.stdout) if result.returncode == 0 else None
    return po.metadata.get("Plural-Forms") if po is not None else None


@pytest.mark.skipif(shutil.which("msginit") is None, reason="GNU gettext's msginit is not installed")
def test_table_agrees_with_gnu_gettext(tmp_path: Path) -> None:
    """Every entry that GNU gettext's own table knows gives the same form for n = 0..1000."""
    checked = []
    for lang in GETTEXT_PLURALS:
        theirs = _msginit(lang, tmp_path)
        if not theirs:
            continue  # not in gettext's table (ar, fa, ur in gettext 0.21): see the catalogs comment
        ours, reference = _rule(plural_forms(lang)), _rule(theirs)
        assert theirs.split(";")[0] == plural_forms(lang).split(";")[0], lang
        assert all(ours(n) == reference(n) for n in PROBE), lang
        checked.append(lang)
    assert {"fr", "he", "de", "tr", "pt_BR"} <= set(checked)


#: The CLDR locale whose categories a table entry must respect: gettext's ``pt`` is Portugal's rule
#: (1 is singular, 0 plural), CLDR's bare ``pt`` is Brazil's.
CLDR_LOCALE = {"pt": "pt_PT"}


def _cldr_respected(header: str, cldr_locale: str) -> tuple[bool, bool]:
    """(never splits a CLDR category, one form per CLDR category) for n = 0..1000."""
    from babel import Locale

    rule, cldr = _rule(header), Locale.parse(cldr_locale).plural_form
    forms_of: dict[str, set[int]] = {}
    for n in PROBE:
        forms_of.setdefault(cldr(n), set()).add(rule(n))
    no_split = all(len(forms) == 1 for forms in forms_of.values())
    exact = no_split and len({next(iter(f)) for f in forms_of.values()}) == len(forms_of)
    return no_split, exact


def test_every_rule_respects_cldr_categories() -> None:
    """Our contract with CLDR: no form of ours mixes numbers CLDR puts in different categories for
    n = 0..1000, except where gettext's rule is deliberately coarser (Hebrew: gettext and Poedit use
    two forms; CLDR separates "two"). Where our rule and CLDR have the same number of categories in
    that range, they are the same partition."""
    coarser = set()
    for lang in GETTEXT_PLURALS:
        no_split, exact = _cldr_respected(plural_forms(lang), CLDR_LOCALE.get(lang, lang))
        assert no_split, lang
        if not exact:
            coarser.add(lang)
    assert coarser == {"he"}


def test_babel_fallback_gives_rules_that_agree_with_cldr() -> None:
    """Outside our table, whatever rule Babel's release gives is used only if it matches CLDR's
    categories exactly (the text of the expression is Babel's business)."""
    for lang in ("nl", "ja", "sv", "fi"):
        header = babel_plural_forms(lang)
        assert _cldr_respected(header, lang) == (True, True), (lang, header)
    with pytest.raises(CatalogError, match="unknown language code 'qq'"):
        plural_forms("qq")


def test_babel_fallback_refuses_a_rule_that_disagrees_with_cldr(monkeypatch: pytest.MonkeyPatch) -> None:
    """A Babel release whose gettext table disagrees with its own CLDR data (as 2.18's Arabic did)
    must not reach a PO header: the language then needs a checked entry in our table."""
    from types import SimpleNamespace

    import babel.messages.plurals as plurals

    real = plurals.get_plural

    def wrong(locale: str = "en") -> object:
        if str(locale).startswith("nl"):
            return SimpleNamespace(num_plurals=3, plural_expr="(n==1 ? 0 : n==2 ? 1 : 2)")
        return real(locale)

    monkeypatch.setattr(plurals, "get_plural", wrong)
    with pytest.raises(CatalogError, match="disagrees with CLDR"):
        babel_plural_forms("nl")


def test_every_rule_is_accepted_by_msgfmt(tmp_path: Path) -> None:
    for lang in GETTEXT_PLURALS:
        po = polib.POFile()
        po.metadata = {
            "Content-Type": "text/plain; charset=UTF-8",
            "Language": lang,
            "Plural-Forms": plural_forms(lang),
        }
        n = int(plural_forms(lang).split(";")[0].split("=")[1])
        po.append(
            polib.POEntry(
                msgid="%d name", msgid_plural="%d names", msgstr_plural=dict.fromkeys(range(n), "x")
            )
        )
        path = tmp_path / f"{lang}.po"
        po.save(str(path))
        msgfmt_check(path)


def test_direction_and_names() -> None:
    rtl = {code: language_info(code).direction for code in ("ar", "he", "fa", "ur", "fr", "de", "tr")}
    assert rtl == {"ar": "rtl", "he": "rtl", "fa": "rtl", "ur": "rtl", "fr": "ltr", "de": "ltr", "tr": "ltr"}
    ar = language_info("ar")
    assert (ar.name, ar.plural_forms) == ("Arabic", PINNED["ar"])
    from babel import Locale  # native names are CLDR's (as the installed Babel ships them)

    for code in ("ar", "he", "fr"):
        assert language_info(code).native == Locale.parse(code).get_display_name(code)


TSV = "en\tar\the\tkind\nMosul\tالموصل\tמוסול\tplace\nDiyaruna\tديارنا\t\toutlet\nISIS\tداعش\t\torg\n"


def test_missing_forms_per_language() -> None:
    terms, issues = parse_tsv(TSV, "names.tsv")
    glossary = Glossary(terms, issues)
    assert [t.en for t in missing_forms(glossary, "he")] == ["Diyaruna", "ISIS"]
    assert missing_forms(glossary, "ar") == []
    assert [t.en for t in missing_forms(glossary, "fr")] == ["Mosul", "Diyaruna", "ISIS"]


def test_glossary_check_to_lists_missing_names(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "names.tsv").write_text(TSV, encoding="utf-8")
    assert main(["glossary", "check", "--glossary", str(tmp_path), "--to", "he,ar"]) == 0
    out = capsys.readouterr().out
    assert f"{tmp_path / 'names.tsv'}:3: Diyaruna: no 'he' form (kept in English)" in out
    assert f"{tmp_path / 'names.tsv'}:4: ISIS: no 'he' form" in out and "Mosul: no" not in out
    assert "he: 1/3 glossary terms have a form" in out and "ar: 3/3 glossary terms have a form" in out
