"""Article extraction against gold text on real saved news pages: ours and trafilatura's, side by side.

The pages are not in this repository (they are other people's pages). Point the script at a folder
of test cases laid out as mozilla/readability's ``test/test-pages/`` (Apache-2.0): one folder per
page holding ``source.html`` (the saved page), ``expected.html`` (the article, hand-checked) and
optionally ``expected-metadata.json`` (its title and byline, which count as article text here)::

    git clone --depth 1 https://github.com/mozilla/readability ~/.cache/newsroom-bench/readability
    python scripts/bench_extract.py ~/.cache/newsroom-bench/readability/test/test-pages

Only English pages of at least 20 kB are scored (the suite's small synthetic cases test parser
corner cases, not article finding); ``--all`` scores every page.

Figures, per extractor, over the same pages:

- 4-word-shingle precision / recall / F1 of the extracted text against the gold text (micro-averaged
  over pages; the metric of the article-extraction benchmarks);
- furniture leaked: the share of extracted blocks (ours) or lines (trafilatura) with less than half
  of their words in the gold text, i.e. menus, share bars, "related stories" put into the article;
- pages whose recall is below 0.5, and for ours how many of those raised no warning (silent loss).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
import warnings
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

_WORD = re.compile(r"\w+", re.UNICODE)
_EN_STOP = frozenset({"the", "of", "and", "to", "a", "in", "is", "that", "for", "it", "was", "on", "with"})


def words(text: str) -> list[str]:
    return [w.casefold() for w in _WORD.findall(text)]


def shingles(tokens: list[str], n: int = 4) -> Counter[tuple[str, ...]]:
    if len(tokens) < n:
        return Counter([tuple(tokens)]) if tokens else Counter()
    return Counter(tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1))


def gold_text(case: Path) -> str:
    """The expected article text, with its title and byline from the metadata file."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup((case / "expected.html").read_text(encoding="utf-8"), "html.parser")
    parts = [soup.get_text(" ")]
    meta = case / "expected-metadata.json"
    if meta.is_file():
        data = json.loads(meta.read_text(encoding="utf-8"))
        parts[:0] = [str(data.get("title") or ""), str(data.get("byline") or "")]
    return "\n".join(parts)


def is_english(text: str) -> bool:
    tokens = words(text)
    return len(tokens) > 50 and sum(t in _EN_STOP for t in tokens) / len(tokens) >= 0.12


def site_of(name: str) -> str:
    return re.split(r"[-_]", name)[0]


@dataclass
class Scores:
    tp: int = 0
    extracted: int = 0
    gold: int = 0
    units: int = 0
    furniture: int = 0
    low: list[str] = field(default_factory=list)
    silent: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def add(self, name: str, units: list[str], gold: str, warned: bool) -> None:
        gold_tokens = words(gold)
        got, want = shingles(words(" ".join(units))), shingles(gold_tokens)
        tp = sum((got & want).values())
        self.tp += tp
        self.extracted += sum(got.values())
        self.gold += sum(want.values())
        vocabulary = set(gold_tokens)
        for unit in units:
            tokens = words(unit)
            if tokens:
                self.units += 1
                self.furniture += sum(t in vocabulary for t in tokens) * 2 < len(tokens)
        recall = tp / max(1, sum(want.values()))
        if recall < 0.5:
            self.low.append(name)
            if not warned:
                self.silent.append(name)

    def row(self, label: str) -> str:
        p = self.tp / max(1, self.extracted)
        r = self.tp / max(1, self.gold)
        f = 2 * p * r / max(1e-9, p + r)
        leak = self.furniture / max(1, self.units)
        return (
            f"| {label} | {p:.3f} | {r:.3f} | **{f:.3f}** | {leak:.1%} ({self.furniture}/{self.units}) "
            f"| {len(self.low)} | {len(self.silent)} | {self.seconds:.1f} s |"
        )


def ours(html: str, name: str) -> tuple[list[str], bool]:
    from pipeline.errors import InputError
    from pipeline.ingest.extract import extract_html

    try:
        extraction = extract_html(html, name)
    except InputError:
        return [], True  # an error is loud, never silent
    return [b.text for b in extraction.blocks], bool(extraction.warnings)


def trafilatura_units(html: str, name: str) -> tuple[list[str], bool]:
    import trafilatura

    text = trafilatura.extract(html, include_comments=False, include_tables=True) or ""
    return [line for line in text.splitlines() if line.strip()], False


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("pages", type=Path, help="folder of test cases (<name>/source.html + expected.html)")
    ap.add_argument("--all", action="store_true", help="score every case, not only English pages ≥ 20 kB")
    ap.add_argument("--show", action="store_true", help="print per-page recall for both extractors")
    args = ap.parse_args(argv)
    found = args.pages.glob("*/expected.html")
    cases = sorted(p.parent for p in found if (p.parent / "source.html").is_file())
    if not cases:
        print(f"error: {args.pages}: no <name>/source.html + expected.html cases here", file=sys.stderr)
        return 1
    selected = []
    for case in cases:
        gold = gold_text(case)
        if args.all or ((case / "source.html").stat().st_size >= 20_000 and is_english(gold)):
            selected.append((case, gold))
    extractors: dict[str, Callable[[str, str], tuple[list[str], bool]]] = {
        "this project": ours,
        "trafilatura": trafilatura_units,
    }
    scores = {label: Scores() for label in extractors}
    warnings.simplefilter("ignore")
    for case, gold in selected:
        html = (case / "source.html").read_text(encoding="utf-8", errors="replace")
        line = [case.name]
        for label, extract in extractors.items():
            start = time.perf_counter()
            units, warned = extract(html, case.name)
            scores[label].seconds += time.perf_counter() - start
            before = len(scores[label].low)
            scores[label].add(case.name, units, gold, warned)
            verdict = "LOW" if len(scores[label].low) > before else "ok"
            line.append(f"{label}={verdict}{'/warned' if warned else ''}")
        if args.show:
            print(" ".join(line))
    sites = {site_of(c.name) for c, _ in selected}
    print(f"{len(selected)} pages from {len(sites)} sites ({args.pages})\n")
    print("| extractor | shingle P | R | F1 | furniture leaked | pages R < 0.5 | no warning | time |")
    print("|---|---|---|---|---|---|---|---|")
    for label, score in scores.items():
        print(score.row(label))
    for label, score in scores.items():
        if score.low:
            silent = ", ".join(score.silent) or "none"
            print(f"\n{label}: recall < 0.5 on {', '.join(score.low)}; silent: {silent}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
