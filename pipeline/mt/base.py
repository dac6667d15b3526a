"""The one backend protocol every translation engine, fake or real, honours.

A backend takes a list of source segments and returns their translations: same length, same order.
``calls`` counts the segments that reached the model, so caching and resume logic can be tested by
asserting on it, and ``name`` says which engine produced a catalog. This module imports nothing
heavy, so the name-protection layer and the renderer can depend on the protocol without pulling in
torch.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any, Protocol, runtime_checkable


@runtime_checkable
class Backend(Protocol):
    """What the pipeline needs from a translation engine."""

    name: str
    calls: int  # segments sent to the model so far

    def translate(self, texts: Sequence[str], *, lang: str) -> list[str]:
        """Translate ``texts`` into ``lang``; same length and order as ``texts``."""
        ...


class IdentityBackend:
    """Returns the source unchanged: exercises the whole pipeline without a model.

    Used for dry runs (``--backend identity``) and, through :mod:`pipeline.testing.faults`, as the
    base of every fault-injecting fake.
    """

    name = "identity"

    def __init__(self, **_: Any) -> None:
        self.calls = 0

    def translate(self, texts: Sequence[str], *, lang: str) -> list[str]:
        self.calls += len(texts)
        return list(texts)


@contextmanager
def phase(backend: Backend, label: str) -> Iterator[None]:
    """Name what the next ``translate`` calls are for (``retry ar: 3 segments``) on the backend's
    progress bar, so that a second bar is never an unexplained repeat of the first. A backend
    without a bar (no ``phase`` attribute) is left alone."""
    labelled: Any = backend  # ``phase`` is not part of the protocol: a fake need not have it
    if not hasattr(labelled, "phase"):
        yield
        return
    before = labelled.phase
    labelled.phase = label
    try:
        yield
    finally:
        labelled.phase = before
