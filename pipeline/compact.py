"""Sequences that stay small at archive size: what a run must keep of *every* article.

A run over 20,000 articles keeps a few things per article until its end: the input files, the
slugs it rendered, the tallies of files it wrote (some 180,000), and, until the indexes are written,
what they list of each article (a title and counts, a row per article with a cell per language).
As Python objects (a ``Path`` is its string, its parts and cached forms; a row a dataclass with a
dict), that was 2 KB an article and the run's peak memory grew with the archive, 1.19x from 1,000
to 5,000 articles once every other per-article cost was gone. Two remedies:

- :class:`TextList` (and :class:`PathList`, which hands its items back as ``Path``): text joined
  by NUL (the one character no path or slug holds) into blocks of :data:`BLOCK`, each full block
  zlib-compressed. Paths of one archive share long prefixes, so that is a few bytes an item.
- :class:`Spool`: items pickled to an anonymous temporary file as they come, read back in order
  when the index is written; memory holds one item and a buffer whatever the archive's size.

Pickle is safe in a :class:`Spool` because nothing but this process can reach its file: it is
created unlinked (``tempfile.TemporaryFile``: no name in any folder, mode 0600) and read back only by
the object that wrote it, never from a path.
"""

from __future__ import annotations

import os
import pickle
import tempfile
import zlib
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Generic, TypeVar, overload

#: Items joined into one block: big enough that per-string overhead vanishes and the compression
#: finds the shared prefixes, small enough that indexing (which opens one block) stays cheap.
BLOCK = 512
_SEP = "\0"

T = TypeVar("T")
Item = TypeVar("Item")


class _Texts(Generic[Item]):
    """An append-only sequence of strings kept as compressed blocks; ``_item`` makes each one what
    the subclass hands back."""

    __slots__ = ("_blocks", "_tail")

    def __init__(self, items: Iterable[str | os.PathLike[str]] = ()) -> None:
        self._blocks: list[bytes] = []
        self._tail: list[str] = []
        self.extend(items)

    def _item(self, text: str) -> Item:
        raise NotImplementedError

    def append(self, item: str | os.PathLike[str]) -> None:
        text = os.fspath(item)
        if _SEP in text:
            raise ValueError(f"cannot hold NUL: {text!r}")
        self._tail.append(text)
        if len(self._tail) == BLOCK:
            self._blocks.append(zlib.compress(_SEP.join(self._tail).encode("utf-8", "surrogateescape"), 1))
            self._tail = []

    def extend(self, items: Iterable[str | os.PathLike[str]]) -> None:
        for item in items:
            self.append(item)

    def __len__(self) -> int:
        return len(self._blocks) * BLOCK + len(self._tail)

    @staticmethod
    def _open(block: bytes) -> list[str]:
        return zlib.decompress(block).decode("utf-8", "surrogateescape").split(_SEP)

    def texts(self) -> Iterator[str]:
        """The items as the strings they were given as."""
        for block in self._blocks:
            yield from self._open(block)
        yield from self._tail

    def __iter__(self) -> Iterator[Item]:
        return (self._item(text) for text in self.texts())

    @overload
    def __getitem__(self, index: int) -> Item: ...

    @overload
    def __getitem__(self, index: slice) -> list[Item]: ...

    def __getitem__(self, index: int | slice) -> Item | list[Item]:
        if isinstance(index, slice):
            return list(self)[index]
        size = len(self)
        if not -size <= index < size:
            raise IndexError(f"{type(self).__name__} index out of range")
        block, offset = divmod(index % size, BLOCK)
        if block < len(self._blocks):
            return self._item(self._open(self._blocks[block])[offset])
        return self._item(self._tail[offset])

    def __contains__(self, item: object) -> bool:
        if not isinstance(item, str | os.PathLike):
            return False
        wanted = self._item(os.fspath(item))
        return any(self._item(text) == wanted for text in self.texts())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, _Texts | list | tuple):
            return list(self) == [self._item(os.fspath(p)) for p in other]
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]  # mutable, as a list

    def __repr__(self) -> str:
        return f"{type(self).__name__}({list(self.texts())!r})"


class TextList(_Texts[str], Sequence[str]):
    """An append-only sequence of strings (slugs), compact (see the module docstring)."""

    __slots__ = ()

    def _item(self, text: str) -> str:
        return text


class PathList(_Texts[Path], Sequence[Path]):
    """An append-only sequence of paths, compact (see the module docstring); it reads as the list of
    ``Path``\\ s it keeps (``len``, ``in``, iteration, indexing, ``== []``)."""

    __slots__ = ()

    def _item(self, text: str) -> Path:
        return Path(text)


def path_order(path: str) -> str:
    """A sort key giving paths as text the order ``Path`` objects sort in (part by part): the
    separator becomes NUL, below every character a name can hold."""
    return path.replace(os.sep, _SEP)


class Spool(Generic[T]):
    """Items appended one at a time, iterated in the order they came; ``len`` and truthiness as a
    list's. One reader at a time, and no appending while one reads (a second would move the first's
    position in the file): :class:`RuntimeError` says so rather than mix items up. Close it (or use
    it as a context manager) to free the file at once; otherwise it goes with the object."""

    __slots__ = ("_count", "_file", "_reading")

    def __init__(self, items: Iterable[T] = ()) -> None:
        # closed by close() or with the object: it lives as long as the Spool, not a block
        self._file = tempfile.TemporaryFile(prefix="pipeline-spool-")  # noqa: SIM115
        self._count = 0
        self._reading = False
        for item in items:
            self.append(item)

    def append(self, item: T) -> None:
        if self._reading:
            raise RuntimeError("cannot append to a Spool while it is being read")
        pickle.dump(item, self._file, protocol=pickle.HIGHEST_PROTOCOL)
        self._count += 1

    def __len__(self) -> int:
        return self._count

    def __bool__(self) -> bool:
        return self._count > 0

    def __iter__(self) -> Iterator[T]:
        if self._reading:
            raise RuntimeError("a Spool is read by one reader at a time")
        self._reading = True
        self._file.flush()
        self._file.seek(0)
        try:
            for _ in range(self._count):
                yield pickle.load(self._file)  # noqa: S301 - our own unlinked file (module docstring)
        finally:
            self._file.seek(0, os.SEEK_END)  # for the next append
            self._reading = False

    def close(self) -> None:
        self._file.close()

    def __enter__(self) -> Spool[T]:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<Spool of {self._count} item(s)>"
