"""The public Python API: what the command line does, for scripts that batch-translate.

Each entry point returns a result object (counts, paths written, errors as
:class:`~pipeline.errors.PipelineError` objects) and never prints; a failure that leaves nothing
done is raised as a ``PipelineError``. The CLI is a thin layer over exactly these functions, adding
only printing and exit codes, so a script and a shell command behave the same.

This module imports only the standard library at load time: ``render``, ``status`` and the other
model-free entry points never import torch, and ``import pipeline`` stays cheap.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from pipeline.errors import PipelineError, PipelineWarning
from pipeline.mt.factory import ENGINES, Engine

if TYPE_CHECKING:
    from pipeline.catalog.status import FileStatus, Summary
    from pipeline.job import Report
    from pipeline.mt.base import Backend
    from pipeline.names.glossary import Glossary, Issue, Term
    from pipeline.names.merge import AddResult
    from pipeline.names.quantities import QuantityKind
    from pipeline.names.style import Style
    from pipeline.names.suggest import Candidate
    from pipeline.render.localize import Policy
    from pipeline.render.pages import ArticlePage
    from pipeline.render.review_page import ReviewPage

__all__ = [
    "ENGINES",
    "add_to_glossary",
    "CompileResult",
    "Engine",
    "GlossaryReport",
    "RenderResult",
    "StatusResult",
    "SuggestResult",
    "TextResult",
    "TranslateResult",
    "check_glossary",
    "compile_catalogs",
    "parse_languages",
    "render",
    "status",
    "suggest_names",
    "translate",
    "translate_text",
    "watch",
]


Paths = str | Path | Sequence[str | Path]
Languages = str | Sequence[str]
#: ``--model`` values: one model for every language, ``LANG=MODEL`` specs, or a mapping lang → model.
Models = str | Sequence[str] | Mapping[str, str] | None
Notify = Callable[[str], None]
#: Kinds of quantity whose protection can be switched off for a run (``--no-protect``).
Unprotected = Literal["numbers", "dates"]


@dataclass(frozen=True)
class TranslateResult:
    """What a translate run did; ``errors`` are the bad articles or PO files it skipped."""

    articles: int
    languages: list[str]
    units: int
    translated: int  # sent to the model
    reused: int  # kept from the existing PO files
    remembered: int  # filled from reviewed entries of other PO files, no model call
    names: int  # glossary names protected
    figures: int  # numbers and dates protected
    repairs: int  # segments whose names, numbers or dates had to be repaired
    written: list[Path]  # files whose bytes changed: PO files, then pages
    errors: list[PipelineError]
    #: Done, but the user must know (``str()`` is one ``FILE[:LINE]: message`` line): ingest's doubts
    #: (little text for the page, no headline, article text cut as a footer), links not followed,
    #: emptied PO files regenerated.
    warnings: list[PipelineWarning]
    failed: int  # (article, language) pairs left unwritten by an error in ``errors``
    seconds: float
    locales: Path
    out: Path | None  # None: pages were not rendered

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def done(self) -> int:
        """(article, language) pairs written: 0 means the run achieved nothing (exit 1, not 2)."""
        return self.articles * len(self.languages) - self.failed

    @classmethod
    def of(cls, report: Report, locales: Path, out: Path | None) -> TranslateResult:
        """The job's running tallies, frozen into the API's stable result."""
        counts = {f.name: getattr(report, f.name) for f in fields(report)}
        return cls(**counts, locales=locales, out=out)


@dataclass(frozen=True)
class RenderResult:
    pages: list[ArticlePage]
    errors: list[PipelineError]
    out: Path
    reviews: list[ReviewPage] = field(default_factory=list)  # with ``review=True``
    ignored: list[Path] = field(default_factory=list)  # folders under locales/ that are no language
    notes: list[str] = field(default_factory=list)  # temporaries of a killed render removed

    @property
    def reviewed(self) -> int:
        return sum(p.stats.reviewed for p in self.pages)

    @property
    def total(self) -> int:
        return sum(p.stats.total for p in self.pages)

    @property
    def written(self) -> list[Path]:
        """Files whose bytes this render changed (an unchanged page is not rewritten)."""
        return [path for page in self.pages for path in page.changed]


@dataclass(frozen=True)
class StatusResult:
    summary: Summary
    errors: list[PipelineError]  # PO files that could not be read
    ignored: list[Path] = field(default_factory=list)  # folders under locales/ that are no language

    @property
    def drifted(self) -> list[FileStatus]:
        """Files whose Plural-Forms differs from the current rule (kept as written)."""
        return [f for f in self.summary.files if f.plural_drift]

    def as_dict(self) -> dict[str, object]:
        return self.summary.as_dict()

    def table(self) -> str:
        from pipeline.catalog.status import format_table

        return format_table(self.summary)


@dataclass(frozen=True)
class CompileResult:
    written: list[Path]  # MO files whose bytes changed
    errors: list[PipelineError]
    ignored: list[Path] = field(default_factory=list)  # folders under locales/ that are no language


@dataclass(frozen=True)
class GlossaryReport:
    """``glossary check``: the loaded glossary, its issues, and the names lacking each asked language."""

    glossary: Glossary
    missing: dict[str, list[Term]] = field(default_factory=dict)

    @property
    def issues(self) -> list[Issue]:
        return self.glossary.issues

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.glossary.issues if i.severity == "error"]

    @property
    def warnings(self) -> list[Issue]:
        return [i for i in self.glossary.issues if i.severity == "warning"]

    @property
    def builtin_terms(self) -> int:
        """CLDR country and city names, built in."""
        return sum(1 for t in self.glossary.terms if t.builtin)

    @property
    def own_terms(self) -> int:
        """The newsroom's own terms, from the glossary files."""
        return len(self.glossary.terms) - self.builtin_terms

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass(frozen=True)
class SuggestResult:
    candidates: list[Candidate]
    tsv: str  # glossary-shaped rows, to review before merging
    written: Path | None  # the TSV file, when one was asked for


@dataclass(frozen=True)
class TextResult:
    """One string through name protection: ``text`` has every glossary name in its target form."""

    source: str
    text: str
    lang: str
    terms: list[str]  # "Mosul = الموصل", or "X (kept in English)"
    repairs: tuple[str, ...]  # names the model lost or garbled, put back
    warnings: list[str]  # QA checks on the output, as ``qa: <check>: <detail>``


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


def _load_glossary(glossary: str | Path | Glossary, *, strict: bool = True) -> Glossary:
    from pipeline.names.glossary import Glossary, load_glossary

    return glossary if isinstance(glossary, Glossary) else load_glossary(glossary, strict=strict)


def _load_style(
    style: str | Path | Style | None, glossary: str | Path | Glossary, no_protect: Sequence[Unprotected]
) -> Style:
    """``style.toml`` next to the glossary unless another is named, less the kinds switched off."""
    from pipeline.names.style import Style, load_style

    if isinstance(style, Style):
        found = style
    else:
        found = load_style(
            style if style is not None else glossary if isinstance(glossary, str | Path) else None
        )
    off: dict[str, QuantityKind] = {"numbers": "number", "dates": "date"}
    unknown = [k for k in no_protect if k not in off]
    if unknown:
        raise PipelineError(f"no_protect takes 'numbers' and 'dates', not {unknown[0]!r}")
    return found.without({off[k] for k in no_protect})


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
    backend: Engine | Backend,
    langs: Sequence[str],
    model: Models,
    *,
    beams: int = 4,
    progress: bool = False,
) -> tuple[Callable[[str], Backend], str | dict[str, str]]:
    """``make_backend(lang)`` and the PO header's model label(s): one model per language from
    ``model``/the registry, each distinct model loaded once (see ``registry.SharedBackends``)."""
    from pipeline.mt.factory import load_backend
    from pipeline.mt.registry import SharedBackends, plan_models

    if not isinstance(backend, str):
        fixed = backend
        return (lambda lang: fixed), backend.name
    engine = _engine(backend)
    if engine == "identity":
        shared = load_backend("identity", None, langs[0] if langs else "")
        return (lambda lang: shared), "identity"
    pool = SharedBackends(
        plan_models(langs, _model_specs(model)),
        lambda name, lang: load_backend(engine, name, lang, num_beams=beams, progress=progress),
    )
    return pool, pool.labels()


def _ignored(locales: str | Path) -> list[Path]:
    from pipeline.catalog.po import language_folders

    return language_folders(Path(locales))[1]


def _filter(to: Languages | None) -> list[str] | None:
    """``--to`` of the commands that read PO files: checked as codes (they name folders), or None."""
    from pipeline.language import code_problem

    langs = parse_languages(to)
    for lang in langs:
        problem = code_problem(lang)
        if problem is not None:
            raise PipelineError(f"unknown language '{lang}': {problem}")
    return langs or None


def _policy(reviewed_only: bool) -> Policy:
    return "reviewed" if reviewed_only else "machine"


def translate(
    articles: Paths,
    to: Languages,
    *,
    model: Models = None,
    backend: Engine | Backend = "transformers",
    glossary: str | Path | Glossary = "glossary",
    locales: str | Path = "locales",
    out: str | Path | None = "build",
    reviewed_only: bool = False,
    beams: int = 4,
    keep_going: bool = True,
    migrate_plural_forms: bool = False,
    wait: float = 0.0,
    progress: bool = False,
    notify: Notify | None = None,
    strict: bool = False,
    style: str | Path | Style | None = None,
    no_protect: Sequence[Unprotected] = (),
) -> TranslateResult:
    """Translate article files or folders into PO files under ``locales``, then render pages into
    ``out`` (``None``: PO files only), holding the locales folder's lock as the CLI does.

    ``model``: a hub id or folder for every language, ``LANG=MODEL`` specs, or a mapping; default
    the model registry. ``wait``: seconds to wait for another run's lock; ``notify`` receives its
    one-line notes. ``strict``: an article ingest warns about (little text for its page, no
    headline, text cut as a comment footer; see ``warnings``) is an error instead of being
    translated. Bad articles or PO files are in ``errors`` (``keep_going=False`` raises the
    first instead); a language, glossary, model or lock problem is raised before any work.
    ``style``: the numbers-and-dates style file (default ``style.toml`` in the glossary folder);
    ``no_protect``: ``"numbers"`` and/or ``"dates"`` to leave to the model.
    """
    from pipeline.job import translate_articles
    from pipeline.locking import run_lock

    langs = parse_languages(to)
    check_languages(langs)
    terms = _load_glossary(glossary)
    house = _load_style(style, glossary, no_protect)
    make_backend, label = backends(backend, langs, model, beams=beams, progress=progress)
    locales, target = Path(locales), None if out is None else Path(out)
    with run_lock(locales, wait=wait, notify=notify):
        report = translate_articles(
            [articles] if isinstance(articles, str | Path) else list(articles),
            langs,
            glossary=terms,
            locales=locales,
            out=target,
            make_backend=make_backend,
            model_label=label,
            policy=_policy(reviewed_only),
            keep_going=keep_going,
            migrate_plurals=migrate_plural_forms,
            strict=strict,
            settings=f"{backend};beams={beams}" if isinstance(backend, str) and backend != "identity" else "",
            style=house,
        )
    return TranslateResult.of(report, locales, target)


def _render_setup(locales: str | Path, templates: str | Path | None) -> tuple[Path, Path | None]:
    from pipeline.render.templating import check_folder

    locales, folder = Path(locales), None if templates is None else Path(templates)
    if not (locales / "templates").is_dir():
        raise PipelineError("no article layouts here: run 'translate' first", locales)
    if folder is not None:
        check_folder(folder)
    return locales, folder


def render(
    locales: str | Path = "locales",
    out: str | Path = "build",
    to: Languages | None = None,
    reviewed_only: bool = False,
    *,
    review: bool = False,
    templates: str | Path | None = None,
) -> RenderResult:
    """Regenerate pages from the PO files and layouts alone (no model): translators' edits show at
    once. A bad PO file is in ``errors`` and the other pages still render. ``review``: also each
    article's review page (``<slug>.review.html``); ``templates``: a folder of Jinja2 templates
    replacing or extending the shipped ones (checked first)."""
    from pipeline.render.pages import render_all, stale_page_temporaries
    from pipeline.render.review_page import render_review

    locales, folder = _render_setup(locales, templates)
    out, policy = Path(out), _policy(reviewed_only)
    note = stale_page_temporaries(out)
    errors: list[PipelineError] = []
    pages = render_all(locales, out, _filter(to), policy=policy, errors=errors, templates=folder)
    if not pages and not errors:
        raise PipelineError("no PO files to render", locales)
    reviews = [
        render_review(locales, out, p.lang, p.slug, policy=policy, templates=folder) for p in pages if review
    ]
    return RenderResult(pages, errors, out, reviews, _ignored(locales), [note] if note else [])


def watch(
    locales: str | Path = "locales",
    out: str | Path = "build",
    to: Languages | None = None,
    reviewed_only: bool = False,
    *,
    review: bool = False,
    templates: str | Path | None = None,
    rendered: Callable[[list[ArticlePage]], None] = lambda pages: None,
    failed: Callable[[PipelineError], None] = lambda error: None,
    ready: Callable[[], None] = lambda: None,
    stop: threading.Event | None = None,
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
    locales, folder = _render_setup(locales, templates)
    langs = parse_languages(to) or None
    site = Site(locales, Path(out), langs, _policy(reviewed_only), review, folder)
    watch_site(site, rendered=rendered, failed=failed, ready=ready, stop=stop)


def status(locales: str | Path = "locales", to: Languages | None = None) -> StatusResult:
    """Reviewed / machine / untranslated / obsolete counts per PO file, per language and in total."""
    from pipeline.catalog.status import scan

    if not Path(locales).is_dir():
        raise PipelineError("no such folder", locales)
    summary, errors = scan(locales, _filter(to))
    if not summary.files and not errors:
        raise PipelineError("no PO files here: run 'translate' first", locales)
    return StatusResult(summary, errors, _ignored(locales))


def compile_catalogs(
    locales: str | Path = "locales",
    to: Languages | None = None,
    *,
    use_fuzzy: bool = False,
    wait: float = 0.0,
    notify: Notify | None = None,
) -> CompileResult:
    """A ``.mo`` file next to each PO file, for gettext at runtime (``use_fuzzy``: as msgfmt's)."""
    from pipeline.catalog.mo import compile_all
    from pipeline.catalog.status import po_files
    from pipeline.locking import run_lock

    langs = _filter(to)
    if not Path(locales).is_dir() or not po_files(Path(locales), langs):
        raise PipelineError("no PO files here: run 'translate' first", locales)
    errors: list[PipelineError] = []
    # MO files live in the translators' folder: never compile while a translate run merges into it.
    with run_lock(locales, wait=wait, notify=notify):
        written = compile_all(locales, langs, use_fuzzy=use_fuzzy, errors=errors)
    return CompileResult(written, errors, _ignored(locales))


def check_glossary(path: str | Path = "glossary", to: Languages | None = None) -> GlossaryReport:
    """Load a glossary without stopping at its errors, to report them all; with ``to``, also the
    names that have no form in those languages (they stay in English)."""
    from pipeline.names.glossary import missing_forms

    glossary = _load_glossary(path, strict=False)
    return GlossaryReport(glossary, {lang: missing_forms(glossary, lang) for lang in parse_languages(to)})


def suggest_names(
    articles: Paths,
    to: str = "ar",
    *,
    glossary: str | Path = "glossary",
    output: str | Path | None = None,
    model: str | None = None,
    backend: Engine | Backend = "transformers",
) -> SuggestResult:
    """Names the articles use that the glossary lacks, with candidate forms, as TSV rows to review;
    written to ``output`` when given, which may not be inside the glossary. With ``model`` (or a
    ``Backend`` object), the model's rendering of each name alone is one of the candidates."""
    from pipeline.fileio import atomic_write_text
    from pipeline.ingest import expand_inputs, load_document
    from pipeline.names.glossary import glossary_files
    from pipeline.names.suggest import suggest, suggestions_tsv

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
    engine = None
    if model is not None or not isinstance(backend, str):
        engine = backends(backend, [to], model, progress=False)[0](to)
    candidates = suggest([load_document(path) for path in paths], terms, to, engine)
    text = suggestions_tsv(candidates, to)
    if target is not None:
        atomic_write_text(target, text)
    return SuggestResult(candidates, text, target)


def add_to_glossary(
    suggestions: str | Path, *, glossary: str | Path = "glossary", into: str | Path | None = None
) -> AddResult:
    """Merge a reviewed ``glossary suggest`` TSV into the glossary, all or nothing: rows still marked
    unreviewed and names the glossary has with other forms come back in ``errors`` (file and line)
    and nothing is written; otherwise new rows are appended to ``into`` (default: the glossary's only
    file), its order and comments kept, and rows already there are skipped."""
    from pipeline.names.merge import add_reviewed

    return add_reviewed(suggestions, glossary, into)


def translate_text(
    text: str,
    to: str,
    *,
    backend: Engine | Backend = "transformers",
    model: str | None = None,
    glossary: str | Path | Glossary = "glossary",
    beams: int = 4,
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

    check_languages([to])
    terms = _load_glossary(glossary)
    house = _load_style(style, glossary, no_protect)
    make_backend, _ = backends(backend, [to], model, beams=beams)
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
