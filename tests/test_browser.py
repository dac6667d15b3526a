"""The rendered sample page in a real browser: headless Chromium driven over the DevTools protocol.

What a reader would notice and unit tests cannot see: the page lays out right to left, Arabic glyphs
come from a real font (the shipped Amiri face, not boxes), nothing overflows on a phone or a desktop,
and the page still renders where the font file is missing. Screenshots land in
``build/screenshots/`` for a person to look at. The model is a fake that writes real Arabic words,
so the test needs no model and runs in seconds.
"""

from __future__ import annotations

import base64
import json
import os
import re
import shutil
import subprocess
import time
import urllib.request
import zlib
from collections.abc import Iterator, Sequence
from pathlib import Path

import polib
import pytest

from pipeline.catalog.po import po_path
from pipeline.job import translate_articles
from pipeline.names.glossary import load_glossary
from pipeline.names.style import load_style
from pipeline.render.pages import render_all

from .helpers import ROOT, SAMPLE

SCREENSHOTS = ROOT / "build" / "screenshots"
WIDTHS = (375, 1280)
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
    "--hide-scrollbars",
    "--remote-debugging-port=0",
)

# Real Arabic words, as one readable run of text.
_WORDS = (  # noqa: SIM905
    "قال إن المقاتلين التنظيم الحرب المدينة القوات العراقية بعد خسارة الأراضي معنويات الهزيمة الجماعة "
    "الخبراء عناصر القتال الإرادة الحدود السورية موقع استعادة بلدة غرب يوم سابق قيادة التطرف الانسحاب "
    "الدعاية الخلافة حلم كابوس هذا كان في من على إلى عن مع الذين أيضا"
).split()
_TOKEN = re.compile(r"XNAME\d+|\d[\d,.%]*|[A-Z]{2,}\b|\w+|[^\w\s]")


class ArabicWordsBackend:
    """A fake model writing real Arabic words (one per English word), so glyphs, word lengths and line
    breaks are Arabic. Placeholders, numbers and acronyms pass through, as a real model's often do, so
    the page has Latin runs and digits to isolate."""

    def translate(self, texts: Sequence[str], *, lang: str) -> list[str]:
        out = []
        for text in texts:
            words = []
            for token in _TOKEN.findall(text):
                if token.startswith("XNAME") or token[0].isdigit() or token.isupper() and len(token) > 1:
                    words.append(token)
                elif token[0].isalnum():
                    words.append(_WORDS[zlib.crc32(token.lower().encode()) % len(_WORDS)])
                elif words:
                    words[-1] += {",": "،", "?": "؟", ";": "؛"}.get(token, token)
            out.append(" ".join(words))
        return out


# --- a minimal DevTools protocol client ------------------------------------------------------------


class Page:
    """One browser tab over a websocket: send a command, wait for its answer, keep events for later."""

    def __init__(self, ws_url: str) -> None:
        import websocket  # websocket-client, a dev dependency

        self.ws = websocket.create_connection(ws_url, timeout=60, suppress_origin=True)
        self.counter = 0
        self.events: list[dict] = []

    def send(self, method: str, **params: object) -> dict:
        self.counter += 1
        self.ws.send(json.dumps({"id": self.counter, "method": method, "params": params}))
        while True:
            message = json.loads(self.ws.recv())
            if message.get("id") == self.counter:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})
            self.events.append(message)

    def wait_for(self, event: str, timeout: float = 60) -> dict:
        deadline = time.monotonic() + timeout
        while True:
            for i, message in enumerate(self.events):
                if message.get("method") == event:
                    return self.events.pop(i)
            if time.monotonic() > deadline:
                raise TimeoutError(event)
            self.events.append(json.loads(self.ws.recv()))

    def evaluate(self, expression: str) -> object:
        result = self.send("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in result:
            raise RuntimeError(f"{expression[:60]}…: {result['exceptionDetails']}")
        return result["result"].get("value")

    def open(self, url: str, width: int) -> None:
        self.send(
            "Emulation.setDeviceMetricsOverride",
            width=width,
            height=800,
            deviceScaleFactor=1,
            mobile=width < 600,
        )
        self.events.clear()
        self.send("Page.navigate", url=url)
        self.wait_for("Page.loadEventFired")
        self.evaluate("document.fonts.ready.then(() => true)")

    def fonts_for(self, selector: str) -> list[dict]:
        """The fonts that actually drew the text of the first element matching ``selector``."""
        root = self.send("DOM.getDocument")["root"]["nodeId"]
        node = self.send("DOM.querySelector", nodeId=root, selector=selector)["nodeId"]
        assert node, f"no element matches {selector!r}"
        return self.send("CSS.getPlatformFontsForNode", nodeId=node)["fonts"]

    def screenshot(self, path: Path) -> None:
        height = self.evaluate("document.documentElement.scrollHeight")
        width = self.evaluate("document.documentElement.clientWidth")
        shot = self.send(
            "Page.captureScreenshot",
            format="png",
            captureBeyondViewport=True,
            clip={"x": 0, "y": 0, "width": width, "height": height, "scale": 1},
        )
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(base64.b64decode(shot["data"]))


def _chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    if os.environ.get("CI"):
        pytest.fail("Chromium is required in CI; .ci/run installs Debian's 'chromium'")
    pytest.skip("Chromium is not installed (apt-get install chromium)")


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Page]:
    profile = tmp_path_factory.mktemp("chromium-profile")
    log = (profile.parent / "chromium.log").open("wb")
    proc = subprocess.Popen(
        [_chromium(), *FLAGS, f"--user-data-dir={profile}", "about:blank"],
        stdout=log,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
    )
    try:
        port_file = profile / "DevToolsActivePort"
        deadline = time.monotonic() + 60
        while not (port_file.exists() and port_file.read_text().strip()):
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"Chromium did not start (exit {proc.poll()}); see {log.name}")
            time.sleep(0.1)
        port = int(port_file.read_text().split()[0])
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=30) as response:
            targets = json.load(response)
        tab = Page(next(t["webSocketDebuggerUrl"] for t in targets if t["type"] == "page"))
        for domain in ("Page", "DOM", "CSS"):
            tab.send(f"{domain}.enable")
        yield tab
        tab.ws.close()
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:  # pragma: no cover
            proc.kill()
        log.close()


def _render_site(root: Path) -> Path:
    """Translate the sample with the fake model, mark three entries reviewed, render pages."""
    locales, out = root / "locales", root / "build"
    translate_articles(
        [SAMPLE],
        ["ar"],
        glossary=load_glossary(ROOT / "glossary"),
        locales=locales,
        out=None,
        make_backend=lambda lang: ArabicWordsBackend(),
        model_label="fake Arabic words",
    )
    po_file = po_path(locales, "ar", "sample-article")
    po = polib.pofile(str(po_file))
    for entry in [e for e in po if e.msgstr][:3]:
        entry.flags = [f for f in entry.flags if f != "fuzzy"]
    po.save(str(po_file))
    render_all(locales, out, ["ar"])
    return out


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _render_site(tmp_path_factory.mktemp("site"))


LAYOUT_JS = """(() => {
  const root = document.documentElement;
  const outside = [...document.body.querySelectorAll('*')].filter(e => {
    const r = e.getBoundingClientRect();
    return r.width > 0 && (r.right > root.clientWidth + 1 || r.left < -1);
  }).map(e => e.tagName + (e.className ? '.' + e.className : ''));
  return {
    lang: root.lang, dir: getComputedStyle(document.body).direction,
    scrollWidth: root.scrollWidth, clientWidth: root.clientWidth, outside: outside.slice(0, 5),
    faces: [...document.fonts].map(f => f.family.replace(/"/g, '') + ':' + f.weight + ':' + f.status),
  };
})()"""


def _arabic_share(fonts: list[dict], family: str) -> float:
    total = sum(f["glyphCount"] for f in fonts)
    return sum(f["glyphCount"] for f in fonts if f["familyName"] == family) / total if total else 0.0


@pytest.mark.parametrize("width", WIDTHS)
def test_article_page_in_chromium(page: Page, site: Path, width: int) -> None:
    page.open((site / "ar" / "sample-article.html").as_uri(), width)
    layout = page.evaluate(LAYOUT_JS)
    page.screenshot(SCREENSHOTS / f"ar-sample-article-{width}.png")
    assert layout["lang"] == "ar" and layout["dir"] == "rtl"
    assert layout["scrollWidth"] <= layout["clientWidth"], f"horizontal overflow at {width}px: {layout}"
    assert not layout["outside"], f"elements outside the viewport at {width}px: {layout['outside']}"
    # The shipped face loaded and drew the Arabic: glyphs, not boxes, and not a random system font.
    assert "Amiri:400:loaded" in layout["faces"] and "Amiri:700:loaded" in layout["faces"], layout["faces"]
    body = page.fonts_for("article p:not(.sections):not(.byline)")
    assert _arabic_share(body, "Amiri") > 0.9, body
    headline = page.fonts_for("h1")
    assert any(f["familyName"] == "Amiri" and "Bold" in f["postScriptName"] for f in headline), headline
    # Latin names and numbers are isolated, and the English original is one click away.
    assert page.evaluate("document.querySelectorAll('article bdi[dir=ltr]').length") > 0
    assert page.evaluate("getComputedStyle(document.querySelector('bdi')).unicodeBidi") == "isolate"
    href = page.evaluate("document.querySelector('footer a.original').href")
    assert href.endswith("articles/sample-article.txt")


@pytest.mark.parametrize("width", WIDTHS)
def test_index_page_in_chromium(page: Page, site: Path, width: int) -> None:
    page.open((site / "ar" / "index.html").as_uri(), width)
    layout = page.evaluate(LAYOUT_JS)
    page.screenshot(SCREENSHOTS / f"ar-index-{width}.png")
    assert layout["dir"] == "rtl" and layout["scrollWidth"] <= layout["clientWidth"], layout
    percent = page.evaluate("document.querySelector('.status .percent').textContent")
    total = sum(
        1
        for e in polib.pofile(str(po_path(site.parent / "locales", "ar", "sample-article")))
        if not e.obsolete
    )
    assert percent == f"{round(100 * 3 / total)}%"
    assert page.evaluate("document.querySelector('.status meter').value") == round(100 * 3 / total)


def test_page_renders_without_the_shipped_font(page: Page, tmp_path: Path) -> None:
    """A reader whose browser cannot fetch the font still gets a right-to-left page in a system face."""
    out = _render_site(tmp_path)
    shutil.rmtree(out / "fonts")
    page.open((out / "ar" / "sample-article.html").as_uri(), 375)
    layout = page.evaluate(LAYOUT_JS)
    page.screenshot(SCREENSHOTS / "ar-sample-article-375-no-webfont.png")
    assert layout["dir"] == "rtl" and layout["scrollWidth"] <= layout["clientWidth"], layout
    body = page.fonts_for("article p:not(.sections):not(.byline)")
    assert sum(f["glyphCount"] for f in body) > 0 and all(f["familyName"] for f in body), body


# --- numbers and dates in the configured style (issue 16) -------------------------------------------

ORDER_JS = """((needle) => {
  const root = document.querySelector('article');
  const nodes = [], walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  let node, text = '';
  while ((node = walker.nextNode())) { nodes.push([node, text.length]); text += node.data; }
  const at = text.indexOf(needle);
  if (at < 0) return null;
  return [...needle].map((_, k) => {
    const [hit, start] = nodes.find(([n, s]) => s <= at + k && at + k < s + n.data.length);
    const range = document.createRange();
    range.setStart(hit, at + k - start);
    range.setEnd(hit, at + k - start + 1);
    const box = range.getBoundingClientRect();
    return {left: box.left, right: box.right, top: box.top};
  });
})"""

# What the sample's "November 4th", "September 27th" and "2%" publish as in each style.
NUMBER_STYLES = {
    "latn": (
        '[ar]\nlocale = "ar_IQ"\ndigits = "latn"\nmonths = ["ar_IQ", "ar_EG"]\n',
        "4 تشرين الثاني/نوفمبر",
        "27 أيلول/سبتمبر",
        "2%",
    ),
    "arab": ('[ar]\nlocale = "ar_EG"\ndigits = "arab"\n', "٤ نوفمبر", "٢٧ سبتمبر", "٢٪"),
}


@pytest.mark.parametrize("digits", list(NUMBER_STYLES))
def test_numbers_and_dates_in_the_configured_style(page: Page, tmp_path: Path, digits: str) -> None:
    style, november, september, percent = NUMBER_STYLES[digits]
    glossary = tmp_path / "glossary"
    glossary.mkdir()
    shutil.copy(ROOT / "glossary" / "names.tsv", glossary)
    (glossary / "style.toml").write_text(style, encoding="utf-8")
    locales, out = tmp_path / "locales", tmp_path / "build"
    translate_articles(
        [SAMPLE],
        ["ar"],
        glossary=load_glossary(glossary),
        locales=locales,
        out=out,
        make_backend=lambda lang: ArabicWordsBackend(),
        model_label="fake Arabic words",
        style=load_style(glossary),
    )
    page.open((out / "ar" / "sample-article.html").as_uri(), 1280)
    page.screenshot(SCREENSHOTS / f"ar-sample-article-numbers-{digits}.png")
    text = page.evaluate("document.querySelector('article').textContent")
    assert november in text and september in text and text.count(percent) == 1, text
    assert "November" not in text and "2%" not in text.replace(percent, "") and "XNAME" not in text
    # Visual order. Western digits are a left-to-right run: "2%" reads 2 then % from the left.
    # Arabic-Indic digits follow Arabic order: the sign stands to the left of the number ("٪٢" on
    # screen, "٢٪" in memory). In a date the day comes first, so it is rightmost.
    chars = page.evaluate(f"{ORDER_JS}({json.dumps(percent)})")
    assert chars and chars[0]["top"] == chars[-1]["top"], chars
    digit, sign = chars[0], chars[-1]
    if digits == "latn":
        assert digit["right"] <= sign["left"] + 1, chars
    else:
        assert sign["right"] <= digit["left"] + 1, chars
    day = page.evaluate(f"{ORDER_JS}({json.dumps(november)})")
    assert day and day[0]["top"] == day[-1]["top"], day
    assert day[0]["left"] >= max(c["right"] for c in day[2:]) - 1, day  # the day right of the month
