"""A long article costs time in proportion to its length (issue 19: 20 MB took ~6 min, 0.93 GB).

The speed-ups must not change a single segment or name: each is checked here against what it
replaced, on real text nobody here wrote (the unseen-news articles, FLORES-200 when present).
The timings themselves are ``scripts/bench_bigdoc.py``'s job, not a test's.
"""

from __future__ import annotations

import csv
import random
import re
from pathlib import Path

import pysbd
import pytest

from pipeline.names.glossary import find_targets, load_glossary
from pipeline.names.protection import glossary_forms
from pipeline.names.terms import _compiled_forms, form_of, forms_pattern
from pipeline.segment import _Segmenter

from .helpers import ROOT

FLORES = ROOT.parent / "shared" / "eval" / "flores200-devtest.eng-arb.tsv"
if not FLORES.exists():
    FLORES = ROOT.parent.parent / "shared" / "eval" / "flores200-devtest.eng-arb.tsv"


def news_texts() -> list[str]:
    """Paragraphs of real news: the shipped articles, and FLORES sentences joined in fives."""
    texts = [ROOT.joinpath("articles", "sample-article.txt").read_text(encoding="utf-8")]
    texts += [
        p.read_text(encoding="utf-8") for p in sorted((ROOT / "tests" / "data" / "unseen_news").glob("*"))
    ]
    paragraphs = [p for text in texts for p in re.split(r"\n\s*\n", text) if p.strip()]
    if FLORES.exists():
        with FLORES.open(encoding="utf-8", newline="") as handle:
            sentences = [row["en"] for row in csv.DictReader(handle, delimiter="\t")]
        paragraphs += [" ".join(sentences[i : i + 5]) for i in range(0, len(sentences), 5)]
    return paragraphs


def test_the_segmenter_finds_pysbds_sentences_without_a_regex_each() -> None:
    plain = pysbd.Segmenter(language="en", clean=False)
    ours = _Segmenter(language="en", clean=False)
    texts = news_texts()
    assert len(texts) > 100
    for text in texts:
        assert ours.segment(text) == plain.segment(text)
    # pysbd sentences that repeat, or that pysbd rewrote: the same search, the same spans
    for text in ["Hi. Hi. Hi.", "He said: 'Go.'  Then — he left. Hi.", "A.\n\nB.\u2028C.", "  x  "]:
        assert ours.segment(text) == plain.segment(text)


@pytest.fixture(scope="module")
def forms() -> frozenset[str]:
    return frozenset(glossary_forms(load_glossary(ROOT / "glossary"), "ar"))


def _texts(forms: frozenset[str]) -> list[str]:
    """Arabic-looking output with glossary forms, proclitics, contractions, figures and noise."""
    rng = random.Random(19)
    pool = sorted(forms)
    words = ["قال", "في", "من", "على", "25", "٢٠١٧", "و", "ب", "the", "U.S."]
    texts = []
    for _ in range(400):
        parts = []
        for _ in range(rng.randint(1, 12)):
            form = rng.choice(pool)
            glue = rng.choice(["", "و", "ب", "لل", "ل", "وال", "ـ", "بـ"])
            parts.append(glue + (form[2:] if glue.endswith("ل") and form.startswith("ال") else form))
            parts.append(rng.choice(words))
        texts.append(rng.choice([" ", "", "، "]).join(parts))
    return texts


def test_a_finder_limited_to_the_text_finds_the_same_names(forms: frozenset[str]) -> None:
    extra = ["25", "٢٥", "4 نوفمبر 2017"]
    for text in _texts(forms):
        full = _compiled_forms(frozenset([*forms, *extra]))
        limited = forms_pattern(forms, within=text, also=extra)
        assert full is not None
        expected = [(m.span(), m.group(1)) for m in full.finditer(text)]
        found = [(m.span(), m.group(1)) for m in limited.finditer(text)] if limited is not None else []
        assert found == expected, text


def test_find_targets_is_unchanged_by_the_cached_forms(forms: frozenset[str]) -> None:
    glossary = load_glossary(ROOT / "glossary")
    owner: dict[str, object] = {}
    for term in glossary.terms:
        owner.setdefault(term.target("ar") or term.en, term)
    full = _compiled_forms(frozenset(owner))
    assert full is not None
    for text in _texts(forms)[:100]:
        expected = [(*m.span(1), owner[form_of(m)]) for m in full.finditer(text)]
        assert find_targets(glossary, text, "ar") == expected


def test_english_output_compiles_no_finder_at_all(forms: frozenset[str]) -> None:
    """The identity backend's output (English, placeholders) holds no Arabic form: no pattern."""
    assert forms_pattern(forms, within="Rebels advanced on \ue0001\ue001 on Monday.") is None


def test_bench_bigdoc_builds_varied_text() -> None:
    import importlib.util

    spec = importlib.util.spec_from_file_location("bench_bigdoc", ROOT / "scripts" / "bench_bigdoc.py")
    assert spec is not None and spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    text = bench.article(200_000, bench.source_sentences())
    sentences = [s for s in re.split(r"(?<=[.!?\"”])\s+", text) if len(s) > 20]
    assert 190_000 <= len(text.encode()) < 220_000
    assert len(set(sentences)) > 0.9 * len(sentences)  # varied, not one sentence repeated
    assert Path(bench.__file__).name == "bench_bigdoc.py"


def test_a_repeated_block_is_split_once_into_the_same_segments(monkeypatch: pytest.MonkeyPatch) -> None:
    import pipeline.segment as segment
    from pipeline.ingest import Block

    texts = news_texts()[:6]
    blocks = [Block("paragraph", text, line) for line, text in enumerate(texts * 3, start=1)]
    expected = [segment.fix_quotes(segment.split_sentences(b.text)) for b in blocks]
    calls: list[str] = []
    real = segment.split_sentences
    monkeypatch.setattr(
        segment, "split_sentences", lambda text, keep=None: calls.append(text) or real(text, keep)
    )
    segments = segment.segment_blocks(blocks)
    assert len(calls) == len(set(texts))
    by_block = [[(s.text, s.sep) for s in segments if s.block == i] for i in range(len(blocks))]
    assert by_block == expected
    assert [s.line for s in segments if s.block == 7] == [8] * len(expected[7])
