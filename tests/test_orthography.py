"""Arabic spelling at restore: proclitics joined, لـ + الـ contracted, and every count agreeing."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from pipeline.catalog.checks import qa_notes
from pipeline.catalog.po import po_path, read_po
from pipeline.cli import main
from pipeline.names.glossary import find_targets, load_glossary
from pipeline.names.orthography import attach, is_arabic_word
from pipeline.names.protection import Protected, count_names, glossary_forms, protect, restore
from pipeline.names.style import load_style, quantity_matches
from pipeline.testing.faults import FaultBackend

from .helpers import ROOT, run_fake

GLOSSARY = load_glossary(ROOT / "glossary")
#: Every Arabic form of the project glossary (the table below runs over each one).
FORMS = sorted({t.forms["ar"] for t in GLOSSARY.terms if not t.builtin and "ar" in t.forms})


def expected_after_li(form: str) -> str:
    """What Arabic writes for لـ + form, spelled out letter by letter (independent of the code)."""
    if form.startswith("ال") and form[2] == "ل":  # لـ + الله → لله: alif and the article's lam go
        return "لل" + form[3:]
    if form.startswith("ال"):  # لـ + الرقة → للرقة: the alif goes
        return "لل" + form[2:]
    return "ل" + form


def test_known_spellings() -> None:
    assert expected_after_li("الرقة") == "للرقة"
    assert expected_after_li("الله") == "لله"
    assert expected_after_li("الأنبار") == "للأنبار"
    assert expected_after_li("حديثة") == "لحديثة"


def _one_name(form: str):
    term = next(t for t in GLOSSARY.terms if t.forms.get("ar") == form)
    return protect(f"They went to {term.en} today.", GLOSSARY), term


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize(
    ("model", "prefix"),
    [
        ("لXNAME0", "li"),  # glued
        ("ل XNAME0", "li"),  # the model left a space
        ("للXNAME0", "li"),  # li + article glued
        ("لالXNAME0", "li"),  # li + article, uncontracted
        ("ولXNAME0", "wa-li"),
        ("وXNAME0", "wa"),
        ("و XNAME0", "wa"),
        ("والXNAME0", "wa"),
        ("بالXNAME0", "bi"),
        ("فXNAME0", "fa"),
        ("كXNAME0", "ka"),
    ],
)
def test_every_glossary_form_after_every_proclitic(form: str, model: str, prefix: str) -> None:
    protected, term = _one_name(form)
    if len(protected.slots) != 1:
        pytest.skip(f"{term.en} is not one slot in the probe sentence")
    restored = restore(f"ذهبوا {model} اليوم", protected, "ar")
    want = {
        "li": expected_after_li(form),
        "wa-li": "و" + expected_after_li(form),
        "wa": "و" + form,
        "bi": "ب" + form,
        "fa": "ف" + form,
        "ka": "ك" + form,
    }[prefix]
    assert restored.text == f"ذهبوا {want} اليوم"
    assert "لال" not in restored.text.replace("لالا", "")  # never the uncontracted spelling
    # Counting, the QA check and find_targets all see the joined form as the name.
    assert count_names(restored.text, protected, "ar", glossary_forms(GLOSSARY, "ar")).found == 1
    assert [t.en for _, _, t in find_targets(GLOSSARY, restored.text, "ar")] == [term.en]
    assert not [n for n in qa_notes(protected.source, restored.text, "ar", GLOSSARY) if "glossary" in n]


def test_a_word_ending_in_a_proclitic_letter_is_not_a_proclitic() -> None:
    protected = protect("They fled to al-Raqa.", GLOSSARY)
    assert restore("كلXNAME0", protected, "ar").text == "كل الرقة"  # كل "every" is a word
    assert restore("بل XNAME0", protected, "ar").text == "بل الرقة"  # بل "rather" stays a word


def test_a_form_that_is_the_contracted_stem_of_another_is_not_confused() -> None:
    text = "فروا للرقة"
    assert [f for _, _, f in find_targets(GLOSSARY, text, "ar")][0].en == "al-Raqa"
    assert find_targets(GLOSSARY, "لرقة", "ar") == []  # no ل before it: not a name


class LiBackend(FaultBackend):
    """The issue's case: a model writing "فروا لXNAME0" for "They fled to al-Raqa"."""

    name = "fake-li"

    def fault(self, text: str) -> str:
        return re.sub(r"\bto (XNAME\d+|ZXQ\d+)", r"فروا ل\1", text)


def test_li_al_through_a_fake_backend_the_po_file_and_the_page(tmp_path: Path, monkeypatch) -> None:
    (tmp_path / "articles").mkdir()
    (tmp_path / "articles" / "fled.txt").write_text(
        "They fled to al-Raqa\n\nFamilies fled to Ramadi and to Haditha last week.\n", encoding="utf-8"
    )
    monkeypatch.chdir(tmp_path)
    report = run_fake(LiBackend())
    assert not report.errors
    msgstrs = [e.msgstr for e in read_po(po_path(Path("locales"), "ar", "fled"))]
    assert any("فروا للرقة" in m for m in msgstrs), msgstrs
    assert any("فروا للرمادي" in m for m in msgstrs), msgstrs  # الرمادي: same rule
    assert any("فروا لحديثة" in m for m in msgstrs), msgstrs  # no article: ل joined
    page = BeautifulSoup((tmp_path / "build" / "ar" / "fled.html").read_text(encoding="utf-8"), "html.parser")
    text = page.get_text()
    assert "للرقة" in text and "لالرقة" not in text and "للرمادي" in text
    assert "qa: glossary" not in (tmp_path / "locales" / "ar" / "LC_MESSAGES" / "fled.po").read_text("utf-8")


def test_glossary_score_counts_joined_forms(capsys) -> None:
    corpus = ROOT / "tests" / "data" / "name_dense.txt"
    assert main(["glossary", "score", "--corpus", str(corpus), "--backend", "fake-proclitic"]) == 0
    line = capsys.readouterr().out.strip().splitlines()[-1]
    found, expected = re.search(r"(\d+)/(\d+)", line).groups()  # type: ignore[union-attr]
    assert found == expected and int(expected) > 50


# --- a restored number or date is not an Arabic word (issue 16 meets issue 14) --------------------

STYLE = load_style(ROOT / "glossary")


def _figures(text: str) -> Protected:
    return protect(text, GLOSSARY, extra=quantity_matches(text, "ar", STYLE))


@pytest.mark.parametrize(
    ("model", "want"),
    [
        ("XNAME0", "25"),
        ("وXNAME0", "و25"),  # و never joins forward: nothing to add
        ("و XNAME0", "و25"),  # a lone و is a misspelling, for a figure as for a word
        ("بXNAME0", "بـ25"),  # a joining letter keeps its joined shape: the tatweel
        ("بـXNAME0", "بـ25"),  # as the model may write it itself
        ("بـ XNAME0", "بـ25"),
        ("لXNAME0", "لـ25"),
        ("لـXNAME0", "لـ25"),
        ("ولXNAME0", "ولـ25"),
        ("فXNAME0", "فـ25"),
        ("كXNAME0", "كـ25"),
        ("الXNAME0", "الـ25"),  # "the 25": the model's article is its meaning, and a figure has none
        ("الـXNAME0", "الـ25"),
        ("والXNAME0", "والـ25"),
        ("بالXNAME0", "بالـ25"),
        ("للXNAME0", "للـ25"),  # لـ + الـ, contracted as always
        ("لالXNAME0", "للـ25"),
        ("كلXNAME0", "كل 25"),  # كل "every" is a word, not ك + ل
        ("فيXNAME0", "في 25"),  # nor is في
    ],
)
def test_a_number_after_every_proclitic(model: str, want: str) -> None:
    protected = _figures("They counted 25 of them.")
    assert [s.kind for s in protected.slots] == ["number"]
    restored = restore(f"عدوا {model} منهم", protected, "ar")
    assert restored.text == f"عدوا {want} منهم"
    # The guarantee's count and the numbers check see the joined figure as the one occurrence.
    assert count_names(restored.text, protected, "ar", glossary_forms(GLOSSARY, "ar")).found == 1
    pairs = [(s.source, s.form("ar")) for s in protected.slots]
    assert not [n for n in qa_notes(protected.source, restored.text, "ar", GLOSSARY, pairs) if "numbers" in n]


def test_dates_follow_their_first_letter() -> None:
    day_first = _figures("It began on November 4, 2017.")
    assert day_first.slots[0].form("ar").startswith("4 ")
    assert restore("بدأ بXNAME0", day_first, "ar").text == "بدأ بـ" + day_first.slots[0].form("ar")
    month_first = _figures("It began in November 2017.")
    form = month_first.slots[0].form("ar")
    assert form.startswith("تشرين")  # an Arabic word: joined as any word is
    assert restore("بدأ فيXNAME0", month_first, "ar").text == "بدأ في " + form
    assert restore("بدأ ولXNAME0", month_first, "ar").text == "بدأ ول" + form
    assert restore("بدأ بXNAME0", month_first, "ar").text == "بدأ ب" + form


def test_names_and_figures_in_one_sentence() -> None:
    protected = _figures("Fighting in Mosul killed 25 people.")
    assert [s.kind for s in protected.slots] == ["name", "number"]
    restored = restore("قتل القتال بالXNAME0 الXNAME1 شخصا", protected, "ar")
    assert restored.text == "قتل القتال بالموصل الـ25 شخصا" and not restored.repairs
    # A tatweel the model wrote before a name goes: the name is an Arabic word, joined as such.
    assert restore("لـXNAME0 XNAME1", protected, "ar").text == "للموصل 25"


def test_attach_spells_figures_in_either_digit_script() -> None:
    assert attach("ب", "٢٥") == "بـ٢٥" and attach("و", "٢٥") == "و٢٥"
    assert attach("ل", "٢٥", article=True) == "للـ٢٥" and attach("", "٢٥", article=True) == "الـ٢٥"
    assert attach("ل", "\u200e2%") == "لـ\u200e2%"  # bidi marks are not letters
    assert attach("ب", "AFP") == "بـAFP"  # a name kept in Latin letters joins the same way
    assert attach("ل", "الرقة", article=True) == "للرقة"  # an Arabic name's own article wins
    assert is_arabic_word("تشرين الثاني") and not is_arabic_word("25") and not is_arabic_word("")
