"""Command line: a thin layer over :mod:`pipeline.api`, adding printing and exit codes only.

Every user-facing failure is a :class:`~pipeline.errors.PipelineError` printed as one line
``error: FILE:LINE: message``; ``--debug`` shows the traceback instead. Exit codes: 0 success,
1 nothing could be done, 2 a batch finished with some bad files (or some languages failed).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from pipeline import api
from pipeline.cli.parser import build_parser
from pipeline.errors import PipelineError

__all__ = ["build_parser", "main"]


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        # Every command but ``init`` reads the project file first: a bad one is one error line.
        args.settings = api.load_project(args.project) if getattr(args, "needs_project", True) else None
        code: int = args.func(args)
    except PipelineError as exc:
        if args.debug:
            raise
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted; files already written are complete, re-run to finish", file=sys.stderr)
        return 130
    return code
