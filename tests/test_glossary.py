from pathlib import Path

import pytest

from pipeline.errors import GlossaryError
from pipeline.names.glossary import find_targets, load_glossary, parse_tsv

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = (ROOT / "articles" / "sample-article.txt").read_text(encoding="utf-8")

REQUIRED = {
    "Diyaruna": "ديارنا",
    "Jaghayfah": "الجغايفة",
    "Khalid al-Taie": "خالد الطائي",
    "Ahmad al-Rubaye": "أحمد الربيعي",
    "AFP": "فرانس برس",
    "Abu Bakr al-Baghdadi": "أبو بكر البغدادي",
    "Hashem al-Hashemi": "هشام الهاشمي",
    "Ghazi Nafe al-Jughaifi": "غازي نافع الجغيفي",
    "Naeem al-Koud": "نعيم الكعود",
    "al-Qaim": "القائم",
    "Anbar": "الأنبار",
    "Mosul": "الموصل",
    "Haditha": "حديثة",
    "Ramadi": "الرمادي",
    "al-Raqa": "الرقة",
    "Syrian Democratic Forces": "قوات سوريا الديمقراطية",
    "SDF": "قسد",
    "ISIS": "داعش",
    "Islamic State of Iraq and Syria": "تنظيم الدولة الإسلامية في العراق والشام",
}


@pytest.fixture(scope="module")
def glossary():
    return load_glossary(ROOT / "glossary")


def test_shipped_glossary_covers_the_sample_names(glossary) -> None:
    for en, ar in REQUIRED.items():
        term = glossary.lookup(en)
        assert term is not None and term.target("ar") == ar, en
    assert not [i for i in glossary.issues if i.severity == "error"]


def test_longest_match_and_whole_words(glossary) -> None:
    found = [m.text for m in glossary.find("ISIS leader Abu Bakr al-Baghdadi's dream; Iraqi forces in Iraq.")]
    assert found == ["ISIS", "Abu Bakr al-Baghdadi", "Iraq"]
    full = glossary.find("the 'Islamic State of Iraq and Syria' a day earlier")
    assert [m.term.en for m in full] == ["Islamic State of Iraq and Syria"]


def test_case_variants_hyphens_possessive_and_line_breaks(glossary) -> None:
    text = "Al-Qaim, al Raqa, Raqqa and ISIS's fighters; Ghazi Nafe\nal-Jughaifi said. sdf is not SDF."
    found = [(m.text, m.term.en) for m in glossary.find(text)]
    assert found == [
        ("Al-Qaim", "al-Qaim"),
        ("al Raqa", "al-Raqa"),
        ("Raqqa", "al-Raqa"),
        ("ISIS", "ISIS"),
        ("Ghazi Nafe\nal-Jughaifi", "Ghazi Nafe al-Jughaifi"),
        ("SDF", "SDF"),
    ]


def test_every_sample_name_is_found(glossary) -> None:
    found = {m.term.en for m in glossary.find(SAMPLE)}
    assert set(REQUIRED) <= found


def test_target_counting_is_longest_first(glossary) -> None:
    text = "قاتلت قوات سوريا الديمقراطية في سوريا ووالموصل والموصل"
    names = [t.en for _, _, t in find_targets(glossary, text, "ar")]
    assert names == ["Syrian Democratic Forces", "Syria", "Mosul"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty glossary"),
        ("ar\tkind\nx\ty\n", "no 'en' column"),
        ("en\tArabic\nx\ty\n", "unknown column"),
        ("en\tkind\nx\tperson\n", "no target-language column"),
    ],
)
def test_bad_headers_are_reported_on_line_one(text: str, message: str) -> None:
    _, issues = parse_tsv(text, "g.tsv")
    assert issues and issues[0].line == 1 and message in issues[0].message


def test_bad_rows_name_their_line(tmp_path: Path) -> None:
    (tmp_path / "a.tsv").write_text("en\tar\nMosul\tالموصل\n\tفارغ\nX\t\nA\tب\textra\n", encoding="utf-8")
    glossary = load_glossary(tmp_path, strict=False)
    assert [(i.line, i.severity) for i in glossary.issues] == [(3, "error"), (4, "error"), (5, "error")]
    with pytest.raises(GlossaryError) as err:
        load_glossary(tmp_path)
    assert str(err.value).startswith(f"{tmp_path / 'a.tsv'}:3: ")


def test_conflicting_entries_across_files(tmp_path: Path) -> None:
    (tmp_path / "a.tsv").write_text("en\tar\nMosul\tالموصل\n", encoding="utf-8")
    (tmp_path / "b.tsv").write_text("en\tar\nmosul\tموصل\n", encoding="utf-8")
    with pytest.raises(GlossaryError, match="conflicts with"):
        load_glossary(tmp_path)


def test_invalid_utf8_names_line(tmp_path: Path) -> None:
    (tmp_path / "a.tsv").write_bytes(b"en\tar\nMosul\t\xff\n")
    with pytest.raises(GlossaryError) as err:
        load_glossary(tmp_path)
    assert err.value.line == 2
