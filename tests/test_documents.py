"""Tests for the ingest stage (pipeline.ingest): formats, heuristics, furniture, errors."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.errors import InputError
from pipeline.ingest import (
    BLOCK_KINDS,
    Block,
    detect_format,
    is_boilerplate,
    load_document,
    parse_html,
    parse_markdown,
    parse_text,
    slugify,
)

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "articles" / "sample-article.txt"
DATA = Path(__file__).resolve().parent / "data"

HEADLINE = "As losses mount, ISIS elements lose will to fight"
CAPTION = (
    "Iraqi forces hold a position on November 4th near the Syrian border after recapturing the border "
    "town of al-Qaim, western Anbar, from the 'Islamic State of Iraq and Syria' a day earlier. "
    "[Ahmad al-Rubaye/AFP]"
)


def kinds(blocks: list[Block], kind: str) -> list[str]:
    return [b.text for b in blocks if b.kind == kind]


def pairs(blocks: list[Block]) -> list[tuple[str, str]]:
    return [(b.kind, b.text) for b in blocks]


# ---------------------------------------------------------------------------------------------
# The sample article (plain text)
# ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sample():
    return load_document(SAMPLE)


def test_sample_metadata(sample):
    assert sample.format == "text"
    assert sample.slug == "sample-article"
    assert sample.path == SAMPLE
    assert sample.headline == HEADLINE


def test_sample_structure(sample):
    blocks = sample.blocks
    assert kinds(blocks, "section") == ["Iraq News", "Terrorism"]
    assert kinds(blocks, "headline") == [HEADLINE]
    assert kinds(blocks, "byline") == ["By Khalid al-Taie"]
    assert kinds(blocks, "caption") == [CAPTION, CAPTION]  # repeated caption kept: later stage dedupes
    assert kinds(blocks, "subheading") == ["No will to fight", "ISIS executes deserters"]
    assert kinds(blocks, "quote") == []
    assert len(kinds(blocks, "paragraph")) == 21
    assert [b.kind for b in blocks[:6]] == ["section", "section", "headline", "byline", "caption", "caption"]
    assert all(b.kind in BLOCK_KINDS for b in blocks)


def test_sample_paragraph_texts(sample):
    paragraphs = kinds(sample.blocks, "paragraph")
    assert paragraphs[0].startswith("After losing the vast majority of territory")
    assert paragraphs[4] == "But no longer, it seems."
    # "By increasing ..." starts like a byline but is a sentence.
    assert paragraphs[-2].startswith("By increasing the severity of punishment")
    # Opens and closes with quotes, but attribution sits in the middle: a paragraph, not a quote.
    assert paragraphs[-1] == (
        '"But these attempts have not achieved the desired effect for the group," al-Koud said, '
        '"and ISIS is now facing oblivion".'
    )


def test_sample_line_numbers(sample):
    line = {b.text: b.line for b in sample.blocks}
    assert line["Iraq News"] == 1
    assert line["Terrorism"] == 2
    assert line[HEADLINE] == 4
    assert line["By Khalid al-Taie"] == 6
    assert [b.line for b in sample.blocks if b.kind == "caption"] == [8, 10]
    assert line["No will to fight"] == 22
    assert line["ISIS executes deserters"] == 42
    assert sample.blocks[-1].line == 56


def test_sample_furniture_dropped(sample):
    text = " ".join(b.text for b in sample.blocks)
    for furniture in ("Do you like this article", "Comment(s)", "Comment Policy", "1500 / 1500"):
        assert furniture not in text


def test_blocks_are_folded(sample):
    for block in sample.blocks:
        assert block.text == block.text.strip()
        assert "\n" not in block.text and "  " not in block.text


# ---------------------------------------------------------------------------------------------
# The same article as Markdown and as a full HTML page
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "fmt"), [("sample-article.md", "markdown"), ("sample-article.html", "html")]
)
def test_converted_sample_matches_text(sample, name, fmt):
    doc = load_document(DATA / name)
    assert doc.format == fmt
    assert doc.slug == "sample-article"
    assert pairs(doc.blocks) == pairs(sample.blocks)


def test_markdown_sample_lines():
    line = {(b.kind, b.text): b.line for b in load_document(DATA / "sample-article.md").blocks}
    assert line[("section", "Iraq News")] == 5  # from the front matter list
    assert line[("headline", HEADLINE)] == 10
    assert line[("subheading", "No will to fight")] == 37


def test_html_sample_lines():
    blocks = load_document(DATA / "sample-article.html").blocks
    line = {(b.kind, b.text): b.line for b in blocks}
    assert line[("headline", HEADLINE)] == 29
    assert line[("byline", "By Khalid al-Taie")] == 30
    assert line[("subheading", "ISIS executes deserters")] == 60
    assert [b.line for b in blocks if b.kind == "caption"] == [37, 41]


# ---------------------------------------------------------------------------------------------
# Plain-text heuristics
# ---------------------------------------------------------------------------------------------


def test_text_single_section_line_before_headline():
    blocks = parse_text("Politics\n\nParliament passes the budget\n\nBy Jane Doe\n\nIt passed.\n")
    assert pairs(blocks) == [
        ("section", "Politics"),
        ("headline", "Parliament passes the budget"),
        ("byline", "By Jane Doe"),
        ("paragraph", "It passed."),
    ]


def test_text_short_headline_is_not_a_section():
    blocks = parse_text("Budget passes\n\nBy Jane Doe\n\nIt passed.")
    assert pairs(blocks)[0] == ("headline", "Budget passes")


def test_text_question_headline_before_byline():
    assert parse_text("Is ISIS finished?\n\nBy Jane Doe\n\nMaybe.")[0] == Block(
        "headline", "Is ISIS finished?", 1
    )


def test_text_paragraph_lines_are_folded():
    blocks = parse_text("Title here\n\nFirst line of a paragraph\n  continues here.\n")
    assert blocks[1] == Block("paragraph", "First line of a paragraph continues here.", 3)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ('"We will not surrender."', "quote"),
        ("“We will not surrender,” ", "quote"),
        ("« Nous ne céderons pas. »", "quote"),
        ("'The group's fighters are gone.'", "quote"),
        ('"We will not surrender," he said.', "paragraph"),
        ('He said "we will not surrender".', "paragraph"),
        ("Rebels seized the town [Reuters/File]", "caption"),
        ("The minister said [the group] had lost.", "paragraph"),
        ("By Khalid al-Taie and Jane Doe", "byline"),
        ("By increasing pressure, the army won.", "paragraph"),
        ("ISIS executes deserters", "subheading"),
    ],
)
def test_text_block_kinds(text, kind):
    blocks = parse_text(f"Headline here\n\nFirst paragraph.\n\n{text}\n\nLast paragraph.")
    assert blocks[2].kind == kind, blocks


def test_text_footer_cuts_everything_after():
    text = "Headline\n\nBody text.\n\nDo you like this article?\n\nReader One\n\nGreat piece, thanks."
    assert pairs(parse_text(text)) == [("headline", "Headline"), ("paragraph", "Body text.")]


def test_text_furniture_mid_article_is_dropped_not_cut():
    text = "Headline\n\nOne.\n\nAdvertisement\n\nShare this article\n\nTwo."
    assert kinds(parse_text(text), "paragraph") == ["One.", "Two."]


def test_text_furniture_above_headline_is_ignored():
    text = "Advertisement\n\nIraq News\n\nA headline\n\nBody."
    assert pairs(parse_text(text))[:2] == [("section", "Iraq News"), ("headline", "A headline")]


def test_text_comment_counter_near_top_does_not_cut_the_article():
    text = "Headline\n\nBy Jane Doe\n\n3 Comments\n\nBody."
    assert kinds(parse_text(text), "paragraph") == ["Body."]


def test_parse_text_accepts_crlf_and_bom():
    assert parse_text("\ufeffTitle\r\n\r\nBody.\r\n") == [
        Block("headline", "Title", 1),
        Block("paragraph", "Body.", 3),
    ]


def test_parse_text_is_empty_for_nothing():
    assert parse_text("") == []
    assert parse_text("\n \n\t\n") == []
    assert parse_text("* * *\n\n---") == []


# ---------------------------------------------------------------------------------------------
# Boilerplate
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Do you like this article?",
        "0 Comment(s)",
        "12 Comments",
        "Comment Policy * Denotes Required Field 1500 / 1500",
        "0 Comment(s)\nComment Policy * Denotes Required Field 1500 / 1500",
        "Share this article",
        "Share on Facebook",
        "Facebook | Twitter | WhatsApp",
        "Related articles",
        "Related: Iraqi forces retake al-Qaim",
        "Read more",
        "Read more »",
        "Subscribe to our newsletter",
        "Advertisement",
        "We use cookies to improve your experience. By continuing to browse you agree.",
        "Accept all cookies",
        "All rights reserved.",
        "© 2017 Diyaruna. All rights reserved.",
        "Copyright 2017 Diyaruna",
    ],
)
def test_boilerplate(text):
    assert is_boilerplate(text)


@pytest.mark.parametrize(
    "text",
    [
        "Simply put, they said, ISIS elements have lost the will to fight.",
        "Share prices fell sharply in Baghdad on Monday.",
        "Comments made by the minister drew anger.",
        "Copyright law protects the archive.",
        "Subscribers were angry.",
        "Related groups in Syria also lost ground.",
        "Read the statement below.",
        "No will to fight",
        "",
        "x" * 5000,
    ],
)
def test_not_boilerplate(text):
    assert not is_boilerplate(text)


# ---------------------------------------------------------------------------------------------
# Markdown
# ---------------------------------------------------------------------------------------------


def test_markdown_inline_markup_is_plain_text():
    blocks = parse_markdown(
        "# The *big* story\n\nSee [the report](http://x) and **bold** `code` <b>tag</b>.\n"
    )
    assert pairs(blocks) == [
        ("headline", "The big story"),
        ("paragraph", "See the report and bold code tag."),
    ]


def test_markdown_kinds():
    text = (
        "---\ntitle: Front matter title\nsection: World\n---\n"  # lines 1-4
        "Intro paragraph.\n\n"  # 5
        "## A subheading\n\n"  # 7
        "> Quoted line one\n> still one.\n>\n> Second quote.\n\n"  # 9-12
        "- first item\n- second item\n\n"  # 14-15
        "```\nprint('skipped')\n```\n\n"  # 17-19
        "![A soldier stands guard at a checkpoint](a.jpg)\n\n"  # 21
        "![](decorative.png)\n\n"  # 23
        "By Jane Doe\n\n"  # 25
        "Town square after the battle [John Smith/AP]\n"  # 27
    )
    assert [(b.kind, b.text, b.line) for b in parse_markdown(text)] == [
        ("section", "World", 3),
        ("headline", "Front matter title", 2),
        ("paragraph", "Intro paragraph.", 5),
        ("subheading", "A subheading", 7),
        ("quote", "Quoted line one still one.", 9),
        ("quote", "Second quote.", 12),
        ("paragraph", "first item", 14),
        ("paragraph", "second item", 15),
        ("caption", "A soldier stands guard at a checkpoint", 21),
        ("byline", "By Jane Doe", 25),
        ("caption", "Town square after the battle [John Smith/AP]", 27),
    ]


def test_markdown_h1_wins_over_title_and_later_h1_is_subheading():
    blocks = parse_markdown("---\ntitle: Ignored\n---\n# Real headline\n\nText.\n\n# Another\n")
    assert pairs(blocks) == [("headline", "Real headline"), ("paragraph", "Text."), ("subheading", "Another")]


def test_markdown_visible_caption_replaces_alt_text():
    text = (
        "# H\n\n![short alt](a.jpg)\n*Soldiers rest near the border.*\n\n"
        "![alt two](b.jpg)\n\n_Second caption._\n"
    )
    assert kinds(parse_markdown(text), "caption") == ["Soldiers rest near the border.", "Second caption."]


def test_markdown_raw_html_blocks_are_parsed():
    text = (
        "# Title\n\nPara one.\n\n"  # 1, 3
        "<figure>\n  <img src='a.jpg' alt='x'>\n  <figcaption>Soldiers at the border [AFP]</figcaption>\n"
        "</figure>\n\n"  # 5-8
        "<div class='share-bar'>Share this article</div>\n\n"  # 10
        "<h1>Second</h1>\n"  # 12
    )
    assert [(b.kind, b.text, b.line) for b in parse_markdown(text)] == [
        ("headline", "Title", 1),
        ("paragraph", "Para one.", 3),
        ("caption", "Soldiers at the border [AFP]", 7),
        ("subheading", "Second", 12),
    ]


# ---------------------------------------------------------------------------------------------
# HTML
# ---------------------------------------------------------------------------------------------


def test_html_title_fallback_and_inline_handling():
    page = """<!doctype html>
<html><head><title>Big news about Iraq | Diyaruna</title>
<meta property="article:section" content="Iraq News"></head>
<body>
<header><h1 class="logo">Diyaruna</h1><nav><a href="/">Home</a></nav></header>
<div class="content">
  <p>caf&eacute; &amp; <b>bold</b><br>next <code>line</code></p>
  Loose text in a div.
  <img src="a.jpg" alt="A man walks past a destroyed building in Mosul">
  <img src="logo.png" alt="logo">
  <blockquote><p>Quote one.</p><p>Quote two.</p></blockquote>
  <ul><li>Item one</li><li>Item two</li></ul>
  <p class="author-name">Jane Doe</p>
  <div class="share-tools"><a href="#">Facebook</a></div>
  <p>Read more</p>
</div>
<footer><p>&copy; 2017 Diyaruna</p></footer>
</body></html>"""
    assert [(b.kind, b.text, b.line) for b in parse_html(page)] == [
        ("section", "Iraq News", 3),
        ("headline", "Big news about Iraq", 2),
        ("paragraph", "café & bold next line", 7),
        ("paragraph", "Loose text in a div.", 8),
        ("caption", "A man walks past a destroyed building in Mosul", 9),
        ("quote", "Quote one.", 11),
        ("quote", "Quote two.", 11),
        ("paragraph", "Item one", 12),
        ("paragraph", "Item two", 12),
        ("byline", "Jane Doe", 13),
    ]


def test_html_prefers_article_and_drops_wrappers_only_when_they_are_furniture():
    page = (
        "<body><form id='aspnetForm'><div class='page has-comments'>"
        "<article><h1>Headline</h1><p>One.</p><p>Two.</p><p>Three.</p></article>"
        "<section id='comments'><article class='comment'><p>First!</p></article></section>"
        "</div></form></body>"
    )
    assert pairs(parse_html(page)) == [
        ("headline", "Headline"),
        ("paragraph", "One."),
        ("paragraph", "Two."),
        ("paragraph", "Three."),
    ]


@pytest.mark.parametrize(
    "page",
    [
        "",
        "<html><body></body></html>",
        "<script>var x = 1;</script><nav>Home</nav>",
        "<p>Share this article</p>",
    ],
)
def test_html_without_text_raises(page):
    with pytest.raises(InputError) as info:
        parse_html(page, "page.html")
    assert info.value.path == "page.html"
    assert "no translatable text" in str(info.value)


# ---------------------------------------------------------------------------------------------
# Formats and slugs
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "text", "fmt"),
    [
        ("a.txt", "<p>html in a txt file</p>", "text"),
        ("a.TEXT", "x", "text"),
        ("a.md", "x", "markdown"),
        ("a.markdown", "x", "markdown"),
        ("a.html", "x", "html"),
        ("a.HTM", "x", "html"),
        ("article", "<!DOCTYPE html><html></html>", "html"),
        ("article", "  \n<div>x</div>", "html"),
        ("article", "# Heading\n\ntext", "markdown"),
        ("article.eml", "Plain words < and > here", "text"),
    ],
)
def test_detect_format(name, text, fmt):
    assert detect_format(name, text) == fmt


@pytest.mark.parametrize(
    ("path", "slug"),
    [
        ("articles/sample-article.txt", "sample-article"),
        ("Café Story (Final) v2.md", "cafe-story-final-v2"),
        ("__x__.html", "x"),
        ("...", "article"),
    ],
)
def test_slugify(path, slug):
    assert slugify(path) == slug


def test_slugify_never_gives_two_non_ascii_names_one_slug() -> None:
    """Two Arabic file names used to both become ``article`` and overwrite each other's files."""
    first, second = slugify("مقال.txt"), slugify("تقرير.txt")
    assert first != second and first.startswith("article-") and second.startswith("article-")
    assert slugify("report-تقرير.txt").startswith("report-") and slugify("مقال.md") == first


def test_slugify_caps_length_and_still_hashes_non_ascii_names() -> None:
    """Both issue 19 fixes at once: a long name fits in MAX_SLUG, hash included, and two long
    names that differ only in letters with no ASCII form still get two slugs."""
    from pipeline.ingest.sniff import MAX_SLUG, is_slug

    first = slugify("report-" + "ب" * 200 + "-" + "x" * 150 + ".txt")
    second = slugify("report-" + "ت" * 200 + "-" + "x" * 150 + ".txt")
    assert first != second
    for slug in (first, second):
        assert len(slug) <= MAX_SLUG and is_slug(slug) and slug.startswith("report-x")
    assert len(slugify("w" * 50 + "-" + "x" * 199 + ".txt")) <= MAX_SLUG  # ASCII: capped, no hash
    assert slugify("w" * 50 + "-" + "x" * 199 + ".txt") == "w" * 50


# ---------------------------------------------------------------------------------------------
# load_document errors and normalisation
# ---------------------------------------------------------------------------------------------


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_missing_file(tmp_path):
    with pytest.raises(InputError, match="file not found") as info:
        load_document(tmp_path / "nope.txt")
    assert info.value.path == str(tmp_path / "nope.txt")


def test_directory(tmp_path):
    with pytest.raises(InputError, match="is a directory"):
        load_document(tmp_path)


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root can read anything")
def test_unreadable_file(tmp_path):
    path = write(tmp_path, "locked.txt", b"Title\n\nBody.\n")
    path.chmod(0)
    try:
        with pytest.raises(InputError, match="permission denied"):
            load_document(path)
    finally:
        path.chmod(0o644)


@pytest.mark.parametrize(
    ("error", "message"),
    [(PermissionError(13, "Permission denied"), "permission denied"), (OSError(5, "I/O error"), "I/O error")],
)
def test_read_errors_are_input_errors(tmp_path, monkeypatch, error, message):
    path = write(tmp_path, "a.txt", b"Title\n\nBody.\n")

    def fail(self):
        raise error

    monkeypatch.setattr(Path, "read_bytes", fail)
    with pytest.raises(InputError, match=message) as info:
        load_document(path)
    assert info.value.path == str(path)


def test_invalid_utf8_reports_line_and_offset(tmp_path):
    path = write(tmp_path, "bad.txt", b"Title\n\nGood line.\nBad \xff byte.\n")
    with pytest.raises(InputError) as info:
        load_document(path)
    err = info.value
    assert err.line == 4
    assert "invalid UTF-8" in err.message and "byte offset 22" in err.message and "line 4" in err.message
    assert str(err).startswith(f"{path}:4: ")
    assert "\n" not in str(err)


def test_invalid_utf8_line_counts_crlf(tmp_path):
    path = write(tmp_path, "bad.txt", b"\xef\xbb\xbfTitle\r\n\r\n\xc3(\r\n")
    with pytest.raises(InputError) as info:
        load_document(path)
    assert info.value.line == 3
    assert "byte offset 12" in info.value.message  # offsets count the BOM: they are file offsets


def test_nul_bytes_are_binary(tmp_path):
    path = write(tmp_path, "image.txt", b"Title\n\n\x89PNG\x00\x00\x00")
    with pytest.raises(InputError, match="binary") as info:
        load_document(path)
    assert info.value.line == 3


def test_utf16_is_named(tmp_path):
    path = write(tmp_path, "wide.txt", "Title\n\nBody.".encode("utf-16"))
    with pytest.raises(InputError, match="UTF-16"):
        load_document(path)


@pytest.mark.parametrize("data", [b"", b"   \n\n\t\r\n", b"\xef\xbb\xbf"])
def test_empty_file(tmp_path, data):
    with pytest.raises(InputError, match="empty"):
        load_document(write(tmp_path, "empty.txt", data))


@pytest.mark.parametrize("name", ["furniture.txt", "furniture.md"])
def test_boilerplate_only_file(tmp_path, name):
    data = b"Share this article\n\nAdvertisement\n\nDo you like this article?\n\n0 Comment(s)\n"
    with pytest.raises(InputError, match="no translatable content"):
        load_document(write(tmp_path, name, data))


def test_boilerplate_only_html(tmp_path):
    data = b"<html><body><nav>Home</nav><div class='comments'>0 Comment(s)</div></body></html>"
    with pytest.raises(InputError, match="no translatable text") as info:
        load_document(write(tmp_path, "page.html", data))
    assert info.value.path == str(tmp_path / "page.html")


@pytest.mark.parametrize("newline", [b"\r\n", b"\r"])
def test_crlf_and_cr_input(tmp_path, sample, newline):
    data = SAMPLE.read_bytes().replace(b"\n", newline)
    doc = load_document(write(tmp_path, "sample-article.txt", b"\xef\xbb\xbf" + data))
    assert [(b.kind, b.text, b.line) for b in doc.blocks] == [(b.kind, b.text, b.line) for b in sample.blocks]
    assert all("\r" not in b.text and "\ufeff" not in b.text for b in doc.blocks)


def test_sniffed_html_without_extension(tmp_path):
    doc = load_document(write(tmp_path, "Story 12", b"<!DOCTYPE html><h1>Title</h1><p>Body.</p>"))
    assert doc.format == "html"
    assert doc.slug == "story-12"
    assert pairs(doc.blocks) == [("headline", "Title"), ("paragraph", "Body.")]


# ---------------------------------------------------------------------------------------------
# Properties: the pure parsers never crash
# ---------------------------------------------------------------------------------------------

# Characters that break naive text handling: bidi marks, zero-width joiners, BOM, NUL and other
# controls, line/paragraph separators, emoji, quotes, Arabic punctuation, markup characters.
TRICKY = list(
    "\u200e\u200f\u202a\u202b\u202c\u202e\u2066\u2067\u2069\u200b\u200c\u200d\u2060\ufeff"
    "\x00\x01\x0b\x0c\x1c\x1f\x7f\x85\u2028\u2029\r\n\t "
    "😀👩‍👩‍👧🇮🇶\"'“”‘’«»„؟،۔[]()<>&#*_`!-/"
) + ["By ", "\n\n", "[AFP]", "Do you like this article?", "# ", "> ", "<p>", "</p>", "<br>", "&amp;"]
TEXTS = st.lists(st.one_of(st.text(max_size=20), st.sampled_from(TRICKY)), max_size=40).map("".join)


def check_blocks(blocks: list[Block], text: str) -> None:
    n_lines = text.replace("\r\n", "\n").replace("\r", "\n").count("\n") + 1
    for block in blocks:
        assert block.kind in BLOCK_KINDS
        assert block.text and block.text == block.text.strip()
        assert "\n" not in block.text and "\x00" not in block.text
        assert 1 <= block.line <= n_lines


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXTS)
def test_parse_text_never_crashes(text):
    check_blocks(parse_text(text), text)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXTS)
def test_parse_markdown_never_crashes(text):
    check_blocks(parse_markdown(text), text)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXTS)
def test_parse_html_only_raises_input_error(text):
    try:
        blocks = parse_html(text, "random.html")
    except InputError:
        return
    for block in blocks:
        assert block.kind in BLOCK_KINDS and block.text == block.text.strip() and block.line >= 1
