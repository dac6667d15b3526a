"""What every entry point shares: argument types, the project a call runs under, language lists and
their checks, the glossary, the render policy and the translation engines.

Standard library only at load time (see :mod:`pipeline.api`): each heavier import is inside the
function that needs it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Literal, cast

from pipeline.errors import PipelineError
from pipeline.mt.factory import ENGINES, EXECUTORS, Engine, Executor
from pipeline.project import Project, load_project

if TYPE_CHECKING:
    from pipeline.mt.base import Backend
    from pipeline.names.glossary import Glossary
    from pipeline.names.quantities import QuantityKind
    from pipeline.names.style import Style
    from pipeline.render.localize import Policy

Paths = str | Path | Sequence[str | Path]
Languages = str | Sequence[str]
#: ``--model`` values: one model for every language, ``LANG=MODEL`` specs, or a mapping lang → model.
Models = str | Sequence[str] | Mapping[str, str] | None
Notify = Callable[[str], None]
#: ``project=``: a loaded project, a project file, or None for ``newsroom.toml`` in the current folder.
ProjectLike = Project | str | Path | None
#: Kinds of quantity whose protection can be switched off for a run (``--no-protect``).
Unprotected = Literal["numbers", "dates"]


class Setting(Enum):
    """``FROM_PROJECT``: take this setting from the project file (or its default)."""

    FROM_PROJECT = "from the project file"


FROM_PROJECT = Setting.FROM_PROJECT


def project_of(project: ProjectLike) -> Project:
    """The project settings a call runs under: as given, read from a file, or looked up here."""
    return project if isinstance(project, Project) else load_project(project)


def parse_languages(values: Languages | None) -> list[str]:
    """``"ar,fr"``, ``["ar", "fr,he"]`` → ``["ar", "fr", "he"]``: order kept, duplicates dropped."""
    if values is None:
        return []
    langs: list[str] = []
    for value in [values] if isinstance(values, str) else values:
        for lang in value.split(","):
            lang = lang.strip()
            if lang and lang not in langs:
                langs.append(lang)
    return langs


def check_languages(langs: Sequence[str]) -> None:
    """Fail before any work on no language, a code that is not a CLDR language (it would name a
    folder: ``ar-../../x``, ``AR``), or one the catalogs have no plural rule for."""
    from pipeline.catalog.plurals import plural_forms
    from pipeline.language import code_problem

    if not langs:
        raise PipelineError("no target language given: --to needs a code such as ar, or a list: ar,fr")
    for lang in langs:
        problem = code_problem(lang)
        if problem is not None:
            raise PipelineError(f"unknown target language '{lang}': {problem}")
        try:
            plural_forms(lang)
        except PipelineError as exc:
            if "unknown language code" not in str(exc):
                raise  # a known language without a checked plural rule: the message says what to add
            raise PipelineError(f"unknown target language '{lang}' (use a code such as ar, fr, he)") from None


def language_filter(to: Languages | None) -> list[str] | None:
    """``--to`` of the commands that read PO files: checked as codes (they name folders), or None."""
    from pipeline.language import code_problem

    langs = parse_languages(to)
    for lang in langs:
        problem = code_problem(lang)
        if problem is not None:
            raise PipelineError(f"unknown language '{lang}': {problem}")
    return langs or None


def ignored_folders(locales: str | Path) -> list[Path]:
    """Folders under ``locales`` that are no language (``old/``, ``backup/``): skipped, reported."""
    from pipeline.catalog.po import language_folders

    return language_folders(Path(locales))[1]


def load_terms(glossary: str | Path | Glossary, *, strict: bool = True) -> Glossary:
    from pipeline.names.glossary import Glossary, load_glossary

    return glossary if isinstance(glossary, Glossary) else load_glossary(glossary, strict=strict)


def load_style(
    style: str | Path | Style | None, glossary: str | Path | Glossary, no_protect: Sequence[Unprotected]
) -> Style:
    """``style.toml`` next to the glossary unless another is named, less the kinds switched off."""
    from pipeline.names.style import Style, load_style

    if isinstance(style, Style):
        found = style
    elif style is not None and not Path(style).exists():  # named (a flag, the project): must exist
        raise PipelineError("no such style file (see [style] file in newsroom.toml, --style)", style)
    else:
        found = load_style(
            style if style is not None else glossary if isinstance(glossary, str | Path) else None
        )
    off: dict[str, QuantityKind] = {"numbers": "number", "dates": "date"}
    unknown = [k for k in no_protect if k not in off]
    if unknown:
        raise PipelineError(f"no_protect takes 'numbers' and 'dates', not {unknown[0]!r}")
    return found.without({off[k] for k in no_protect})


def unprotected(given: Sequence[Unprotected], project: Project) -> list[Unprotected]:
    """The kinds left to the model: the project's ``[style] no_protect`` and the run's together (a
    flag can only switch protection off, as ``[protect]`` in ``style.toml`` can); checked by
    :func:`load_style`."""
    return cast("list[Unprotected]", list(dict.fromkeys((*project.no_protect, *given))))


def policy_of(reviewed_only: bool | None, project: Project) -> Policy:
    """``reviewed_only`` as given, or (None) the project's ``[render] policy``."""
    if reviewed_only is None:
        return "reviewed" if project.policy == "reviewed" else "machine"
    return "reviewed" if reviewed_only else "machine"


def model_specs(model: Models) -> list[str]:
    if model is None:
        return []
    if isinstance(model, str):
        return [model]
    if isinstance(model, Mapping):
        return [f"{lang}={name}" for lang, name in model.items()]
    return list(model)


def engine_named(name: str) -> Engine:
    for engine in ENGINES:
        if engine == name:
            return engine
    raise PipelineError(f"unknown backend {name!r}; choose one of: {', '.join(ENGINES)}")


@dataclass(frozen=True)
class Cluster:
    """``--executor ray``'s settings: which cluster (None: one started here), how many replicas
    (None: one per GPU, or two on a cluster without GPUs), GPUs per replica (None: 1 with GPUs)."""

    address: str | None = None
    replicas: int | None = None
    gpus_per_replica: float | None = None

    @classmethod
    def of(cls, given: Cluster | None, project: Project) -> Cluster:
        """``given``'s settings, each one left out (None) taken from the project's ``[translate]``."""
        given = given or cls()
        return cls(
            project.ray_address if given.address is None else given.address,
            project.replicas if given.replicas is None else given.replicas,
            project.gpus_per_replica if given.gpus_per_replica is None else given.gpus_per_replica,
        )


def executor_named(name: str) -> Executor:
    for executor in EXECUTORS:
        if executor == name:
            return executor
    raise PipelineError(f"unknown executor {name!r}; choose one of: {', '.join(EXECUTORS)}")


def backends(
    backend: str | Backend,
    langs: Sequence[str],
    model: Models,
    *,
    beams: int = 4,
    progress: bool = False,
    project: Project | None = None,
    on_phase: Notify | None = None,
    cluster: Cluster | None = None,
) -> tuple[Callable[[str], Backend], str | dict[str, str]]:
    """``make_backend(lang)`` and the PO header's model label(s): one model per language from
    ``model``, then the project file, then the shipped registry, each distinct model loaded once
    (see ``registry.SharedBackends``). A language with no model fails alone, when it is reached.
    With ``cluster``, each distinct model is a pool of replicas there instead."""
    from pipeline.errors import ModelError
    from pipeline.mt.factory import load_backend
    from pipeline.mt.registry import SharedBackends, plan_models

    if cluster is not None:
        return cluster_backends(backend, langs, model, beams, cluster, project)
    if not isinstance(backend, str):
        fixed = backend
        return (lambda lang: fixed), backend.name
    engine = engine_named(backend)
    if engine == "identity":
        shared = load_backend("identity", None, langs[0] if langs else "")
        return (lambda lang: shared), "identity"
    registry = (project or Project()).registry
    missing: dict[str, ModelError] = {}
    plan = plan_models(langs, model_specs(model), registry, missing=missing)

    def loading(name: str, served: list[str]) -> None:
        if on_phase is not None:
            on_phase(f"loading translation model {name} for {', '.join(served)}")

    pool = SharedBackends(
        plan,
        lambda name, lang: load_backend(
            engine, name, lang, num_beams=beams, progress=progress, registry=registry
        ),
        missing=missing,
        on_load=loading,
    )
    return pool, pool.labels()


def cluster_backends(
    backend: str | Backend,
    langs: Sequence[str],
    model: Models,
    beams: int,
    cluster: Cluster,
    project: Project | None = None,
) -> tuple[Callable[[str], Backend], str | dict[str, str]]:
    """As :func:`backends`, each engine a :class:`~pipeline.mt.cluster.RayBackend` of replicas."""
    from pipeline.errors import ModelError
    from pipeline.mt.cluster import RayBackend, ShippedModel, connect
    from pipeline.mt.registry import SharedBackends, plan_models

    connect(cluster.address)  # an unreachable cluster stops the run at once, not once per language

    def pool(factory: Callable[[], Backend], name: str) -> Backend:
        return RayBackend(
            factory,
            name=name,
            replicas=cluster.replicas,
            address=cluster.address,
            gpus_per_replica=cluster.gpus_per_replica,
        )

    if not isinstance(backend, str):  # a script's own backend object: each replica gets a copy
        fixed = pool(lambda: backend, backend.name)
        return (lambda lang: fixed), backend.name
    engine = engine_named(backend)
    if engine == "identity":
        shared = pool(ShippedModel.of("identity", None, langs[0] if langs else ""), "identity")
        return (lambda lang: shared), "identity"
    registry = (project or Project()).registry
    missing: dict[str, ModelError] = {}
    plan = plan_models(langs, model_specs(model), registry, missing=missing)
    pools = SharedBackends(
        plan,
        lambda name, lang: pool(
            ShippedModel.of(engine, name, lang, num_beams=beams, registry=registry), engine
        ),
        missing=missing,
    )
    return pools, pools.labels()
