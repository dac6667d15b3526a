"""Article bytes into text: the one place ingest touches the file system.

Every problem a user can fix (missing file, a folder, too big, binary, UTF-16, not UTF-8, empty)
becomes an :class:`~pipeline.errors.InputError` that names the file and, where it helps, the line,
so a batch can report it in one line and go on with the next article.
"""

from __future__ import annotations

from pathlib import Path

from pipeline.errors import InputError
from pipeline.fileio import line_and_column

#: Bigger than any article; a file this size is a mistake (a dump, a video), not news copy.
MAX_BYTES = 20 * 1024 * 1024

_UTF8_BOM = b"\xef\xbb\xbf"
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def read_article_bytes(p: Path) -> bytes:
    """Read the file, turning OS errors into messages that say what to do about them."""
    if p.is_dir():
        raise InputError("is a directory; pass an article file (.txt, .md or .html)", p)
    if p.exists() and not p.is_file():
        raise InputError("not a regular file; pass an article file (.txt, .md or .html)", p)
    try:
        size = p.stat().st_size
        if size > MAX_BYTES:
            raise InputError(
                f"file is {size // (1024 * 1024)} MiB, too large to be an article "
                f"(limit {MAX_BYTES // (1024 * 1024)} MiB); check the path",
                p,
            )
        return p.read_bytes()
    except FileNotFoundError:
        raise InputError("file not found; check the path", p) from None
    except IsADirectoryError:
        raise InputError("is a directory; pass an article file (.txt, .md or .html)", p) from None
    except PermissionError:
        raise InputError("permission denied: cannot read the file; check its permissions", p) from None
    except OSError as exc:
        raise InputError(f"cannot read the file: {exc.strerror or exc}", p) from None


def decode_article(raw: bytes, path: str | Path | None = None) -> str:
    """Decode article bytes as UTF-8: strip a BOM, reject binary data, normalise line breaks.

    Line endings are normalised to LF here, before parsing, so block line numbers match what an
    editor shows whatever platform wrote the file.
    """
    if raw.startswith(_UTF16_BOMS):
        raise InputError("file is UTF-16 encoded; re-save it as UTF-8", path, 1)
    bom = len(_UTF8_BOM) if raw.startswith(_UTF8_BOM) else 0
    body = raw[bom:]
    nul = body.find(b"\x00")
    if nul >= 0:
        line, _ = line_and_column(raw, nul + bom)
        raise InputError(
            f"file looks binary (NUL byte at byte offset {nul + bom}); expected a UTF-8 text, "
            "Markdown or HTML article",
            path,
            line,
        )
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        offset = exc.start + bom
        line, column = line_and_column(raw, offset)
        raise InputError(
            f"invalid UTF-8 byte 0x{raw[offset]:02x} at byte offset {offset} (line {line}, column "
            f"{column}); re-save the file as UTF-8",
            path,
            line,
        ) from None
    text = normalise_newlines(text)
    if not text.strip():
        raise InputError("article is empty; nothing to translate", path)
    return text


def normalise_newlines(text: str) -> str:
    """LF line breaks only, and no BOM, so every parser counts lines the same way."""
    if text.startswith("\ufeff"):
        text = text[1:]
    return text.replace("\r\n", "\n").replace("\r", "\n")
