"""The project file's entry points: ``init_project`` writes one, ``languages`` says what each
language still lacks."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.api.common import Languages, ProjectLike, check_languages, parse_languages, project_of
from pipeline.project import PROJECT_FILE

if TYPE_CHECKING:
    from pipeline.readiness import Readiness


def init_project(path: str | Path = PROJECT_FILE, languages: Languages | None = None) -> Path:
    """Write a commented project file (every setting, with its default, explained), never over an
    existing one; ``languages`` fills its target languages."""
    from pipeline.project import write_template

    langs = parse_languages(languages)
    if langs:
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
