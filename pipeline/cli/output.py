"""How the CLI speaks: errors as one line each on stderr (tracebacks with ``--debug``), notes."""

from __future__ import annotations

import sys
import traceback
from collections.abc import Iterable

from pipeline.errors import PipelineError


def print_errors(errors: Iterable[PipelineError], *, debug: bool = False) -> None:
    """The batch's skipped files, one ``error: FILE:LINE: message`` line each."""
    for error in errors:
        if debug:
            traceback.print_exception(error, file=sys.stderr)
        print(f"error: {error}", file=sys.stderr)


def note(message: str) -> None:
    """A one-line note from the run (a stale lock taken over, leftovers removed)."""
    print(f"note: {message}", file=sys.stderr)


def warn(message: str) -> None:
    print(f"warning: {message}", file=sys.stderr)
