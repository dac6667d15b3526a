"""QA checks on crafted translations: each check fires on its defect and stays quiet on good output."""

from __future__ import annotations

from pathlib import Path

import polib
import pytest

from pipeline.catalog.checks import (
    CHECKS,
    Context,
    Finding,
    check_glossary,
    check_latin,
    check_length,
    check_numbers,
    check_repetition,
    check_untranslated,
    normalize_number,
    qa_notes,
    run_checks,
)
from pipeline.names.glossary import Glossary, parse_tsv

GLOSSARY_TSV = "en\tar\tfr\nDiyaruna\tديارنا\tDiyaruna\nAFP\tفرانس برس\tAFP\nIraq\tالعراق\tIrak\nISIS\t\tEI\n"


@pytest.fixture(scope="module")
def glossary() -> Glossary:
    """Three names with Arabic forms, and ISIS, which has none, so Arabic keeps it in English."""
    terms, issues = parse_tsv(GLOSSARY_TSV)
    assert not issues
    return Glossary(terms)


AR = Context("ar")


# numbers ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [("2017", "2017"), ("١٬٥٠٠", "1500"), ("1,500", "1500"), ("٢٫٥", "2.5"), ("2.5", "2.5"), ("۱۲", "12")],
)
def test_normalize_number_reads_every_digit_script(text: str, expected: str) -> None:
    assert normalize_number(text) == expected


def test_numbers_equal_in_western_and_arabic_indic_digits() -> None:
    source = "About 1,500 fighters fled Mosul in 2017, leaving 2% of the territory."
    assert check_numbers(source, "فر نحو ١٬٥٠٠ مقاتل من الموصل عام ٢٠١٧ تاركين ٢٪ من الأراضي.", AR) is None
    assert check_numbers(source, "فر نحو 1500 مقاتل من الموصل عام 2017 تاركين 2% من الأراضي.", AR) is None


def test_numbers_missing_or_changed_are_reported() -> None:
    source = "On November 4th, 300 fighters surrendered in 2017."
    detail = check_numbers(source, "في 4 نوفمبر استسلم 30 مقاتلا عام 2017.", AR)
    assert detail == "missing 300; not in source 30"
    assert check_numbers(source, "استسلم المقاتلون.", AR) == "missing 2017, 300, 4"


def test_numbers_spelled_out_in_the_source_may_become_digits() -> None:
    source = "Nineteen of the injured were police officers, officials said."
    assert check_numbers(source, "قال مسؤولون إن ١٩ من المصابين كانوا من ضباط الشرطة.", AR) is None
    assert check_numbers(source, "قال مسؤولون إن ١٨ من المصابين كانوا من ضباط الشرطة.", AR) == (
        "not in source 18"
    )


# untranslated ----------------------------------------------------------------------------------------


def test_untranslated_fires_on_a_copy_of_the_source() -> None:
    source = "Simply put, they said, ISIS elements have lost the will to fight."
    assert check_untranslated(source, source, AR)
    assert check_untranslated(
        source, "  simply put, they said,  ISIS elements have lost the will to fight. ", AR
    )
    assert check_untranslated(source, "ببساطة، قالوا إن عناصر داعش فقدوا الرغبة في القتال.", AR) is None


def test_untranslated_accepts_a_copy_when_only_names_or_numbers(glossary: Glossary) -> None:
    ctx = Context("ar", glossary)
    assert check_untranslated("2017", "2017", ctx) is None
    assert check_untranslated("ISIS", "ISIS", ctx) is None  # kept in English by the glossary
    assert check_untranslated("Diyaruna", "Diyaruna", Context("ar")) is not None  # no glossary: suspect


# latin -----------------------------------------------------------------------------------------------


def test_latin_words_in_arabic_output_are_reported(glossary: Glossary) -> None:
    ctx = Context("ar", glossary)
    detail = check_latin("The caliphate is gone.", "إن caliphate انتهت Caliphate", ctx)
    assert detail == "2 Latin word(s): caliphate, Caliphate"


def test_latin_allows_glossary_names_kept_in_english_and_urls(glossary: Glossary) -> None:
    ctx = Context("ar", glossary)
    assert check_latin("ISIS lost.", "خسر ISIS المعركة، حسب https://example.org/a", ctx) is None
    assert check_latin("x", "قال ديارنا", ctx) is None
    # Without the glossary, the English name is an ordinary Latin word.
    assert check_latin("ISIS lost.", "خسر ISIS المعركة", AR) is not None


def test_latin_is_not_checked_for_latin_script_languages() -> None:
    assert check_latin("Hello", "Bonjour Mosul", Context("fr")) is None
    assert check_latin("Hello", "Hello שלום", Context("he")) is not None


def test_latin_lists_at_most_five_words() -> None:
    words = "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu"
    detail = check_latin("x", words, AR)
    assert detail == "12 Latin word(s): alpha, beta, gamma, delta, epsilon, zeta (+6 more)"


# length ----------------------------------------------------------------------------------------------

SOURCE = (
    "After losing the vast majority of territory it once held in Iraq and Syria, the group must now cope."
)


def test_length_normal_ratio_is_quiet() -> None:
    target = (
        "بعد أن خسر التنظيم الغالبية العظمى من الأراضي التي كان يسيطر عليها في العراق وسوريا، "
        "عليه الآن التكيف."
    )
    assert check_length(SOURCE, target, AR) is None


def test_length_truncated_or_runaway_output_warns() -> None:
    assert check_length(SOURCE, "بعد أن خسر.", AR) == "0.11× the source length (usual for ar: 0.45-1.9)"
    runaway = check_length(SOURCE, "كلمة " * 60, AR)
    assert runaway is not None and "usual for ar: 0.45-1.9" in runaway


def test_length_ignores_short_sources() -> None:
    assert check_length("But no longer.", "لكن لم يعد الأمر كذلك، على ما يبدو، بعد كل ما حدث.", AR) is None


# repetition ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "target",
    [
        "قال إن إن إن المقاتلين فروا",  # one word three times
        "فروا من الموصل من الموصل إلى سوريا",  # a phrase twice, back to back
        "في في في في في في في في",  # a runaway loop
        "قال المتحدث باسم القوات ثم قال المتحدث باسم الجيش ثم قال المتحدث باسم الشرطة",  # loop broken up
    ],
)
def test_repetition_flags_hallucination_loops(target: str) -> None:
    assert check_repetition("He said the fighters fled Mosul to Syria.", target, AR)


def test_repetition_quiet_on_natural_text_and_on_repetition_in_the_source() -> None:
    assert check_repetition("Little by little.", "رويدا رويدا عادت الحياة", AR) is None  # a doubled word
    source = "It was very, very, very hard."
    assert check_repetition(source, "كان الأمر صعبا جدا جدا جدا.", AR) is None


def test_repetition_detail_names_the_phrase() -> None:
    assert check_repetition("x", "من الموصل من الموصل", AR) == "'من الموصل' repeated 2 times"


# glossary --------------------------------------------------------------------------------------------


def test_glossary_missing_term_is_reported(glossary: Glossary) -> None:
    ctx = Context("ar", glossary)
    source = "Experts tell Diyaruna that AFP photographed Iraq."
    assert check_glossary(source, "قال خبراء لديارنا إن فرانس برس صورت العراق.", ctx) is None
    assert check_glossary(source, "قال خبراء لديارنا إن الوكالة صورت العراق.", ctx) == (
        "missing فرانس برس (AFP)"
    )


def test_glossary_counts_each_occurrence(glossary: Glossary) -> None:
    ctx = Context("ar", glossary)
    assert check_glossary("Iraq and Iraq", "العراق والعراق", ctx) is None
    assert check_glossary("Iraq and Iraq", "العراق", ctx) == "missing العراق (Iraq) 1 of 2"
    assert check_glossary("Iraq, AFP and Diyaruna", "لا شيء", ctx) == (
        "missing العراق (Iraq), فرانس برس (AFP) (+1 more)"
    )
    assert check_glossary("no names", "لا أسماء", ctx) is None
    assert check_glossary("Iraq", "", Context("ar")) is None  # without a glossary there is nothing to check


# the runner's view -----------------------------------------------------------------------------------


def test_run_checks_and_comment_format(glossary: Glossary) -> None:
    source = "Diyaruna reported 300 deaths in Iraq."
    findings = run_checks(source, "ذكرت ديارنا وفاة 30 شخصا في في في Iraq", "ar", glossary)
    assert [f.check for f in findings] == ["numbers", "glossary", "latin", "repetition"]
    notes = qa_notes(source, "ذكرت ديارنا وفاة 30 شخصا في في في Iraq", "ar", glossary)
    assert notes[0] == "qa: numbers: missing 300; not in source 30"
    assert all(note.startswith("qa: ") and note.split(": ")[1] in CHECKS for note in notes)
    assert str(Finding("latin", "x")) == "qa: latin: x"


def test_every_note_fits_one_po_comment_line(glossary: Glossary) -> None:
    """polib wraps comment lines past 78 columns, which would split a note in two."""
    source = "In 2014, 2015, 2016, 2017, 2018, 2019 and 2020 Diyaruna, AFP and Iraq said so."
    target = (
        " ".join(f"Englishword{i}" for i in range(30)) + " " + "، ".join(str(n) for n in range(1990, 2010))
    )
    notes = qa_notes(source, target, "ar", glossary)
    assert {n.split(":")[1].strip() for n in notes} >= {"numbers", "glossary", "latin", "length"}
    assert all(len(n) <= 75 for n in notes), notes
    assert any(n.endswith("more)") or n.endswith("…") for n in notes)


def test_good_translation_has_no_findings(glossary: Glossary) -> None:
    source = "Diyaruna reported 300 deaths in Iraq on November 4th."
    assert run_checks(source, "أفادت ديارنا بوفاة ٣٠٠ شخص في العراق في ٤ نوفمبر.", "ar", glossary) == []
    assert run_checks(source, "", "ar", glossary) == []  # nothing translated yet: nothing to review


def test_runner_writes_qa_comments_into_po_entries(tmp_path: Path) -> None:
    """A machine translation that copies the source gets ``#. qa:`` lines the status command can count."""
    from pipeline.job import translate_articles
    from pipeline.names.glossary import load_glossary

    from .helpers import ROOT

    article = tmp_path / "story.txt"
    article.write_text("Fighters fled the city in 2017.\n\nDiyaruna reported 300 deaths.\n", encoding="utf-8")

    class CopyBackend:
        def translate(self, texts: list[str], *, lang: str) -> list[str]:
            return list(texts)

    translate_articles(
        [article],
        ["ar"],
        glossary=load_glossary(ROOT / "glossary"),
        locales=tmp_path / "locales",
        out=None,
        make_backend=lambda lang: CopyBackend(),
        model_label="copy",
    )
    po = polib.pofile(str(Path(tmp_path / "locales" / "ar" / "LC_MESSAGES" / "story.po")))
    by_source = {e.msgid: e.comment.splitlines() for e in po}
    first = by_source["Fighters fled the city in 2017."]
    assert "qa: untranslated: the translation is identical to the English source" in first
    assert any(line.startswith("qa: latin: ") for line in first)
    assert not any(line.startswith("qa: numbers") for line in first)
    second = by_source["Diyaruna reported 300 deaths."]
    assert not any(line.startswith("qa: untranslated") for line in second)  # the name became Arabic
    assert any(line.startswith("qa: latin: 2 Latin word(s): reported, deaths") for line in second)
