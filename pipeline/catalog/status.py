"""Status: how far translators have got, per PO file, per language and in total.

The counts are gettext's own categories, so they agree with ``msgfmt --statistics`` and
``msgattrib``: *reviewed* is translated and not fuzzy, *machine* is translated but fuzzy
(our machine output, or a translator's work in progress), *untranslated* has no msgstr, and
*obsolete* are ``#~`` entries kept from sentences that left the article. QA warnings from the
checks stage are ``#.`` comment lines ``qa: <check> ...``; they are counted per check, one per
entry, for entries still awaiting review only: the warnings describe the machine output, and once a
translator has reviewed the entry they were the reviewer's to weigh, so counting them would report
stale problems forever.

Computing a status is pure (:func:`po_status`, :func:`summarize`); :func:`scan` is the one
function that reads files, and reports an unreadable file instead of stopping.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import polib

from pipeline.catalog.layout import read_layout
from pipeline.catalog.plurals import plural_rule_drift
from pipeline.catalog.po import is_translated, language_folders, layout_path, read_po
from pipeline.catalog.provenance import is_machine_output, machine_origin
from pipeline.errors import PipelineError, PipelineWarning
from pipeline.ingest.inline import tag_mismatch

#: gettext's categories of an entry (``msgfmt --statistics``, ``msgattrib``), as this module counts them.
State = Literal["reviewed", "machine", "untranslated", "obsolete"]
#: The live states whose QA warnings are still the reviewer's to see.
AWAITING_REVIEW: frozenset[State] = frozenset({"machine", "untranslated"})

_QA = re.compile(r"^\s*qa:\s*([^\s:]+)")
_REPAIRED = re.compile(r"^\s*repaired:")
#: A layout is read from disk: its text never drives the terminal (escape sequences, line breaks).
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def percent_reviewed(reviewed: int, total: int, digits: int = 1) -> float:
    """Share of ``total`` that is reviewed, rounded to ``digits``; never 100 until every segment is
    reviewed (an editor reads "100%" as "ready to publish"), 0 when there is nothing to review.

    The one rounding rule for every place that shows it: ``status`` (one decimal), pages and indexes
    (``digits=0``, shown as a whole number).
    """
    if total <= 0:
        return 0.0
    value = round(100 * reviewed / total, digits)
    if value >= 100 and reviewed < total:
        value = 100 - 10.0**-digits
    return value


@dataclass
class Counts:
    reviewed: int = 0
    machine: int = 0
    untranslated: int = 0
    obsolete: int = 0
    qa: Counter[str] = field(default_factory=Counter)
    #: Entries awaiting review whose names, numbers or dates protection had to repair
    #: (``#. repaired: ...``): where the model lost something, the reviewer's first stop.
    repaired: int = 0

    @property
    def live(self) -> int:
        return self.reviewed + self.machine + self.untranslated

    @property
    def percent_reviewed(self) -> float:
        return percent_reviewed(self.reviewed, self.live)

    def count(self, state: State) -> None:
        if state == "reviewed":
            self.reviewed += 1
        elif state == "machine":
            self.machine += 1
        elif state == "untranslated":
            self.untranslated += 1
        else:
            self.obsolete += 1

    def add(self, other: Counts) -> None:
        self.reviewed += other.reviewed
        self.machine += other.machine
        self.untranslated += other.untranslated
        self.obsolete += other.obsolete
        self.qa.update(other.qa)
        self.repaired += other.repaired

    def as_dict(self) -> dict[str, object]:
        return {
            "reviewed": self.reviewed,
            "machine": self.machine,
            "untranslated": self.untranslated,
            "obsolete": self.obsolete,
            "segments": self.live,
            "percent_reviewed": self.percent_reviewed,
            "qa": dict(sorted(self.qa.items())),
            "repaired": self.repaired,
        }


def qa_checks(entry: polib.POEntry) -> set[str]:
    """Names of the QA checks that flagged this entry (``#. qa: numbers: ...`` → ``numbers``)."""
    return {m.group(1) for line in (entry.comment or "").split("\n") if (m := _QA.match(line))}


def was_repaired(entry: polib.POEntry) -> bool:
    """Whether protection repaired this entry's machine output (a ``#. repaired: ...`` line)."""
    return any(_REPAIRED.match(line) for line in (entry.comment or "").split("\n"))


def state(entry: polib.POEntry) -> State:
    """Where an entry stands; the header entry (no msgid) is not counted, see :func:`po_status`."""
    if entry.obsolete:
        return "obsolete"
    if not is_translated(entry):
        return "untranslated"
    return "machine" if "fuzzy" in entry.flags else "reviewed"


def po_status(po: Iterable[polib.POEntry]) -> Counts:
    counts = Counts()
    for entry in po:
        if not entry.msgid:
            continue
        entry_state = state(entry)
        counts.count(entry_state)
        checks = qa_checks(entry) if entry_state in AWAITING_REVIEW else set()  # see the docstring
        if entry_state != "untranslated" and tag_mismatch(entry.msgid, entry.msgstr):
            checks.add("tags")  # a translator's broken tag, reviewed or not: the page drops it
        counts.qa.update(checks)
        if entry_state in AWAITING_REVIEW:
            counts.repaired += was_repaired(entry)
    return counts


@dataclass
class FileStatus:
    path: str
    lang: str
    counts: Counts
    #: The current table's Plural-Forms where it differs from the file's (kept as written).
    plural_drift: str | None = None
    #: Which model (and settings) wrote the file's machine entries, and how many each.
    models: dict[str, int] = field(default_factory=dict)
    #: The article's source file and ingest's warnings on it (little text, no headline), from its
    #: layout as the last translate run wrote it; empty when it had none or has no layout.
    source: str = ""
    ingest_warnings: tuple[str, ...] = ()


@dataclass
class Summary:
    files: list[FileStatus]
    languages: dict[str, Counts]
    total: Counts

    def as_dict(self) -> dict[str, object]:
        return {
            "files": [
                {
                    "path": f.path,
                    "lang": f.lang,
                    **f.counts.as_dict(),
                    "plural_forms_drift": f.plural_drift,
                    "models": f.models,
                    "ingest_warnings": list(f.ingest_warnings),
                }
                for f in self.files
            ],
            "languages": {lang: c.as_dict() for lang, c in self.languages.items()},
            "total": self.total.as_dict(),
        }


def summarize(files: Iterable[FileStatus]) -> Summary:
    files = sorted(files, key=lambda f: (f.lang, f.path))
    languages: dict[str, Counts] = {}
    total = Counts()
    for f in files:
        languages.setdefault(f.lang, Counts()).add(f.counts)
        total.add(f.counts)
    return Summary(files, languages, total)


#: What ``status`` names the model of note-less machine entries in a file whose header names none.
UNKNOWN_MODEL = "unknown (no machine notes, no X-Machine-Translation)"


def machine_models(po: polib.POFile) -> dict[str, int]:
    """Machine entries awaiting review per model label (``#. machine:`` notes). Files written
    before the notes existed have none: their machine entries count under the header's
    ``X-Machine-Translation``."""
    models: Counter[str] = Counter()
    unmarked = 0
    for entry in po:
        if not entry.msgid or entry.obsolete or state(entry) != "machine":
            continue
        origin = machine_origin(entry)
        if origin is not None and is_machine_output(entry):
            models[origin.label] += 1
        elif origin is None:
            unmarked += 1
    if unmarked and not models:
        # a header that names no model leaves them where no run can tell whose they are: say so
        models[po.metadata.get("X-Machine-Translation", "").strip() or UNKNOWN_MODEL] = unmarked
    return dict(sorted(models.items()))


def po_files(locales: Path, langs: Iterable[str] | None = None) -> list[tuple[str, Path]]:
    """``(lang, path)`` of every PO file under ``locales/<lang>/`` (the templates folder has POTs)."""
    wanted = set(langs) if langs else None
    found: list[tuple[str, Path]] = []
    for lang in language_folders(Path(locales))[0]:
        if wanted is None or lang in wanted:
            found.extend((lang, path) for path in sorted((Path(locales) / lang).rglob("*.po")))
    return found


def scan(locales: str | Path, langs: Iterable[str] | None = None) -> tuple[Summary, list[PipelineError]]:
    statuses: list[FileStatus] = []
    errors: list[PipelineError] = []
    layouts: dict[str, tuple[str, tuple[str, ...]]] = {}
    for lang, path in po_files(Path(locales), langs):
        try:
            po = read_po(path)
            status = FileStatus(
                path.as_posix(), lang, po_status(po), plural_rule_drift(po, lang), machine_models(po)
            )
        except PipelineError as exc:
            errors.append(exc)
            continue
        if path.stem not in layouts:
            layouts[path.stem] = _ingest_warnings(Path(locales), path.stem, errors)
        status.source, status.ingest_warnings = layouts[path.stem]
        statuses.append(status)
    return summarize(statuses), errors


def _ingest_warnings(locales: Path, slug: str, errors: list[PipelineError]) -> tuple[str, tuple[str, ...]]:
    """The article's source and ingest warnings from its layout; a malformed layout is an error."""
    path = layout_path(locales, slug)
    if not path.is_file():
        return "", ()
    try:
        layout = read_layout(path)
    except PipelineError as exc:
        errors.append(exc)
        return "", ()
    return layout.source, layout.warnings


def ingest_notes(summary: Summary) -> list[PipelineWarning]:
    """One warning (``str()``: ``SOURCE: warning``) per article, not per language, in file order."""
    seen: dict[str, PipelineWarning] = {}
    for f in summary.files:
        for note in f.ingest_warnings:
            found = PipelineWarning(_CONTROL.sub("?", note), _CONTROL.sub("?", f.source or f.path))
            seen.setdefault(str(found), found)
    return list(seen.values())


def format_table(summary: Summary) -> str:
    """A plain-text table: one row per file, a subtotal per language, then the total."""
    qa_names = sorted(summary.total.qa)
    header = ["file", "reviewed", "machine", "untranslated", "obsolete", "% reviewed"]
    repairs = summary.total.repaired > 0
    if repairs:
        header.append("repaired")
    if qa_names:
        header.append("qa")
    rows: list[list[str]] = []

    def row(label: str, c: Counts) -> list[str]:
        cells = [label, str(c.reviewed), str(c.machine), str(c.untranslated), str(c.obsolete)]
        cells.append(f"{c.percent_reviewed:.1f}")
        if repairs:
            cells.append(str(c.repaired))
        if qa_names:
            cells.append(", ".join(f"{name} {c.qa[name]}" for name in qa_names if c.qa[name]) or "-")
        return cells

    with_models = any(f.models for f in summary.files)
    if with_models:
        header.append("machine output from")

    def file_row(f: FileStatus) -> list[str]:
        cells = row(f.path, f.counts)
        if with_models:
            cells.append(", ".join(f"{label} ({n})" for label, n in f.models.items()) or "-")
        return cells

    def total_row(label: str, c: Counts) -> list[str]:
        return row(label, c) + (["-"] if with_models else [])

    for lang, counts in summary.languages.items():
        rows.extend(file_row(f) for f in summary.files if f.lang == lang)
        rows.append(total_row(f"[{lang}] total", counts))
    rows.append(total_row("total", summary.total))
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]

    def line(cells: list[str]) -> str:
        first = cells[0].ljust(widths[0])
        pairs = zip(cells[1:], widths[1:], strict=True)
        rest = [c.rjust(w) if c[:1].isdigit() or c == "-" else c.ljust(w) for c, w in pairs]
        return "  ".join([first, *rest]).rstrip()

    return "\n".join(line(r) for r in [header, *rows])
