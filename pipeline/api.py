"""The public Python API: what the command line does, for scripts that batch-translate.

Each entry point returns a result object (counts, paths written, errors as
:class:`~pipeline.errors.PipelineError` objects) and never prints; a failure that leaves nothing
done is raised as a ``PipelineError``. The CLI is a thin layer over exactly these functions, adding
only printing and exit codes, so a script and a shell command behave the same.

This module imports only the standard library at load time: ``render``, ``status`` and the other
model-free entry points never import torch, and ``import pipeline`` stays cheap.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.errors import PipelineError
from pipeline.mt.factory import ENGINES, Engine
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

if TYPE_CHECKING:
    from pipeline.mt.base import Backend
    from pipeline.names.glossary import Glossary
    from pipeline.readiness import Readiness
    from pipeline.render.localize import Policy

__all__ = [
    "ENGINES",
    "FROM_PROJECT",
    "PROJECT_FILE",
    "CompileResult",
    "Engine",
    "GlossaryReport",
    "Project",
    "RenderResult",
    "StatusResult",
    "SuggestResult",
    "TextResult",
    "TranslateResult",
    "check_glossary",
    "compile_catalogs",
    "init_project",
    "languages",
    "load_project",
    "parse_languages",
    "render",
    "status",
    "suggest_names",
    "translate",
    "translate_text",
]


Paths = str | Path | Sequence[str | Path]
Languages = str | Sequence[str]
#: ``--model`` values: one model for every language, ``LANG=MODEL`` specs, or a mapping lang → model.
Models = str | Sequence[str] | Mapping[str, str] | None
Notify = Callable[[str], None]
#: ``project=``: a loaded project, a project file, or None for ``newsroom.toml`` in the current folder.
ProjectLike = Project | str | Path | None


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
    """Fail before any work on a language the catalogs have no plural rule for."""
    from pipeline.catalog.plurals import plural_forms

    for lang in langs:
        try:
            plural_forms(lang)
        except PipelineError as exc:
            if "unknown language code" not in str(exc):
                raise  # a known language without a checked plural rule: the message says what to add
            raise PipelineError(f"unknown target language '{lang}' (use a code such as ar, fr, he)") from None


def _load_glossary(glossary: str | Path | Glossary, *, strict: bool = True) -> Glossary:
    from pipeline.names.glossary import Glossary, load_glossary

    return glossary if isinstance(glossary, Glossary) else load_glossary(glossary, strict=strict)


def _model_specs(model: Models) -> list[str]:
    if model is None:
        return []
    if isinstance(model, str):
        return [model]
    if isinstance(model, Mapping):
        return [f"{lang}={name}" for lang, name in model.items()]
    return list(model)


def _engine(name: str) -> Engine:
    for engine in ENGINES:
        if engine == name:
            return engine
    raise PipelineError(f"unknown backend {name!r}; choose one of: {', '.join(ENGINES)}")


def backends(
    backend: str | Backend,
    langs: Sequence[str],
    model: Models,
    *,
    beams: int = 4,
    progress: bool = False,
    project: Project | None = None,
    on_phase: Notify | None = None,
) -> tuple[Callable[[str], Backend], str | dict[str, str]]:
    """``make_backend(lang)`` and the PO header's model label(s): one model per language from
    ``model``, then the project file, then the shipped registry, each distinct model loaded once
    (see ``registry.SharedBackends``). A language with no model fails alone, when it is reached."""
    from pipeline.errors import ModelError
    from pipeline.mt.factory import load_backend
    from pipeline.mt.registry import SharedBackends, plan_models

    if not isinstance(backend, str):
        fixed = backend
        return (lambda lang: fixed), backend.name
    engine = _engine(backend)
    if engine == "identity":
        shared = load_backend("identity", None, langs[0] if langs else "")
        return (lambda lang: shared), "identity"
    registry = (project or Project()).registry
    missing: dict[str, ModelError] = {}
    plan = plan_models(langs, _model_specs(model), registry, missing=missing)

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


def _policy(reviewed_only: bool | None, project: Project) -> Policy:
    if reviewed_only is None:
        return "reviewed" if project.policy == "reviewed" else "machine"
    return "reviewed" if reviewed_only else "machine"


def translate(  # long: one documented keyword per CLI flag, each resolved against the project
    articles: Paths,
    to: Languages | None = None,
    *,
    model: Models = None,
    backend: Engine | Backend | None = None,
    glossary: str | Path | Glossary | None = None,
    locales: str | Path | None = None,
    out: str | Path | Setting | None = FROM_PROJECT,
    reviewed_only: bool | None = None,
    beams: int | None = None,
    keep_going: bool = True,
    migrate_plural_forms: bool = False,
    wait: float = 0.0,
    progress: bool = False,
    notify: Notify | None = None,
    on_phase: Notify | None = None,
    project: ProjectLike = None,
) -> TranslateResult:
    """Translate article files or folders into PO files under ``locales``, then render pages into
    ``out`` (``None``: PO files only), holding the locales folder's lock as the CLI does.

    Every setting left out (``None``, or ``FROM_PROJECT`` for ``out``) comes from the project file
    (``newsroom.toml`` here, or ``project=``), else the defaults. ``model``: a hub id or folder for
    every language, ``LANG=MODEL`` specs, or a mapping; over the project's and the shipped models.
    ``wait``: seconds to wait for another run's lock; ``notify`` receives its one-line notes,
    ``on_phase`` a line when a model starts loading. Bad articles or PO files are in ``errors``
    (``keep_going=False`` raises the first instead), and so is a language whose model is missing or
    fails to load, in ``failed_languages``: the other languages are still translated. A language,
    glossary or lock problem is raised before any work.
    """
    from pipeline.job import translate_articles
    from pipeline.locking import run_lock

    settings = project_of(project)
    langs = parse_languages(to) or list(settings.languages)
    if not langs:
        raise PipelineError(
            f"no target language: pass --to LANGS or set languages in {settings.path or PROJECT_FILE}"
        )
    check_languages(langs)
    terms = _load_glossary(settings.glossary if glossary is None else glossary)
    make_backend, label = backends(
        settings.backend if backend is None else backend,
        langs,
        model,
        beams=settings.beams if beams is None else beams,
        progress=progress,
        project=settings,
        on_phase=on_phase,
    )
    where = Path(settings.locales if locales is None else locales)
    target: Path | None = None
    if out is Setting.FROM_PROJECT:
        target = settings.out
    elif out is not None:
        target = Path(out)
    with run_lock(where, wait=wait, notify=notify):
        report = translate_articles(
            [articles] if isinstance(articles, str | Path) else list(articles),
            langs,
            glossary=terms,
            locales=where,
            out=target,
            make_backend=make_backend,
            model_label=label,
            policy=_policy(reviewed_only, settings),
            keep_going=keep_going,
            migrate_plurals=migrate_plural_forms,
        )
    return TranslateResult.of(report, where, target)


def render(
    locales: str | Path | None = None,
    out: str | Path | None = None,
    to: Languages | None = None,
    reviewed_only: bool | None = None,
    *,
    project: ProjectLike = None,
) -> RenderResult:
    """Regenerate pages from the PO files and layouts alone (no model): translators' edits show at
    once. A bad PO file is in ``errors`` and the other pages still render. Settings left out come
    from the project file."""
    from pipeline.render.pages import render_all

    settings = project_of(project)
    folder = Path(settings.locales if locales is None else locales)
    target = Path(settings.out if out is None else out)
    if not (folder / "templates").is_dir():
        raise PipelineError("no article layouts here: run 'translate' first", folder)
    errors: list[PipelineError] = []
    extra: list[Path] = []
    policy = _policy(reviewed_only, settings)
    langs = parse_languages(to) or None
    pages = render_all(folder, target, langs, policy=policy, errors=errors, written=extra)
    if not pages and not errors:
        raise PipelineError("no PO files to render", folder)
    return RenderResult(pages, errors, target, extra)


def _languages_here(locales: Path, langs: list[str]) -> list[PipelineError]:
    """``--to`` languages with no folder under ``locales``: "no such language here" is not "no PO
    files"; raised when none of them is here, reported when some are."""
    from pipeline.render.localize import languages as present

    here = present(locales)
    absent = [lang for lang in langs if lang not in here]
    if not absent:
        return []
    known = f"languages here: {', '.join(here)}" if here else "no language folder yet: run 'translate' first"
    problems = [PipelineError(f"no language '{lang}' here ({known})", locales) for lang in absent]
    if len(absent) == len(langs):
        raise problems[0]
    return problems


def status(
    locales: str | Path | None = None, to: Languages | None = None, *, project: ProjectLike = None
) -> StatusResult:
    """Reviewed / machine / untranslated / obsolete counts per PO file, per language and in total."""
    from pipeline.catalog.status import scan

    folder = Path(project_of(project).locales if locales is None else locales)
    if not folder.is_dir():
        raise PipelineError("no such folder", folder)
    langs = parse_languages(to)
    absent = _languages_here(folder, langs)
    summary, errors = scan(folder, langs or None)
    if not summary.files and not errors:
        where = f"for {', '.join(langs)} " if langs else ""
        raise PipelineError(f"no PO files {where}here: run 'translate' first", folder)
    return StatusResult(summary, absent + errors)


def compile_catalogs(
    locales: str | Path | None = None,
    to: Languages | None = None,
    *,
    use_fuzzy: bool = False,
    wait: float = 0.0,
    notify: Notify | None = None,
    project: ProjectLike = None,
) -> CompileResult:
    """A ``.mo`` file next to each PO file, for gettext at runtime (``use_fuzzy``: as msgfmt's)."""
    from pipeline.catalog.mo import compile_all
    from pipeline.catalog.status import po_files
    from pipeline.locking import run_lock

    folder = Path(project_of(project).locales if locales is None else locales)
    langs = parse_languages(to) or None
    if not folder.is_dir() or not po_files(folder, langs):
        raise PipelineError("no PO files here: run 'translate' first", folder)
    errors: list[PipelineError] = []
    # MO files live in the translators' folder: never compile while a translate run merges into it.
    with run_lock(folder, wait=wait, notify=notify):
        written = compile_all(folder, langs, use_fuzzy=use_fuzzy, errors=errors)
    return CompileResult(written, errors)


def check_glossary(
    path: str | Path | None = None, to: Languages | None = None, *, project: ProjectLike = None
) -> GlossaryReport:
    """Load a glossary without stopping at its errors, to report them all; with ``to``, also the
    names that have no form in those languages (they stay in English)."""
    from pipeline.names.glossary import missing_forms

    glossary = _load_glossary(project_of(project).glossary if path is None else path, strict=False)
    return GlossaryReport(glossary, {lang: missing_forms(glossary, lang) for lang in parse_languages(to)})


def init_project(path: str | Path = PROJECT_FILE, languages: Languages | None = None) -> Path:
    """Write a commented project file (every setting, with its default, explained), never over an
    existing one; ``languages`` fills its target languages."""
    from pipeline.project import write_template

    langs = parse_languages(languages)
    check_languages(langs)
    return write_template(Path(path), langs)


def languages(
    to: Languages | None = None, *, glossary: str | Path | None = None, project: ProjectLike = None
) -> list[Readiness]:
    """What each language needs and still lacks: model reachable from here, plural rule, glossary
    column; the asked (or the project's) languages first, then every other one with a model."""
    from pipeline.readiness import readiness

    settings = project_of(project)
    langs = parse_languages(to) or list(settings.languages)
    return readiness(settings, langs, None if glossary is None else Path(glossary))


def suggest_names(
    articles: Paths,
    to: str = "ar",
    *,
    glossary: str | Path | None = None,
    output: str | Path | None = None,
    project: ProjectLike = None,
) -> SuggestResult:
    """Names the articles use that the glossary lacks, with a suggested form, as TSV rows to review;
    written to ``output`` when given, which may not be inside the glossary."""
    from pipeline.fileio import atomic_write_text
    from pipeline.ingest import expand_inputs, load_document
    from pipeline.names.glossary import glossary_files
    from pipeline.names.suggest import suggest, suggestions_tsv

    glossary = project_of(project).glossary if glossary is None else glossary
    terms = _load_glossary(glossary)
    target = None if output is None else Path(output)
    if target is not None:
        where, folder = target.resolve(), Path(glossary)
        if where in {f.resolve() for f in glossary_files(folder)} or (
            folder.is_dir() and where.parent == folder.resolve()
        ):
            raise PipelineError(
                "will not write unreviewed suggestions into the glossary; write them elsewhere, "
                "review them, then merge the rows you accept",
                target,
            )
    paths = expand_inputs([articles] if isinstance(articles, str | Path) else list(articles))
    candidates = suggest([load_document(path) for path in paths], terms, to)
    text = suggestions_tsv(candidates, to)
    if target is not None:
        atomic_write_text(target, text)
    return SuggestResult(candidates, text, target)


def translate_text(
    text: str,
    to: str,
    *,
    backend: Engine | Backend | None = None,
    model: str | None = None,
    glossary: str | Path | Glossary | None = None,
    beams: int | None = None,
    project: ProjectLike = None,
) -> TextResult:
    """Translate one string with name protection: every glossary name comes back exactly once, in
    its target form, whatever the model does. No segmentation and no files: for a headline or a
    caption in a script."""
    from pipeline.catalog.checks import qa_notes
    from pipeline.job import term_notes
    from pipeline.names.protection import protect, translate_protected

    settings = project_of(project)
    check_languages([to])
    terms = _load_glossary(settings.glossary if glossary is None else glossary)
    engine = settings.backend if backend is None else backend
    make_backend, _ = backends(engine, [to], model, beams=beams or settings.beams, project=settings)
    protected = protect(text, terms)
    restored = translate_protected(make_backend(to), [protected], to, glossary=terms)[0]
    return TextResult(
        text,
        restored.text,
        to,
        term_notes(protected, to),
        restored.repairs,
        qa_notes(text, restored.text, to, terms),
    )
