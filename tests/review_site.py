"""A translated sample site for the review-page tests: real Arabic words from a fake model that drops
one name in every sentence holding two or more (so the job repairs them), and two sentences reviewed
the way a translator does it: by deleting their ``#, fuzzy`` lines in the PO file."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from pipeline.catalog.po import po_path
from pipeline.job import translate_articles
from pipeline.names.glossary import load_glossary
from pipeline.names.style import Style

from .helpers import ROOT, SAMPLE
from .test_browser import ArabicWordsBackend

SLUG = "sample-article"


class DroppingArabicBackend(ArabicWordsBackend):
    """Arabic words, but the second name of a sentence goes missing, as real models lose names."""

    def translate(self, texts: Sequence[str], *, lang: str) -> list[str]:
        out = super().translate(texts, lang=lang)
        return [re.sub(r"\s*\b(?:XNAME|ZXQ)1\b", "", text) for text in out]


def review_by_editing(po_file: Path, count: int = 2) -> list[str]:
    """Delete the ``#, fuzzy`` line of the first ``count`` entries, as a translator's editor does
    when a translation is marked reviewed; returns their msgctxt."""
    lines = po_file.read_text(encoding="utf-8").split("\n")
    reviewed: list[str] = []
    keep: list[str] = []
    skipping = False
    for line in lines:
        if line == "#, fuzzy" and len(reviewed) < count:
            skipping = True
            continue
        if skipping and line.startswith("msgctxt "):
            reviewed.append(line.split('"')[1])
            skipping = False
        keep.append(line)
    po_file.write_text("\n".join(keep), encoding="utf-8")
    return reviewed


def translate_sample(root: Path) -> tuple[Path, Path]:
    """(locales, out) with the sample translated into Arabic; no pages rendered yet.

    Names only are protected here, so that the placeholder the backend drops is always a name (the
    premise of the tests on repaired names); a repaired number or date on the review page is
    tests/test_review.py's ``test_a_repaired_figure_is_flagged_but_not_marked_as_a_name``."""
    locales, out = root / "locales", root / "build"
    translate_articles(
        [SAMPLE],
        ["ar"],
        glossary=load_glossary(ROOT / "glossary"),
        locales=locales,
        out=None,
        make_backend=lambda lang: DroppingArabicBackend(),
        model_label="fake Arabic words, drops names",
        style=Style().without({"number", "date"}),
    )
    return locales, out


def sample_po(locales: Path) -> Path:
    return po_path(locales, "ar", SLUG)
