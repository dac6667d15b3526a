"""Article extraction against gold text on real saved news pages: ours and trafilatura's, side by side.

The pages are not in this repository (they are other people's pages). Two public suites are read,
each in its own layout (the script tells them apart by what the folder holds):

- mozilla/readability's ``test/test-pages/`` (Apache-2.0): one folder per page holding
  ``source.html`` (the saved page), ``expected.html`` (the article, hand-checked) and optionally
  ``expected-metadata.json`` (title and byline);
- scrapinghub/article-extraction-benchmark (MIT): ``html/<id>.html.gz`` pages and
  ``ground-truth.json`` with each page's ``articleBody`` (body text only: no headline, byline or
  captions)::

    python scripts/bench_extract.py ~/.cache/newsroom-bench/readability/test/test-pages
    python scripts/bench_extract.py ~/.cache/newsroom-bench/article-extraction-benchmark

Only English pages are scored, and for readability only pages of at least 20 kB (its small
synthetic cases test parser corner cases, not article finding); ``--all`` scores every page.

**Like for like.** The two tools return different things: trafilatura returns the title and
author as *metadata*, apart from the body text it extracts; we return the headline and byline as
blocks, with section labels and photo captions. And the gold texts hold different things: in
readability's suite, ``expected.html`` is the body with its figure captions (on 21 of the 75
pages) and quotes, and ``expected-metadata.json`` holds the title (all 75; ``expected.html``
repeats it on 6, so a title it already holds is not added twice) and the byline (58, 11 of them
also in the body); no section labels. scrapinghub's ``articleBody`` is the body alone: no
headline, byline, caption or section label. So the rows the done-criterion reads compare the
same fields for both tools, suite by suite:

- readability: our headline, byline, caption, paragraph, subheading and quote blocks (no section
  labels) against trafilatura's body text *plus its metadata's title and author*;
- scrapinghub: our paragraph, subheading and quote blocks against trafilatura's body text.

A kind is left out only where the suite's gold defines it out, for both tools alike (trafilatura
labels no captions, so a caption in its body counts as its body). The strict rows stay printed
below them, so nothing is hidden: *every block* of ours and trafilatura's *body only* against the
same gold text, and ours with *kept-on-purpose kinds neutral* (a headline, label, byline or
caption block's words count when the gold has them and are not counted against precision, or as
furniture, when it has not). Our kept-on-purpose blocks are also counted on their own: how many,
and how many of them the gold text holds.

Figures, per extractor, over the same pages:

- 4-word-shingle precision / recall / F1 of the extracted text against the gold text (micro-averaged
  over pages; the metric of the article-extraction benchmarks);
- furniture leaked: the share of extracted blocks (ours) or lines (trafilatura) with less than half
  of their words in the gold text, i.e. menus, share bars, "related stories" put into the article;
- pages whose recall is below 0.5, and how many of those raised no warning (silent loss).

``--show`` prints each page's like-for-like precision and recall for both tools and our leaked
blocks (every kind, with its kind), which is where to look for the next fix.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
import time
import warnings
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

_WORD = re.compile(r"\w+", re.UNICODE)
_EN_STOP = frozenset({"the", "of", "and", "to", "a", "in", "is", "that", "for", "it", "was", "on", "with"})
#: Block kinds we keep on purpose that the gold texts mostly omit (scored apart, see above).
EXTRA_KINDS = frozenset({"headline", "section", "byline", "caption"})


def words(text: str) -> list[str]:
    return [w.casefold() for w in _WORD.findall(text)]


def shingles(tokens: list[str], n: int = 4) -> Counter[tuple[str, ...]]:
    if len(tokens) < n:
        return Counter([tuple(tokens)]) if tokens else Counter()
    return Counter(tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1))


def is_english(text: str) -> bool:
    tokens = words(text)
    return len(tokens) > 50 and sum(t in _EN_STOP for t in tokens) / len(tokens) >= 0.12


@dataclass
class Case:
    """One saved page: its name, site, HTML, the gold body, and the gold metadata (title, byline)."""

    name: str
    site: str
    html: str
    body: str
    meta: str = ""


@dataclass(frozen=True)
class Suite:
    """A suite's pages and what its gold text holds, for the like-for-like rows (see above).

    ``kinds``: the kinds of our blocks that the gold text scores; ``metadata``: the fields of
    trafilatura's metadata that the gold text holds (it returns them apart from its body text).
    """

    name: str
    cases: list[Case]
    kinds: frozenset[str]
    metadata: tuple[str, ...]


#: readability's gold: ``expected.html`` (the body, with its figure captions and quotes) plus
#: ``expected-metadata.json``'s title and byline. No section labels (kickers) in either.
READABILITY_KINDS = frozenset({"headline", "byline", "caption", "paragraph", "subheading", "quote"})
#: scrapinghub's gold: ``articleBody`` alone: no headline, byline, caption or section label.
SCRAPINGHUB_KINDS = frozenset({"paragraph", "subheading", "quote"})


def readability_cases(folder: Path, everything: bool) -> Iterator[Case]:
    from bs4 import BeautifulSoup

    for expected in sorted(folder.glob("*/expected.html")):
        case = expected.parent
        source = case / "source.html"
        if not source.is_file():
            continue
        soup = BeautifulSoup(expected.read_text(encoding="utf-8"), "html.parser")
        body = soup.get_text(" ")
        meta_file = case / "expected-metadata.json"
        meta = ""
        if meta_file.is_file():
            data = json.loads(meta_file.read_text(encoding="utf-8"))
            meta = metadata_text(body, [str(data.get("title") or ""), str(data.get("byline") or "")])
        if everything or (source.stat().st_size >= 20_000 and is_english(f"{meta}\n{body}")):
            html = source.read_text(encoding="utf-8", errors="replace")
            yield Case(case.name, re.split(r"[-_]", case.name)[0], html, body, meta)


def scrapinghub_cases(folder: Path, everything: bool) -> Iterator[Case]:
    truth = json.loads((folder / "ground-truth.json").read_text(encoding="utf-8"))
    for key, item in sorted(truth.items()):
        page = folder / "html" / f"{key}.html.gz"
        if not page.is_file():
            continue
        body = str(item.get("articleBody") or "")
        if everything or is_english(body):
            html = gzip.decompress(page.read_bytes()).decode("utf-8", errors="replace")
            site = urlparse(str(item.get("url") or "")).netloc.removeprefix("www.")
            yield Case(f"{site}/{key[:8]}", site, html, body)


def metadata_text(body: str, fields: list[str]) -> str:
    """The gold metadata fields that ``expected.html`` does not already hold (on 6 of the 75
    pages it repeats the title, and a title counted twice would cost every extractor recall)."""
    text = f" {' '.join(words(body))} "
    return "\n".join(f for f in fields if words(f) and f" {' '.join(words(f))} " not in text)


def load_cases(folder: Path, everything: bool) -> Suite:
    if (folder / "ground-truth.json").is_file():
        cases = list(scrapinghub_cases(folder, everything))
        return Suite("scrapinghub/article-extraction-benchmark", cases, SCRAPINGHUB_KINDS, ())
    cases = list(readability_cases(folder, everything))
    return Suite("mozilla/readability test-pages", cases, READABILITY_KINDS, ("title", "author"))


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

    def add(
        self, name: str, units: list[str], gold: str, warned: bool, neutral: list[str] | None = None
    ) -> tuple[float, float, list[str]]:
        """Score one page; returns its precision, recall and the units that leaked.

        ``neutral``: units (our kept-on-purpose kinds, also in ``units``) whose shingles count
        when the gold text has them and are not counted as extracted when it has not; they are
        left out of the furniture count.
        """
        gold_tokens = words(gold)
        got, want = shingles(words(" ".join(units))), shingles(gold_tokens)
        tp = sum((got & want).values())
        extracted = sum(got.values())
        if neutral:
            extracted -= sum((shingles(words(" ".join(neutral))) - want).values())
        self.tp += tp
        self.extracted += extracted
        self.gold += sum(want.values())
        aside = set(neutral or ())
        scored = [u for u in units if words(u) and u not in aside]
        leaked = [u for u in scored if is_furniture(u, set(gold_tokens))]
        self.units += len(scored)
        self.furniture += len(leaked)
        recall = tp / max(1, sum(want.values()))
        if recall < 0.5:
            self.low.append(name)
            if not warned:
                self.silent.append(name)
        return tp / max(1, extracted), recall, leaked

    def figures(self) -> tuple[float, float, float]:
        p = self.tp / max(1, self.extracted)
        r = self.tp / max(1, self.gold)
        return p, r, 2 * p * r / max(1e-9, p + r)

    def row(self, label: str) -> str:
        p, r, f = self.figures()
        leak = self.furniture / max(1, self.units)
        return (
            f"| {label} | {p:.3f} | {r:.3f} | **{f:.3f}** | {leak:.1%} ({self.furniture}/{self.units}) "
            f"| {len(self.low)} | {len(self.silent)} | {self.seconds:.1f} s |"
        )


def is_furniture(unit: str, vocabulary: set[str]) -> bool:
    tokens = words(unit)
    return sum(t in vocabulary for t in tokens) * 2 < len(tokens)


@dataclass
class Extracted:
    """One extractor's output on a page: (kind, text) units, and whether it warned."""

    units: list[tuple[str, str]]
    warned: bool


def ours(html: str, name: str) -> Extracted:
    from pipeline.errors import InputError
    from pipeline.ingest.extract import extract_html

    try:
        extraction = extract_html(html, name)
    except InputError:
        return Extracted([], True)  # an error is loud, never silent
    return Extracted([(b.kind, b.text) for b in extraction.blocks], bool(extraction.warnings))


def trafilatura_units(html: str, name: str) -> Extracted:
    """trafilatura as a user runs it: its XML output's paragraphs (its plain text breaks lines
    inside a paragraph where the page's source did, which would count one paragraph as several),
    then its metadata's title and author as units of kind ``title`` and ``author`` (the body is
    the same with or without metadata: only ``<doc>``'s attributes are added)."""
    import trafilatura
    from lxml import etree  # type: ignore[import-untyped]

    from pipeline.ingest.extract import engine_paragraphs

    xml = trafilatura.extract(
        html, include_comments=False, include_tables=True, output_format="xml", with_metadata=True
    )
    units: list[tuple[str, str]] = [("paragraph", p) for p in engine_paragraphs(xml or "")]
    if xml:
        root = etree.fromstring(xml.encode("utf-8"), etree.XMLParser(recover=True, huge_tree=True))
        for kind in ("title", "author"):
            value = " ".join(str(root.get(kind) or "").split()) if root is not None else ""
            if value:
                units.append((kind, value))
    return Extracted(units, False)


def like_for_like(units: list[tuple[str, str]], kinds: frozenset[str] | tuple[str, ...]) -> list[str]:
    """The units of the kinds the gold text holds (our blocks, or trafilatura's body + metadata)."""
    return [text for kind, text in units if kind in kinds]


@dataclass
class Extras:
    """Our kept-on-purpose blocks (headlines, labels, bylines, captions): how many the gold holds."""

    blocks: int = 0
    in_gold: int = 0

    def add(self, units: list[tuple[str, str]], gold: str) -> None:
        vocabulary = set(words(gold))
        for kind, text in units:
            if kind in EXTRA_KINDS and words(text):
                self.blocks += 1
                self.in_gold += not is_furniture(text, vocabulary)


@dataclass
class Table:
    """The rows, each over the same pages: like for like first (the done-criterion), then strict."""

    ours_same: Scores = field(default_factory=Scores)
    theirs_same: Scores = field(default_factory=Scores)
    ours_all: Scores = field(default_factory=Scores)
    ours_neutral: Scores = field(default_factory=Scores)
    theirs_body: Scores = field(default_factory=Scores)
    extras: Extras = field(default_factory=Extras)

    def score(self, suite: Suite, case: Case, mine: Extracted, other: Extracted) -> list[str]:
        """Score one page in every row; returns its ``--show`` lines."""
        gold = f"{case.meta}\n{case.body}"
        all_text = [t for _, t in mine.units]
        extra_text = [t for k, t in mine.units if k in EXTRA_KINDS]
        body = like_for_like(other.units, ("paragraph",))
        theirs = like_for_like(other.units, ("paragraph", *suite.metadata))
        same = like_for_like(mine.units, suite.kinds)
        p0, r0, _ = self.ours_same.add(case.name, same, gold, mine.warned)
        p1, r1, _ = self.theirs_same.add(case.name, theirs, gold, other.warned)
        _, _, leaked = self.ours_all.add(case.name, all_text, gold, mine.warned)
        self.ours_neutral.add(case.name, all_text, gold, mine.warned, neutral=extra_text)
        self.theirs_body.add(case.name, body, gold, other.warned)
        self.extras.add(mine.units, gold)
        flag = "  LOW" if r0 < 0.5 else ""
        warned = " (warned)" if mine.warned else ""
        lines = [f"{case.name}: ours P {p0:.2f} R {r0:.2f} | trafilatura P {p1:.2f} R {r1:.2f}{flag}{warned}"]
        kinds = dict((t, k) for k, t in mine.units)
        lines += [f"    leaked {kinds.get(unit, '?')}: {unit[:110]}" for unit in leaked]
        return lines

    def verdict(self) -> str:
        """The issue's done-criterion on the like-for-like rows, with the figures unrounded."""
        ours, theirs = self.ours_same, self.theirs_same
        f_ours, f_theirs = ours.figures()[2], theirs.figures()[2]
        leak_ours = ours.furniture / max(1, ours.units)
        leak_theirs = theirs.furniture / max(1, theirs.units)
        met = f_ours >= f_theirs and leak_ours <= leak_theirs and not ours.silent
        return (
            f"done-criterion (like for like): F1 {f_ours:.4f} vs {f_theirs:.4f}, furniture "
            f"{leak_ours:.2%} vs {leak_theirs:.2%}, {len(ours.silent)} page(s) below 0.5 recall "
            f"without a warning: {'met' if met else 'NOT met'}"
        )

    def print(self, version: str, suite: Suite) -> None:
        kept = ", ".join(sorted(suite.kinds))
        meta = " + its " + "/".join(suite.metadata) if suite.metadata else ""
        print("| extractor | shingle P | R | F1 | furniture leaked | pages R < 0.5 | no warning | time |")
        print("|---|---|---|---|---|---|---|---|")
        print(self.ours_same.row(f"like for like: this project, blocks the gold scores ({kept})"))
        print(self.theirs_same.row(f"like for like: trafilatura {version}, body{meta}"))
        print(self.ours_all.row("strict: this project, every block"))
        print(self.ours_neutral.row("this project, kept-on-purpose kinds neutral"))
        print(self.theirs_body.row(f"strict: trafilatura {version}, body only"))
        share = self.extras.in_gold / max(1, self.extras.blocks)
        print(
            f"\nkept on purpose (headlines, section labels, bylines, captions): {self.extras.blocks} blocks, "
            f"{self.extras.in_gold} ({share:.0%}) of them in the gold text"
        )
        print(self.verdict())
        for label, score in (("this project", self.ours_same), ("trafilatura", self.theirs_same)):
            if score.low:
                silent = ", ".join(score.silent) or "none"
                print(f"{label}: recall < 0.5 on {', '.join(score.low)}; silent: {silent}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument(
        "pages", type=Path, help="a readability test-pages folder or a scrapinghub benchmark folder"
    )
    ap.add_argument("--all", action="store_true", help="score every case, not only English pages (≥ 20 kB)")
    ap.add_argument("--show", action="store_true", help="per-page precision/recall and our leaked blocks")
    args = ap.parse_args(argv)
    suite = load_cases(args.pages, args.all)
    if not suite.cases:
        print(f"error: {args.pages}: no test cases here (see the script's docstring)", file=sys.stderr)
        return 1
    table = Table()
    warnings.simplefilter("ignore")
    for case in suite.cases:
        start = time.perf_counter()
        mine = ours(case.html, case.name)
        middle = time.perf_counter()
        other = trafilatura_units(case.html, case.name)
        end = time.perf_counter()
        for score in (table.ours_same, table.ours_all, table.ours_neutral):
            score.seconds += middle - start
        table.theirs_same.seconds += end - middle
        table.theirs_body.seconds += end - middle
        lines = table.score(suite, case, mine, other)
        if args.show:
            print("\n".join(lines))
    sites = {c.site for c in suite.cases}
    print(f"\n{suite.name}: {len(suite.cases)} pages from {len(sites)} sites ({args.pages})\n")
    table.print(_version(), suite)
    return 0


def _version() -> str:
    from importlib.metadata import version

    return version("trafilatura")


if __name__ == "__main__":
    sys.exit(main())
