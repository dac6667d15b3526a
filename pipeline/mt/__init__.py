"""Translation engines: the backend protocol, batching, Marian (transformers), CTranslate2, the model
registry and the factory that picks one.

The public names are re-exported lazily (on first attribute access), so ``import pipeline.mt.base``
or ``from pipeline.mt import Backend`` never loads the registry, torch or transformers.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pipeline.mt.base import Backend, IdentityBackend
    from pipeline.mt.batching import BatchedBackend, DecodeHook, split_long, token_count
    from pipeline.mt.ct2 import CT2Backend
    from pipeline.mt.factory import load_backend
    from pipeline.mt.marian import MarianBackend, load_pretrained
    from pipeline.mt.registry import load_registry

#: Public name -> the module of this package that defines it.
_EXPORTS = {
    "Backend": "base",
    "IdentityBackend": "base",
    "BatchedBackend": "batching",
    "DecodeHook": "batching",
    "split_long": "batching",
    "token_count": "batching",
    "CT2Backend": "ct2",
    "load_backend": "factory",
    "MarianBackend": "marian",
    "load_pretrained": "marian",
    "load_registry": "registry",
}

__all__ = [
    "Backend",
    "BatchedBackend",
    "CT2Backend",
    "DecodeHook",
    "IdentityBackend",
    "MarianBackend",
    "load_backend",
    "load_pretrained",
    "load_registry",
    "split_long",
    "token_count",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{module}"), name)
