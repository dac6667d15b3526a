"""The page translated in place and the CMS fragment (issue 13, part 4), through the CLI.

The sample article's HTML (with links and emphasis added, as in ``test_inline_markup``), a hostile
page and a real saved news page (Ars Technica, from mozilla/readability's suite, see
``tests/data/readability/README.md``) are translated; the in-place page must place every block,
keep every link of the article with its href, set ``lang``/``dir`` on the article's container, and
carry no script, whatever the original page or a PO file holds.
"""

from __future__ import annotations

import re
import shutil
from collections import Counter
from pathlib import Path

import polib
import pytest
from bs4 import BeautifulSoup

from pipeline.catalog.layout import original_path, read_layout
from pipeline.catalog.po import layout_path, po_path
from pipeline.cli import main
from pipeline.ingest.sources import load_document
from pipeline.render.inplace import render_inplace
from pipeline.render.localize import localize

from .helpers import ROOT, msgfmt_check
from .test_inline_markup import _html_article, _md_article, _page

DATA = Path(__file__).parent / "data"
GLOSSARY = str(ROOT / "glossary")
_URL_ATTRS = ("href", "src", "action", "formaction", "data", "poster", "background", "xlink:href")


def translate(*args: str) -> int:
    return main(["translate", *args, "--to", "ar", "--glossary", GLOSSARY])


@pytest.fixture
def cwd(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "articles").mkdir()
    return tmp_path


def soup(path: Path) -> BeautifulSoup:
    """Parsed by the stdlib's parser, not lxml's, so a serialization lxml misjudges shows."""
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def hrefs(node) -> Counter[str]:
    # lxml writes a space in an href as %20: the same URL to a browser
    return Counter(a["href"].replace(" ", "%20") for a in node.find_all("a", href=True))


def assert_static(page: BeautifulSoup) -> None:
    """No script, event handler, script URL, srcdoc or plugin; the CSP that forbids scripts."""
    assert not page.find_all(["script", "object", "embed", "noscript", "template", "base"])
    for tag in page.find_all(True):
        for name, value in tag.attrs.items():
            assert not name.lower().startswith("on") and name.lower() != "srcdoc", (tag.name, name)
            text = re.sub(r"[\x00-\x20]", "", " ".join(value) if isinstance(value, list) else value).lower()
            if name.lower() in _URL_ATTRS:
                assert not text.startswith(("javascript:", "vbscript:", "data:text")), (tag.name, name, value)
    csp = page.find("meta", attrs={"http-equiv": "Content-Security-Policy"})
    assert csp is not None and "script-src 'none'" in csp["content"]
    assert not page.find("meta", attrs={"http-equiv": re.compile("refresh", re.I)})


def test_every_block_of_the_sample_is_anchored_and_placed() -> None:
    path = DATA / "sample-article.html"
    doc = load_document(path)
    assert doc.original and all(b.anchor.startswith("/html/") for b in doc.blocks)
    assert len({b.anchor.partition("#")[0] for b in doc.blocks}) == len(doc.blocks)  # one element each


def test_the_page_translated_in_place_and_the_fragment(cwd: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (cwd / "articles" / "story.html").write_text(_html_article(), encoding="utf-8")
    assert translate("articles", "--backend", "identity", "-q") == 0
    assert "warning" not in capsys.readouterr().err
    assert original_path(layout_path(Path("locales"), "story")).read_text(encoding="utf-8") == _html_article()
    page = soup(cwd / "build" / "ar" / "story.inplace.html")
    assert_static(page)
    _page(cwd / "build" / "ar" / "story.inplace.html")  # well-formed
    container = page.find("article")
    assert (container["lang"], container["dir"]) == ("ar", "rtl")
    assert page.html["lang"] == "en"  # the chrome around the article is still English
    source = BeautifulSoup(_html_article(), "html.parser")
    wanted = hrefs(source.find("article"))
    del wanted["javascript:alert(1)"]  # the one unsafe link loses its href
    assert hrefs(page.find("article")) >= wanted
    assert page.find("figure").find("img")["src"] == "/images/2017/11/al-qaim.jpg"  # images kept
    assert page.find("h1")["dir"] == "rtl" and page.find("nav") is not None  # the page's own chrome
    fragment_text = (cwd / "build" / "ar" / "story.fragment.html").read_text(encoding="utf-8")
    fragment = BeautifulSoup(fragment_text, "html.parser")
    assert fragment_text.startswith('<article class="newsroom-article" lang="ar" dir="rtl">')
    assert not fragment.find_all(["html", "head", "body", "script", "style"])
    assert fragment.find("h1") and fragment.find("figure").find("figcaption") and fragment.find("h2")
    in_text = [
        "/authors/khalid-al-taie",
        "https://diyaruna.com",
        "/mosul",
        "https://example.org/isis?a=1&b=2",
    ]
    assert hrefs(fragment) == Counter(in_text)  # the links of the article's text; labels are plain
    assert fragment.find("strong") and fragment.find("em")


def test_render_rewrites_it_from_the_po_file_without_the_source(
    cwd: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (cwd / "articles" / "story.html").write_text(_html_article(), encoding="utf-8")
    assert translate("articles", "--backend", "identity", "-q") == 0
    shutil.rmtree(cwd / "articles")  # moved away: render needs only the locales folder
    po_file = po_path(Path("locales"), "ar", "story")
    po = polib.pofile(str(po_file))
    entry = next(e for e in po if "<a1>Mosul</a1>" in e.msgid)
    entry.msgstr = "هزيمة <strong1>ساحقة في <a1>الموصل</a1></strong1>."
    po.save(str(po_file))
    assert main(["render", "-q"]) == 0
    page = (cwd / "build" / "ar" / "story.inplace.html").read_text(encoding="utf-8")
    assert '<strong>ساحقة في <a href="/mosul">الموصل</a></strong>' in page
    # the kept copy edited so a paragraph is gone: that block is reported, the others placed
    copy = original_path(layout_path(Path("locales"), "story"))
    copy.write_text(
        copy.read_text(encoding="utf-8").replace("But no longer, it seems.", ""), encoding="utf-8"
    )
    assert main(["render", "-q"]) == 0
    err = capsys.readouterr().err
    assert re.search(
        r"warning: articles/story\.html:\d+: ar/story\.inplace\.html: 1 of \d+ block\(s\)", err
    ), err
    assert "But no longer" in err
    copy.unlink()
    assert main(["render", "-q"]) == 0
    assert "no copy of the original page" in capsys.readouterr().err


HOSTILE = """<!DOCTYPE html><html><head><meta charset="iso-8859-1">
<title>Rebels leave the old town after a week of fighting | Site</title>
<meta http-equiv="refresh" content="0;url=javascript:window.pwned=1">
<base href="javascript:window.pwned=2//">
<script>window.pwned = 3</script><!--[if IE]><script>window.pwned = 4</script><![endif]-->
</head><body onload="window.pwned=5">
<nav><a href="/home">Home</a></nav>
<article class='"><script>window.pwned=6</script>' data-x="<img src=x onerror=window.pwned=7>">
<h1>Rebels leave the old town after a week of fighting</h1>
<p onclick="window.pwned=8">The army said that <a href="https://example.org/army?a=1&amp;b=2"
 onmouseover="window.pwned=9">twelve people</a> died on Monday in the north of the country, where
 the rebels had held the old town since the spring and the roads were closed for weeks.</p>
<p>Residents returned to <a href="java&#x09;script:window.pwned=10">their homes</a> after the fighting
 ended, and shops opened again on the main square on Tuesday morning.<img src=x onerror="window.pwned=11"></p>
<iframe srcdoc="<script>parent.pwned=12</script>"></iframe>
<iframe src="https://www.youtube.com/embed/xyz"><p>fallback</p></iframe>
<svg><style><img src=x onerror="window.pwned=13"></style></svg>
<noscript><p title="</noscript><img src=x onerror=window.pwned=14>"></p></noscript>
<form action="javascript:window.pwned=15"><button formaction="javascript:window.pwned=16">Go</button></form>
<object data="javascript:window.pwned=17"></object><embed src="javascript:window.pwned=18">
<p style="background:url(javascript:window.pwned=19)" a"b="1">A third paragraph says that the town was
 quiet again tonight, and that the governor will visit it on Friday with the ministers.</p>
<template><script>window.pwned=20</script></template><a href="vbscript:msgbox(1)">x</a>
<math><mtext><table><mglyph><style><img src=x onerror=window.pwned=21></style></mglyph></table></mtext></math>
</article></body></html>
"""

HOSTILE_MSGSTR = (
    '<script>window.pwned=30</script> "><img src=x onerror=window.pwned=31> قال الجيش إن '
    '<a1>اثني عشر شخصا</a1> <b9>ماتوا</b9> <a2 href="javascript:window.pwned=32">x</a2> <script1>y</script1>'
)


def _hostile_site(cwd: Path) -> tuple[Path, Path]:
    (cwd / "articles" / "town.html").write_text(HOSTILE, encoding="utf-8")
    assert translate("articles", "--backend", "identity", "-q") in (0, 2)
    po_file = po_path(Path("locales"), "ar", "town")
    po = polib.pofile(str(po_file))
    entry = next(e for e in po if "<a1>twelve people</a1>" in e.msgid)
    entry.msgstr = HOSTILE_MSGSTR
    po.save(str(po_file))
    assert main(["render", "-q"]) == 0
    return cwd / "build" / "ar" / "town.inplace.html", cwd / "build" / "ar" / "town.fragment.html"


def test_neither_the_page_nor_a_po_file_can_inject_markup(cwd: Path) -> None:
    inplace, fragment = _hostile_site(cwd)
    page = soup(inplace)
    assert_static(page)
    _page(inplace)
    text = inplace.read_text(encoding="utf-8")
    assert "pwned=3" not in text and "<![endif]" not in text and 'a"b' not in text
    assert page.find("iframe", src="https://www.youtube.com/embed/xyz") is not None  # an embed stays
    assert page.find("meta", charset=True)["charset"] == "utf-8"  # the page is written as UTF-8
    paragraph = next(p for p in page.find_all("p") if "قال الجيش" in p.text)
    assert "<script>window.pwned=30</script>" in paragraph.text  # shown as text, escaped
    assert [a["href"] for a in paragraph.find_all("a")] == ["https://example.org/army?a=1&b=2"]
    assert not paragraph.find_all(["img", "b", "script"])
    body = BeautifulSoup(fragment.read_text(encoding="utf-8"), "html.parser")
    assert not body.find_all(["script", "img", "b", "iframe"])
    assert "<script>window.pwned=30</script>" in body.get_text()  # text, escaped
    # the java<TAB>script: link lost its href at ingest; its words stay a (dead) link
    assert [a.get("href") for a in body.find_all("a")] == ["https://example.org/army?a=1&b=2", None]


def test_a_real_saved_news_page_gets_every_block_placed(
    cwd: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.copy(DATA / "readability" / "ars-1.html", cwd / "articles" / "ars-1.html")
    assert translate("articles", "--backend", "identity", "-q") == 0
    assert "inplace" not in capsys.readouterr().err  # no block left out
    layout = read_layout(layout_path(Path("locales"), "ars-1"))
    assert len(layout.blocks) >= 15 and all(b.anchor for b in layout.blocks)
    original = (DATA / "readability" / "ars-1.html").read_text(encoding="utf-8")
    result = render_inplace(layout, localize(layout, {}), "ar", original)
    assert result.lost == [] and result.placed == len(layout.blocks)
    page = soup(cwd / "build" / "ar" / "ars-1.inplace.html")
    assert_static(page)
    source = BeautifulSoup(original, "html.parser")
    for tag in source.find_all(["script", "noscript", "template"]):
        tag.decompose()
    assert hrefs(page) == hrefs(source)  # every link of the page, article and chrome, same href
    assert page.find(attrs={"itemprop": "articleBody"}).find_parent(attrs={"dir": "rtl", "lang": "ar"})


def test_tags_come_through_the_tiny_model(cwd: Path, tiny_model_dir: Path) -> None:
    """Issue 13's done-when with a real (random-weight) Marian model instead of fakes."""
    (cwd / "articles" / "story.html").write_text(_html_article(), encoding="utf-8")
    (cwd / "articles" / "notes.md").write_text(_md_article(), encoding="utf-8")
    assert translate("articles", "--model", str(tiny_model_dir), "-q") == 0
    expected = {
        "story": (
            ["/authors/khalid-al-taie", "https://diyaruna.com", "/mosul", "https://example.org/isis?a=1&b=2"],
            {"em": 1, "i": 1, "strong": 2, "br": 1},
        ),
        "notes": (["https://diyaruna.com", "https://sdf.example/"], {"em": 2, "strong": 1, "code": 1}),
    }
    for slug, (links, inline) in expected.items():
        msgfmt_check(po_path(Path("locales"), "ar", slug))
        page = _page(cwd / "build" / "ar" / f"{slug}.html")
        assert sorted(h for h in page.links if h) == sorted(links), slug
        for tag, count in inline.items():
            assert page.inline[tag] >= count, (slug, tag, page.inline)
        assert re.search(
            "[\u0600-\u06ff]", (cwd / "build" / "ar" / f"{slug}.html").read_text(encoding="utf-8")
        )
    inplace = soup(cwd / "build" / "ar" / "story.inplace.html")
    assert hrefs(inplace.find("article")) >= Counter(expected["story"][0])
    assert inplace.find("article").find("strong") and inplace.find("article").find("em")


def test_review_pages_show_tags_as_safe_markup_not_text(cwd: Path) -> None:
    """Issue 13: the review page showed ``<a1>…</a1>`` as text; now the layout's elements, safe."""
    _hostile_site(cwd)
    (cwd / "articles" / "story.html").write_text(_html_article(), encoding="utf-8")
    assert translate("articles", "--backend", "identity", "-q") in (0, 2)
    assert main(["render", "--review", "-q"]) == 0
    review = soup(cwd / "build" / "ar" / "story.review.html")
    assert "<a1>" not in review.get_text() and "<strong1>" not in review.get_text()
    mosul = review.find_all("a", href="/mosul")
    assert len(mosul) == 2 and all(
        a["tabindex"] == "-1" and "/mosul" in a["title"] for a in mosul
    )  # text, source
    assert review.find("span", class_="text").find_parent("article") is not None
    assert review.find_all("strong") and review.find_all("em")
    hostile = soup(cwd / "build" / "ar" / "town.review.html")
    assert not hostile.find_all(["script", "img"])
    assert not any(t.find_all("b") for t in hostile.find_all("span", class_="text"))  # <b9> dropped
    assert "<script>window.pwned=30</script>" in hostile.get_text()  # a translator's text, escaped
    assert not any(a.get("href", "").startswith("javascript") for a in hostile.find_all("a"))


def test_a_paragraph_only_trafilatura_found_keeps_its_links() -> None:
    from pipeline.ingest.anchors import anchor_blocks
    from pipeline.ingest.model import Block

    page = '<html><body><p>He <a href="/x" onclick="y()">said</a> it was <em>over</em>.</p></body></html>'
    [block] = anchor_blocks(page, [Block("paragraph", "He said it was over.", 1)])
    assert block.anchor == "/html/body/p#" + block.anchor.partition("#")[2]
    assert [(s.start, s.end, s.element.tag, s.element.attrs) for s in block.spans] == [
        (3, 7, "a", (("href", "/x"),)),
        (15, 19, "em", ()),
    ]
    [other] = anchor_blocks(page, [Block("paragraph", "Something else entirely.", 1)])
    assert other.anchor == "" and other.spans == ()


def test_a_lost_copy_of_the_page_comes_back_with_the_next_translate(
    cwd: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (cwd / "articles" / "story.html").write_text(_html_article(), encoding="utf-8")
    assert translate("articles", "--backend", "identity", "-q") == 0
    assert translate("articles", "--backend", "identity") == 0
    assert "0 file(s) written" in capsys.readouterr().out  # unchanged: skipped by the run cache
    copy = original_path(layout_path(Path("locales"), "story"))
    copy.unlink()
    assert translate("articles", "--backend", "identity", "-q") == 0  # the cache no longer vouches
    assert copy.read_text(encoding="utf-8") == _html_article()
