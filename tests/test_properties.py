"""Property-based tests (hypothesis): no input text loses characters, names, or the pipeline.

Text strategies mix ordinary prose with the characters that break text tools in practice: RTL and
LTR marks and isolates, zero-width joiners and spaces, a BOM, emoji (astral and ZWJ sequences),
Unicode line and paragraph separators, C0/C1 controls and NUL.
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from pipeline.catalog.merge import Message, build_catalog
from pipeline.catalog.po import po_path, read_po, write_po
from pipeline.errors import InputError
from pipeline.ingest import decode_article, load_document, parse_html, parse_markdown, parse_text
from pipeline.ingest.inline import TAG, tag_mismatch
from pipeline.job import translate_articles
from pipeline.mt.base import IdentityBackend
from pipeline.names.glossary import load_glossary
from pipeline.names.protection import PLACEHOLDER, protect, restore
from pipeline.segment import segment_blocks, split_sentences

from .helpers import ROOT

GLOSSARY = load_glossary(ROOT / "glossary")
NAMES = sorted({surface for term in GLOSSARY.terms for surface in term.surfaces})

TRICKY = [
    "\u200f",  # RIGHT-TO-LEFT MARK
    "\u200e",  # LEFT-TO-RIGHT MARK
    "\u202b",  # RIGHT-TO-LEFT EMBEDDING
    "\u202c",  # POP DIRECTIONAL FORMATTING
    "\u2067",  # RIGHT-TO-LEFT ISOLATE
    "\u2069",  # POP DIRECTIONAL ISOLATE
    "\u200b",  # ZERO WIDTH SPACE
    "\u200c",  # ZERO WIDTH NON-JOINER
    "\u200d",  # ZERO WIDTH JOINER
    "\ufeff",  # BOM / ZERO WIDTH NO-BREAK SPACE
    "\u2028",  # LINE SEPARATOR
    "\u2029",  # PARAGRAPH SEPARATOR
    "\x85",  # NEXT LINE
    "\x1c",  # FILE SEPARATOR (str.splitlines breaks here)
    "\x0b",
    "\x0c",
    "\x00",
    "\x7f",
    "\u00a0",
    "\u0301",  # combining acute
    "😀",
    "👩\u200d👩\u200d👧",
    "🇮🇶",
    "ديارنا",
    "ـ",
    "٣",
    '"',
    "\\",
    "'",
    "\t",
    "\r",
    "\n",
    "\n\n",
]
PUNCT = [
    ". ",
    "! ",
    "? ",
    ", ",
    "; ",
    ": ",
    "... ",
    "Dr. ",
    "U.S. ",
    "2.5% ",
    "(",
    ")",
    "# ",
    "* ",
    "<p>",
    "</p>",
]
WORDS = ["the", "Iraqi", "forces", "said", "on", "Monday", "a", "man", "who", "fled", "Mosul", "al-"]

chars = st.characters(exclude_categories=("Cs",))  # surrogates cannot be encoded at all
pieces = st.one_of(
    st.sampled_from(TRICKY), st.sampled_from(PUNCT), st.sampled_from(WORDS), chars, st.text(chars)
)
tricky_text = st.lists(st.one_of(pieces, st.just(" ")), max_size=40).map("".join)
prose = st.lists(
    st.one_of(st.sampled_from(WORDS), st.sampled_from(PUNCT), st.sampled_from(TRICKY)), max_size=40
)
prose_with_names = st.lists(
    st.one_of(st.sampled_from(WORDS), st.sampled_from(NAMES), st.sampled_from(TRICKY[:12]), st.just(" ")),
    max_size=30,
).map(" ".join)

#: ``PROPERTY_EXAMPLES=5000 pytest tests/test_properties.py`` searches harder than the default run.
EXAMPLES = int(os.environ.get("PROPERTY_EXAMPLES", "150"))
SETTINGS = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(tricky_text)
def test_sentences_join_back_to_the_text(text: str) -> None:
    pairs = split_sentences(text)
    assert "".join(sentence + sep for sentence, sep in pairs) == text.strip()
    assert all(sentence.strip() for sentence, _ in pairs)


@SETTINGS
@given(st.one_of(tricky_text, prose.map("".join)), st.sampled_from(["text", "markdown", "html"]))
def test_ingest_and_segmentation_never_crash_and_keep_block_text(text: str, fmt: str) -> None:
    parse = {"text": parse_text, "markdown": parse_markdown, "html": parse_html}[fmt]
    try:
        blocks = parse(text, "article")
    except InputError:  # e.g. an HTML page with nothing to translate: a reported error, not a crash
        return
    segments = segment_blocks(blocks)
    for index, block in enumerate(blocks):
        own = [s for s in segments if s.block == index]
        # Inline markup is written as tags in a sentence; without them it is the block's text.
        assert "".join(TAG.sub("", s.text) + s.sep for s in own) == block.text.strip()
        assert all(s.line == block.line for s in own)
        assert all(tag_mismatch(s.text, s.text) == [] for s in own)  # each sentence well nested


@SETTINGS
@given(st.binary(max_size=200) | tricky_text.map(lambda t: t.encode("utf-8")))
def test_decoding_rejects_or_accepts_never_crashes(raw: bytes) -> None:
    try:
        text = decode_article(raw, "article.txt")
    except InputError as exc:
        assert exc.path == "article.txt" and "\n" not in str(exc)
        return
    assert "\x00" not in text and "\r" not in text and text.strip()


@SETTINGS
@given(prose_with_names)
def test_protect_then_identity_restore_gives_the_glossary_forms(text: str) -> None:
    assume(not PLACEHOLDER.search(text))  # a literal "XNAME0" in an article is not a name
    protected = protect(text, GLOSSARY)
    assert not GLOSSARY.find(protected.masked)  # the model never sees a protected name
    for lang in ("ar", "fr"):
        restored = restore(protected.masked, protected, lang)
        expected, cursor = [], 0
        for match in GLOSSARY.find(text):
            expected += [text[cursor : match.start], match.term.target(lang) or match.text]
            cursor = match.end
        expected.append(text[cursor:])
        assert restored.text == re.sub(r"[ \t]{2,}", " ", "".join(expected)).strip()
        assert restored.repairs == ()


@SETTINGS
@given(prose_with_names, st.randoms(use_true_random=False))
def test_restore_yields_each_name_once_whatever_the_model_does(text: str, rnd) -> None:
    assume(not PLACEHOLDER.search(text))
    protected = protect(text, GLOSSARY)
    tokens = protected.masked.split()
    mangled: list[str] = []
    for token in tokens:  # drop, duplicate, garble or keep each token
        roll = rnd.random()
        if roll < 0.15:
            continue
        mangled.append(token)
        if roll > 0.85:
            mangled.append(token.replace("XNAME", "X NAME "))
    rnd.shuffle(mangled)
    restored = restore(" ".join(mangled), protected, "ar")
    for slot in protected.slots:
        assert slot.form("ar") in restored.text
    assert "XNAME" not in restored.text and "\ue000" not in restored.text


no_nul = st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\x00"), max_size=60)
catalog_text = st.one_of(no_nul, st.lists(st.sampled_from(TRICKY[:16] + WORDS), max_size=20).map("".join))


@SETTINGS
@given(st.lists(st.tuples(catalog_text, catalog_text), min_size=1, max_size=5, unique_by=lambda p: p[0]))
def test_po_written_from_any_text_reads_back(pairs: list[tuple[str, str]]) -> None:
    pairs = [(source, target) for source, target in pairs if source]
    assume(pairs)
    messages = [
        Message(f"paragraph:{i}", source, "paragraph", [("a.txt", i + 1)], [], target)
        for i, (source, target) in enumerate(pairs)
    ]
    po = build_catalog(messages, lang="ar", slug="a", source="a.txt", model="m", date="2026-01-01 00:00+0000")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "a.po"
        write_po(po, path)
        back = read_po(path)
        got = {e.msgctxt: (e.msgid, e.msgstr) for e in back if not e.obsolete}
        assert got == {m.id: (m.source, m.translation) for m in messages}
        again = build_catalog(
            messages,
            lang="ar",
            slug="a",
            source="a.txt",
            model="m",
            date="2027-01-01 00:00+0000",
            existing=back,
        )
        assert not write_po(again, path)  # merging over its own output changes nothing


@settings(
    max_examples=max(25, EXAMPLES // 6),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(tricky_text, st.sampled_from([".txt", ".md", ".html"]))
def test_whole_pipeline_on_random_articles_and_rerun_reuses_everything(
    tmp_path_factory: pytest.TempPathFactory, text: str, suffix: str
) -> None:
    """Identity backend end to end: whatever the article, the run reports or succeeds, and the PO
    files it writes read back so a re-run calls the model for nothing."""
    work = tmp_path_factory.mktemp("prop")
    article = work / f"random{suffix}"
    article.write_bytes(text.encode("utf-8"))

    def run():
        return translate_articles(
            [article],
            ["ar"],
            glossary=GLOSSARY,
            locales=work / "locales",
            out=work / "build",
            make_backend=lambda lang: IdentityBackend(),
            model_label="identity",
        )

    first = run()
    if first.errors:
        assert all(isinstance(e, InputError) for e in first.errors), first.errors
        with pytest.raises(InputError):
            load_document(article)
        return
    po = read_po(po_path(work / "locales", "ar", article.stem))
    assert len([e for e in po if not e.obsolete]) == first.units
    second = run()
    assert not second.errors and second.translated == 0 and second.reused == first.units
