"""The glossary editors' entry points: ``check_glossary``, ``suggest_names``, ``add_to_glossary``."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.api.common import (
    Languages,
    Paths,
    ProjectLike,
    backends,
    load_terms,
    parse_languages,
    project_of,
)
from pipeline.errors import PipelineError
from pipeline.mt.factory import Engine
from pipeline.results import GlossaryReport, SuggestResult

if TYPE_CHECKING:
    from pipeline.mt.base import Backend
    from pipeline.names.merge import AddResult


def check_glossary(
    path: str | Path | None = None, to: Languages | None = None, *, project: ProjectLike = None
) -> GlossaryReport:
    """Load a glossary without stopping at its errors, to report them all; with ``to``, also the
    names that have no form in those languages (they stay in English)."""
    from pipeline.names.glossary import missing_forms

    glossary = load_terms(project_of(project).glossary if path is None else path, strict=False)
    return GlossaryReport(glossary, {lang: missing_forms(glossary, lang) for lang in parse_languages(to)})


def _outside_glossary(target: Path, glossary: str | Path) -> None:
    from pipeline.names.glossary import glossary_files

    where, folder = target.resolve(), Path(glossary)
    if where in {f.resolve() for f in glossary_files(folder)} or (
        folder.is_dir() and where.parent == folder.resolve()
    ):
        raise PipelineError(
            "will not write unreviewed suggestions into the glossary; write them elsewhere, "
            "review them, then merge the rows you accept",
            target,
        )


def suggest_names(
    articles: Paths,
    to: str = "ar",
    *,
    glossary: str | Path | None = None,
    output: str | Path | None = None,
    model: str | None = None,
    backend: Engine | Backend | None = None,
    project: ProjectLike = None,
) -> SuggestResult:
    """Names the articles use that the glossary lacks, with candidate forms, as TSV rows to review;
    written to ``output`` when given, which may not be inside the glossary. With ``model`` (or a
    ``Backend`` object), the model's rendering of each name alone is one of the candidates; the
    engine, when not given, is the project's. Settings left out come from the project file."""
    from pipeline.fileio import atomic_write_text
    from pipeline.ingest import expand_inputs, load_document
    from pipeline.names.suggest import suggest, suggestions_tsv

    settings = project_of(project)
    glossary = settings.glossary if glossary is None else glossary
    terms = load_terms(glossary)
    target = None if output is None else Path(output)
    if target is not None:
        _outside_glossary(target, glossary)
    paths = expand_inputs([articles] if isinstance(articles, str | Path) else list(articles))
    engine = None
    if model is not None or not (backend is None or isinstance(backend, str)):
        chosen = settings.backend if backend is None else backend
        engine = backends(chosen, [to], model, beams=settings.beams, project=settings)[0](to)
    candidates = suggest([load_document(path) for path in paths], terms, to, engine)
    text = suggestions_tsv(candidates, to)
    if target is not None:
        atomic_write_text(target, text)
    return SuggestResult(candidates, text, target)


def add_to_glossary(
    suggestions: str | Path,
    *,
    glossary: str | Path | None = None,
    into: str | Path | None = None,
    project: ProjectLike = None,
) -> AddResult:
    """Merge a reviewed ``glossary suggest`` TSV into the glossary, all or nothing: rows still marked
    unreviewed and names the glossary has with other forms come back in ``errors`` (file and line)
    and nothing is written; otherwise new rows are appended to ``into`` (default: the glossary's only
    file), its order and comments kept, and rows already there are skipped. The glossary, when not
    given, is the project file's."""
    from pipeline.names.merge import add_reviewed

    return add_reviewed(suggestions, project_of(project).glossary if glossary is None else glossary, into)
