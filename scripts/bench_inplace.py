"""How many of N real saved pages get every extracted block placed back in the page translated in place.

For each page: extraction and anchors as ``translate`` does them (:func:`load_document`), the layout
its segments make, then the in-place render (English shown: this measures placement, not a model)
on a fresh parse of the same bytes. Printed per page (``--show``) and in total: blocks placed, pages
with every block placed, and whether every link of the original page is still there with the same
href (compared with the original as the sanitizer leaves it: ``javascript:`` links and those in
``<noscript>`` go, translation or not).

    python scripts/bench_inplace.py ~/.cache/newsroom-bench/readability/test/test-pages [--show]

Each folder under the argument with a ``source.html`` is a page (mozilla/readability's layout);
a folder of ``.html`` files works too.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

from pipeline.catalog.layout import Layout, LayoutBlock, LayoutSegment
from pipeline.errors import PipelineError
from pipeline.ingest.anchors import parse_page
from pipeline.ingest.sources import load_document
from pipeline.render.inplace import render_inplace
from pipeline.render.localize import localize
from pipeline.render.sanitize import clean
from pipeline.segment import segment_blocks


def pages(root: Path) -> list[Path]:
    found = sorted(root.glob("*/source.html"))
    return found or sorted(root.glob("*.html"))


def links(page: str, *, cleaned: bool = False) -> Counter[str]:
    """The page's links by href; ``cleaned``: as the in-place page's sanitizer leaves the page
    (links inside ``<noscript>`` or with a ``javascript:`` href go with it, translation or not)."""
    root = parse_page(page)
    if cleaned:
        clean(root)
    # lxml writes a space in an href as %20, the URL a browser makes of either
    return Counter(
        " ".join(a.get("href").replace("%20", " ").split())
        for a in root.iter("a")
        if a.get("href") is not None
    )


def layout_of(path: Path) -> tuple[Layout, str]:
    doc = load_document(path)
    segments = segment_blocks(doc.blocks)
    per_block: list[list[LayoutSegment]] = [[] for _ in doc.blocks]
    for seg in segments:
        per_block[seg.block].append(LayoutSegment(seg.id, seg.text, seg.sep, seg.tags))
    blocks = tuple(
        LayoutBlock(b.kind, b.line, tuple(s), b.anchor)
        for b, s in zip(doc.blocks, per_block, strict=True)
        if s
    )
    return Layout(doc.slug, str(path), doc.format, blocks), doc.original


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--show", action="store_true", help="one line per page, and each lost block")
    args = parser.parse_args(argv)
    found = pages(args.folder)
    if not found:
        print(f"error: {args.folder}: no pages (*/source.html or *.html)", file=sys.stderr)
        return 1
    totals = Counter[str]()
    started = time.perf_counter()
    for path in found:
        name = path.parent.name if path.name == "source.html" else path.stem
        try:
            layout, original = layout_of(path)
        except PipelineError as exc:
            totals["skipped"] += 1
            print(f"  {name}: skipped ({exc})") if args.show else None
            continue
        result = render_inplace(layout, localize(layout, {}), "ar", original)
        before, after = links(original, cleaned=True), links(result.html)
        missing = sum((before - after).values())
        totals["pages"] += 1
        totals["blocks"] += len(layout.blocks)
        totals["placed"] += result.placed
        totals["complete"] += not result.lost
        totals["links"] += sum(before.values())
        totals["links_missing"] += missing
        totals["links_ok"] += missing == 0
        if args.show:
            print(f"  {name:40} {result.placed:4}/{len(layout.blocks):<4} links lost {missing}")
            for _, line, text in result.lost:
                print(f"      line {line}: {text[:70]!r}")
    seconds = time.perf_counter() - started
    n = totals["pages"]
    print(f"pages: {n} ({totals['skipped']} skipped: no article text)")
    share = totals["placed"] / max(1, totals["blocks"])
    print(f"blocks placed: {totals['placed']}/{totals['blocks']} ({share:.1%})")
    print(f"pages with every block placed: {totals['complete']}/{n}")
    print(
        f"pages with every link kept (same href): {totals['links_ok']}/{n} "
        f"({totals['links_missing']} of {totals['links']} links lost)"
    )
    print(f"time: {seconds:.1f} s (extraction included)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
