"""The model-free entry points over the PO files: ``render`` (and ``watch``), ``status``, ``compile``.

None of them imports torch or transformers (see :mod:`pipeline.api`).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.api.common import (
    Languages,
    Notify,
    ProjectLike,
    ignored_folders,
    language_filter,
    parse_languages,
    policy_of,
    project_of,
)
from pipeline.errors import PipelineError
from pipeline.results import CompileResult, RenderResult, StatusResult

if TYPE_CHECKING:
    from pipeline.render.localize import Policy
    from pipeline.render.pages import ArticlePage


@dataclass(frozen=True)
class RenderPlan:
    """What one render (or watch) works on, once the project file's defaults are filled in."""

    locales: Path
    out: Path
    templates: Path | None
    policy: Policy
    langs: list[str] | None
    review: bool = False


def render_plan(
    locales: str | Path | None,
    out: str | Path | None,
    to: Languages | None,
    reviewed_only: bool | None,
    templates: str | Path | None,
    project: ProjectLike,
    review: bool | None = None,
) -> RenderPlan:
    """Arguments over the project's settings (``None``: the project's); the locales folder must hold
    the layouts, and the newsroom's templates are checked before anything renders."""
    from pipeline.render.templating import check_folder

    settings = project_of(project)
    folder = Path(settings.locales if locales is None else locales)
    chosen = settings.templates if templates is None else templates
    house = None if chosen is None else Path(chosen)
    if not (folder / "templates").is_dir():
        raise PipelineError("no article layouts here: run 'translate' first", folder)
    if house is not None:
        check_folder(house)
    target = Path(settings.out if out is None else out)
    policy = policy_of(reviewed_only, settings)
    wanted = settings.review if review is None else review
    return RenderPlan(folder, target, house, policy, language_filter(to), wanted)


def render(
    locales: str | Path | None = None,
    out: str | Path | None = None,
    to: Languages | None = None,
    reviewed_only: bool | None = None,
    *,
    review: bool | None = None,
    templates: str | Path | None = None,
    project: ProjectLike = None,
) -> RenderResult:
    """Regenerate pages from the PO files and layouts alone (no model): translators' edits show at
    once. A bad PO file is in ``errors`` and the other pages still render. ``review``: also each
    article's review page (``<slug>.review.html``); ``templates``: a folder of Jinja2 templates
    replacing or extending the shipped ones (checked first). Settings left out come from the
    project file."""
    from pipeline.render.pages import render_all, stale_page_temporaries
    from pipeline.render.review_page import render_review

    plan = render_plan(locales, out, to, reviewed_only, templates, project, review)
    folder, target, house, policy = plan.locales, plan.out, plan.templates, plan.policy
    note = stale_page_temporaries(target)
    errors: list[PipelineError] = []
    extra: list[Path] = []
    pages = render_all(
        folder, target, plan.langs, policy=policy, errors=errors, written=extra, templates=house
    )
    if not pages and not errors:
        raise PipelineError("no PO files to render", folder)
    reviews = [
        render_review(folder, target, p.lang, p.slug, policy=policy, templates=house)
        for p in (pages if plan.review else [])
    ]
    return RenderResult(
        pages,
        errors,
        target,
        extra_written=extra,
        reviews=reviews,
        ignored=ignored_folders(folder),
        notes=[note] if note else [],
    )


def watch(
    locales: str | Path | None = None,
    out: str | Path | None = None,
    to: Languages | None = None,
    reviewed_only: bool | None = None,
    *,
    review: bool | None = None,
    templates: str | Path | None = None,
    rendered: Callable[[list[ArticlePage]], None] = lambda pages: None,
    failed: Callable[[PipelineError], None] = lambda error: None,
    ready: Callable[[], None] = lambda: None,
    stop: threading.Event | None = None,
    project: ProjectLike = None,
) -> None:
    """:func:`render`, then again for each article whose PO file changes, until ``stop`` is set or
    Ctrl-C. Bad files go to ``failed`` and the watch goes on (their last good pages are kept)."""
    try:
        from pipeline.render.watch import Site
        from pipeline.render.watch import watch as watch_site
    except ImportError:  # pragma: no cover - watchfiles is the optional 'watch' extra
        raise PipelineError(
            "render --watch needs watchfiles: pip install 'newsroom-pipeline[watch]'"
        ) from None
    plan = render_plan(locales, out, to, reviewed_only, templates, project, review)
    site = Site(plan.locales, plan.out, plan.langs, plan.policy, plan.review, plan.templates)
    watch_site(site, rendered=rendered, failed=failed, ready=ready, stop=stop)


def languages_here(locales: Path, langs: list[str]) -> list[PipelineError]:
    """``--to`` languages with no folder under ``locales``: "no such language here" is not "no PO
    files"; raised when none of them is here, reported when some are. Only language folders count
    (stray ones are ignored), so no other code names a folder to read."""
    from pipeline.language import code_problem
    from pipeline.render.localize import languages as present

    here = present(locales)
    absent = [lang for lang in langs if lang not in here]
    if not absent:
        return []
    known = f"languages here: {', '.join(here)}" if here else "no language folder yet: run 'translate' first"

    def problem(lang: str) -> PipelineError:
        spelling = code_problem(lang) or ""
        hint = f"; {spelling}" if "did you mean" in spelling else ""  # AR, ar_eg: say the right case
        return PipelineError(f"no language '{lang}' here ({known}){hint}", locales)

    problems = [problem(lang) for lang in absent]
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
    absent = languages_here(folder, langs)
    summary, errors = scan(folder, langs or None)  # only language folders are read
    if not summary.files and not errors:
        where = f"for {', '.join(langs)} " if langs else ""
        raise PipelineError(f"no PO files {where}here: run 'translate' first", folder)
    return StatusResult(summary, absent + errors, ignored_folders(folder))


def compile_catalogs(
    locales: str | Path | None = None,
    to: Languages | None = None,
    *,
    use_fuzzy: bool | None = None,
    wait: float = 0.0,
    notify: Notify | None = None,
    project: ProjectLike = None,
) -> CompileResult:
    """A ``.mo`` file next to each PO file, for gettext at runtime (``use_fuzzy``: as msgfmt's;
    ``None``: the project's ``[compile] use_fuzzy``)."""
    from pipeline.catalog.mo import compile_all
    from pipeline.catalog.status import po_files
    from pipeline.locking import run_lock

    settings = project_of(project)
    folder = Path(settings.locales if locales is None else locales)
    fuzzy = settings.use_fuzzy if use_fuzzy is None else use_fuzzy
    langs = language_filter(to)
    if not folder.is_dir() or not po_files(folder, langs):
        raise PipelineError("no PO files here: run 'translate' first", folder)
    errors: list[PipelineError] = []
    # MO files live in the translators' folder: never compile while a translate run merges into it.
    with run_lock(folder, wait=wait, notify=notify):
        written = compile_all(folder, langs, use_fuzzy=fuzzy, errors=errors)
    return CompileResult(written, errors, ignored_folders(folder))
