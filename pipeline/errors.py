"""Errors a user can act on.

Every error the CLI reports is a :class:`PipelineError`: it carries the file and line so the
message fits on one line (``path:line: message``) and the CLI can print it without a traceback.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f\u0085\u2028\u2029]")


def _located(message: str, path: str | None, line: int | None) -> str:
    where = ""
    if path:
        # A file name with a line break must not split the one-line message: escape it.
        path = _UNPRINTABLE.sub(lambda m: ascii(m.group(0))[1:-1], path)
        where = f"{path}:{line}: " if line else f"{path}: "
    return f"{where}{message}"


class PipelineError(Exception):
    """An error caused by input or environment, reported as one line, never a traceback."""

    def __init__(self, message: str, path: str | Path | None = None, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.path = str(path) if path is not None else None
        self.line = line

    def __str__(self) -> str:
        return _located(self.message, self.path, self.line)


@dataclass(frozen=True)
class PipelineWarning:
    """Something the run did that the user must know about but that is no error: article text
    dropped as a page footer, little text found on a page, a symbolic link not followed, an emptied
    PO file written anew. Never raised; reported as ``warning: FILE:LINE: message``."""

    message: str
    path: str | None = None
    line: int | None = None

    def __str__(self) -> str:
        return _located(self.message, self.path, self.line)


class InputError(PipelineError):
    """An article that cannot be read or parsed."""


class GlossaryError(PipelineError):
    """A glossary file that is malformed."""


class CatalogError(PipelineError):
    """A PO file that cannot be read; the file is never rewritten when this is raised."""


class ModelError(PipelineError):
    """A translation model that cannot be loaded or used."""


class PageTemplateError(PipelineError):
    """A page template (shipped, or the newsroom's ``--templates``) that cannot be compiled or rendered."""
