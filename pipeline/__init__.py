"""Newsroom translation pipeline: articles in, reviewable PO files and localized pages out.

The stages are subpackages in data-path order: ``ingest`` → ``segment`` → ``names`` (glossary and
name protection) around ``mt`` (machine translation) → ``catalog`` (PO files) → ``render`` (pages);
``job`` sequences them. For scripts, the public API (:mod:`pipeline.api`) is importable from here::

    from pipeline import translate, status

    result = translate("articles/", to="ar", backend="identity")

The API is loaded on first use (``__getattr__``), so ``import pipeline`` stays light. The API's
``render`` is ``pipeline.render_pages`` here, because ``pipeline.render`` is the render stage's
subpackage (Python sets that attribute whenever the subpackage is imported).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from pipeline.api import (
        CompileResult,
        GlossaryReport,
        RenderResult,
        StatusResult,
        SuggestResult,
        TextResult,
        TranslateResult,
        add_to_glossary,
        check_glossary,
        compile_catalogs,
        init_project,
        languages,
        status,
        suggest_names,
        translate,
        translate_text,
    )
    from pipeline.api import render as render_pages
    from pipeline.errors import PipelineError

#: Package attribute → name in :mod:`pipeline.api` (or :mod:`pipeline.errors`).
_API = {
    "translate": "translate",
    "render_pages": "render",
    "status": "status",
    "compile_catalogs": "compile_catalogs",
    "check_glossary": "check_glossary",
    "suggest_names": "suggest_names",
    "add_to_glossary": "add_to_glossary",
    "translate_text": "translate_text",
    "init_project": "init_project",
    "languages": "languages",
    "TranslateResult": "TranslateResult",
    "RenderResult": "RenderResult",
    "StatusResult": "StatusResult",
    "CompileResult": "CompileResult",
    "GlossaryReport": "GlossaryReport",
    "SuggestResult": "SuggestResult",
    "TextResult": "TextResult",
}

__all__ = [
    "CompileResult",
    "GlossaryReport",
    "PipelineError",
    "RenderResult",
    "StatusResult",
    "SuggestResult",
    "TextResult",
    "TranslateResult",
    "__version__",
    "add_to_glossary",
    "check_glossary",
    "compile_catalogs",
    "init_project",
    "languages",
    "render_pages",
    "status",
    "suggest_names",
    "translate",
    "translate_text",
]


def __getattr__(name: str) -> Any:
    if name == "PipelineError":
        from pipeline.errors import PipelineError

        return PipelineError
    if name in _API:
        from pipeline import api

        return getattr(api, _API[name])
    raise AttributeError(f"module 'pipeline' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
