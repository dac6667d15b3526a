"""Build a MarianMT model with random weights, for tests and offline dry runs.

    python scripts/make_tiny_model.py models/tiny-en-ar
    python scripts/make_tiny_model.py models/fake-opus-en-ar --size real \\
        --config /work/shared/models/opus-mt-en-ar.config.json

The output translates nonsense, but loads and runs exactly like a real opus-mt folder
(``--model models/tiny-en-ar``), so the pipeline can be exercised where no model can be downloaded.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

try:
    from pipeline.errors import PipelineError
    from pipeline.testing.tiny_model import build_marian_model
except ModuleNotFoundError:  # run from a checkout without `pip install -e .`
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from pipeline.errors import PipelineError
    from pipeline.testing.tiny_model import build_marian_model


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out_dir", help="folder to write the model to (created if missing)")
    parser.add_argument("--targets", default="ar", help="comma-separated target languages (default: ar)")
    parser.add_argument("--seed", type=int, default=0, help="seed for the random weights (default: 0)")
    parser.add_argument(
        "--size", choices=("tiny", "real"), default="tiny", help="tiny toy model or the real model's shapes"
    )
    parser.add_argument("--config", help="the real model's config.json (required with --size real)")
    args = parser.parse_args(argv)

    targets = tuple(t.strip() for t in args.targets.split(",") if t.strip())
    start = time.perf_counter()
    try:
        out = build_marian_model(
            args.out_dir, targets=targets, seed=args.seed, size=args.size, config_path=args.config
        )
    except PipelineError as exc:
        print(f"make_tiny_model: {exc}", file=sys.stderr)
        return 1
    elapsed = time.perf_counter() - start
    print(f"wrote {args.size} Marian model ({', '.join(targets)}) to {out} in {elapsed:.1f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
