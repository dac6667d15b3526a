"""A fake model replica that dies mid-batch, once: the replica-kill test of ``--executor ray``.

The first replica to receive a batch creates ``marker`` and kills its own process (``os._exit``,
as a node lost or an OOM kill would: no exception, no cleanup); every later one translates as
the identity fake does. The marker is a file because replicas are separate processes.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from pipeline.testing.faults import IdentityFake


class DieOnceBackend(IdentityFake):
    name = "fake-identity"  # the same PO header as the control it is compared with

    def __init__(self, marker: str | Path) -> None:
        super().__init__()
        self.marker = str(marker)

    def translate(self, texts: Sequence[str], *, lang: str) -> list[str]:
        try:
            fd = os.open(self.marker, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
        except FileExistsError:
            return super().translate(texts, lang=lang)
        os.write(fd, str(os.getpid()).encode())
        os.close(fd)
        os._exit(1)
