"""Do number and date masks change what the model does with the rest of the sentence? (issue 16)

For each sentence holding numbers or dates, three translations per backend, names protected in all:

* ``plain``: numbers and dates left to the model (``--no-protect numbers --no-protect dates``);
* ``masked``: numbers and dates protected (placeholders, then rendered from CLDR);
* ``perturbed``: left to the model, but with every digit of the source changed (2% → 3%): how much
  the rest of the output moves when only a figure changes, the baseline a mask should stay near.

"The rest" is the output with every digit, placeholder, rendered figure and month name removed. The
table gives chrF (sacrebleu, β=2) of the rest of ``masked`` and of ``perturbed`` against the rest of
``plain``, the share of sentences whose rest is identical, and the length ratio masked/plain. With a
random-weight model the outputs are noise, so this measures disturbance, not quality: a mask that
disturbs no more than a changed digit does, does not degrade the sentence by being a mask.

    python scripts/measure_masks.py                    # tiny model built here + every fake
    python scripts/measure_masks.py --model models/opus-mt-en-ar --n 200
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from babel import Locale  # noqa: E402

from pipeline.language import DIGIT_CLASS  # noqa: E402
from pipeline.mt.base import Backend  # noqa: E402
from pipeline.names.glossary import load_glossary  # noqa: E402
from pipeline.names.protection import PLACEHOLDER, protect, translate_protected  # noqa: E402
from pipeline.names.quantities import MONTHS, find_quantities  # noqa: E402
from pipeline.names.style import load_style, quantity_matches  # noqa: E402
from pipeline.segment import segment_document  # noqa: E402
from pipeline.testing.faults import FAKES, make_fake  # noqa: E402

FLORES_NAME = "flores200-devtest.eng-arb.tsv"
FLORES_PLACES = (ROOT.parent / "shared" / "eval", Path("/work/shared/eval"))
FLORES = next(
    (p / FLORES_NAME for p in FLORES_PLACES if (p / FLORES_NAME).exists()), FLORES_PLACES[0] / FLORES_NAME
)
#: Month names a model or a rendering may write, removed from "the rest" with the digits.
_MONTH_NAMES = sorted(
    {
        name
        for code in ("ar", "ar_IQ", "ar_EG", "fr", "he")
        for name in Locale.parse(code).months["format"]["wide"].values()
    }
    | set(MONTHS),
    key=len,
    reverse=True,
)
_SHIFT = str.maketrans("0123456789", "1234567890")


def sentences(limit: int, flores: Path = FLORES) -> list[str]:
    """The sample article's sentences with figures, then FLORES-200 devtest's (the shipped subset
    when the shared copy is not there)."""
    from pipeline.ingest import load_document

    found = [s.text for s in segment_document(load_document(ROOT / "articles" / "sample-article.txt"))]
    source = flores if flores.exists() else ROOT / "tests" / "data" / "flores_numbers.tsv"
    for line in source.read_text(encoding="utf-8").splitlines()[1:]:
        if not line.startswith("#") and "\t" in line:
            found.append(line.split("\t")[3 if source == flores else 1])
    return [s for s in dict.fromkeys(found) if find_quantities(s)][:limit]


def rest(text: str, figures: list[str]) -> str:
    """The output less what the figures are: placeholders, rendered forms, digits, month names."""
    for form in sorted(figures, key=len, reverse=True):
        text = text.replace(form, " ")
    text = PLACEHOLDER.sub(" ", text)
    text = re.sub(r"\b(?:per\s?cent|percent)\b|[%٪]", " ", text)
    text = re.sub(rf"[{DIGIT_CLASS}]+(?:[.,٫٬/–-][{DIGIT_CLASS}]+)*(?:st|nd|rd|th|er|e)?\b", " ", text)
    text = re.sub("(?:" + "|".join(map(re.escape, _MONTH_NAMES)) + r")\.?", " ", text)
    return " ".join(text.replace(" of ", " ").split())


def run(backend: Backend, texts: list[str], lang: str, glossary_dir: Path) -> dict[str, float]:
    from sacrebleu.metrics import CHRF

    glossary, style = load_glossary(glossary_dir), load_style(glossary_dir)
    off = style.without({"number", "date"})
    masked_items = [protect(t, glossary, extra=quantity_matches(t, lang, style)) for t in texts]
    plain_items = [protect(t, glossary, extra=quantity_matches(t, lang, off)) for t in texts]
    perturbed_items = [protect(t.translate(_SHIFT), glossary) for t in texts]
    outputs = {
        name: [r.text for r in translate_protected(backend, items, lang, glossary=glossary)]
        for name, items in (("plain", plain_items), ("masked", masked_items), ("perturbed", perturbed_items))
    }
    # What each figure is on either side: its rendering (masked) and its English spelling (plain,
    # which a model may copy): both are removed, with digits and month names, to leave the rest.
    forms = [
        [f for s in item.slots if s.kind != "name" for f in (s.form(lang), s.source)] for item in masked_items
    ]
    rests = {name: [rest(o, f) for o, f in zip(outs, forms, strict=True)] for name, outs in outputs.items()}
    chrf = CHRF()
    plain = rests["plain"]
    return {
        "sentences": len(texts),
        "figures": sum(len(f) for f in forms) // 2,
        "chrF masked": chrf.corpus_score(rests["masked"], [plain]).score,
        "chrF perturbed": chrf.corpus_score(rests["perturbed"], [plain]).score,
        "identical masked": 100
        * sum(a == b for a, b in zip(rests["masked"], plain, strict=True))
        / len(texts),
        "identical perturbed": 100
        * sum(a == b for a, b in zip(rests["perturbed"], plain, strict=True))
        / len(texts),
        "length masked/plain": sum(map(len, outputs["masked"])) / max(1, sum(map(len, outputs["plain"]))),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--model", help="Marian model folder or hub id (default: a tiny model built here)")
    parser.add_argument("--n", type=int, default=60, help="sentences with figures (default 60)")
    parser.add_argument("--lang", default="ar")
    parser.add_argument("--glossary", type=Path, default=ROOT / "glossary")
    parser.add_argument("--no-fakes", action="store_true")
    parser.add_argument(
        "--flores", type=Path, default=FLORES, help="FLORES-200 devtest TSV (id, domain, url, en, ar)"
    )
    args = parser.parse_args(argv)
    texts = sentences(args.n, args.flores)
    backends: list[tuple[str, Backend]] = []
    with tempfile.TemporaryDirectory() as tmp:
        model = args.model
        if model is None:
            from pipeline.testing.tiny_model import build_marian_model

            model = str(build_marian_model(Path(tmp) / "tiny", targets=("ar", "fr", "he"), seed=0))
        from pipeline.mt.marian import MarianBackend

        backends.append((f"transformers {Path(model).name}", MarianBackend(model, lang=args.lang)))
        if not args.no_fakes:
            backends += [(name, make_fake(name)) for name in sorted(FAKES)]
        header = None
        for label, backend in backends:
            scores = run(backend, texts, args.lang, args.glossary)
            if header is None:
                header = ["backend", *scores]
                print(" | ".join(header))
                print(" | ".join("---" for _ in header))
            print(
                " | ".join(
                    [label, *(f"{v:.1f}" if isinstance(v, float) else str(v) for v in scores.values())]
                )
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
