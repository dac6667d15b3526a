"""Benchmark the translate job at archive size: is the cost per article flat, does memory stay bounded,
and is an unchanged re-run cheap?

    python scripts/bench_scale.py           # 1,000, 5,000 and 20,000 articles, with and without pages
    python scripts/bench_scale.py --sizes 500,2000 --out /tmp/bench-scale --pages with

Each archive is generated from shipped text (``articles/sample-article.txt`` and
``tests/data/name_dense.txt``): eight-paragraph articles whose sentences are drawn at an offset that
depends on the article, with every number shifted by the article's index and the article's number in
its headline and first paragraph, so sentences are not all identical across the archive. Each size
runs the translate job (``pipeline.api.translate``, the identity backend: no model, every sentence a
fuzzy "translation" of itself, names protected) in its own process, then again, unchanged, in a
fresh process; with pages (translate's default) and without (``--no-render``), each on its own
copy of the archive. Peak RSS is each child's own (``os.wait4``'s rusage), not the parent's. The
load average is printed with each size: on a shared machine it says how far to trust the seconds.

The targets: time per article flat across sizes, peak RSS not growing with the archive, and the
unchanged re-run under a tenth of the first run. Ratios are printed against the smallest size, side
by side, from one run: on a shared machine, compare ratios, not seconds.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SOURCES = (REPO / "articles" / "sample-article.txt", REPO / "tests" / "data" / "name_dense.txt")
PARAGRAPHS = 8
SENTENCES_PER_PARAGRAPH = 2


def source_sentences() -> list[str]:
    """Sentence-like lines of the shipped text (headings and bylines left out)."""
    lines: list[str] = []
    for path in SOURCES:
        for line in path.read_text(encoding="utf-8").splitlines():
            line = line.strip()
            if len(line.split()) >= 6 and not line.startswith("#"):
                lines.append(line)
    return list(dict.fromkeys(lines))


def article_text(index: int, pool: list[str]) -> str:
    """Article ``index``: sentences from ``pool`` at an index-dependent stride, numbers shifted."""

    def shift(match: re.Match[str]) -> str:
        return str(int(match.group(0)) + index)

    paragraphs = []
    for p in range(PARAGRAPHS):
        picked = [
            pool[(index * 7 + p * SENTENCES_PER_PARAGRAPH + s) % len(pool)]
            for s in range(SENTENCES_PER_PARAGRAPH)
        ]
        text = " ".join(re.sub(r"\d+", shift, s) for s in picked)
        if p == 0:
            text = f"Report {index} of the archive was filed on day {index % 365 + 1}. {text}"
        paragraphs.append(text)
    headline = f"Archive story {index}: {pool[index % len(pool)].split(',')[0][:60]}"
    return "\n\n".join([headline, f"By Staff Writer {index % 97}", *paragraphs]) + "\n"


def generate(folder: Path, size: int) -> None:
    shutil.rmtree(folder, ignore_errors=True)
    articles = folder / "articles"
    articles.mkdir(parents=True)
    pool = source_sentences()
    for index in range(size):
        (articles / f"story-{index:06d}.txt").write_text(article_text(index, pool), encoding="utf-8")


def run_child(folder: Path, render: bool, executor: str) -> dict[str, float]:
    """One translate run in a fresh interpreter: wall time and that process's own peak RSS."""
    command = [sys.executable, __file__, "--child", str(folder), "--executor", executor]
    if render:
        command.append("--render")
    started = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    assert child.stdout is not None
    output = child.stdout.read()
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - started
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        raise SystemExit(f"error: the run over {folder} failed (exit {child.returncode})")
    result: dict[str, float] = json.loads(output.strip().splitlines()[-1])
    result["wall"] = wall
    result["rss_mb"] = usage.ru_maxrss / 1024  # KiB on Linux
    return result


def child_main(folder: Path, render: bool, executor: str) -> None:
    import pipeline

    kwargs = {} if executor == "in-process" else {"executor": executor}
    result = pipeline.translate(
        folder / "articles",
        "ar",
        backend="identity",
        glossary=REPO / "glossary",
        locales=folder / "locales",
        out=folder / "build" if render else None,
        **kwargs,
    )
    if result.errors:
        raise SystemExit(f"error: {result.errors[0]}")
    print(json.dumps({"articles": result.articles, "translated": result.translated}))


Row = tuple[int, bool, dict[str, float], dict[str, float], float]


def table(rows: list[Row]) -> str:
    lines = [
        "| articles | pages | first run | ms/article | vs smallest | peak RSS | vs smallest "
        "| unchanged re-run | re-run / first | re-run RSS | model calls (first, re-run) | load |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for render in sorted({r[1] for r in rows}, reverse=True):
        mine = [r for r in rows if r[1] == render]
        base_size, _, base, _, _ = mine[0]
        base_per = base["wall"] / base_size
        for size, _, first, again, load in mine:
            per = first["wall"] / size
            lines.append(
                f"| {size:,} | {'with' if render else 'without'} | {first['wall']:.1f} s | {per * 1000:.1f} "
                f"| {per / base_per:.2f}x | {first['rss_mb']:.0f} MB "
                f"| {first['rss_mb'] / base['rss_mb']:.2f}x "
                f"| {again['wall']:.1f} s | {again['wall'] / first['wall']:.3f} | {again['rss_mb']:.0f} MB "
                f"| {int(first['translated'])}, {int(again['translated'])} | {load:.1f} |"
            )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,5000,20000", help="comma list of archive sizes")
    parser.add_argument("--out", type=Path, default=Path("/tmp/bench-scale"), help="work folder")
    parser.add_argument(
        "--pages",
        choices=["both", "with", "without"],
        default="both",
        help="render pages (translate's default)",
    )
    parser.add_argument("--render", action="store_true", help=argparse.SUPPRESS)  # the child's flag
    parser.add_argument("--executor", default="in-process", help="in-process (default) or ray")
    parser.add_argument("--keep", action="store_true", help="keep the generated archives")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child is not None:
        child_main(args.child, args.render, args.executor)
        return
    modes = {"both": [False, True], "with": [True], "without": [False]}[args.pages]
    print(f"load average at the start: {os.getloadavg()[0]:.1f} (on {os.cpu_count()} CPUs)", flush=True)
    rows: list[Row] = []
    for size in [int(s) for s in args.sizes.split(",")]:
        for render in modes:
            folder = args.out / f"n{size}-{'pages' if render else 'nopages'}"
            generate(folder, size)
            first = run_child(folder, render, args.executor)
            again = run_child(folder, render, args.executor)
            load = os.getloadavg()[0]
            print(
                f"{size} articles {'with' if render else 'without'} pages: {first['wall']:.1f} s, "
                f"{first['rss_mb']:.0f} MB; re-run {again['wall']:.1f} s, {again['rss_mb']:.0f} MB; "
                f"load {load:.1f}",
                file=sys.stderr,
                flush=True,
            )
            rows.append((size, render, first, again, load))
            if not args.keep:
                shutil.rmtree(folder, ignore_errors=True)
    print(f"load average at the end: {os.getloadavg()[0]:.1f} (on {os.cpu_count()} CPUs)")
    print(table(rows))


if __name__ == "__main__":
    main()
