"""The glossary's forms and a segment's own (its figures) are searched as two patterns side by side,
so the glossary's pattern is compiled once per run instead of once per segment: what they find must
be exactly what one pattern over the union finds, prefixes, contracted spellings and overlaps included."""

from __future__ import annotations

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


def found(finder: object, text: str) -> list[tuple[int, int, int, str]]:
    assert finder is not None
    return [(m.start(), m.end(), m.start(1), form_of(m)) for m in finder.finditer(text)]  # type: ignore[attr-defined]


@settings(max_examples=400, deadline=None)
@example(stable={"سوريا"}, extra={"لسوريا"}, parts=["لسوريا"])  # the prefix wins
@example(stable={"الموصل"}, extra={"والموصل"}, parts=["و", "والموصل"])
@example(stable={"الرقة"}, extra={"لرقة"}, parts=["ل", "لرقة"])  # not separable: one pattern
@given(
    stable=st.sets(st.sampled_from(FORMS), min_size=1),
    extra=st.sets(st.sampled_from(FORMS), min_size=1),
    parts=st.lists(st.sampled_from(PIECES), max_size=14),
)
def test_two_patterns_find_what_the_union_finds(stable: set[str], extra: set[str], parts: list[str]) -> None:
    text = "".join(parts)
    union = _compiled_forms(frozenset(stable | extra))
    assert union is not None
    expected = [(m.start(), m.end(), m.start(1), form_of(m)) for m in union.finditer(text)]
    assert found(forms_pattern(stable, extra), text) == expected


def test_sub_replaces_what_finditer_finds() -> None:
    finder = forms_pattern(["الرقة", "سوريا"], ["٢٥"])
    assert finder is not None and len(finder.patterns) == 2
    text = "في للرقة و٢٥ وسوريا"
    assert finder.sub(lambda m: f"[{form_of(m)}]", text) == "في [الرقة] [٢٥] [سوريا]"


def test_the_glossary_pattern_is_compiled_once_whatever_the_segment_adds() -> None:
    glossary = [f"اسم{n}" for n in range(300)]
    _compiled_forms.cache_clear()
    for n in range(50):
        forms_pattern(glossary, [f"{n}٢"])
    # The glossary's pattern once, then one small pattern per segment's figures.
    assert _compiled_forms.cache_info().misses == 51
