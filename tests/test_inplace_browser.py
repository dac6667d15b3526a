"""The page translated in place in headless Chromium: no script runs, whatever the original page
held; the article's container lays out right to left; every link of the article is there.

Uses ``test_browser``'s DevTools client and Chromium fixture (skips without Chromium, fails in CI).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .test_browser import Page, page  # noqa: F401  (the fixture, shared)
from .test_inline_markup import _html_article
from .test_inplace import HOSTILE, _hostile_site, translate


def test_no_script_of_a_hostile_page_or_po_file_runs(
    page: Page,  # noqa: F811
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "articles").mkdir()
    inplace, fragment = _hostile_site(tmp_path)
    page.open((tmp_path / "articles" / "town.html").resolve().as_uri(), 1280)  # the control: it runs there
    assert page.evaluate("typeof window.pwned") == "number"
    assert "onerror" in HOSTILE
    for target in (inplace, fragment):
        page.open(target.resolve().as_uri(), 1280)
        page.evaluate("new Promise(r => setTimeout(() => r(true), 300))")  # let image errors fire
        assert page.evaluate("typeof window.pwned") == "undefined", target.name
        assert page.evaluate("document.querySelectorAll('script, object, embed, [onerror]').length") == 0
    page.open(inplace.resolve().as_uri(), 375)
    assert page.evaluate("getComputedStyle(document.querySelector('article')).direction") == "rtl"


def test_the_sample_in_place_in_a_browser(
    page: Page,  # noqa: F811
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "articles").mkdir()
    (tmp_path / "articles" / "story.html").write_text(_html_article(), encoding="utf-8")
    assert translate("articles", "--backend", "identity", "-q") == 0
    original = (tmp_path / "articles" / "story.html").resolve().as_uri()
    inplace = (tmp_path / "build" / "ar" / "story.inplace.html").resolve().as_uri()
    script = (
        "JSON.stringify([...document.querySelectorAll('article a[href]')].map(a => a.getAttribute('href'))"
        ".filter(h => !h.startsWith('javascript:')).sort())"
    )
    page.open(original, 1280)
    links = json.loads(str(page.evaluate(script)))
    page.open(inplace, 1280)
    assert json.loads(str(page.evaluate(script))) == links and len(links) >= 8
    article = "document.querySelector('article')"
    assert page.evaluate(f"[{article}.lang, getComputedStyle({article}).direction].join()") == "ar,rtl"
    assert page.evaluate("getComputedStyle(document.querySelector('h1')).direction") == "rtl"
    assert page.evaluate("document.documentElement.lang") == "en"
    assert page.evaluate("document.querySelectorAll('script').length") == 0
    assert (
        page.evaluate("document.querySelector('figure img').getAttribute('src')")
        == "/images/2017/11/al-qaim.jpg"
    )
