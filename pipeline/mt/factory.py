"""Which backend the CLI's ``--backend``/``--model`` options name, built.

Apart from the backends themselves so that none of them imports another: the factory knows them all,
and CTranslate2 (an optional extra) is imported only when asked for.
"""

from __future__ import annotations

from typing import Any, Literal, get_args

from pipeline.errors import ModelError
from pipeline.mt.base import Backend, IdentityBackend
from pipeline.mt.registry import Registry, load_registry

#: The engines ``--backend`` may name; a script may pass its own :class:`~pipeline.mt.base.Backend`.
Engine = Literal["transformers", "ctranslate2", "identity"]
ENGINES: tuple[Engine, ...] = get_args(Engine)


def load_backend(
    name: str, model: str | None, lang: str, *, registry: Registry | None = None, **kw: Any
) -> Backend:
    """Build the backend the CLI's ``--backend``/``--model`` options name. ``registry``: the
    project's (the shipped one with newsroom.toml's entries over it), for default models and tags."""
    if name == "identity":
        return IdentityBackend()
    if name in ("transformers", "ctranslate2"):
        registry = registry or load_registry()
        if model is None:
            model = registry.default_model(lang)  # or a one-line error saying how to add one
        if name == "ctranslate2":  # the same Marian folder or hub id, converted once and cached
            from pipeline.mt.ct2 import CT2Backend

            return CT2Backend(model, lang=lang, registry=registry, **kw)
        from pipeline.mt.marian import MarianBackend

        return MarianBackend(model, lang=lang, registry=registry, **kw)
    raise ModelError(f"unknown backend {name!r}; choose one of: {', '.join(ENGINES)}")
