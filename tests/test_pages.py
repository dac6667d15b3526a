"""Rendered pages as HTML (no browser): structure a reader relies on, isolation of Latin and numbers, and
the web font shipped next to Arabic pages. tests/test_browser.py checks how the same pages look."""

from __future__ import annotations

from pathlib import Path

import polib
import pytest
from bs4 import BeautifulSoup

from pipeline.job import translate_articles
from pipeline.names.glossary import load_glossary
from pipeline.render.i18n import LOCALE_DIR, POT_PATH, catalog_path, extract_messages, load_translations
from pipeline.render.localize import Stats
from pipeline.render.overview import Version
from pipeline.render.pages import FONTS_DIR, isolate_latin, web_fonts

from .helpers import ROOT, SAMPLE, EchoBackend, msgfmt_check

#: The interface languages we ship a catalog for.
SHIPPED = ("ar", "fr", "he")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("pages")
    translate_articles(
        [SAMPLE],
        ["ar", "fr"],
        glossary=load_glossary(ROOT / "glossary"),
        locales=root / "locales",
        out=root / "build",
        make_backend=lambda lang: EchoBackend(),
        model_label="echo",
    )
    return root / "build"


def _page(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def test_numbers_and_latin_runs_are_isolated() -> None:
    html = str(isolate_latin("قُتل 2,500 شخص في 04/11/2017 وفق AFP بنسبة -3% من كوفيد-19"))
    assert '<bdi dir="ltr">2,500</bdi>' in html
    assert '<bdi dir="ltr">04/11/2017</bdi>' in html
    assert '<bdi dir="ltr">AFP</bdi>' in html
    assert '<bdi dir="ltr">-3%</bdi>' in html
    assert 'كوفيد-<bdi dir="ltr">19</bdi>' in html
    assert "٢٠١٧" not in html and str(isolate_latin("عام ٢٠١٧")) == "عام ٢٠١٧"  # Arabic digits need none


def test_article_page_has_what_a_reader_needs(site: Path) -> None:
    page = _page(site / "ar" / "sample-article.html")
    assert page.html["lang"] == "ar" and page.html["dir"] == "rtl"
    assert page.h1 and page.find(class_="byline") and page.find("figure").figcaption
    assert len(page.article.find_all("p", class_=False)) > 10
    original = page.find("a", class_="original")
    assert original["hreflang"] == "en" and original["href"].endswith("articles/sample-article.txt")
    assert (site / "ar" / original["href"]).resolve() == SAMPLE.resolve()
    # Unreviewed machine output is labelled as such, above the article, in the page's language.
    notice = page.find(class_="notice")
    assert notice and "آليًا" in notice.get_text() and notice.find("a")["href"] == original["href"]
    assert page.article.find("bdi", dir="ltr")


def test_arabic_pages_ship_the_web_font_next_to_them(site: Path) -> None:
    page = (site / "ar" / "sample-article.html").read_text(encoding="utf-8")
    faces = web_fonts("ar")
    assert [f["weight"] for f in faces] == [400, 700]
    for face in faces:
        assert f'url("{face["url"]}")' in page
        font = (site / "ar" / str(face["url"])).resolve()
        assert font.parent == (site / FONTS_DIR).resolve() and font.stat().st_size > 100_000
        assert font.read_bytes()[:4] == b"\x00\x01\x00\x00"  # a TrueType file, not a pointer
    assert "SIL Open Font License" in (site / FONTS_DIR / "OFL.txt").read_text(encoding="utf-8")
    # The fallback stack continues after the shipped face, so the page renders without it.
    assert '"Amiri", "Noto Naskh Arabic",' in page and "sans-serif;" in page


def test_latin_script_pages_do_not_load_the_arabic_font(site: Path) -> None:
    page = (site / "fr" / "sample-article.html").read_text(encoding="utf-8")
    assert web_fonts("fr") == [] and "@font-face" not in page
    assert _page(site / "fr" / "sample-article.html").html["dir"] == "ltr"


def test_index_lists_articles_with_review_status(site: Path) -> None:
    index = _page(site / "ar" / "index.html")
    assert index.html["dir"] == "rtl"
    item = index.find("ul", class_="articles").li
    assert item.a["href"] == "./sample-article.html"  # relative, never a scheme: see render/links.py
    assert item.find(class_="percent").get_text() == "0%" and item.meter["value"] == "0"
    assert "@font-face" in str(index)


def test_interface_strings_come_from_the_shipped_catalogs(site: Path) -> None:
    footer = _page(site / "fr" / "sample-article.html").find("a", class_="original")
    assert footer.get_text() == "Lire l’original en anglais"
    assert load_translations(catalog_path("he")).gettext("Articles") == "כתבות"
    assert (
        catalog_path("ar-EG") == catalog_path("ar_EG") == catalog_path("ar")
    )  # a region falls back to its base
    assert catalog_path("de") is None and load_translations(None).gettext("Articles") == "Articles"


@pytest.mark.parametrize("lang", SHIPPED)
def test_each_shipped_catalog_translates_every_template_string(lang: str) -> None:
    path = LOCALE_DIR / lang / "LC_MESSAGES" / "pages.po"
    po = polib.pofile(str(path))
    pot = {e.msgid for e in polib.pofile(str(POT_PATH))}
    translated = {e.msgid for e in po.translated_entries()}
    assert pot <= translated, f"{lang}: untranslated or fuzzy: {sorted(pot - translated)}"
    assert po.metadata["Language"] == lang
    msgfmt_check(path)


def test_the_pot_is_up_to_date_with_the_templates() -> None:
    """Fails after a template string changes until ``python -m pipeline.render.i18n`` is re-run."""
    extracted = [e.msgid for e in extract_messages()]
    assert extracted and sorted(extracted) == sorted(e.msgid for e in polib.pofile(str(POT_PATH)))
    assert not list(LOCALE_DIR.rglob("*.mo"))  # compiled in memory; an .mo file is build output


def test_pages_never_show_100_percent_before_every_segment_is_reviewed() -> None:
    assert Stats(total=200, reviewed=199).percent_reviewed == 99
    assert Version("fr", "t", None, reviewed=199, total=200).percent_reviewed == 99
    assert Stats(total=30, reviewed=3).percent_reviewed == 10 and Stats().percent_reviewed == 0
