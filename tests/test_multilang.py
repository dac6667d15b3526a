"""End to end through the CLI: the sample article into Arabic, French and Hebrew in one run with the
tiny multi-target model (its vocabulary holds >>ara<<, >>fra<< and >>heb<<).

The tiny model runs over 30 segments x 3 languages once, in a module fixture (greedy search, to keep
the suite fast); the tests read its output.
The glossary is the project's, plus a Hebrew column filled for a few names only, so the Hebrew page
shows both cases: a name with a Hebrew form, and a name kept in English.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import polib
import pytest
from bs4 import BeautifulSoup

from pipeline.catalog.po import po_path, read_po
from pipeline.cli import main
from pipeline.ingest import load_document
from pipeline.mt import marian
from pipeline.names.glossary import find_targets, load_glossary
from pipeline.render.locale_info import language_info

from .helpers import ROOT, SAMPLE, msgfmt_check

LANGS = ("ar", "fr", "he")
HEBREW = {"Mosul": "מוסול", "Iraq": "עיראק", "Syria": "סוריה", "ISIS": "דאעש"}
AR = "n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 : n%100>=11 ? 4 : 5"
PLURALS = {
    "ar": f"nplurals=6; plural={AR};",
    "fr": "nplurals=2; plural=n > 1;",
    "he": "nplurals=2; plural=n != 1;",
}


def _glossary_with_hebrew(folder: Path) -> Path:
    lines = (ROOT / "glossary" / "names.tsv").read_text(encoding="utf-8").splitlines()
    header = lines[0].split("\t")
    at = header.index("ar") + 1
    rows = ["\t".join([*header[:at], "he", *header[at:]])]
    for line in lines[1:]:
        cells = line.split("\t")
        rows.append("\t".join([*cells[:at], HEBREW.get(cells[0], ""), *cells[at:]]))
    folder.mkdir()
    (folder / "names.tsv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def run(tiny_model_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> dict:
    work = tmp_path_factory.mktemp("multilang")
    (work / "articles").mkdir()
    article = work / "articles" / SAMPLE.name
    article.write_bytes(SAMPLE.read_bytes())
    glossary = _glossary_with_hebrew(work / "glossary")
    loads: list[str] = []
    real = marian._load_marian

    def counting(model: str | Path):  # noqa: ANN202 - a pass-through spy
        loads.append(str(model))
        return real(model)

    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(work)
        mp.setattr(marian, "_load_marian", counting)
        code = main(
            [
                "translate",
                "articles",
                "--to",
                "ar,fr",
                "--to",
                "he",
                "--model",
                str(tiny_model_dir),
                "--glossary",
                "glossary",
                "--beams",
                "1",  # greedy: 90 generations at a quarter of the cost; beam search is tested elsewhere
                "-q",
            ]
        )
    return {"code": code, "work": work, "loads": loads, "glossary": load_glossary(glossary)}


def _page(run: dict, lang: str, name: str = "sample-article.html") -> BeautifulSoup:
    return BeautifulSoup((run["work"] / "build" / lang / name).read_text(encoding="utf-8"), "html.parser")


def _text(run: dict, lang: str) -> str:
    return (run["work"] / "build" / lang / "sample-article.txt").read_text(encoding="utf-8")


def test_one_run_one_model_load(run: dict, tiny_model_dir: Path) -> None:
    assert run["code"] == 0
    assert run["loads"] == [str(tiny_model_dir)]  # one multi-target model shared by three languages


def test_three_msgfmt_clean_po_files_with_their_plural_forms(run: dict) -> None:
    for lang in LANGS:
        path = po_path(run["work"] / "locales", lang, "sample-article")
        msgfmt_check(path)
        po = read_po(path)
        assert po.metadata["Language"] == lang
        assert po.metadata["Plural-Forms"] == PLURALS[lang]
        live = [e for e in po if not e.obsolete]
        assert len(live) == 30 and all(e.msgstr and "fuzzy" in e.flags for e in live)
    # The three languages got different output from one model: the tag selects the language.
    texts = {lang: _text(run, lang) for lang in LANGS}
    assert len(set(texts.values())) == 3


def test_pages_have_language_and_direction(run: dict) -> None:
    for lang, direction in (("ar", "rtl"), ("fr", "ltr"), ("he", "rtl")):
        for name in ("sample-article.html", "index.html"):
            html = _page(run, lang, name).html
            assert (html["lang"], html["dir"]) == (lang, direction), (lang, name)


def test_arabic_page_has_every_name_in_arabic(run: dict) -> None:
    glossary = run["glossary"]
    doc = load_document(run["work"] / "articles" / SAMPLE.name)
    expected = sorted(m.term.en for b in doc.blocks for m in glossary.find(b.text))
    assert len(expected) > 20
    assert sorted(t.en for _, _, t in find_targets(glossary, _text(run, "ar"), "ar")) == expected


def test_french_page_keeps_every_name_verbatim(run: dict) -> None:
    glossary = run["glossary"]
    doc = load_document(run["work"] / "articles" / SAMPLE.name)
    expected = Counter(m.text for b in doc.blocks for m in glossary.find(b.text))
    assert Counter(m.text for m in glossary.find(_text(run, "fr"))) == expected  # as written in the source
    po = read_po(po_path(run["work"] / "locales", "fr", "sample-article"))
    assert any("Diyaruna (kept in English)" in e.comment for e in po)


def test_hebrew_page_mixes_hebrew_forms_and_kept_english(run: dict) -> None:
    glossary = run["glossary"]
    doc = load_document(run["work"] / "articles" / SAMPLE.name)
    source = [m for b in doc.blocks for m in glossary.find(b.text)]
    text = _text(run, "he")
    hebrew = Counter(m.term.en for m in source if m.term.en in HEBREW)
    assert hebrew["ISIS"] > 5 and hebrew["Mosul"] >= 1
    for en, form in HEBREW.items():
        assert text.count(form) == hebrew[en], en
    english = Counter(m.text for m in source if m.term.en not in HEBREW)
    found = Counter(m.text for m in glossary.find(text) if m.term.en not in HEBREW)
    assert found == english and english["Diyaruna"] >= 1


def test_language_versions_link_to_each_other(run: dict) -> None:
    for lang in LANGS:
        links = {
            link["hreflang"]: link["href"]
            for link in _page(run, lang).find_all("link", rel="alternate")
            if link.get("hreflang")
        }
        others = {other: f"../{other}/sample-article.html" for other in LANGS if other != lang}
        assert {k: v for k, v in links.items() if k in LANGS} == others, lang
        assert "en" in links  # the English original
        for href in others.values():
            assert (run["work"] / "build" / lang / href).resolve().is_file()


def test_index_lists_every_article_in_every_language(run: dict) -> None:
    index = _page(run, ".", "index.html")
    assert (index.html["lang"], index.html["dir"]) == ("en", "ltr")
    hrefs = {a["href"] for a in index.find_all("a")}
    assert {f"./{lang}/sample-article.html" for lang in LANGS} <= hrefs  # relative, see render/links.py
    assert {f"./{lang}/index.html" for lang in LANGS} <= hrefs
    for href in hrefs - {"../articles/sample-article.txt"}:
        assert (run["work"] / "build" / href).is_file(), href
    row = index.find("tr", attrs={"data-slug": "sample-article"})
    for lang, direction in (("ar", "rtl"), ("fr", "ltr"), ("he", "rtl")):
        cell = row.find("td", attrs={"data-lang": lang})
        assert cell.a["lang"] == lang and cell.a["dir"] == direction
        assert "0/30 reviewed (0%)" in cell.get_text()
    header = {th["data-lang"]: th.get_text(" ", strip=True) for th in index.find_all("th", class_="language")}
    native = {code: language_info(code).native for code in ("ar", "fr")}
    assert native["ar"] in header["ar"] and "Hebrew" in header["he"] and native["fr"] in header["fr"]


def test_review_status_per_language_after_a_translator_reviews(run: dict, tmp_path: Path) -> None:
    """Reviewing French only moves French's status, on the index and in ``status``."""
    import shutil

    work = tmp_path / "copy"
    shutil.copytree(run["work"] / "locales", work / "locales")
    path = po_path(work / "locales", "fr", "sample-article")
    po = polib.pofile(str(path))
    for entry in po[:3]:
        entry.flags.remove("fuzzy")
    po.save(str(path))
    assert main(["render", "--locales", str(work / "locales"), "--out", str(work / "build"), "-q"]) == 0
    index = BeautifulSoup((work / "build" / "index.html").read_text(encoding="utf-8"), "html.parser")
    row = index.find("tr", attrs={"data-slug": "sample-article"})
    status = {lang: row.find("td", attrs={"data-lang": lang}).get_text(" ", strip=True) for lang in LANGS}
    assert "3/30 reviewed (10%)" in status["fr"]
    assert "0/30 reviewed" in status["ar"] and "0/30 reviewed" in status["he"]


def test_status_reports_per_language(run: dict, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert main(["status", "--locales", str(run["work"] / "locales"), "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert set(summary["languages"]) == set(LANGS)
    assert all(summary["languages"][lang]["machine"] == 30 for lang in LANGS)
