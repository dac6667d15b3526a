"""Writes that cannot leave a half-written file behind.

PO files hold weeks of translators' work: every write goes to a temporary file in the same
folder, is flushed to disk, then renamed over the target, so a crash or a full disk leaves
either the old file or the new one, never a truncated mix.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from .errors import PipelineError


def atomic_write_bytes(path: str | Path, data: bytes) -> bool:
    """Write ``data`` to ``path`` atomically; returns False (and touches nothing) if unchanged."""
    target = Path(path)
    try:
        if target.is_file() and target.read_bytes() == data:
            return False
    except OSError:
        pass
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as exc:
        raise PipelineError(f"cannot write: {exc.strerror}", target) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if target.exists():
            os.chmod(tmp, target.stat().st_mode & 0o777)
        else:
            os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise PipelineError(
            f"cannot write ({exc.strerror}); the previous file is left as it was", target
        ) from None
    return True


def atomic_write_text(path: str | Path, text: str) -> bool:
    return atomic_write_bytes(path, text.encode("utf-8"))
