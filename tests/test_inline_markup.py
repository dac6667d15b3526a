"""Inline markup (links, emphasis, code, line breaks, spans) survives translation (issue 13, part 3).

The sample article's HTML and Markdown versions get links and emphasis added; every fault-injecting
fake (drop, duplicate, reorder, garble, chaos) then translates them, and the Arabic page must have
every link with its href and every emphasis, the PO file must pass ``msgfmt --check``, and the pages
must be well-formed. A translator's broken tag must not break the page.
"""

from __future__ import annotations

from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import polib
import pytest

from pipeline.catalog.po import po_path
from pipeline.catalog.status import po_status
from pipeline.ingest.html import parse_html
from pipeline.ingest.inline import tag_mismatch
from pipeline.ingest.markdown import parse_markdown
from pipeline.names.tags import mask_tags, unmask_tags
from pipeline.render.pages import render_all
from pipeline.segment import segment_blocks
from pipeline.testing.faults import FAKES, IdentityFake, make_fake
from tests.helpers import msgfmt_check, run_fake

DATA = Path(__file__).parent / "data"
FAULTS = ["fake-drop", "fake-duplicate", "fake-reorder", "fake-garble", "fake-chaos"]


def _html_article() -> str:
    html = (DATA / "sample-article.html").read_text(encoding="utf-8")
    for old, new in [
        (
            "the biggest loss for ISIS",
            'the <em>biggest loss</em> for <a href="https://example.org/isis?a=1&amp;b=2">ISIS</a>',
        ),
        ("crushing defeat in Mosul", 'crushing <strong>defeat in <a href="/mosul">Mosul</a></strong><br>'),
        ("Abu Bakr al-Baghdadi", '<span class="notranslate">Abu Bakr al-Baghdadi</span>'),
        (
            "lost the will to fight",
            'lost the <i>will</i> to <a href="javascript:alert(1)" onclick="x()">fight</a>',
        ),
    ]:
        assert old in html
        html = html.replace(old, new, 1)
    return html


def _md_article() -> str:
    md = (DATA / "sample-article.md").read_text(encoding="utf-8")
    for old, new in [
        ("Syrian Democratic Forces (SDF)", "[Syrian Democratic Forces](https://sdf.example/) (**SDF**)"),
        ("executed by ISIS commanders", "executed by `ISIS` commanders"),
        ("lost the will to fight", "lost the *will to fight*"),
    ]:
        assert old in md
        md = md.replace(old, new, 1)
    return md


class _Page(HTMLParser):
    """Tag balance of a page, its links and its inline elements."""

    VOID = {"br", "meta", "link", "img", "hr", "input", "source", "wbr"}

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.bad: list[str] = []
        self.links: list[str] = []
        self.inline: Counter[str] = Counter()
        self.in_article = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "article":
            self.in_article = True
        if self.in_article and tag == "a":
            self.links.append(dict(attrs).get("href") or "")
        if self.in_article and tag in ("em", "i", "strong", "b", "code", "br", "script"):
            self.inline[tag] += 1
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag == "article":
            self.in_article = False
        if self.stack and self.stack[-1] == tag:
            self.stack.pop()
        else:
            self.bad.append(tag)


def _page(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    page.close()
    assert page.bad == [] and page.stack == [], f"{path}: not well-formed"
    return page


def test_ingest_keeps_inline_markup_with_attributes_out_of_the_msgid() -> None:
    segments = segment_blocks(parse_html(_html_article()))
    texts = [s.text for s in segments]
    tagged = next(s for s in segments if "<a1>" in s.text and "Mosul" in s.text)
    assert "crushing <strong1>defeat in <a1>Mosul</a1></strong1>" in tagged.text
    assert "href" not in " ".join(texts) and "javascript" not in " ".join(texts)
    assert dict(tagged.tags[1].element.attrs) == {"href": "/mosul"}
    unsafe = next(s for s in segments if "<i1>will</i1>" in s.text)
    assert [dict(t.element.attrs) for t in unsafe.tags if t.element.tag == "a"] == [{}]  # javascript: dropped
    md = [s.text for s in segment_blocks(parse_markdown(_md_article()))]
    assert any("<a1>Syrian Democratic Forces</a1> (<strong1>SDF</strong1>)" in t for t in md)
    assert any("<code1>ISIS</code1>" in t for t in md)


@pytest.mark.parametrize("fake", sorted(FAKES))
def test_every_tag_comes_back_once_and_well_nested(fake: str) -> None:
    segments = [
        s for s in segment_blocks([*parse_html(_html_article()), *parse_markdown(_md_article())]) if s.tags
    ]
    assert len(segments) >= 6
    backend = make_fake(fake)
    tagged = [mask_tags(s.text, s.tags) for s in segments]
    assert not any("<" in t.masked for t in tagged)  # the model never sees a tag
    for seg, t, out in zip(
        segments, tagged, backend.translate([t.masked for t in tagged], lang="ar"), strict=True
    ):
        result = unmask_tags(out, t)
        assert tag_mismatch(seg.text, result.text) == [], (fake, out, result.text)


def test_crossed_and_reversed_tags_are_repaired_with_a_note() -> None:
    seg = segment_blocks(parse_markdown("See [the *big* report](https://e.org) now.\n"))[0]
    t = mask_tags(seg.text, seg.tags)
    assert t.masked == "See XTAG0 the XTAG1 big XTAG2 report XTAG3 now."
    crossed = unmask_tags("XTAG3 See XTAG0 the XTAG1 big XTAG3 report XTAG2 now XTAG1.", t)
    assert tag_mismatch(seg.text, crossed.text) == []
    assert any("duplicated" in r for r in crossed.repairs) and any(
        "crossed" in r or "reversed" in r for r in crossed.repairs
    )


def test_protected_spans_are_never_sent_and_come_back_verbatim() -> None:
    html = (
        "<html><body><article><h1>Title of the story</h1><p>He said "
        '<span translate="no">Abu Bakr</span> and <code>x = 1</code> left.</p></article></body></html>'
    )
    seg = [s for s in segment_blocks(parse_html(html)) if s.tags][0]
    t = mask_tags(seg.text, seg.tags)
    backend = IdentityFake()
    out = backend.translate([t.masked], lang="ar")[0]
    assert "Abu Bakr" not in " ".join(backend.seen) and "x = 1" not in " ".join(backend.seen)
    assert unmask_tags(out, t).text == seg.text


@pytest.mark.parametrize("fake", FAULTS)
def test_arabic_pages_keep_every_link_and_emphasis(
    fake: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "articles").mkdir()
    (tmp_path / "articles" / "story.html").write_text(_html_article(), encoding="utf-8")
    (tmp_path / "articles" / "notes.md").write_text(_md_article(), encoding="utf-8")
    report = run_fake(make_fake(fake))
    assert report.errors == []
    expected = {
        "story": (
            [
                "/authors/khalid-al-taie",
                "https://diyaruna.com",
                "/mosul",
                "",
                "https://example.org/isis?a=1&b=2",
            ],
            {"em": 1, "i": 1, "strong": 2, "br": 1},
        ),
        "notes": (["https://diyaruna.com", "https://sdf.example/"], {"em": 2, "strong": 1, "code": 1}),
    }
    for slug, (links, inline) in expected.items():
        po = po_path(Path("locales"), "ar", slug)
        msgfmt_check(po)
        page = _page(Path("build") / "ar" / f"{slug}.html")
        assert sorted(page.links) == sorted(links), slug
        for tag, count in inline.items():
            assert page.inline[tag] >= count, (slug, tag, page.inline)
        assert page.inline["script"] == 0
        entries = polib.pofile(str(po))
        assert all(tag_mismatch(e.msgid, e.msgstr) == [] for e in entries if e.msgstr)
        if fake == "fake-drop":
            assert any("repaired: tag" in e.comment for e in entries)
    md_page = (Path("build") / "ar" / "notes.md").read_text(encoding="utf-8")
    assert "](<https://sdf.example/>)" in md_page and "`ISIS`" in md_page


def test_a_translators_broken_tag_does_not_break_the_page(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "articles").mkdir()
    (tmp_path / "articles" / "story.html").write_text(_html_article(), encoding="utf-8")
    run_fake(make_fake("fake-identity"))
    po_file = po_path(Path("locales"), "ar", "story")
    po = polib.pofile(str(po_file))
    entry = next(e for e in po if "<a1>Mosul</a1>" in e.msgid)
    entry.msgstr = (
        "هزيمة <strong1>ساحقة في <a1>الموصل</strong1> <script1>alert(1)</script1> <b9>x</b9> "
        "<img src=x onerror=alert(1)>"
    )
    entry.flags = []
    po.save(str(po_file))
    render_all(Path("locales"), Path("build"), ["ar"])
    page_text = (Path("build") / "ar" / "story.html").read_text(encoding="utf-8")
    page = _page(Path("build") / "ar" / "story.html")
    assert "<script" not in page_text and "<img src=x" not in page_text
    assert "ساحقة في الموصل" in page_text and "&lt;" in page_text  # text kept, escaped
    assert "/mosul" not in page.links  # the broken link is dropped, not guessed
    assert po_status(polib.pofile(str(po_file))).qa["tags"] == 1
