"""Benchmark sentence splitting on one ever longer paragraph: is it linear?

    python scripts/bench_segment.py                      # 70 KB, doubled 4 times (to 1.1 MB)
    python scripts/bench_segment.py --start 35000 --steps 3

One paragraph (no blank line anywhere, as a pasted transcript or a scraped page with its breaks
lost) made of the sample article's sentences repeated, split with ``pipeline.segment.split_sentences``.
Each size runs in its own process, so one slow size cannot skew the next. Prints seconds per size
and the ratio to the previous size: linear splitting doubles (ratio ~2), pysbd on the whole block
grew about 4x per doubling.
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def paragraph(size: int) -> str:
    text = (REPO / "articles" / "sample-article.txt").read_text(encoding="utf-8")
    sentences = re.sub(r"\s+", " ", text).strip()
    out = (sentences + " ") * (size // len(sentences) + 1)
    return out[:size].rsplit(" ", 1)[0]


def measure(size: int) -> dict[str, float]:
    sys.path.insert(0, str(REPO))
    from pipeline.segment import split_sentences

    text = paragraph(size)
    started = time.perf_counter()
    pairs = split_sentences(text)
    seconds = time.perf_counter() - started
    assert "".join(s + sep for s, sep in pairs) == text.strip()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"chars": len(text), "sentences": len(pairs), "seconds": seconds, "peak_mb": peak}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--start", type=int, default=70_000, help="first size in characters")
    parser.add_argument("--steps", type=int, default=5, help="number of sizes, each double the last")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # child process: one size
    args = parser.parse_args()
    if args.one:
        print(json.dumps(measure(args.one)))
        return
    previous = None
    print(f"{'chars':>10} {'sentences':>9} {'seconds':>9} {'x prev':>7} {'peak MB':>8}")
    for step in range(args.steps):
        size = args.start * 2**step
        out = subprocess.run(
            [sys.executable, __file__, "--one", str(size)], capture_output=True, text=True, check=True
        )
        row = json.loads(out.stdout)
        ratio = f"{row['seconds'] / previous:.2f}" if previous else "-"
        cells = f"{row['chars']:>10} {row['sentences']:>9} {row['seconds']:>9.2f} {ratio:>7}"
        print(f"{cells} {row['peak_mb']:>8.0f}", flush=True)
        previous = row["seconds"]


if __name__ == "__main__":
    main()
