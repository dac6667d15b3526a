"""Score a translation model through the pipeline: BLEU and chrF (sacrebleu), glossary accuracy, QA rates.

    python scripts/evaluate.py --model models/opus-mt-en-ar \\
        --testset ../shared/eval/flores200-devtest.eng-arb.tsv [--limit 200] [--backend ctranslate2]

Sentences go through the same glossary protection and backend as ``python -m pipeline translate``.
Glossary accuracy is measured on a name-dense corpus (``--names``; by default tests/data/name_dense.txt
when present, one segment per line), since FLORES has almost none of the newsroom's names.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
try:
    from pipeline.errors import PipelineError
except ModuleNotFoundError:  # run from a checkout without `pip install -e .`
    sys.path.insert(0, str(ROOT))
    from pipeline.errors import PipelineError


def default_names_corpus() -> Path | None:
    for candidate in (ROOT / "tests" / "data" / "name_dense.txt", ROOT / "articles" / "sample-article.txt"):
        if candidate.is_file():
            return candidate
    return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", help="local model folder or hub id (default: the registry's model)")
    parser.add_argument("--backend", default="transformers", help="transformers (default) or ctranslate2")
    parser.add_argument("--testset", type=Path, required=True, help="TSV with a header naming the columns")
    parser.add_argument("--src", default="en", help="source column (default: en)")
    parser.add_argument("--lang", default="ar", help="target language and column (default: ar)")
    parser.add_argument("--limit", type=int, help="only the first N sentences")
    parser.add_argument("--beams", type=int, default=4, help="beam size (default: 4)")
    parser.add_argument("--glossary", type=Path, default=ROOT / "glossary", help="glossary folder or file")
    parser.add_argument("--names", type=Path, help="name-dense article for glossary accuracy")
    parser.add_argument("--no-names", action="store_true", help="skip the glossary-accuracy corpus")
    parser.add_argument("--debug", action="store_true", help="show tracebacks")
    args = parser.parse_args(argv)

    from pipeline.evaluation import evaluate, format_report, read_testset
    from pipeline.mt.factory import load_backend
    from pipeline.names.glossary import load_glossary

    try:
        testset = read_testset(args.testset, args.src, args.lang, args.limit)
        glossary = load_glossary(args.glossary)
        backend = load_backend(args.backend, args.model, args.lang, num_beams=args.beams, progress=False)
        names = None if args.no_names else (args.names or default_names_corpus())
        result = evaluate(testset, backend, glossary, args.lang, names)
    except PipelineError as exc:
        if args.debug:
            raise
        print(f"error: {exc}", file=sys.stderr)
        return 1
    label = f"{args.model or 'default'} ({args.backend}, beams {args.beams})"
    print(format_report(result, model=label, testset=args.testset))
    return 0


if __name__ == "__main__":
    sys.exit(main())
