"""Where articles come from: the files and folders a user names, read into :class:`Document` s.

This is ingest's I/O edge; the parsers behind it take strings and never touch the file system.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Protocol

from pipeline.compact import PathList, path_order
from pipeline.errors import InputError, PipelineWarning
from pipeline.ingest.anchors import anchor_blocks
from pipeline.ingest.boilerplate import footer_content
from pipeline.ingest.decode import decode_article, read_article_bytes
from pipeline.ingest.extract import extract_html
from pipeline.ingest.html import parse_html
from pipeline.ingest.markdown import parse_markdown
from pipeline.ingest.model import Block, Document, Format
from pipeline.ingest.plaintext import parse_text
from pipeline.ingest.sniff import ARTICLE_SUFFIXES, detect_format, slugify


class Parser(Protocol):
    """A string in, blocks out; the comment footer's blocks, if one was cut, into ``dropped``."""

    def __call__(
        self, text: str, path: str | Path | None = ..., *, dropped: list[Block] | None = ...
    ) -> list[Block]: ...


#: One parser per format.
PARSERS: dict[Format, Parser] = {
    "text": parse_text,
    "markdown": parse_markdown,
    "html": parse_html,
}


#: Characters a file name must not have: they would break the ``#:`` line of every PO entry
#: (gettext reads a line break there as the end of the comment) and the one-line error format.
_CONTROL = re.compile(r"[\x00-\x1f\x7f\u0085\u2028\u2029]")


def expand_inputs(inputs: Sequence[str | Path], warnings: list[PipelineWarning] | None = None) -> PathList:
    """Files as given; folders walked for article files, in a stable order (``Path``'s).

    A symbolic link inside a folder that leads out of it (to another desk's drafts, or ``/etc``)
    is not followed: the link is named in ``warnings`` (or an error without that list), so
    nobody publishes a file they did not put in the folder. Links within the folder are read.
    A :class:`~pipeline.compact.PathList`, sorted as text: an archive's files are a few bytes
    each for the whole run, not a ``Path`` object each.
    """
    paths = PathList()
    for item in inputs:
        path = Path(item)
        if path.is_dir():
            found = sorted(_article_files(path, warnings), key=path_order)
            if not found:
                raise InputError(f"no article files ({', '.join(ARTICLE_SUFFIXES)}) in this folder", path)
            paths.extend(found)
        else:
            paths.append(path)
    return paths


def _article_files(folder: Path, warnings: list[PipelineWarning] | None) -> Iterator[str]:
    """The article files under ``folder``, as text, in no particular order. ``os.walk`` rather than
    ``Path.rglob``, which keeps a set of every ``Path`` it yielded (16 MB at 20,000 articles, the
    largest allocation of an archive run); like rglob, linked folders are not walked into (one
    leading out of ``folder`` is reported by :func:`_inside`)."""
    for top, folders, files in os.walk(folder):
        for name in sorted(folders):  # sorted: warnings in a stable order
            entry = Path(top, name)
            if entry.is_symlink():
                _inside(entry, folder, warnings)
        for name in sorted(files):
            if os.path.splitext(name)[1].lower() not in ARTICLE_SUFFIXES:
                continue
            entry = Path(top, name)
            if _inside(entry, folder, warnings) and entry.is_file():
                yield str(entry)


def _inside(entry: Path, folder: Path, warnings: list[PipelineWarning] | None) -> bool:
    if not entry.is_symlink():
        return True
    target = entry.resolve()
    if target.is_relative_to(folder.resolve()):
        return True
    message = f"symbolic link to {target}, outside {folder}; not followed"
    if warnings is None:
        raise InputError(message, entry)
    warnings.append(PipelineWarning(message, str(entry)))
    return False


def load_document(path: str | Path) -> Document:
    """Read an article file and parse it into blocks.

    Raises :class:`InputError` with a one-line, actionable message for anything the user can fix:
    the file is missing, a directory, unreadable, binary, not UTF-8, empty, or has nothing left to
    translate once page furniture is dropped.
    """
    p = Path(path)
    if _CONTROL.search(str(p)):
        raise InputError(
            "the file name has a line break or control character, which PO files cannot reference; "
            "rename the file",
            p,
        )
    text = decode_article(read_article_bytes(p), p)
    fmt = detect_format(p, text)
    dropped: list[Block] = []
    if fmt == "html":
        extraction = extract_html(text, p, dropped=dropped)
        blocks, notes = anchor_blocks(text, extraction.blocks), extraction.warnings
    else:
        blocks = PARSERS[fmt](text, p, dropped=dropped)
        notes = [] if any(b.kind == "headline" for b in blocks) else ["no headline found"]
    if not blocks:
        raise InputError(
            "no translatable content: after dropping page furniture (comment boxes, share links, "
            "footers) nothing is left to translate; check that this is the article file",
            p,
        )
    warnings = [PipelineWarning(note, str(p)) for note in notes] + footer_warnings(p, dropped)
    original = text if fmt == "html" else ""
    return Document(path=p, slug=slugify(p), format=fmt, blocks=blocks, warnings=warnings, original=original)


def footer_warnings(path: Path, dropped: Sequence[Block]) -> list[PipelineWarning]:
    """One warning when the comment-footer cut dropped text that is not furniture itself: the
    opener's line, how much went, and the start of it, so an editor can tell a footer from a
    subheading the detector mistook for one."""
    lost = footer_content(list(dropped))
    if not lost:
        return []
    opener, preview = dropped[0], lost[0].text
    preview = preview if len(preview) <= 60 else preview[:57] + "..."
    return [
        PipelineWarning(
            f"dropped {len(lost)} block(s) after {opener.text[:40]!r}, taken for the comment footer "
            f"(lines {lost[0].line}-{lost[-1].line}, from {preview!r}); if that is article text, "
            "reword or remove the line",
            str(path),
            opener.line,
        )
    ]
