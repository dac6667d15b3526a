"""``translate`` (articles → PO files → pages) and ``translate_text`` (one string, names protected)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

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
    executor_named,
    load_style,
    load_terms,
    parse_languages,
    policy_of,
    project_of,
    unprotected,
)
from pipeline.errors import PipelineError
from pipeline.mt.factory import Engine, Executor
from pipeline.project import PROJECT_FILE, Project
from pipeline.results import TextResult, TranslateResult

if TYPE_CHECKING:
    from pipeline.mt.base import Backend
    from pipeline.names.glossary import Glossary
    from pipeline.names.style import Style


def target_languages(to: Languages | None, settings: Project) -> list[str]:
    """``to`` (checked: an empty ``--to ""`` is an error, not "every language"), else the project's."""
    langs = parse_languages(to) if to is not None else list(settings.languages)
    if to is None and not langs:
        raise PipelineError(
            f"no target language: pass --to LANGS or set languages in {settings.path or PROJECT_FILE}"
        )
    check_languages(langs)
    return langs


def _pages_folder(out: str | Path | Setting | None, settings: Project) -> Path | None:
    """``FROM_PROJECT``: the project's pages folder, or none where its ``[translate] render`` is off."""
    if out is Setting.FROM_PROJECT:
        return settings.out if settings.render else None
    return None if out is None else Path(out)


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
    keep_going: bool | None = None,
    migrate_plural_forms: bool = False,
    wait: float = 0.0,
    progress: bool = False,
    notify: Notify | None = None,
    on_phase: Notify | None = None,
    strict: bool | None = None,
    project: ProjectLike = None,
    executor: Executor | None = None,
    cluster: Cluster | None = None,
    style: str | Path | Style | None = None,
    no_protect: Sequence[Unprotected] = (),
) -> TranslateResult:
    """Translate article files or folders into PO files under ``locales``, then render pages into
    ``out`` (``None``: PO files only; left out: the project's folder, unless its ``[translate]
    render`` is false), holding the locales folder's lock as the CLI does.

    Every setting left out (``None``, or ``FROM_PROJECT`` for ``out``) comes from the project file
    (``newsroom.toml`` here, or ``project=``), else the defaults. ``model``: a hub id or folder for
    every language, ``LANG=MODEL`` specs, or a mapping; over the project's and the shipped models.
    ``wait``: seconds to wait for another run's lock; ``notify`` receives its one-line notes,
    ``on_phase`` a line when a model starts loading. ``strict``: an article ingest warns about
    (little text for its page, no headline, text cut as a comment footer; see ``warnings``) is an
    error instead of being translated (left out: the project's ``[translate] strict``). Bad articles
    or PO files are in ``errors`` (``keep_going=False``, or the project's ``fail_fast = true``,
    raises the first instead), and so is a language whose model is missing or
    fails to load, in ``failed_languages``: the other languages are still translated. A language,
    glossary or lock problem is raised before any work. ``executor="ray"``: the model runs as
    replicas on a Ray cluster (``cluster``: which, how many; each setting left out from the
    project's ``[translate]``). Articles unchanged since the last run are skipped through the run
    cache (``skipped``). ``style``: the numbers-and-dates style file (default: the project's
    ``[style] file``, else ``style.toml`` in the glossary folder); ``no_protect``: ``"numbers"``
    and/or ``"dates"`` to leave to the model, besides the project's ``[style] no_protect``.
    """
    from pipeline.job import translate_articles
    from pipeline.locking import run_lock

    settings = project_of(project)
    langs = target_languages(to, settings)
    named = settings.glossary if glossary is None else glossary
    terms = load_terms(named)
    house = load_style(settings.style if style is None else style, named, unprotected(no_protect, settings))
    where_model = executor_named(settings.executor if executor is None else executor)
    engine = settings.backend if backend is None else backend
    width = settings.beams if beams is None else beams
    make_backend, label = backends(
        engine,
        langs,
        model,
        beams=width,
        progress=progress,
        project=settings,
        on_phase=on_phase,
        cluster=Cluster.of(cluster, settings) if where_model == "ray" else None,
    )
    where = Path(settings.locales if locales is None else locales)
    target = _pages_folder(out, settings)
    with run_lock(where, wait=wait, notify=notify):
        report = translate_articles(
            [articles] if isinstance(articles, str | Path) else list(articles),
            langs,
            glossary=terms,
            locales=where,
            out=target,
            make_backend=make_backend,
            model_label=label,
            policy=policy_of(reviewed_only, settings),
            keep_going=not settings.fail_fast if keep_going is None else keep_going,
            migrate_plurals=migrate_plural_forms,
            strict=settings.strict if strict is None else strict,
            settings=f"{engine};beams={width}" if isinstance(engine, str) and engine != "identity" else "",
            style=house,
        )
    return TranslateResult.of(report, where, target)


def translate_text(
    text: str,
    to: str,
    *,
    backend: Engine | Backend | None = None,
    model: str | None = None,
    glossary: str | Path | Glossary | None = None,
    beams: int | None = None,
    project: ProjectLike = None,
    style: str | Path | Style | None = None,
    no_protect: Sequence[Unprotected] = (),
) -> TextResult:
    """Translate one string with name protection: every glossary name comes back exactly once, in
    its target form, whatever the model does. No segmentation and no files: for a headline or a
    caption in a script. Numbers and dates are protected and rendered as ``translate`` does."""
    from pipeline.catalog.checks import qa_notes
    from pipeline.job import figure_pairs, term_notes
    from pipeline.names.protection import protect, translate_protected
    from pipeline.names.style import quantity_matches

    settings = project_of(project)
    check_languages([to])
    named = settings.glossary if glossary is None else glossary
    terms = load_terms(named)
    house = load_style(settings.style if style is None else style, named, unprotected(no_protect, settings))
    engine = settings.backend if backend is None else backend
    make_backend, _ = backends(engine, [to], model, beams=beams or settings.beams, project=settings)
    protected = protect(text, terms, extra=quantity_matches(text, to, house))
    restored = translate_protected(make_backend(to), [protected], to, glossary=terms)[0]
    return TextResult(
        text,
        restored.text,
        to,
        term_notes(protected, to),
        restored.repairs,
        qa_notes(text, restored.text, to, terms, figure_pairs(protected, to)),
    )
