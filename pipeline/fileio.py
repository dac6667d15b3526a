"""Writes that cannot leave a half-written file behind, or overwrite an edit they did not see.

PO files hold weeks of translators' work: every write goes to a temporary file in the same
folder, is flushed to disk, then renamed over the target (and the folder is flushed, so the
rename survives a power cut), so a crash or a full disk leaves either the old file or the new
one, never a truncated mix.

The lock in :mod:`pipeline.locking` keeps two *runs* apart, but a translator saving from Poedit
or a ``git pull`` of Weblate's commits does not take it. A caller that read a file before a long
model call passes the file's :func:`stamp` from that moment; if the file changed since, the
write is refused (:class:`ChangedOnDisk`) instead of silently replacing the newer version.

Reading has one rule too: a file that is not UTF-8 is reported at the line of the first bad byte
(:func:`utf8_error_line`), counted as an editor counts lines, whichever reader found it.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextvars import ContextVar
from pathlib import Path
from typing import BinaryIO, Final

from pipeline.errors import PipelineError

#: A file's identity and version: (inode, size, mtime in ns); None when there is no file.
Stamp = tuple[int, int, int] | None

#: Default for ``expect``: write whatever is on disk now.
UNCHECKED: Final = object()


_LINE_BREAK = re.compile(rb"\r\n|\r|\n")


def line_and_column(data: bytes, offset: int) -> tuple[int, int]:
    """1-based (line, column) of a byte offset, counting CRLF, CR and LF as one break each.

    Every reader reports a bad byte with this rule, so the line is the one an editor shows
    whatever platform wrote the file.
    """
    lines = _LINE_BREAK.split(data[:offset])
    return len(lines), len(lines[-1]) + 1


def utf8_error_line(exc: UnicodeDecodeError) -> int:
    """1-based line of the byte a UTF-8 decode stopped at.

    Counted in ``exc.object``, the bytes the codec saw, so a ``utf-8-sig`` BOM (which has no line
    break) cannot shift it. Decode whole files (``bytes.decode`` or :func:`read_utf8_text`), not
    text streams: a stream decodes in chunks and ``exc.object`` is then only a chunk.
    """
    return line_and_column(exc.object, exc.start)[0]


def read_utf8_text(path: str | Path, *, strip_bom: bool = True) -> str:
    """A whole file as UTF-8 text with universal newlines (as ``Path.read_text`` reads it).

    Raises ``OSError`` as ``read_text`` does, and a :class:`UnicodeDecodeError` that
    :func:`utf8_error_line` can place, which ``read_text``'s cannot.
    """
    text = Path(path).read_bytes().decode("utf-8-sig" if strip_bom else "utf-8")
    return text.replace("\r\n", "\n").replace("\r", "\n")


class ChangedOnDisk(PipelineError):
    """The file changed after the caller read it; the newer version was kept."""


def stamp(path: str | Path) -> Stamp:
    """The file's current :data:`Stamp`; take it *before* reading the file."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return None
    return (st.st_ino, st.st_size, st.st_mtime_ns)


def atomic_write_bytes(path: str | Path, data: bytes, *, expect: Stamp | object = UNCHECKED) -> bool:
    """Write ``data`` to ``path`` atomically; returns False (and touches nothing) if unchanged.

    With ``expect`` (a :func:`stamp` taken before the caller read the file), raise
    :class:`ChangedOnDisk` rather than replace a file someone else changed in the meantime.
    """
    target = Path(path)
    try:
        if target.is_file() and target.read_bytes() == data:
            return False
    except OSError:
        pass

    def fill(handle: BinaryIO, tmp: str) -> bool:
        handle.write(data)
        return True

    return _replace(target, fill, expect)


def atomic_write_text(path: str | Path, text: str, *, expect: Stamp | object = UNCHECKED) -> bool:
    return atomic_write_bytes(path, text.encode("utf-8"), expect=expect)


def atomic_write_chunks(path: str | Path, chunks: Iterable[str]) -> bool:
    """As :func:`atomic_write_text`, for text made piece by piece (an index listing an archive's
    every article): each piece goes to the temporary file as it comes and the file is compared with
    the one there afterwards, so the whole text is never held in memory. Whatever the pieces raise
    (a template error) leaves the target as it was."""
    target = Path(path)

    def fill(handle: BinaryIO, tmp: str) -> bool:
        text = io.TextIOWrapper(handle, encoding="utf-8", newline="")
        text.writelines(chunks)
        text.flush()
        text.detach()  # the handle stays open for _replace to flush and close
        return not _same_bytes(tmp, target)

    return _replace(target, fill, UNCHECKED)


def _replace(target: Path, fill: Callable[[BinaryIO, str], bool], expect: Stamp | object) -> bool:
    """The one way a file is replaced: a temporary file beside it, filled by ``fill`` (which returns
    False when what it wrote is what the file already holds: nothing is replaced), flushed to disk,
    given the target's permissions, checked against ``expect`` last (the window is then only the
    rename) and renamed over the target. Any failure, or anything ``fill`` raises, removes the
    temporary file and leaves the target as it was."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as exc:
        raise PipelineError(f"cannot write ({exc.strerror or exc})", target) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            if not fill(handle, tmp):
                os.unlink(tmp)
                return False
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, target.stat().st_mode & 0o777 if target.exists() else 0o644)
        if expect is not UNCHECKED and stamp(target) != expect:
            raise ChangedOnDisk(
                "changed on disk while this run was working on it (a translator's save or a pull?); "
                "the newer file was kept: re-run to merge into it",
                target,
            )
        os.replace(tmp, target)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise PipelineError(
            f"cannot write ({exc.strerror or exc}); the previous file is left as it was", target
        ) from None
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    _fsync_dir(target.parent)
    return True


def _same_bytes(one: str | Path, other: Path, block: int = 1 << 16) -> bool:
    """Whether two files hold the same bytes, read a block at a time (False if either is missing)."""
    try:
        if not other.is_file() or os.path.getsize(one) != other.stat().st_size:
            return False
        with open(one, "rb") as a, open(other, "rb") as b:
            while True:
                x, y = a.read(block), b.read(block)
                if x != y:
                    return False
                if not x:
                    return True
    except OSError:
        return False


#: Folders whose renames still await their flush, inside :func:`batched_folder_syncs`.
_DEFERRED: ContextVar[set[Path] | None] = ContextVar("deferred_folder_syncs", default=None)


@contextlib.contextmanager
def batched_folder_syncs() -> Iterator[Callable[[], None]]:
    """Flush each folder once per batch of writes instead of once per file.

    A batch job writes hundreds of files into the same three folders; each write still flushes its
    own data before the rename (so a crash leaves the old or the new file, never a truncated one),
    but the folder flush that makes the renames survive a power cut is done by the ``flush``
    yielded here, for every folder written since, and at the end. Call it before recording that
    the files are written (the run cache's commit): until then a power cut may bring back the old
    file, which is safe, since nothing says otherwise.
    """
    folders: set[Path] = set()
    token = _DEFERRED.set(folders)

    def flush() -> None:
        for folder in sorted(folders):
            _sync_folder(folder)
        folders.clear()

    try:
        yield flush
    finally:
        _DEFERRED.reset(token)
        flush()


def no_sync() -> None:
    """The ``flush`` of writes that are not batched: each already flushed its folder."""


def _fsync_dir(folder: Path) -> None:
    """Make the rename itself durable: after a power cut the folder entry must point at the new file."""
    deferred = _DEFERRED.get()
    if deferred is not None:
        deferred.add(folder)
        return
    _sync_folder(folder)


def _sync_folder(folder: Path) -> None:
    with contextlib.suppress(OSError):  # some file systems cannot open or sync a folder; the data is safe
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def iter_files(folder: str | Path) -> Iterator[os.DirEntry[str]]:
    """Every entry under ``folder`` that is not a folder (linked folders are not walked into), one at a
    time: ``os.scandir`` streamed, one folder open at once, never a folder's listing held. A pages
    folder holds five files per article and language; ``Path.rglob`` lists each folder whole and keeps
    every path it yields, 19 MB at the peak for 20,000 articles. Unreadable folders are skipped."""
    pending = [os.fspath(folder)]
    while pending:
        top = pending.pop()
        try:
            with os.scandir(top) as entries:
                for entry in entries:
                    try:
                        if entry.is_dir(follow_symlinks=False):
                            pending.append(entry.path)
                            continue
                    except OSError:
                        continue
                    yield entry
        except OSError:
            continue


def create_text(path: str | Path, text: str) -> None:
    """Write a *new* file atomically: FileExistsError if one is there, even if it appeared a moment
    ago (a temporary file, fsynced, hard-linked into place: the link fails when the name is taken),
    so a file a person wrote (``newsroom.toml``) is never overwritten."""
    target = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(text.encode("utf-8"))
            handle.flush()
            os.fsync(handle.fileno())
        os.link(tmp, target)
    finally:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
    _fsync_dir(target.parent)
