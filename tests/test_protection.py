from pathlib import Path

import pytest

from pipeline.names.glossary import find_targets, load_glossary
from pipeline.names.protection import protect, restore

ROOT = Path(__file__).resolve().parents[1]
SENTENCE = "ISIS leader Abu Bakr al-Baghdadi's dream, said Hashem al-Hashemi in Mosul."


@pytest.fixture(scope="module")
def glossary():
    return load_glossary(ROOT / "glossary")


def test_protect_masks_every_name(glossary) -> None:
    p = protect(SENTENCE, glossary)
    assert p.masked == "XNAME0 leader XNAME1's dream, said XNAME2 in XNAME3."
    assert [s.term.en for s in p.slots] == ["ISIS", "Abu Bakr al-Baghdadi", "Hashem al-Hashemi", "Mosul"]


@pytest.mark.parametrize(
    "output",
    [
        "XNAME0 حلم XNAME1 قال XNAME2 في XNAME3.",  # faithful
        "X NAME 0 حلم اكسنيم1 قال xname-2 في XNAME٣.",  # garbled / transliterated / Arabic digits
        "XNAME0 XNAME0 حلم XNAME1 XNAME1 قال XNAME2 في XNAME3 XNAME3.",  # duplicated
        "حلم قال في.",  # all dropped
        "XNAME3 XNAME2 XNAME1 XNAME0",  # reordered
        "XNAME7 حلم",  # stray index
        "",  # empty output
    ],
)
def test_restore_puts_each_name_back_exactly_once(glossary, output: str) -> None:
    p = protect(SENTENCE, glossary)
    restored = restore(output, p, "ar")
    found = sorted(t.en for _, _, t in find_targets(glossary, restored.text, "ar"))
    assert found == sorted(s.term.en for s in p.slots)
    assert "XNAME" not in restored.text and "\ue000" not in restored.text


def test_repairs_are_reported(glossary) -> None:
    p = protect(SENTENCE, glossary)
    assert restore("XNAME0 حلم XNAME1 قال XNAME2 في XNAME3.", p, "ar").repairs == ()
    repairs = restore("حلم XNAME1 XNAME1 قال X NAME 2 في XNAME3.", p, "ar").repairs
    assert any("ISIS: dropped" in r for r in repairs)
    assert any("duplicated" in r for r in repairs)
    assert any("'X NAME 2'" in r for r in repairs)


def test_dropped_names_keep_source_order(glossary) -> None:
    p = protect("Mosul and Ramadi and Haditha", glossary)
    text = restore("و و", p, "ar").text
    assert text.index("الموصل") < text.index("الرمادي") < text.index("حديثة")


def test_language_without_a_form_keeps_english(glossary) -> None:
    p = protect("Fighters left Mosul.", glossary)
    assert restore("Les combattants ont quitté XNAME0.", p, "fr").text == "Les combattants ont quitté Mosul."
