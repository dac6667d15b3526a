"""How the CLI speaks: errors as one line each on stderr (tracebacks with ``--debug``), notes,
progress lines, and the list of what was written."""

from __future__ import annotations

import os
import sys
import traceback
from collections.abc import Iterable, Sequence
from pathlib import Path

from pipeline.errors import PipelineError

#: More pages than this and the summary names the index instead of every page.
MAX_LISTED_PAGES = 8


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


def progress(message: str) -> None:
    """A phase starting (``loading translation model … for ar``): on stderr, so output stays clean."""
    print(f"{message} …", file=sys.stderr, flush=True)


def shown(path: Path) -> str:
    """A path as the user can type it: relative to the current folder when it is below it."""
    try:
        relative = Path(os.path.relpath(path))
    except ValueError:  # another drive (Windows)
        return str(path)
    return str(path) if relative.parts[:1] == ("..",) else str(relative)


def written_summary(written: Sequence[Path], out: Path | None) -> str:
    """``11 files written: 2 PO files, 2 templates, 7 pages, indexes and fonts in build``."""
    po = sum(1 for p in written if p.suffix == ".po")
    pages = 0 if out is None else sum(1 for p in written if _under(p, out))
    templates = len(written) - po - pages
    parts = [f"{po} PO file(s)"]
    if templates:
        parts.append(f"{templates} template(s)")
    if out is not None:
        parts.append(f"{pages} page(s), indexes and fonts in {shown(out)}")
    return f"{len(written)} file(s) written: {', '.join(parts)}"


def _under(path: Path, folder: Path) -> bool:
    try:
        path.resolve().relative_to(folder.resolve())
    except ValueError:
        return False
    return True


def page_lines(pages: Sequence[Path], index: Path | None) -> list[str]:
    """The pages to open: each one, or the index when there are many."""
    if not pages:
        return []
    if len(pages) > MAX_LISTED_PAGES and index is not None:
        return [f"{len(pages)} pages; open the index: {shown(index)}"]
    lines = ["pages:", *(f"  {shown(p)}" for p in pages)]
    return lines + ([f"index: {shown(index)}"] if index is not None else [])
