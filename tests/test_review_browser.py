"""The review page in headless Chromium (the DevTools client of tests/test_browser.py): each state is
marked by more than colour, the English source shows on hover and on focus (what a tap does), the
page never scrolls sideways at 375 or 1280 px, and Tab walks the summary then the sentences in
reading order. Screenshots: ``build/screenshots/ar-sample-article-review-*.png``."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from pipeline.cli import main

from .review_site import SLUG, review_by_editing, sample_po, translate_sample
from .test_browser import LAYOUT_JS, SCREENSHOTS, WIDTHS, Page
from .test_browser import page as browser_page

__all__ = ["browser_page"]  # the module-scoped Chromium tab, used as a fixture here


@pytest.fixture(scope="module")
def review_page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    locales, out = translate_sample(tmp_path_factory.mktemp("review-site"))
    review_by_editing(sample_po(locales))
    assert main(["render", "--review", "-q", "--locales", str(locales), "--out", str(out)]) == 0
    return out / "ar" / f"{SLUG}.review.html"


@pytest.fixture
def tab(browser_page: Page) -> Iterator[Page]:
    yield browser_page


STATES_JS = """(() => {
  const segs = [...document.querySelectorAll('article .seg')];
  const style = s => getComputedStyle(s.querySelector('.text'));
  const by = state => segs.filter(s => s.dataset.state === state);
  return {
    articleDir: getComputedStyle(document.querySelector('article')).direction,
    reviewed: by('reviewed').length, machine: by('machine').length,
    badges: [...new Set(segs.map(s =>
      s.dataset.state + ':' + s.querySelector('.badge').textContent.trim().split(' ')[0]))],
    machineLine: by('machine').filter(s => !s.classList.contains('warned'))
      .map(s => style(s).textDecorationStyle)[0],
    reviewedLine: by('reviewed').map(s => style(s).textDecorationLine)[0],
    repaired: document.querySelectorAll('article mark.name.repaired').length,
    names: document.querySelectorAll('article mark.name').length,
    srcHidden: segs.every(s => getComputedStyle(s.querySelector('.src')).display === 'none'),
  };
})()"""


@pytest.mark.parametrize("width", WIDTHS)
def test_review_page_layout_and_states(tab: Page, review_page: Path, width: int) -> None:
    tab.open(review_page.as_uri(), width)
    layout = tab.evaluate(LAYOUT_JS)
    tab.screenshot(SCREENSHOTS / f"ar-{SLUG}-review-{width}.png")
    assert layout["scrollWidth"] <= layout["clientWidth"], f"horizontal overflow at {width}px: {layout}"
    assert not layout["outside"], f"elements outside the viewport at {width}px: {layout['outside']}"
    states = tab.evaluate(STATES_JS)
    assert states["articleDir"] == "rtl"
    # The two sections were reviewed; every other sentence is machine output (the caption repeats).
    assert states["reviewed"] == 2 and states["machine"] > 25, states
    # Not by colour alone: a symbol per state, and an underline machine output has and reviewed lacks.
    assert {"reviewed:✓", "machine:MT"} <= set(states["badges"]), states["badges"]
    assert states["machineLine"] == "dashed" and states["reviewedLine"] == "none", states
    assert states["repaired"] > 0 and states["names"] > states["repaired"]
    assert states["srcHidden"]


SOURCE_JS = """(() => {
  const seg = document.querySelector(%r);
  const src = seg.querySelector('.src');
  const r = src.getBoundingClientRect();
  return {display: getComputedStyle(src).display, text: src.textContent, dir: getComputedStyle(src).direction,
          left: r.left, right: r.right, width: document.documentElement.clientWidth,
          focused: document.activeElement === seg};
})()"""


def test_english_source_on_hover_and_on_focus(tab: Page, review_page: Path) -> None:
    tab.open(review_page.as_uri(), 375)
    # Hover: the mouse over the headline shows its English source in a panel inside the window.
    box = tab.evaluate(
        "(() => { const t = document.querySelector('h2.headline .seg .text');"
        " t.scrollIntoView({block: 'center'});"
        " const r = t.getClientRects()[0];"
        " return [r.left + r.width / 2, r.top + r.height / 2]; })()"
    )
    tab.send("Input.dispatchMouseEvent", type="mouseMoved", x=box[0], y=box[1])
    hovered = tab.evaluate(SOURCE_JS % "h2.headline .seg")
    assert hovered["display"] == "block" and "ISIS elements lose will to fight" in hovered["text"], hovered
    assert hovered["dir"] == "ltr" and hovered["left"] >= 0 and hovered["right"] <= hovered["width"]
    assert "sample-article.po:" in hovered["text"]
    tab.screenshot(SCREENSHOTS / f"ar-{SLUG}-review-375-hover.png")
    tab.send("Input.dispatchMouseEvent", type="mouseMoved", x=1, y=1)
    # Tap (a touch focuses the sentence) and keyboard focus show it too.
    tab.evaluate("document.querySelector('p.byline .seg').focus()")
    focused = tab.evaluate(SOURCE_JS % "p.byline .seg")
    assert focused["focused"] and focused["display"] == "block" and "Khalid al-Taie" in focused["text"]


def test_keyboard_focus_order(tab: Page, review_page: Path) -> None:
    """Tab walks the summary's links first, then the sentences in reading order."""
    tab.open(review_page.as_uri(), 1280)
    order = []
    for _ in range(40):
        tab.send("Input.dispatchKeyEvent", type="keyDown", key="Tab", code="Tab", windowsVirtualKeyCode=9)
        tab.send("Input.dispatchKeyEvent", type="keyUp", key="Tab", code="Tab", windowsVirtualKeyCode=9)
        order.append(
            tab.evaluate(
                "(() => { const e = document.activeElement;"
                " return e.closest('.summary') ? 'summary'"
                " : e.classList.contains('seg') ? e.id : e.tagName; })()"
            )
        )
    first_seg = order.index("s-1")
    assert first_seg > 0 and set(order[:first_seg]) == {"summary"}, order
    segs = [int(x[2:]) for x in order[first_seg:] if x.startswith("s-")]
    assert segs == sorted(segs) and len(segs) >= 10, order
    # A warning in the summary links to its sentence.
    href = tab.evaluate("document.querySelector('.flagged a').getAttribute('href')")
    assert tab.evaluate(f"!!document.getElementById({href[1:]!r})")
