"""Score ``glossary suggest`` against a hand judgement: precision, recall, and Arabic forms per source.

    python scripts/eval_suggest.py [--corpus tests/data/unseen_news] [--glossary glossary]

The judgement (``judgement.tsv`` in the corpus folder) gives each suggestion a verdict (``name``,
``wrong-span``, ``not-a-name``) and lists the names the suggestions ``missed``; the script fails
when the current suggestions differ from the judged ones, so a judgement never scores another
list. ``arabic_forms.tsv`` holds the form Arabic media write for 20 well-known names: for each
source (curated table, CLDR, GeoNames, transliteration, and the form ``suggest`` puts first), the
number of names it gets exactly right.
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections import Counter
from pathlib import Path

from pipeline.ingest import expand_inputs, load_document
from pipeline.names.arabic_forms import candidates, cldr, curated, geonames
from pipeline.names.glossary import load_glossary
from pipeline.names.suggest import suggest
from pipeline.names.transliterate import transliterate
from pipeline.names.wordlists import FUNCTION_WORDS


def _rows(path: Path) -> list[list[str]]:
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    return list(csv.reader(lines[1:], delimiter="\t", quoting=csv.QUOTE_NONE))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=Path("tests/data/unseen_news"))
    parser.add_argument("--glossary", type=Path, default=Path("glossary"))
    args = parser.parse_args()
    docs = [load_document(p) for p in expand_inputs([args.corpus])]
    found = [c.name for c in suggest(docs, load_glossary(args.glossary))]
    verdicts = {row[0]: row[1] for row in _rows(args.corpus / "judgement.tsv")}
    judged = [name for name, verdict in verdicts.items() if verdict != "missed"]
    if sorted(judged) != sorted(found):
        new, gone = sorted(set(found) - set(judged)), sorted(set(judged) - set(found))
        print(f"judgement is stale: new {new}, gone {gone}")
        return 1
    counts = Counter(verdicts.values())
    words = sum(len(b.text.split()) for d in docs for b in d.blocks)
    right = counts["name"]
    print(f"{len(docs)} articles, {words} words, {len(found)} suggestions")
    print(
        f"precision: {right}/{len(found)} = {right / len(found):.1%} (wrong span {counts['wrong-span']}, "
        f"not a name {counts['not-a-name']})"
    )
    print(f"recall: {right}/{right + counts['missed']} = {right / (right + counts['missed']):.1%}")
    bad = [n for n in found if any(w.casefold() in FUNCTION_WORDS for w in n.split()[:1])]
    print(f"function words or pronouns in the list: {len(bad)} {bad if bad else ''}")
    standard = {row[0]: row[1] for row in _rows(args.corpus / "arabic_forms.tsv")}
    sources = {
        "curated": lambda n: f.form if (f := curated(n)) else "",
        "CLDR": lambda n: f.form if (f := cldr(n)) else "",
        "GeoNames": lambda n: f.form if (f := geonames(n)) else "",
        "transliteration": transliterate,
    }
    sources["suggested (first candidate)"] = lambda n: candidates(n)[0].form
    for label, source in sources.items():
        given = {en: source(en) for en in standard}
        hits = [en for en, form in given.items() if form == standard[en]]
        offered = sum(1 for form in given.values() if form)
        print(f"{label}: {len(hits)}/{len(standard)} right ({offered} offered a form)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
