"""Unknown-name detection, transliteration suggestions, and the CLDR built-in layer."""

from pathlib import Path

import pytest

from pipeline.cli import main
from pipeline.ingest import load_document
from pipeline.names.glossary import UNREVIEWED, load_glossary, parse_tsv
from pipeline.names.suggest import suggest, suggestions_tsv, unknown_names
from pipeline.names.transliterate import transliterate

from .helpers import ROOT, SAMPLE

ARTICLE = """Kadhimi visits Najaf

By Layla Ahmed

Prime Minister Mustafa al-Kadhimi met Grand Ayatollah Ali al-Sistani in Najaf on Monday, Iraqi officials said.

Al-Kadhimi's office said the meeting lasted an hour. The Popular Mobilization Forces (PMF) were not mentioned.

Yesterday, Kadhimi flew to Baghdad and then to Tehran, where he met Syrian envoys and ISIS defectors.
"""


@pytest.fixture(scope="module")
def glossary():
    return load_glossary(ROOT / "glossary")


@pytest.fixture
def article(tmp_path: Path) -> Path:
    path = tmp_path / "kadhimi.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    return path


def test_unknown_names_are_found_with_their_lines(glossary, article: Path) -> None:
    found = {c.name: c for c in unknown_names([load_document(article)], glossary)}
    assert {"Kadhimi", "Najaf", "Mustafa al-Kadhimi", "Ali al-Sistani", "al-Kadhimi", "PMF"} <= set(found)
    assert {"Popular Mobilization Forces", "Layla Ahmed"} <= set(found)
    assert found["Kadhimi"].occurrences == [f"{article}:1", f"{article}:9"]
    assert found["Mustafa al-Kadhimi"].kind == "person" and found["PMF"].kind == "org"
    # not names to add: sentence-initial words, titles, days, adjectives of known names, known names
    for word in ("Yesterday", "Prime", "Minister", "Grand", "Ayatollah", "Monday", "Iraqi", "Syrian", "The"):
        assert not [name for name in found if word in name.split()], word
    assert not {"Baghdad", "Tehran", "ISIS"} & set(found)  # CLDR cities and the glossary


def test_the_sample_article_has_no_unknown_names(glossary) -> None:
    assert unknown_names([load_document(SAMPLE)], glossary) == []


def test_transliteration_of_arabic_names() -> None:
    assert transliterate("Mustafa al-Kadhimi") == "مصطفى الكاذيمي"
    assert transliterate("Abu Bakr al-Baghdadi") == "أبو بكر البغدادي"
    assert transliterate("Ali al-Sistani") == "علي السيستاني"
    assert transliterate("Fallujah") == "فلوجة"  # short vowel in a closed syllable, doubled consonant
    assert transliterate("Nasiriyah") == "ناسيرية" and transliterate("Qayyarah") == "قيارة"
    assert transliterate("Muqtada al-Sadr") == "مقتادا السدر"
    assert transliterate("Al Anbar") == "الأنبار" and transliterate("Tal Afar") == "تال أفار"
    assert transliterate("PMF") == "PMF"  # acronyms are the editor's call


def test_suggestions_are_a_reviewable_glossary_file(glossary, article: Path) -> None:
    text = suggestions_tsv(suggest([load_document(article)], glossary))
    terms, issues = parse_tsv(text, "suggested.tsv")
    assert terms and all(i.severity == "warning" for i in issues)
    assert sum("unreviewed suggestion" in i.message for i in issues) == len(terms)
    kadhimi = next(t for t in terms if t.en == "Mustafa al-Kadhimi")
    # The curated table's form, then the others with their sources; the transliteration last.
    assert kadhimi.target("ar") == "مصطفى الكاظمي" and kadhimi.note.startswith(UNREVIEWED)
    assert kadhimi.note.endswith("ar: مصطفى الكاظمي (curated, high) | مصطفى الكاذيمي (transliteration, low)")


def test_suggest_cli_writes_tsv_but_never_into_the_glossary(tmp_path: Path, article: Path, capsys) -> None:
    out = tmp_path / "review.tsv"
    assert main(["glossary", "suggest", str(article), "-o", str(out)]) == 0
    assert "Najaf\tالنجف" in out.read_text(encoding="utf-8")
    gdir = tmp_path / "glossary"
    gdir.mkdir()
    (gdir / "names.tsv").write_text("en\tar\nMosul\tالموصل\n", encoding="utf-8")
    assert (
        main(["glossary", "suggest", str(article), "--glossary", str(gdir), "-o", str(gdir / "x.tsv")]) == 1
    )
    assert not (gdir / "x.tsv").exists()
    assert "will not write unreviewed suggestions into the glossary" in capsys.readouterr().err


def _cldr_country(lang: str, code: str) -> str:
    from babel import Locale

    return Locale.parse(lang).territories[code]


def _cldr_city(lang: str, zone: str) -> str:
    from babel import Locale

    return Locale.parse(lang).time_zones[zone]["city"]


def test_cldr_layer_names_countries_and_cities(glossary) -> None:
    """The built-in layer gives CLDR's own forms (as the installed Babel ships them: the exact
    spelling is CLDR's to change), below the project's entries."""
    text = "Turkey, Jordan and Saudi Arabia met in Baghdad; turkey and Chad Smith did not. Iraq, Syria."
    found = [(m.text, m.term.target("ar"), m.term.builtin) for m in glossary.find(text)]
    assert found == [
        ("Turkey", _cldr_country("ar", "TR"), "CLDR"),
        ("Jordan", _cldr_country("ar", "JO"), "CLDR"),
        ("Saudi Arabia", _cldr_country("ar", "SA"), "CLDR"),
        ("Baghdad", _cldr_city("ar", "Asia/Baghdad"), "CLDR"),
        ("Iraq", "العراق", ""),  # the project's own entries win
        ("Syria", "سوريا", ""),
    ]
    baghdad = glossary.lookup("Baghdad")
    assert baghdad.target("fr") == _cldr_city("fr", "Asia/Baghdad")
    assert baghdad.target("he") == _cldr_city("he", "Asia/Baghdad")
    assert glossary.languages == ["ar"]  # built-in names do not add languages


def test_project_glossary_overrides_cldr(tmp_path: Path, capsys) -> None:
    (tmp_path / "g.tsv").write_text("en\tar\nSyria\tسورية\nBaghdad\tبغداد\n", encoding="utf-8")
    glossary = load_glossary(tmp_path)
    assert [m.term.target("ar") for m in glossary.find("Syria and Baghdad")] == ["سورية", "بغداد"]
    assert [(i.line, i.severity) for i in glossary.issues] == [(2, "note")]
    assert load_glossary(tmp_path, builtin=False).lookup("Jordan") is None
    assert main(["glossary", "check", "--glossary", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert f"overrides CLDR's ar form '{_cldr_country('ar', 'SY')}' with 'سورية'" in out
    assert "2 terms (+" in out


def test_glossary_check_reports_problems_with_file_and_line(tmp_path: Path, capsys) -> None:
    (tmp_path / "a.tsv").write_text(
        "en\tar\tkind\tvariants\tnote\n"
        "Mosul\tالموصل\tplace\t\t\n"
        "Mosul\tالموصل\tplace\t\t\n"  # duplicate: warning
        "Ramadi\tRamadi\tplace\t\t\n"  # Latin in the Arabic column: warning
        "al-Ramadi\tالموصل\tplace\t\t\n"  # same form as another name: warning
        "Haditha\t\tplace\t\t\n"  # empty target: error
        "Qaim\tالقائم\tplace\t\tUNREVIEWED suggestion (rule-based)\n"  # not reviewed: warning
        "Anbar\tالأنبار\tplace\textra\tnote\tstray\n",  # bad columns: error
        encoding="utf-8",
    )
    (tmp_path / "b.tsv").write_text("en\tar\nmosul\tموصل\n", encoding="utf-8")  # conflict: error
    assert main(["glossary", "check", "--glossary", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    a, b = tmp_path / "a.tsv", tmp_path / "b.tsv"
    for line in (
        f"{a}:3: warning: 'Mosul' duplicates {a}:2",
        f"{a}:4: warning: 'Ramadi': ar form 'Ramadi' is not in ar's script",
        f"{a}:5: warning: 'al-Ramadi' has the same ar form 'الموصل' as 'Mosul'",
        f"{a}:6: error: 'Haditha' has no target form",
        f"{a}:7: warning: 'Qaim' is an unreviewed suggestion",
        f"{a}:8: error: 6 columns but the header has 5",
        f"{b}:2: error: 'mosul' conflicts with {a}:2",
    ):
        assert line in out, line
    assert "3 error(s)" in out
