"""``render --watch`` as a translator meets it: a real process watching a real folder. A saved edit
shows on the page within 2 seconds; a broken save is one error line, the process lives on and the
last good page stays; the next good save renders; Ctrl-C (SIGINT) stops it with exit status 0."""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from .helpers import ROOT
from .review_site import SLUG, review_by_editing, sample_po, translate_sample


class Lines:
    """A stream's lines as they arrive, read on a thread so the test can wait with a deadline."""

    def __init__(self, stream) -> None:
        self.queue: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []
        threading.Thread(target=self._pump, args=(stream,), daemon=True).start()

    def _pump(self, stream) -> None:
        for line in stream:
            self.queue.put(line.rstrip("\n"))

    def wait_for(self, test: Callable[[str], bool], timeout: float) -> str:
        deadline = time.monotonic() + timeout
        while True:
            try:
                line = self.queue.get(timeout=max(0.01, deadline - time.monotonic()))
            except queue.Empty:
                raise AssertionError(f"no such line within {timeout}s; saw {self.seen}") from None
            self.seen.append(line)
            if test(line):
                return line


def _wait_until(check: Callable[[], bool], timeout: float) -> float:
    start = time.monotonic()
    while not check():
        if time.monotonic() - start > timeout:
            raise AssertionError(f"not within {timeout}s")
        time.sleep(0.02)
    return time.monotonic() - start


@pytest.fixture
def watched(tmp_path: Path) -> Iterator[tuple[subprocess.Popen, Lines, Lines, Path, Path]]:
    locales, out = translate_sample(tmp_path)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "pipeline",
            "render",
            "--watch",
            "--review",
            "--locales",
            str(locales),
            "--out",
            str(out),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=tmp_path,
    )
    try:
        yield proc, Lines(proc.stdout), Lines(proc.stderr), locales, out
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait(timeout=10)


def test_watch_rerenders_on_save_survives_a_broken_one_and_stops_on_ctrl_c(watched) -> None:
    proc, out_lines, err_lines, locales, out = watched
    out_lines.wait_for(lambda line: line.startswith("watching "), timeout=60)
    page, review = out / "ar" / f"{SLUG}.html", out / "ar" / f"{SLUG}.review.html"
    assert page.exists() and review.exists()
    po_file = sample_po(locales)

    # A translator reviews two sentences and rewords one: both pages follow within 2 seconds.
    review_by_editing(po_file)
    header, entries = po_file.read_text(encoding="utf-8").split("\n\n", 1)
    text = header + "\n\n" + entries.replace('msgstr "', 'msgstr "تحرير المترجم ', 3)
    po_file.write_text(text, encoding="utf-8")
    took = _wait_until(lambda: "تحرير المترجم" in page.read_text(encoding="utf-8"), timeout=2)
    _wait_until(lambda: "<b>2</b> reviewed" in review.read_text(encoding="utf-8"), timeout=2)
    out_lines.wait_for(lambda line: line.startswith(f"rendered ar/{SLUG} (2/"), timeout=2)
    print(f"page re-rendered {took:.2f}s after the save")

    # A broken save: one error line naming the file and line, the process lives, the page stays.
    good = page.read_bytes()
    po_file.write_text(text.replace('msgstr "', 'msgstr "unterminated\n', 1), encoding="utf-8")
    error = err_lines.wait_for(lambda line: line.startswith("error:"), timeout=5)
    assert error.startswith(f"error: {po_file}:") and "malformed PO file" in error
    time.sleep(0.3)
    assert proc.poll() is None and page.read_bytes() == good and err_lines.queue.empty()

    # The next good save renders again.
    po_file.write_text(text.replace("تحرير المترجم", "تحرير ثان", 1), encoding="utf-8")
    _wait_until(lambda: "تحرير ثان" in page.read_text(encoding="utf-8"), timeout=2)

    proc.send_signal(signal.SIGINT)
    assert proc.wait(timeout=10) == 0
    out_lines.wait_for(lambda line: line == "stopped", timeout=5)


def test_a_batch_of_changes_maps_to_the_articles_it_touches(tmp_path: Path) -> None:
    from pipeline.render.watch import EVERYTHING, Site

    locales, out = translate_sample(tmp_path)
    house = tmp_path / "house"
    house.mkdir()
    site = Site(locales, out, templates=house)
    po_file = str(sample_po(locales))
    assert site.affected([po_file, po_file + ".mo", str(locales / "ar" / "LC_MESSAGES" / "x.mo")]) == {
        ("ar", SLUG)
    }
    assert site.affected([str(locales / "templates" / f"{SLUG}.layout.json")]) == {("ar", SLUG)}
    assert site.affected([str(house / "article.html.j2")]) == EVERYTHING
    assert Site(locales, out, langs=["fr"]).affected([po_file]) == set()
