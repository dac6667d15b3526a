"""The public Python API: what the command line does, for scripts that batch-translate.

Each entry point returns a result object (counts, paths written, errors as
:class:`~pipeline.errors.PipelineError` objects) and never prints; a failure that leaves nothing
done is raised as a ``PipelineError``. The CLI is a thin layer over exactly these functions, adding
only printing and exit codes, so a script and a shell command behave the same. Every setting left
out comes from the project file (``newsroom.toml``, or ``project=``), else the defaults.

One module per group of commands, all re-exported here: ``translation`` (``translate``,
``translate_text``), ``pages`` (``render``, ``watch``, ``status``, ``compile_catalogs``),
``glossaries`` (``check_glossary``, ``suggest_names``, ``add_to_glossary``), ``newsroom``
(``init_project``, ``languages``), over ``common`` (argument types, language checks, engines);
the result objects are :mod:`pipeline.results`.

This package imports only the standard library at load time: ``render``, ``status`` and the other
model-free entry points never import torch, and ``import pipeline`` stays cheap.
"""

from __future__ import annotations

from pipeline.api.common import (
    FROM_PROJECT,
    Cluster,
    Languages,
    Models,
    Notify,
    Paths,
    ProjectLike,
    Setting,
    Unprotected,
    backends,
    check_languages,
    parse_languages,
    project_of,
)
from pipeline.api.glossaries import add_to_glossary, check_glossary, suggest_names
from pipeline.api.newsroom import init_project, languages
from pipeline.api.pages import compile_catalogs, render, status, watch
from pipeline.api.translation import translate, translate_text
from pipeline.mt.factory import ENGINES, EXECUTORS, Engine, Executor
from pipeline.project import PROJECT_FILE, Project, load_project
from pipeline.results import (
    CompileResult,
    GlossaryReport,
    RenderResult,
    StatusResult,
    SuggestResult,
    TextResult,
    TranslateResult,
)

__all__ = [
    "ENGINES",
    "EXECUTORS",
    "FROM_PROJECT",
    "PROJECT_FILE",
    "Cluster",
    "CompileResult",
    "Engine",
    "Executor",
    "GlossaryReport",
    "Languages",
    "Models",
    "Notify",
    "Paths",
    "Project",
    "ProjectLike",
    "RenderResult",
    "Setting",
    "StatusResult",
    "SuggestResult",
    "TextResult",
    "TranslateResult",
    "Unprotected",
    "add_to_glossary",
    "backends",
    "check_glossary",
    "check_languages",
    "compile_catalogs",
    "init_project",
    "languages",
    "load_project",
    "parse_languages",
    "project_of",
    "render",
    "status",
    "suggest_names",
    "translate",
    "translate_text",
    "watch",
]
