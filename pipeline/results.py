"""The result objects the public API returns: counts, paths written, errors; never printed here.

Apart from :mod:`pipeline.api` so that module stays the entry points alone; ``pipeline.api`` re-exports
every name.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.errors import PipelineError, PipelineWarning

if TYPE_CHECKING:
    from pipeline.catalog.status import FileStatus, Summary
    from pipeline.compact import PathList
    from pipeline.job import Report
    from pipeline.names.glossary import Glossary, Issue, Term
    from pipeline.names.suggest import Candidate
    from pipeline.render.pages import ArticlePage
    from pipeline.render.review_page import ReviewPage


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
    #: Files whose bytes changed: PO files, then pages. ``written``, ``created`` and ``pages`` are
    #: :class:`~pipeline.compact.PathList`\ s: sequences of ``Path`` kept compact as text, so an
    #: archive's tally does not grow memory by a ``Path`` object per file.
    written: PathList
    errors: list[PipelineError]
    #: Done, but the user must know (``str()`` is one ``FILE[:LINE]: message`` line): ingest's doubts
    #: (little text for the page, no headline, article text cut as a footer), links not followed,
    #: emptied PO files regenerated, a killed render's temporaries removed.
    warnings: list[PipelineWarning]
    #: (article, language) pairs left unwritten by an error in ``errors``; a failed language counts
    #: every article.
    failed: int
    seconds: float
    failed_languages: list[str]  # languages whose model could not be loaded: nothing written for them
    created: PathList  # PO files this run created: a first run, for which the CLI prints next steps
    pages: PathList  # the HTML pages of this run's articles (written, or already up to date)
    skipped: int  # unchanged since the last run (the run cache vouched for them): not even read
    locales: Path
    out: Path | None  # None: pages were not rendered

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def done(self) -> int:
        """(article, language) pairs written: 0 means the run achieved nothing (exit 1, not 2)."""
        return self.articles * len(self.languages) - self.failed

    @property
    def index(self) -> Path | None:
        """``<out>/index.html``, every article in every language, when pages were rendered."""
        return None if self.out is None or not self.pages else self.out / "index.html"

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
    #: Indexes and font files whose bytes this render changed (pages list their own in ``changed``).
    extra_written: list[Path] = field(default_factory=list)
    reviews: list[ReviewPage] = field(default_factory=list)  # with ``review=True``
    ignored: list[Path] = field(default_factory=list)  # folders under locales/ that are no language
    notes: list[str] = field(default_factory=list)  # temporaries of a killed render removed

    @property
    def index(self) -> Path:
        return self.out / "index.html"

    @property
    def html_pages(self) -> list[Path]:
        return [page.page for page in self.pages if page.page is not None]

    @property
    def warnings(self) -> list[PipelineWarning]:
        """Done, but worth a look: blocks a page translated in place could not place, and the like."""
        return [w for page in self.pages for w in page.warnings]

    @property
    def reviewed(self) -> int:
        return sum(p.stats.reviewed for p in self.pages)

    @property
    def total(self) -> int:
        return sum(p.stats.total for p in self.pages)

    @property
    def written(self) -> list[Path]:
        """Files whose bytes this render changed (an unchanged page is not rewritten)."""
        pages = [path for page in self.pages for path in page.changed]
        return pages + [r.path for r in self.reviews if r.changed] + self.extra_written


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
