"""Benchmark one very large article through ``translate --backend identity``: is it linear?

    python scripts/bench_bigdoc.py                      # 1, 2, 5, 10 and 20 MB
    python scripts/bench_bigdoc.py --sizes 0.5,1,2 --keep /tmp/bigdoc

Each article is built from real news text nobody here wrote: the shipped sample article, the
unseen-news test articles (``tests/data/unseen_news``) and, when present, the FLORES-200 devtest
English sentences (``../shared/eval``, CC BY-SA, read in place, never copied into the repository).
Paragraphs of three to six sentences are drawn at random (fixed seed), with a headline-like
subheading every 25 paragraphs; each sentence gets a varying opener ("On March 12, 1987, ...") and
its figures shifted, so most sentences are distinct, as in a real archive dump or transcript, and
the PO file grows with the article.

Each size runs the whole CLI job (``python -m pipeline translate BIG.txt --to ar --backend
identity``) in a fresh process in a fresh folder; wall time and the child's own peak RSS
(``os.wait4``) are printed side by side with time per MB, and the ratios against the smallest
size: linear means a flat time per MB. On a shared machine compare ratios from one run, not seconds.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
#: the shared evaluation data sits next to the checkout (``/work/shared``), or next to a worktree's parent
_SHARED = [p / "shared" for p in (REPO.parent, REPO.parent.parent) if (p / "shared" / "eval").is_dir()]
FLORES = (_SHARED or [REPO.parent / "shared"])[0] / "eval" / "flores200-devtest.eng-arb.tsv"
#: sentence starts that read right lower-cased after an opener ("In 1987, the ...")
COMMON_STARTS = frozenset(
    ["The", "This", "That", "These", "Those", "A", "An", "But", "And", "In", "It", "Its", "He", "She", "They"]
)
MONTHS = [
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
]  # fmt: skip
OPENERS = (
    "On {month} {day}, {year}, ",
    "In {year}, ",
    "By {month} {year}, ",
    "As of {month} {day}, ",
    "According to a report on {month} {day}, ",
    "Around {n} people said that ",
    "",
)


def source_sentences() -> list[str]:
    """Sentence-like lines of real news text (headings and bylines left out)."""
    lines: list[str] = []
    news = sorted((REPO / "tests" / "data" / "unseen_news").glob("*.txt"))
    paths = [REPO / "articles" / "sample-article.txt", *news]
    for path in paths:
        for line in path.read_text(encoding="utf-8").splitlines():
            line = line.strip()
            if len(line.split()) >= 6 and line[-1:] in ".\"'”?!":
                lines.append(line)
    if FLORES.exists():
        with FLORES.open(encoding="utf-8", newline="") as handle:
            lines += [row["en"].strip() for row in csv.DictReader(handle, delimiter="\t")]
    return list(dict.fromkeys(lines))


def _vary(sentence: str, rng: random.Random) -> str:
    opener = rng.choice(OPENERS).format(
        month=rng.choice(MONTHS), day=rng.randint(1, 28), year=rng.randint(1950, 2025), n=rng.randint(2, 900)
    )
    shift = rng.randint(1, 97)
    sentence = re.sub(r"\b\d{1,3}\b", lambda m: str(int(m.group(0)) + shift), sentence)
    if opener and sentence.split(" ", 1)[0] in COMMON_STARTS:
        sentence = sentence[0].lower() + sentence[1:]
    return opener + sentence


def article(size: int, pool: list[str], seed: int = 19) -> str:
    """About ``size`` bytes of article: paragraphs of varied sentences, a subheading now and then."""
    rng = random.Random(seed)
    parts = ["A very long article", ""]
    total = 0
    count = 0
    while total < size:
        if count % 25 == 24:
            parts += [f"Part {count // 25 + 1}: {rng.choice(pool).split(',')[0][:60].rstrip('.')}", ""]
        paragraph = " ".join(_vary(rng.choice(pool), rng) for _ in range(rng.randint(3, 6)))
        parts += [paragraph, ""]
        total += len(paragraph.encode("utf-8")) + 2
        count += 1
    return "\n".join(parts)


def run_one(size_mb: float, pool: list[str], keep: Path | None, code: Path) -> dict[str, float]:
    folder = Path(tempfile.mkdtemp(prefix="bigdoc-", dir=keep))
    path = folder / "big.txt"
    path.write_text(article(int(size_mb * 1_000_000), pool), encoding="utf-8")
    command = [sys.executable, "-m", "pipeline", "-q", "translate", str(path), "--to", "ar"]
    command += ["--backend", "identity", "--glossary", str(code / "glossary")]
    env = {**os.environ, "PYTHONPATH": str(code)}
    started = time.perf_counter()
    with open(folder / "log.txt", "wb") as log:
        child = subprocess.Popen(command, cwd=folder, env=env, stdout=log, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"error: {size_mb} MB: translate failed, see {folder / 'log.txt'}")
    po = folder / "locales" / "ar" / "LC_MESSAGES" / "big.po"
    row = {
        "mb": path.stat().st_size / 1e6,
        "seconds": seconds,
        "peak_mb": usage.ru_maxrss / 1024,
        "entries": po.read_text(encoding="utf-8").count("\nmsgctxt "),
    }
    if keep is None:
        shutil.rmtree(folder)
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1,2,5,10,20", help="article sizes in MB, comma-separated")
    parser.add_argument("--keep", type=Path, help="keep each run's folder under this one")
    parser.add_argument("--code", type=Path, default=REPO, help="checkout to run (default: this one)")
    args = parser.parse_args()
    pool = source_sentences()
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
    print(f"{len(pool)} distinct source sentences; FLORES {'used' if FLORES.exists() else 'absent'}")
    print(f"code: {args.code}")
    print(f"{'MB':>7} {'entries':>8} {'seconds':>9} {'s/MB':>7} {'ratio':>6} {'peak MB':>8} {'MB/MB':>6}")
    first = None
    for size in (float(s) for s in args.sizes.split(",")):
        row = run_one(size, pool, args.keep, args.code.resolve())
        per_mb = row["seconds"] / row["mb"]
        first = first or per_mb
        cells = f"{row['mb']:>7.2f} {row['entries']:>8} {row['seconds']:>9.1f} {per_mb:>7.2f}"
        memory = f"{row['peak_mb']:>8.0f} {row['peak_mb'] / row['mb']:>6.1f}"
        print(f"{cells} {per_mb / first:>6.2f} {memory}", flush=True)


if __name__ == "__main__":
    main()
