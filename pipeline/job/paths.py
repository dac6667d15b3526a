"""A compact list of paths, for the tallies a run over an archive keeps of every file it wrote.

A run over 20,000 articles writes some 180,000 files; as :class:`~pathlib.Path` objects (each with
its string, its parts and its cached forms) that list alone was tens of megabytes, and peak memory
grew with the archive. :class:`PathList` keeps the paths as NUL-separated text in blocks of
:data:`BLOCK` (NUL is the one character no path can hold), about a byte per character, and hands
them back as ``Path`` objects: the API's ``written``, ``pages`` and ``created`` read as before
(``len``, ``in``, iteration, indexing, ``== []``).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import overload

#: Paths joined into one string at a time: big enough that the per-string overhead vanishes, small
#: enough that indexing (which splits one block) stays cheap.
BLOCK = 512
_SEP = "\0"


class PathList(Sequence[Path]):
    """An append-only sequence of paths, stored as text (see the module docstring)."""

    __slots__ = ("_blocks", "_tail")

    def __init__(self, paths: Iterable[str | os.PathLike[str]] = ()) -> None:
        self._blocks: list[str] = []
        self._tail: list[str] = []
        self.extend(paths)

    def append(self, path: str | os.PathLike[str]) -> None:
        text = os.fspath(path)
        if _SEP in text:
            raise ValueError(f"a path cannot hold NUL: {text!r}")
        self._tail.append(text)
        if len(self._tail) == BLOCK:
            self._blocks.append(_SEP.join(self._tail))
            self._tail = []

    def extend(self, paths: Iterable[str | os.PathLike[str]]) -> None:
        for path in paths:
            self.append(path)

    def __len__(self) -> int:
        return len(self._blocks) * BLOCK + len(self._tail)

    def _texts(self) -> Iterator[str]:
        for block in self._blocks:
            yield from block.split(_SEP)
        yield from self._tail

    def __iter__(self) -> Iterator[Path]:
        return (Path(text) for text in self._texts())

    @overload
    def __getitem__(self, index: int) -> Path: ...

    @overload
    def __getitem__(self, index: slice) -> list[Path]: ...

    def __getitem__(self, index: int | slice) -> Path | list[Path]:
        if isinstance(index, slice):
            return list(self)[index]
        size = len(self)
        if not -size <= index < size:
            raise IndexError("PathList index out of range")
        index %= size
        block, offset = divmod(index, BLOCK)
        if block < len(self._blocks):
            return Path(self._blocks[block].split(_SEP)[offset])
        return Path(self._tail[offset])

    def __contains__(self, item: object) -> bool:
        if not isinstance(item, str | os.PathLike):
            return False
        wanted = Path(item)
        return any(Path(text) == wanted for text in self._texts())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, PathList | list | tuple):
            return list(self) == [Path(p) for p in other]
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]  # mutable, as a list

    def __repr__(self) -> str:
        return f"PathList({[str(p) for p in self]!r})"
