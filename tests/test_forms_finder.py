"""A segment's finder holds only the glossary's and the segment's own forms that occur in the text it
searches (so no segment compiles an alternation of the whole glossary): what it finds must be exactly
what one pattern over every form finds, prefixes, contracted spellings and overlaps included."""

from __future__ import annotations

import re

from hypothesis import example, given, settings
from hypothesis import strategies as st

from pipeline.names.terms import _compiled_forms, form_of, forms_pattern

FORMS = [
    "الرقة",
    "لسوريا",
    "والموصل",
    "الموصل",
    "سوريا",
    "قوات سوريا الديمقراطية",
    "الله",
    "لرقة",
    "دمشق",
    "Reuters",
    "٢٥",
    "٢٠١٧",
]
PIECES = [*FORMS, "و", "ف", "ب", "ل", "ك", "ال", "ـ", " ", "،", "x", "ا", "٢", "ة"]


def found(finder: re.Pattern[str] | None, text: str) -> list[tuple[int, int, int, str]]:
    if finder is None:
        return []
    return [(m.start(), m.end(), m.start(1), form_of(m)) for m in finder.finditer(text)]


@settings(max_examples=400, deadline=None)
@example(stable={"سوريا"}, extra={"لسوريا"}, parts=["لسوريا"])  # the prefix wins
@example(stable={"الموصل"}, extra={"والموصل"}, parts=["و", "والموصل"])
@example(stable={"الرقة"}, extra={"لرقة"}, parts=["ل", "لرقة"])  # a contracted spelling of both
@given(
    stable=st.sets(st.sampled_from(FORMS), min_size=1),
    extra=st.sets(st.sampled_from(FORMS), min_size=1),
    parts=st.lists(st.sampled_from(PIECES), max_size=14),
)
def test_the_text_limited_finder_finds_what_the_union_finds(
    stable: set[str], extra: set[str], parts: list[str]
) -> None:
    text = "".join(parts)
    union = _compiled_forms(frozenset(stable | extra))
    assert union is not None
    expected = [(m.start(), m.end(), m.start(1), form_of(m)) for m in union.finditer(text)]
    assert found(forms_pattern(frozenset(stable), within=text, also=extra), text) == expected
