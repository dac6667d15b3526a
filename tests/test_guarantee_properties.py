"""Property: whatever a model does to each placeholder, in any combination and order, restoring puts
every source name back exactly once in its glossary form and leaves no placeholder behind."""

from collections import Counter
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.names.glossary import find_targets, load_glossary
from pipeline.names.protection import leftover_placeholders, protect, restore

ROOT = Path(__file__).resolve().parents[1]
GLOSSARY = load_glossary(ROOT / "glossary")
NAMES = sorted({t.en for t in GLOSSARY.terms if not t.builtin} | {"Baghdad", "Turkey", "Jordan"})
FILLER_EN = ["fighters", "fled", "from", "to", "and", "the", "said", "in", ",", "."]
# Arabic words that are not glossary forms and do not contain one
FILLER_AR = ["قال", "من", "إلى", "في", "و", "المقاتلون", "فر", "،", "هذا", "بعد", "مدينة"]
ARABIC_DIGITS = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")

ACTIONS = ["keep", "drop", "double", "spaced", "lower", "arabic-digits", "transliterated", "translated",
           "proclitic", "glued", "article", "and-the"]  # fmt: skip


def fault(action: str, n: int) -> str:
    token = f"XNAME{n}"
    return {
        "keep": token,
        "drop": "",
        "double": f"{token} {token}",
        "spaced": f"X NAME {n}",
        "lower": f"xname-{n}",
        "arabic-digits": f"XNAME{str(n).translate(ARABIC_DIGITS)}",
        "transliterated": f"اكسنيم{n}",
        "translated": f"الاسم {n}",
        "proclitic": f"و{token}",
        "glued": f"من{token}",
        "article": f"ال{token}",
        "and-the": f"وال{token}",
    }[action]


@st.composite
def cases(draw):
    names = draw(st.lists(st.sampled_from(NAMES), min_size=1, max_size=6))
    words = []
    for name in names:
        words.extend(draw(st.lists(st.sampled_from(FILLER_EN), max_size=3)))
        words.append(name)
    words.extend(draw(st.lists(st.sampled_from(FILLER_EN), max_size=3)))
    source = " ".join(words)
    protected = protect(source, GLOSSARY)
    actions = [draw(st.sampled_from(ACTIONS)) for _ in protected.slots]
    pieces = [fault(action, slot.index) for action, slot in zip(actions, protected.slots, strict=True)]
    pieces += draw(st.lists(st.sampled_from(FILLER_AR), max_size=8))
    order = draw(st.permutations(pieces))
    return protected, actions, " ".join(p for p in order if p)


@settings(max_examples=400, deadline=None)
@given(cases())
def test_every_name_exactly_once_whatever_the_model_does(case) -> None:
    protected, actions, output = case
    result = restore(output, protected, "ar")
    found = Counter(result.text[s:e] for s, e, _ in find_targets(GLOSSARY, result.text, "ar"))
    assert found == Counter(slot.form("ar") for slot in protected.slots), (output, result.text)
    assert not leftover_placeholders(result.text) and "X NAME" not in result.text
    assert not any(c in result.text for c in "\ue000\ue001\ue002")
    # placeholders intact, wherever the model put them and whatever it glued on
    clean = {"keep", "proclitic", "glued", "article", "and-the"}
    assert (result.repairs == ()) == all(a in clean for a in actions), (actions, result.repairs)
