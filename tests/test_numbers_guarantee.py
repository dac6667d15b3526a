"""Numbers and dates are protected like names (issue 16): exactly once each, whatever the model does,
rendered in the newsroom's style, repaired with a ``#.`` note, and the ``numbers`` check only fires on
what was left to the model."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Sequence
from pathlib import Path

import polib
import pytest

import pipeline
from pipeline.catalog.checks import Context, check_numbers
from pipeline.cli import main
from pipeline.names.glossary import load_glossary
from pipeline.names.numformat import NumberStyle
from pipeline.names.protection import (
    count_names,
    glossary_forms,
    leftover_placeholders,
    protect,
    translate_protected,
)
from pipeline.names.style import Style, quantity_matches
from pipeline.testing.faults import FAKES, DropBackend, IdentityFake, make_fake

from .helpers import ROOT, SAMPLE, msgfmt_check

TEXTS = [
    "Iraqi forces hold a position on November 4th near the Syrian border after recapturing al-Qaim.",
    "As the territory controlled by ISIS dwindled to 2% of what it once was, al-Hashemi said.",
    "After ISIS's failed attempt to seize areas around Ramadi on September 27th, three fled to al-Raqa.",
    "On Nov. 4, 2017, about 1,500 fighters of the 27th brigade held 10-15% of Mosul, since 2014.",
    "Out of 1,400 people polled prior to the 2010 federal election, support grew by 8 per cent since 2008.",
]


def _style(digits: str) -> Style:
    return Style({"ar": NumberStyle("ar_IQ", digits, ("ar_IQ", "ar_EG"))})  # type: ignore[arg-type]


@pytest.mark.parametrize("digits", ["latn", "arab"])
@pytest.mark.parametrize("fake", sorted(FAKES))
def test_each_number_and_date_comes_back_exactly_once(fake: str, digits: str) -> None:
    glossary, style = load_glossary(ROOT / "glossary"), _style(digits)
    items = [protect(t, glossary, extra=quantity_matches(t, "ar", style)) for t in TEXTS]
    assert sum(s.kind != "name" for item in items for s in item.slots) == 12
    restored = translate_protected(make_fake(fake), items, "ar", glossary=glossary)
    known = glossary_forms(glossary, "ar")
    for item, result in zip(items, restored, strict=True):
        counts = count_names(result.text, item, "ar", known)
        assert (counts.found, counts.extra) == (counts.expected, 0), (fake, result.text)
        assert not leftover_placeholders(result.text), result.text
        figures = [s for s in item.slots if s.kind != "name"]
        for slot in figures:
            if slot.form("ar") != slot.source:  # the English spelling never survives a protected slot
                assert slot.source not in result.text, (slot.source, result.text)
        if fake == "fake-identity":
            assert not result.repairs
        elif fake == "fake-drop":
            assert any(r.startswith(figures[0].source + ":") for r in result.repairs), result.repairs
    if digits == "arab":
        assert "٤ تشرين الثاني/نوفمبر" in restored[0].text and "٢٪" in restored[1].text


def test_names_are_unchanged_by_number_protection() -> None:
    """Names keep their slots, forms and notes; a number inside a name is the name's."""
    glossary = load_glossary(ROOT / "glossary")
    text = TEXTS[0]
    plain, both = (
        protect(text, glossary),
        protect(text, glossary, extra=quantity_matches(text, "ar", Style())),
    )
    assert [s.term.en for s in plain.slots] == [s.term.en for s in both.slots if s.kind == "name"]
    assert [s.kind for s in both.slots] == ["date", "name"]
    assert (
        both.masked
        == "Iraqi forces hold a position on XNAME0 near the Syrian border after recapturing XNAME1."
    )


class InflateNumbers(IdentityFake):
    """What the issue says models do to figures: "2%" becomes "20%". Placeholders are untouched."""

    name = "inflate"

    def translate(self, texts: Sequence[str], *, lang: str) -> list[str]:
        out = super().translate(texts, lang=lang)
        return [re.sub(r"(?<![A-Z\d])(\d+)(?=%| |,)", r"\g<1>0", t) for t in out]


def test_numbers_check_only_fires_on_what_was_not_protected() -> None:
    # A protected figure rendered in French ("1 500", narrow no-break space) is not "missing 1500".
    ctx = Context("fr", protected=(("1,500", "1\u202f500"),))
    assert check_numbers("About 1,500 fighters.", "Environ 1\u202f500 combattants.", ctx) is None
    assert (
        check_numbers("About 1,500 fighters.", "Environ 1\u202f500 combattants.", Context("fr")) is not None
    )
    # What was left to the model is still checked.
    assert check_numbers("About 1,500 fighters at 10:30.", "Environ 1\u202f500 à 11:30.", ctx) == (
        "missing 10; not in source 11"
    )


def _glossary_with_style(tmp_path: Path, style: str) -> Path:
    folder = tmp_path / "glossary"
    folder.mkdir()
    shutil.copy(ROOT / "glossary" / "names.tsv", folder / "names.tsv")
    (folder / "style.toml").write_text(style, encoding="utf-8")
    return folder


ARAB = '[ar]\nlocale = "ar_IQ"\ndigits = "arab"\nmonths = ["ar_IQ", "ar_EG"]\n'


def _entry(po: polib.POFile, needle: str) -> polib.POEntry:
    return next(e for e in po if needle in e.msgid and not e.obsolete)


def test_translate_end_to_end_with_a_style_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    glossary = _glossary_with_style(tmp_path, ARAB)
    result = pipeline.translate(SAMPLE, to="ar", backend=DropBackend(), glossary=glossary, out=None)
    assert result.figures == 3 and result.ok
    po_file = tmp_path / "locales" / "ar" / "LC_MESSAGES" / "sample-article.po"
    msgfmt_check(po_file)
    po = polib.pofile(str(po_file))
    caption = _entry(po, "November 4th")
    assert caption.msgstr.count("٤ تشرين الثاني/نوفمبر") == 1 and "November" not in caption.msgstr
    assert "repaired: November 4th: dropped by the model, inserted" in caption.comment
    share = _entry(po, "2%")
    assert share.msgstr.count("٢٪") == 1 and "2%" not in share.msgstr and "qa: numbers" not in share.comment
    assert "glossary: " in share.comment and "2%" not in share.comment.split("glossary: ")[1].split("\n")[0]
    # status counts the repaired entries awaiting review.
    repaired = sum(1 for e in po if e.msgid and "repaired:" in (e.comment or ""))
    assert pipeline.status("locales").summary.total.repaired == repaired >= 3
    # An unchanged re-run makes no model call and rewrites nothing.
    again = pipeline.translate(SAMPLE, to="ar", backend=DropBackend(), glossary=glossary, out=None)
    assert again.translated == 0 and again.written == []


def test_masking_switched_off_leaves_figures_to_the_model(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    glossary = _glossary_with_style(tmp_path, "[protect]\nnumbers = true\ndates = true\n")
    kept = pipeline.translate(SAMPLE, to="ar", backend=InflateNumbers(), glossary=glossary, out=None)
    po = polib.pofile(str(tmp_path / "locales" / "ar" / "LC_MESSAGES" / "sample-article.po"))
    assert "2%" in _entry(po, "2%").msgstr and "20%" not in _entry(po, "2%").msgstr and kept.figures == 3
    off = pipeline.translate(
        SAMPLE,
        to="ar",
        backend=InflateNumbers(),
        glossary=glossary,
        locales="off",
        out=None,
        no_protect=["numbers"],
    )
    assert off.figures == 2  # the two dates
    share = _entry(polib.pofile(str(tmp_path / "off" / "ar" / "LC_MESSAGES" / "sample-article.po")), "2%")
    assert "20%" in share.msgstr and "qa: numbers: missing 2; not in source 20" in share.comment


def test_cli_no_protect_and_bad_style(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    glossary = _glossary_with_style(tmp_path, ARAB)
    args = [
        "translate",
        str(SAMPLE),
        "--to",
        "ar",
        "--backend",
        "identity",
        "--glossary",
        str(glossary),
        "--no-render",
    ]
    assert main([*args, "--no-protect", "dates", "-q"]) == 0
    po = polib.pofile(str(tmp_path / "locales" / "ar" / "LC_MESSAGES" / "sample-article.po"))
    assert "November 4th" in _entry(po, "November 4th").msgstr and "٢٪" in _entry(po, "2%").msgstr
    assert main(["status", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["total"]["repaired"] == 0
    (glossary / "style.toml").write_text('[ar]\nlocale = "ar_IQ"\ndigits = "hindi"\n', encoding="utf-8")
    assert main(args) == 1
    err = capsys.readouterr().err.strip()
    assert err == f"error: {glossary / 'style.toml'}:3: digits = 'hindi': use one of latn, arab", err
