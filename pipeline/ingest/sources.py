"""Where articles come from: the files and folders a user names, read into :class:`Document` s.

This is ingest's I/O edge; the parsers behind it take strings and never touch the file system.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from pipeline.errors import InputError
from pipeline.ingest.decode import decode_article, read_article_bytes
from pipeline.ingest.extract import extract_html
from pipeline.ingest.html import parse_html
from pipeline.ingest.markdown import parse_markdown
from pipeline.ingest.model import Block, Document, Format
from pipeline.ingest.plaintext import parse_text
from pipeline.ingest.sniff import ARTICLE_SUFFIXES, detect_format, slugify

#: One parser per format: a string in, blocks out.
PARSERS: dict[Format, Callable[[str, Path], list[Block]]] = {
    "text": parse_text,
    "markdown": parse_markdown,
    "html": parse_html,
}


def expand_inputs(inputs: Sequence[str | Path]) -> list[Path]:
    """Files as given; folders walked for article files, in a stable order."""
    paths: list[Path] = []
    for item in inputs:
        path = Path(item)
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in ARTICLE_SUFFIXES)
            if not found:
                raise InputError(f"no article files ({', '.join(ARTICLE_SUFFIXES)}) in this folder", path)
            paths.extend(found)
        else:
            paths.append(path)
    return paths


def load_document(path: str | Path) -> Document:
    """Read an article file and parse it into blocks.

    Raises :class:`InputError` with a one-line, actionable message for anything the user can fix:
    the file is missing, a directory, unreadable, binary, not UTF-8, empty, or has nothing left to
    translate once page furniture is dropped.
    """
    p = Path(path)
    text = decode_article(read_article_bytes(p), p)
    fmt = detect_format(p, text)
    if fmt == "html":
        extraction = extract_html(text, p)
        blocks, notes = extraction.blocks, extraction.warnings
    else:
        blocks = PARSERS[fmt](text, p)
        notes = [] if any(b.kind == "headline" for b in blocks) else ["no headline found"]
    if not blocks:
        raise InputError(
            "no translatable content: after dropping page furniture (comment boxes, share links, "
            "footers) nothing is left to translate; check that this is the article file",
            p,
        )
    return Document(path=p, slug=slugify(p), format=fmt, blocks=blocks, warnings=notes)
