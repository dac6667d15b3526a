"""Fault-injecting fake backends for tests (they live in :mod:`pipeline.testing.faults` so the CLI's
``glossary score --backend fake-NAME`` can use them too).

Each is a class with ``name``, ``calls`` and ``translate(texts, *, lang) -> list[str]``::

    from tests.fakes import FAKES, DropBackend
    backend = DropBackend()
"""

from pipeline.testing.faults import (
    FAKES,
    ChaosBackend,
    DropBackend,
    DuplicateBackend,
    FaultBackend,
    GarbleBackend,
    IdentityFake,
    ReorderBackend,
    TranslateBackend,
    make_fake,
)

__all__ = [
    "FAKES",
    "ChaosBackend",
    "DropBackend",
    "DuplicateBackend",
    "FaultBackend",
    "GarbleBackend",
    "IdentityFake",
    "ReorderBackend",
    "TranslateBackend",
    "make_fake",
]
