"""One translate run at a time per locales folder.

Two runs merging into the same PO files would each read the file, merge, and rename its own
version over the other's: the loser's translations (or a translator's edit picked up by one of
them) vanish without an error. A lock file in the locales folder makes the second run stop, or
wait, instead.

The lock is filelock's :class:`~filelock.SoftFileLock`: a marker created with ``O_EXCL`` that
records the owner's pid, host and process start time. A run that was killed (SIGKILL, power loss,
OOM killer) cannot remove its marker; the next run sees that the recorded process no longer
exists (the start time guards against a recycled pid) and takes the lock over. We only add the
messages: who holds the lock, and that a stale one was taken over. A marker written on another
host (a shared network folder) is never presumed dead: the message says which file to delete.
"""

from __future__ import annotations

import contextlib
import os
import re
import socket
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from filelock import SoftFileLock, Timeout

from pipeline import fileio
from pipeline.errors import PipelineError

LOCK_NAME = ".newsroom-pipeline.lock"

#: Temporary files ``fileio`` writes before renaming (``.<name>.<8 random chars>.tmp``, tempfile's
#: pattern); one left behind was being written by a run that was killed.
_TEMP_NAME = re.compile(r"^\..+\.[a-z0-9_]{8}\.tmp$")

#: A lock file that names no owner (empty, or not written by us) and is older than this was not
#: left by a run starting up (which writes its pid within milliseconds of creating the file).
OWNERLESS_AGE = 10.0


class LockedError(PipelineError):
    """Another run holds the locales folder."""


@dataclass(frozen=True)
class Holder:
    """What a lock file says about its owner."""

    pid: int
    host: str
    since: datetime

    def describe(self) -> str:
        where = "" if self.host == socket.gethostname() else f" on host {self.host}"
        return f"pid {self.pid}{where}, started {self.since:%Y-%m-%d %H:%M:%S}"


def lock_path(locales: str | Path) -> Path:
    return Path(locales) / LOCK_NAME


def read_holder(path: Path) -> Holder | None:
    """The owner recorded in the lock file, or None if there is none (or it is still being written)."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
        since = datetime.fromtimestamp(path.stat().st_mtime)
        return Holder(int(lines[0]), lines[1] if len(lines) > 1 else "?", since)
    except (OSError, ValueError, IndexError):
        return None


def _alive(holder: Holder) -> bool:
    if holder.host != socket.gethostname():
        return True  # cannot tell from here; filelock does not take such a lock over either
    try:
        os.kill(holder.pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return time.time()


def _ownerless(path: Path) -> os.stat_result | None:
    """The lock file's stat if it exists, names no owner and is older than :data:`OWNERLESS_AGE`."""
    try:
        st = path.stat()
    except OSError:
        return None
    if read_holder(path) is not None or time.time() - st.st_mtime < OWNERLESS_AGE:
        return None
    return st


def _take_ownerless(path: Path, notify: Callable[[str], None] | None) -> None:
    """Remove an ownerless lock file (empty, garbage): no run of ours can be holding it, and
    left alone it would block every run (or be taken silently by filelock after a while)."""
    st = _ownerless(path)
    if st is None:
        return
    again = _ownerless(path)  # the same file still, not one a starting run just created
    if again is None or (again.st_ino, again.st_mtime_ns) != (st.st_ino, st.st_mtime_ns):
        return
    with contextlib.suppress(FileNotFoundError):
        path.unlink()
    _note(notify, f"took over {path}: it names no owner (empty, or not written by newsroom-pipeline)")


#: Pages take milliseconds to write: a page temporary this old in the pages folder, which has no
#: lock, belongs to a ``render`` that was killed.
STALE_PAGE_TEMP = 60.0


def remove_stale_temporaries(locales: Path, *, older_than: float = 0.0) -> list[Path]:
    """Delete the temporary files a killed run left half-written; only safe while holding the
    lock, or (for the pages folder, which has none) for files older than ``older_than`` seconds."""
    removed: list[Path] = []
    if not locales.is_dir():
        return removed
    cutoff = time.time() - older_than
    for entry in fileio.iter_files(locales):  # streamed: a pages folder holds an archive's files
        if not _TEMP_NAME.match(entry.name):
            continue
        tmp = Path(entry.path)
        if tmp.is_file() and (not older_than or _mtime(tmp) < cutoff):
            with contextlib.suppress(OSError):
                tmp.unlink()
                removed.append(tmp)
    return removed


@contextlib.contextmanager
def run_lock(
    locales: str | Path, *, wait: float = 0.0, notify: Callable[[str], None] | None = None
) -> Iterator[Path]:
    """Hold the locales folder's lock for the duration of the block.

    ``wait`` is how many seconds to wait for another run to finish (0: fail at once, the right
    default for unattended batches: a cron job that overlaps its previous run should not queue up
    behind it). ``notify`` receives one-line notes (a stale lock taken over, leftovers removed).
    """
    locales = Path(locales)
    path = lock_path(locales)
    try:
        locales.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise PipelineError(f"cannot create the locales folder: {exc.strerror}", locales) from None
    _take_ownerless(path, notify)
    before = read_holder(path)
    # Decide "stale" before waiting: a holder that is alive now and finishes normally while we
    # wait removes its own marker, and must not be reported as taken over. The re-read guards
    # against a run that ended between the two reads.
    stale = before is not None and not _alive(before) and read_holder(path) == before
    lock = SoftFileLock(path, timeout=wait)
    try:
        _acquire(lock, path, wait, notify)
    except Timeout:
        holder = read_holder(path) or before
        who = f" ({holder.describe()})" if holder else " (the lock file names no owner yet)"
        hint = "wait for it to finish, or pass --wait SECONDS"
        if holder is None or holder.host != socket.gethostname():
            hint += f"; if that run is gone, delete {path}"
        raise LockedError(f"another translate run is using this locales folder{who}; {hint}", path) from None
    except OSError as exc:
        raise PipelineError(f"cannot create the lock file: {exc.strerror}", path) from None
    try:
        if stale and before is not None:
            _note(notify, f"took over the lock of a run that is no longer running ({before.describe()})")
        removed = remove_stale_temporaries(locales)
        if removed:
            _note(notify, f"removed {len(removed)} unfinished temporary file(s) left by an interrupted run")
        yield path
    finally:
        lock.release()


def _acquire(lock: SoftFileLock, path: Path, wait: float, notify: Callable[[str], None] | None) -> None:
    """``lock.acquire(wait)``, in steps of a second at most, so that a lock file which turns out
    to name no owner while we wait is taken over with a note (not silently, not never)."""
    deadline = time.monotonic() + wait
    while True:
        try:
            lock.acquire(timeout=max(0.0, min(1.0, deadline - time.monotonic())), poll_interval=0.2)
            return
        except Timeout:
            if time.monotonic() >= deadline:
                raise
            _take_ownerless(path, notify)


def _note(notify: Callable[[str], None] | None, message: str) -> None:
    if notify is not None:
        notify(message)
