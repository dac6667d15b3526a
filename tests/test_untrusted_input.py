"""Issue 19's critical cases about untrusted input: file names and slugs that would inject a script
URL into pages, article names that collide across runs, and article text dropped as a "footer".

Each test reproduces the failure the issue reports through the CLI, as a newsroom would meet it.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest
from bs4 import BeautifulSoup

from pipeline.catalog.po import layout_path, po_path, read_po
from pipeline.cli import main

from .helpers import ROOT

ARTICLE = "Rebels Leave the Old Town\n\nThe army said that twelve people died.\n\nResidents returned.\n"


def translate(*args: str) -> int:
    return main(
        ["translate", *args, "--to", "ar", "--backend", "identity", "--glossary", str(ROOT / "glossary")]
    )


def hrefs(page: Path) -> list[str]:
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    return [tag["href"] for tag in soup.find_all(href=True)]


def assert_safe_links(page: Path) -> None:
    """No link carries a scheme (but ``file:`` for an absolute source), and every link leads, as a
    browser resolves it, to a file that exists."""
    for href in hrefs(page):
        assert urlsplit(href).scheme in {"", "file"}, (page, href)
        target = Path(unquote(urlsplit(urljoin(page.resolve().as_uri(), href)).path))
        assert target.exists(), (page, href)


@pytest.fixture
def cwd(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


# --- 1. script injection through a file name ------------------------------------------------------


@pytest.mark.parametrize("name", ["javascript:alert(document.cookie).txt", "a:b #1 ?x=2 100%.txt"])
def test_a_file_name_never_becomes_a_script_link(cwd: Path, name: str) -> None:
    (cwd / name).write_text(ARTICLE, encoding="utf-8")
    assert translate(name, "--out", ".", "-q") == 0
    pages = [cwd / "index.html", *sorted((cwd / "ar").glob("*.html"))]
    assert len(pages) == 4  # the overview, the article, its CMS fragment, the language index
    for page in pages:
        assert "javascript:" not in " ".join(hrefs(page))
        assert_safe_links(page)
    article = next(p for p in pages[1:] if p.name != "index.html" and ".fragment." not in p.name)
    original = BeautifulSoup(article.read_text(encoding="utf-8"), "html.parser").find("a", class_="original")
    assert unquote(original["href"]) == f"../{name}"  # and it still leads to the article


# --- 2. script injection through locales/templates/ -------------------------------------------------


def test_a_layout_named_like_a_script_url_is_refused(cwd: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (cwd / "story.txt").write_text(ARTICLE, encoding="utf-8")
    assert translate("story.txt", "--no-render", "-q") == 0
    evil = "javascript:alert(1)"
    shutil.copy(layout_path(Path("locales"), "story"), cwd / "locales" / "templates" / f"{evil}.layout.json")
    shutil.copy(po_path(Path("locales"), "ar", "story"), po_path(Path("locales"), "ar", evil))
    capsys.readouterr()
    assert main(["render", "-q"]) == 2
    err = capsys.readouterr().err
    assert f"error: locales/templates/{evil}.layout.json: not an article layout" in err
    assert len(err.strip().splitlines()) == 1  # once, not once per language or page
    for page in [cwd / "build" / "index.html", cwd / "build" / "ar" / "index.html"]:
        assert "javascript" not in " ".join(hrefs(page)) and "alert" not in page.read_text(encoding="utf-8")
        assert_safe_links(page)


# --- 3. silent overwrite across runs --------------------------------------------------------------


def test_same_article_name_from_another_folder_does_not_replace_the_first(
    cwd: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for desk in ("desk1", "desk2"):
        (cwd / desk).mkdir()
        (cwd / desk / "report.txt").write_text(
            f"{desk} Report\n\nThe {desk} story is here.\n", encoding="utf-8"
        )
    assert translate("desk1/report.txt", "-q") == 0
    po_file = po_path(Path("locales"), "ar", "report")
    po = read_po(po_file)
    for entry in po:
        entry.flags = [f for f in entry.flags if f != "fuzzy"]
    po.save(str(po_file))
    before = {
        p: p.read_bytes()
        for p in sorted(cwd.rglob("*"))
        # the run cache is no translator's file (each run opens a new generation in it)
        if p.is_file() and "desk" not in p.parts[-2] and ".newsroom-cache" not in p.parts
    }
    capsys.readouterr()
    assert translate("desk2/report.txt", "-q") == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith("error: desk2/report.txt: ") and "desk1/report.txt" in err, err
    assert "rename" in err and len(err.splitlines()) == 1
    after = {p: p.read_bytes() for p in before}
    assert after == before  # layout, POT, PO (all reviewed) and pages untouched
    assert (
        json.loads(layout_path(Path("locales"), "report").read_text("utf-8"))["source"] == "desk1/report.txt"
    )


def test_the_same_article_rerun_is_still_fine(cwd: Path) -> None:
    (cwd / "desk1").mkdir()
    (cwd / "desk1" / "report.txt").write_text(ARTICLE, encoding="utf-8")
    assert translate("desk1/report.txt", "-q") == 0
    assert translate("desk1", "-q") == 0


def test_two_arabic_file_names_are_two_articles(cwd: Path) -> None:
    (cwd / "مقال.txt").write_text(ARTICLE, encoding="utf-8")
    (cwd / "تقرير.txt").write_text("Another Story\n\nSomething else happened.\n", encoding="utf-8")
    assert translate("مقال.txt", "-q") == 0
    assert translate("تقرير.txt", "-q") == 0
    layouts = sorted((cwd / "locales" / "templates").glob("*.layout.json"))
    assert len(layouts) == 2
    sources = {json.loads(p.read_text("utf-8"))["source"] for p in layouts}
    assert sources == {"مقال.txt", "تقرير.txt"}


# --- 6. article text silently dropped ------------------------------------------------------------


def test_a_comments_subheading_keeps_the_paragraphs_after_it(
    cwd: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = (
        "Parliament Debates the Budget\n\nThe minister presented the budget on Monday.\n\n"
        "Comments\n\nOpposition members said the plan was too vague.\n\nThe vote is due next week.\n"
    )
    (cwd / "budget.txt").write_text(text, encoding="utf-8")
    assert translate("budget.txt", "-q") == 0
    ids = {e.msgid for e in read_po(po_path(Path("locales"), "ar", "budget"))}
    assert {"Opposition members said the plan was too vague.", "The vote is due next week."} <= ids
    assert "Comments" in ids
    assert "warning:" not in capsys.readouterr().err


def test_dropping_text_as_a_footer_is_never_silent(cwd: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = (
        "Rebels Leave the Old Town\n\nThe army said that twelve people died.\n\n"
        "Do you like this article?\n\nReader One\n\nGreat piece, thanks.\n"
    )
    (cwd / "rebels.txt").write_text(text, encoding="utf-8")
    assert translate("rebels.txt", "-q") == 0
    (warning,) = [line for line in capsys.readouterr().err.splitlines() if line.startswith("warning:")]
    assert warning.startswith("warning: rebels.txt:5: dropped 2 block(s) after 'Do you like this article?'")
    assert "lines 7-9" in warning and "Reader One" in warning


def test_a_footer_of_furniture_alone_needs_no_warning(cwd: Path, capsys: pytest.CaptureFixture[str]) -> None:
    shutil.copy(ROOT / "articles" / "sample-article.txt", cwd / "sample-article.txt")
    assert translate("sample-article.txt", "-q", "--no-render") == 0
    assert "warning:" not in capsys.readouterr().err


# --- the critical fixes together with main's extraction, --strict and review pages -----------------

FOOTER_PAGE = """<!DOCTYPE html><html><head><title>Rebels Leave the Old Town</title></head><body><article>
<h1>Rebels Leave the Old Town</h1>
<p>{body}</p>
<p>{other}</p>
<p>Do you like this article?</p>
<p>Reader One</p>
<p>Great piece, thanks. I always read your reports on the old town and its people.</p>
</article></body></html>
"""


def test_an_html_footer_cut_is_warned_once_through_trafilatura(
    cwd: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    body = " ".join(["The army said that twelve people died in the old town, and residents returned."] * 3)
    page = FOOTER_PAGE.format(body=body, other=body.replace("army", "police"))
    (cwd / "rebels.html").write_text(page, encoding="utf-8")
    assert translate("rebels.html", "-q", "--no-render") == 0
    warnings = [line for line in capsys.readouterr().err.splitlines() if line.startswith("warning:")]
    assert len(warnings) == 1, warnings  # the walker's cut and the merge's are one footer
    assert warnings[0].startswith(
        "warning: rebels.html:5: dropped 2 block(s) after 'Do you like this article?'"
    )
    assert "lines 6-7" in warnings[0]
    ids = {e.msgid for e in read_po(po_path(Path("locales"), "ar", "rebels"))}
    assert not any("Reader One" in msgid or "Great piece" in msgid for msgid in ids)


def test_strict_refuses_an_article_cut_as_a_footer(cwd: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = "Rebels Leave the Old Town\n\nThe army said so.\n\nDo you like this article?\n\nReader One\n"
    (cwd / "rebels.txt").write_text(text, encoding="utf-8")
    assert translate("rebels.txt", "-q", "--strict") == 1
    err = capsys.readouterr().err
    assert "error: rebels.txt:5: dropped 1 block(s)" in err and "(--strict)" in err
    assert not po_path(Path("locales"), "ar", "rebels").exists()


def test_api_warnings_are_structured(cwd: Path) -> None:
    from pipeline import api
    from pipeline.errors import PipelineWarning

    text = "Rebels Leave the Old Town\n\nThe army said so.\n\nDo you like this article?\n\nReader One\n"
    (cwd / "rebels.txt").write_text(text, encoding="utf-8")
    result = api.translate("rebels.txt", "ar", backend="identity", glossary=ROOT / "glossary", out=None)
    (warning,) = result.warnings
    assert isinstance(warning, PipelineWarning)
    assert (warning.path, warning.line) == ("rebels.txt", 5)
    assert str(warning).startswith("rebels.txt:5: dropped 1 block(s)")


def test_review_page_links_are_safe_too(cwd: Path) -> None:
    """The article beside its review page: a raw relative path would be ``javascript:…`` itself."""
    name = "ar/javascript:alert(document.cookie).txt"
    (cwd / "ar").mkdir()
    (cwd / name).write_text(ARTICLE, encoding="utf-8")
    assert translate(name, "--no-render", "-q") == 0
    assert main(["render", "--review", "--out", ".", "-q"]) == 0
    (review,) = sorted((cwd / "ar").glob("*.review.html"))
    assert "javascript:" not in " ".join(hrefs(review))
    assert_safe_links(review)
