"""Which backend the CLI's ``--backend``/``--model`` options name, built.

Apart from the backends themselves so that none of them imports another: the factory knows them all,
and CTranslate2 (an optional extra) is imported only when asked for.
"""

from __future__ import annotations

from typing import Any, Literal, get_args

from pipeline.errors import ModelError
from pipeline.mt.base import Backend, IdentityBackend
from pipeline.mt.registry import load_registry

#: The engines ``--backend`` may name; a script may pass its own :class:`~pipeline.mt.base.Backend`.
Engine = Literal["transformers", "ctranslate2", "identity"]
ENGINES: tuple[Engine, ...] = get_args(Engine)


def load_backend(name: str, model: str | None, lang: str, **kw: Any) -> Backend:
    """Build the backend the CLI's ``--backend``/``--model`` options name."""
    if name == "identity":
        return IdentityBackend()
    if name in ("transformers", "ctranslate2"):
        if model is None:
            model = load_registry().default_model(lang)  # or a one-line error saying how to add one
        if name == "ctranslate2":  # the same Marian folder or hub id, converted once and cached
            from pipeline.mt.ct2 import CT2Backend

            return CT2Backend(model, lang=lang, **kw)
        from pipeline.mt.marian import MarianBackend

        return MarianBackend(model, lang=lang, **kw)
    raise ModelError(f"unknown backend {name!r}; choose one of: {', '.join(ENGINES)}")
