"""Numbers and dates in English source (issue 16): what is detected, and how it is rendered per locale."""

from __future__ import annotations

from datetime import date

import pytest

from pipeline.errors import GlossaryError
from pipeline.names.numformat import NumberStyle, render
from pipeline.names.quantities import find_quantities
from pipeline.names.style import Style, load_style, parse_style, quantity_matches

from .helpers import ROOT, SAMPLE

DATA = ROOT / "tests" / "data"


def found(text: str) -> list[tuple[str, str]]:
    return [(q.text, q.shape) for q in find_quantities(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("On Nov. 4, 2017, they left.", [("Nov. 4, 2017", "full_date")]),
        ("He arrived on 4 November.", [("4 November", "day_month")]),
        ("It was the 4th of July 2019.", [("4th of July 2019", "full_date")]),
        ("Fighting resumed in November 2017.", [("November 2017", "month_year")]),
        (
            "Since 2014 and during 2016, the 2003 invasion",
            [("2014", "year"), ("2016", "year"), ("2003", "year")],
        ),
        (
            "About 1,500 fighters, 12 tanks and 3.5 tonnes",
            [("1,500", "integer"), ("12", "integer"), ("3.5", "decimal")],
        ),
        (
            "Prices rose 2%, then 3.5 percent, then 4 per cent.",
            [("2%", "percent"), ("3.5 percent", "percent"), ("4 per cent", "percent")],
        ),
        ("Turnout was 10-15% and 20–30 people came.", [("10-15%", "range"), ("20–30", "range")]),
        (
            "The 27th brigade and the 1st, 2nd, 3rd and 11th.",
            [
                ("27th", "ordinal"),
                ("1st", "ordinal"),
                ("2nd", "ordinal"),
                ("3rd", "ordinal"),
                ("11th", "ordinal"),
            ],
        ),
        # Left to the model: relative dates, number words, times, tokens glued to letters, slash
        # dates whose order is a guess, wrong ordinal suffixes, days that do not exist.
        ("Late last year, on Monday, three men came at 10:30.", []),
        ("F-16 jets, COVID-19, the G20 and 3D maps", []),
        ("Dated 04/11/2017; the 1th; February 30", [("30", "integer")]),
    ],
)
def test_detection_on_crafted_sentences(text: str, expected: list[tuple[str, str]]) -> None:
    assert found(text) == expected


def test_detection_on_the_sample_article() -> None:
    text = SAMPLE.read_text(encoding="utf-8")
    spans = [(q.text, q.kind) for q in find_quantities(text)]
    assert (
        ("November 4th", "date") in spans
        and ("September 27th", "date") in spans
        and ("2%", "number") in spans
    )
    assert not any("last year" in s for s, _ in spans)  # "Late last year" is relative: the model's


def _flores() -> list[tuple[int, str, list[tuple[str, str]]]]:
    """Real news sentences nobody here wrote: FLORES-200 devtest (CC BY-SA 4.0), with what each holds."""
    rows = []
    lines = (DATA / "flores_numbers.tsv").read_text(encoding="utf-8").splitlines()
    for line in [x for x in lines if not x.startswith("#")][1:]:
        number, text, expected = line.split("\t")
        spans = [tuple(item.rsplit("=", 1)) for item in expected.split(" ; ") if item]
        rows.append((int(number), text, spans))
    return rows


FLORES = _flores()


@pytest.mark.parametrize(("line", "text", "expected"), FLORES, ids=[str(f[0]) for f in FLORES])
def test_detection_on_real_news_sentences(line: int, text: str, expected: list[tuple[str, str]]) -> None:
    assert found(text) == expected


def test_dates_carry_their_day() -> None:
    (q,) = find_quantities("By September 17, 1939, it was over.")
    assert q.day == date(1939, 9, 17) and q.has_year
    (q,) = find_quantities("on November 4th")
    assert (q.day.month, q.day.day) == (11, 4) and not q.has_year


SENTENCE = (
    "On November 4th, 2% of 1,500 fighters left; on Nov. 4, 2017 the 27th brigade held 10-15% since 2014."
)

# The same sentence's quantities per locale and digit style, as CLDR (Babel 2.19) writes them.
RENDERED = {
    ("ar", "latn"): ["4 نوفمبر", "2%", "1,500", "4 نوفمبر 2017", "27", "10–15%", "2014"],
    ("ar", "arab"): ["٤ نوفمبر", "٢٪", "١٬٥٠٠", "٤ نوفمبر ٢٠١٧", "٢٧", "١٠–١٥٪", "٢٠١٤"],
    ("ar_IQ", "latn"): ["4 تشرين الثاني", "2%", "1,500", "4 تشرين الثاني 2017", "27", "10–15%", "2014"],
    ("ar_IQ", "arab"): ["٤ تشرين الثاني", "٢٪", "١٬٥٠٠", "٤ تشرين الثاني ٢٠١٧", "٢٧", "١٠–١٥٪", "٢٠١٤"],
    ("ar_EG", "latn"): ["4 نوفمبر", "2%", "1,500", "4 نوفمبر 2017", "27", "10–15%", "2014"],
    ("ar_EG", "arab"): ["٤ نوفمبر", "٢٪", "١٬٥٠٠", "٤ نوفمبر ٢٠١٧", "٢٧", "١٠–١٥٪", "٢٠١٤"],
    ("ar_SA", "arab"): ["٤ نوفمبر", "٢٪", "١٬٥٠٠", "٤ نوفمبر ٢٠١٧", "٢٧", "١٠–١٥٪", "٢٠١٤"],
    ("fr_FR", "latn"): ["4 novembre", "2\xa0%", "1\u202f500", "4 novembre 2017", "27e", "10–15\xa0%", "2014"],
    ("fr", "arab"): ["٤ novembre", "٢\xa0٪", "١٬٥٠٠", "٤ novembre ٢٠١٧", "٢٧e", "١٠–١٥\xa0٪", "٢٠١٤"],
    ("he_IL", "latn"): ["4 בנובמבר", "2%", "1,500", "4 בנובמבר 2017", "27", "10–15%", "2014"],
    ("he", "arab"): ["٤ בנובמבר", "٢٪", "١٬٥٠٠", "٤ בנובמבר ٢٠١٧", "٢٧", "١٠–١٥٪", "٢٠١٤"],
}


@pytest.mark.parametrize(("locale", "digits"), list(RENDERED), ids=[f"{a}-{b}" for a, b in RENDERED])
def test_rendering_per_locale_and_digits(locale: str, digits: str) -> None:
    style = NumberStyle(locale, digits)  # type: ignore[arg-type]
    assert [render(q, style) for q in find_quantities(SENTENCE)] == RENDERED[(locale, digits)]


def test_dual_month_names_patterns_and_ordinals() -> None:
    dual = NumberStyle("ar_IQ", "arab", ("ar_IQ", "ar_EG"))
    assert [render(q, dual) for q in find_quantities("on November 4th and in November 2017")] == [
        "٤ تشرين الثاني/نوفمبر",
        "تشرين الثاني/نوفمبر ٢٠١٧",
    ]
    custom = NumberStyle("fr_FR", patterns={"full_date": "d MMMM y"}, ordinal={"other": "{n}ᵉ"})
    assert [render(q, custom) for q in find_quantities("Nov. 4, 2017, the 27th")] == [
        "4 novembre 2017",
        "27ᵉ",
    ]
    assert render(find_quantities("the 1st")[0], NumberStyle("fr_FR")) == "1er"  # CLDR ordinal category "one"
    # Written ungrouped (an identifier, a year) stays ungrouped; fraction digits stay as written.
    assert [
        render(q, NumberStyle("ar", "arab")) for q in find_quantities("Resolution 2254, 3.50 and 26 - 00")
    ] == [
        "٢٢٥٤",
        "٣٫٥٠",
        "٢٦–٠٠",
    ]


def test_no_bidi_marks_in_what_translators_see() -> None:
    for locale, digits in RENDERED:
        for form in RENDERED[(locale, digits)]:
            assert not set(form) & {"\u200e", "\u200f", "\u061c"}


def test_the_shipped_style_file() -> None:
    style = load_style(ROOT / "glossary")
    assert style.protect == {"number", "date"}
    ar = style.for_lang("ar")
    assert (ar.locale, ar.digits, ar.months) == ("ar_IQ", "latn", ("ar_IQ", "ar_EG"))
    assert load_style(ROOT / "glossary" / "names.tsv") == style  # a glossary file: its folder's style
    assert style.for_lang("de") == NumberStyle("de", "latn")  # no table: CLDR's defaults
    assert NumberStyle.default("ar_EG").digits == "arab" and NumberStyle.default("ar").digits == "latn"


def test_protection_switch_per_kind() -> None:
    text = "On November 4th, 2% left."
    only_numbers = parse_style("[protect]\ndates = false\n")
    assert [m.text for _, m in quantity_matches(text, "ar", only_numbers)] == ["2%"]
    assert [k for k, _ in quantity_matches(text, "ar", Style())] == ["date", "number"]
    assert quantity_matches(text, "ar", Style().without({"number", "date"})) == []


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("[ar]\ndigits = 'hindi'\n", 2, "digits = 'hindi': use one of latn, arab"),
        ("[protect]\nnumbers = true\n\n[ar]\nlocale = 'xx_YY'\n", 5, "not a CLDR locale"),
        ("[ar]\nmonths = ['ar_IQ', 'zz']\n", 2, "not a CLDR locale"),
        ("[ar]\ncolour = 'red'\n", 2, "has no setting 'colour'"),
        ('[ar]\nfull_date = "d \'MMMM y"\n', 2, "not a CLDR date pattern"),
        ("[ar]\nordinal = 'nth'\n", 2, "ordinal is"),
        ("[protect]\nnumbers = 'yes'\n", 2, "numbers = true|false"),
        ("[ar\ndigits = 'latn'\n", 1, "not valid TOML"),
    ],
)
def test_style_errors_name_file_and_line(text: str, line: int, message: str) -> None:
    with pytest.raises(GlossaryError) as info:
        parse_style(text, "glossary/style.toml")
    assert info.value.path == "glossary/style.toml" and info.value.line == line, str(info.value)
    assert message in str(info.value) and "\n" not in str(info.value)


def test_regional_language_codes_in_either_spelling() -> None:
    """``--to ar-EG`` (the BCP 47 spelling the language-code checks accept) finds its table as
    ``[ar-EG]`` or ``[ar_EG]``, else CLDR's defaults for ar_EG: never a Babel parse error."""
    assert NumberStyle.default("ar-EG").locale == "ar_EG" == NumberStyle.default("ar_EG").locale
    for table in ("ar-EG", "ar_EG"):
        style = parse_style(f'[{table}]\nlocale = "ar_EG"\ndigits = "latn"\n')
        assert style.for_lang("ar-EG").digits == "latn" and style.for_lang("ar_EG").digits == "latn"
    defaults = Style().for_lang("ar-EG")
    assert defaults.locale == "ar_EG"
    ((_, match),) = quantity_matches("It rose 2% on Monday.", "ar-EG", Style())
    assert match.term.target("ar-EG") == render(find_quantities("It rose 2% on Monday.")[0], defaults)
