"""Glossary: proper names and their fixed forms in each target language.

Glossaries are UTF-8 TSV files with a header row: ``en`` plus one column per target language
code, and optional ``kind``, ``variants`` (``|``-separated other English spellings) and ``note``.
They are the newsroom's style authority for names, so a malformed file is an error that names
the file and line rather than a silently skipped row.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from pipeline.errors import GlossaryError
from pipeline.fileio import read_utf8_text, utf8_error_line
from pipeline.language import letter_range
from pipeline.names.terms import (
    KINDS,
    Match,
    Term,
    TermKind,
    fold_surface,
    form_of,
    forms_pattern,
    is_acronym,
    surface_pattern,
)

META_COLUMNS = ("kind", "variants", "note")
#: Starts the note of every row ``glossary suggest`` writes; an editor deletes it on review.
UNREVIEWED = "UNREVIEWED suggestion"
_LANG_COLUMN = re.compile(r"^[a-z]{2,3}([_-][A-Za-z0-9]{2,8})?$")

#: How much an issue matters: an error stops a strict load, a warning is shown, a note is for information.
Severity = Literal["error", "warning", "note"]


@dataclass(frozen=True)
class Issue:
    """A problem ``glossary check`` reports; errors stop a run, warnings do not."""

    path: str
    line: int
    message: str
    severity: Severity = "error"

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.severity}: {self.message}"


@dataclass
class Glossary:
    """A set of terms with a longest-first, whole-word matcher over English text."""

    terms: list[Term] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._pattern: re.Pattern[str] | None = None
        self._by_key: dict[str, Term] = {}
        self._surfaces: list[tuple[re.Pattern[str], Term]] = []
        self._targets: dict[tuple[str, int], tuple[dict[str, Term], frozenset[str]]] = {}

    @property
    def languages(self) -> list[str]:
        langs: dict[str, None] = {}
        for term in self.terms:
            for lang in term.forms:
                langs[lang] = None
        return list(langs)

    def targets(self, lang: str) -> dict[str, Term]:
        """Each form published in ``lang`` (the English name where it has none) and the term that
        owns it (the first listed, where two share one); kept, since the QA checks ask per segment."""
        return self._targets_of(lang)[0]

    def target_forms(self, lang: str) -> frozenset[str]:
        return self._targets_of(lang)[1]

    def _targets_of(self, lang: str) -> tuple[dict[str, Term], frozenset[str]]:
        key = (lang, len(self.terms))  # ``glossary add`` extends the list
        if key not in self._targets:
            forms: dict[str, Term] = {}
            for term in self.terms:
                forms.setdefault(term.target(lang) or term.en, term)
            self._targets[key] = (forms, frozenset(forms))
        return self._targets[key]

    def _compile(self) -> re.Pattern[str]:
        if self._pattern is None:
            alternatives: list[tuple[int, str]] = []
            seen: set[str] = set()
            for term in self.terms:
                for surface in term.surfaces:
                    exact = is_acronym(surface) or term.case_sensitive
                    key = surface if exact else surface.casefold()
                    if not surface.strip() or key in seen or surface.casefold() in seen:
                        continue
                    seen.add(key)
                    self._by_key[key] = term
                    body = surface_pattern(surface)
                    # Acronyms are case-sensitive (SDF, not "sdf"); names tolerate sentence case.
                    body = body if exact else f"(?i:{body})"
                    alternatives.append((len(surface), body))
                    self._surfaces.append((re.compile(body), term))
            # Longest first: at one position the regex takes the first alternative that matches,
            # so "Abu Bakr al-Baghdadi" wins over "al-Baghdadi".
            alternatives.sort(key=lambda item: -item[0])
            if alternatives:
                joined = "|".join(body for _, body in alternatives)
                # Whole words only: "Iraqi" is not "Iraq"; a possessive "'s" may follow.
                self._pattern = re.compile(rf"(?<![\w])(?:{joined})(?![\w])")
            else:
                self._pattern = re.compile(r"(?!x)x")
        return self._pattern

    def _term_for(self, text: str) -> Term:
        folded = fold_surface(text)
        if folded in self._by_key:
            return self._by_key[folded]
        if folded.casefold() in self._by_key:
            return self._by_key[folded.casefold()]
        # A hyphen written as a space ("al Raqa"): compare with separators removed.
        squashed = re.sub(r"[-\s]", "", folded).casefold()
        for key, term in self._by_key.items():  # keys keep their own apostrophes ("Côte d’Ivoire")
            if re.sub(r"[-\s‐‑–]", "", key).replace("’", "'").replace("ʼ", "'").casefold() == squashed:
                return term
        # The regex's case-insensitive match is per character, casefold() is not: "İZMİR" matches
        # "İzmir" but folds to "i̇zmi̇r". Ask each spelling's own pattern, as the big one did.
        for pattern, term in self._surfaces:
            if pattern.fullmatch(text):
                return term
        raise KeyError(text)

    def find(self, text: str) -> list[Match]:
        """Every glossary occurrence in ``text``, left to right, never overlapping."""
        pattern = self._compile()
        return [
            Match(m.start(), m.end(), self._term_for(m.group(0)), m.group(0)) for m in pattern.finditer(text)
        ]

    def lookup(self, en: str) -> Term | None:
        self._compile()
        try:
            return self._term_for(en)
        except KeyError:
            return None


def parse_tsv(text: str, path: str = "<glossary>") -> tuple[list[Term], list[Issue]]:
    """Parse one glossary file; structural problems come back as issues with file and line."""
    lines = text.splitlines()
    header = _parse_header(lines[0] if lines else "", path)
    if isinstance(header, Issue):
        return [], [header]
    columns, langs = header
    terms: list[Term] = []
    issues: list[Issue] = []
    reader = csv.reader(io.StringIO("\n".join(lines[1:])), delimiter="\t", quoting=csv.QUOTE_NONE)
    for offset, row in enumerate(reader):
        if not any(cell.strip() for cell in row) or row[0].lstrip().startswith("#"):
            continue
        term, row_issues = _parse_row(row, columns, langs, path, offset + 2)
        issues.extend(row_issues)
        if term is not None:
            terms.append(term)
    return terms, issues


def _parse_header(line: str, path: str) -> tuple[list[str], list[str]] | Issue:
    """The header's columns and its language columns, or the one issue that makes the file unreadable
    (a bad header would misread every row after it, so nothing else is reported)."""
    if not line.strip():
        return Issue(path, 1, "empty glossary: the first line must be a header such as 'en<TAB>ar'")
    header = [h.strip() for h in line.split("\t")]
    if "en" not in header:
        return Issue(
            path, 1, f"header has no 'en' column (got: {', '.join(header)}); columns are tab-separated"
        )
    langs = [h for h in header if h != "en" and h not in META_COLUMNS]
    bad = [h for h in langs if not _LANG_COLUMN.match(h)]
    if bad:
        known = ", ".join(META_COLUMNS)
        return Issue(path, 1, f"unknown column(s) {', '.join(bad)}: use language codes or {known}")
    if len(set(header)) != len(header):
        return Issue(path, 1, "duplicate column names in header")
    if not langs:
        return Issue(path, 1, "header has no target-language column (e.g. 'ar')")
    return header, langs


def _parse_row(
    row: list[str], header: list[str], langs: list[str], path: str, lineno: int
) -> tuple[Term | None, list[Issue]]:
    """One data row: its term (None when the row is unusable) and what is wrong with it."""
    if len(row) > len(header):
        return None, [
            Issue(path, lineno, f"{len(row)} columns but the header has {len(header)} (stray tab?)")
        ]
    cells = dict(zip(header, (c.strip() for c in row), strict=False))
    en = cells.get("en", "")
    if not en:
        return None, [Issue(path, lineno, "empty 'en' cell")]
    forms = {lang: cells[lang] for lang in langs if cells.get(lang)}
    if not forms:
        return None, [Issue(path, lineno, f"'{en}' has no target form in any of: {', '.join(langs)}")]
    kind = _kind(cells.get("kind", ""))
    issues = [Issue(path, lineno, message, "warning") for message in _row_warnings(en, forms, cells)]
    variants = tuple(v.strip() for v in cells.get("variants", "").split("|") if v.strip())
    return Term(en, forms, kind, variants, cells.get("note", ""), path, lineno), issues


def _kind(cell: str) -> TermKind | Literal[""]:
    """The row's kind; an unknown one is warned about (see :func:`_row_warnings`) and left empty."""
    for kind in KINDS:
        if cell == kind:
            return kind
    return ""


def _row_warnings(en: str, forms: dict[str, str], cells: dict[str, str]) -> list[str]:
    """What a reviewer should look at in a usable row: nothing here stops a run."""
    warnings: list[str] = []
    for lang, form in forms.items():
        letters = letter_range(lang)
        if letters and re.search("[A-Za-z]", form) and not re.search(f"[{letters}]", form):
            warnings.append(f"'{en}': {lang} form '{form}' is not in {lang}'s script (swapped column?)")
    kind = cells.get("kind", "")
    if kind and kind not in KINDS:
        warnings.append(f"unknown kind '{kind}' (use {'/'.join(KINDS)})")
    if cells.get("note", "").startswith(UNREVIEWED):
        warnings.append(f"'{en}' is an unreviewed suggestion: check its forms, then delete the note's mark")
    return warnings


def _conflicts(terms: Iterable[Term]) -> list[Issue]:
    issues: list[Issue] = []
    first: dict[str, Term] = {}
    for term in terms:
        for surface in term.surfaces:
            key = surface if is_acronym(surface) else surface.casefold()
            other = first.get(key)
            if other is None:
                first[key] = term
            elif other is term:
                continue
            elif dict(other.forms) == dict(term.forms):
                issues.append(
                    Issue(
                        term.path, term.line, f"'{surface}' duplicates {other.path}:{other.line}", "warning"
                    )
                )
            else:
                issues.append(
                    Issue(
                        term.path,
                        term.line,
                        f"'{surface}' conflicts with {other.path}:{other.line} (different target forms)",
                    )
                )
    return issues


def _shared_forms(terms: Iterable[Term]) -> list[Issue]:
    """Two different names with one target form: the MT output can no longer tell them apart."""
    issues: list[Issue] = []
    first: dict[tuple[str, str], Term] = {}
    for term in terms:
        for lang, form in term.forms.items():
            other = first.setdefault((lang, form), term)
            if other is not term and other.en.casefold() != term.en.casefold():
                issues.append(
                    Issue(
                        term.path,
                        term.line,
                        f"'{term.en}' has the same {lang} form '{form}' as '{other.en}' "
                        f"({other.path}:{other.line}); make one a variant of the other?",
                        "warning",
                    )
                )
    return issues


def _overrides(overridden: Iterable[Term], terms: Iterable[Term]) -> list[Issue]:
    """Project entries that replace a built-in name with another form: worth a note, not an error."""
    by_surface = {s.casefold(): t for t in terms if not t.builtin for s in t.surfaces}
    issues: list[Issue] = []
    for builtin in overridden:
        term = next(by_surface[s.casefold()] for s in builtin.surfaces if s.casefold() in by_surface)
        for lang, form in term.forms.items():
            theirs = builtin.target(lang)
            if theirs and theirs != form:
                issues.append(
                    Issue(
                        term.path,
                        term.line,
                        f"'{term.en}' overrides {builtin.builtin}'s {lang} form '{theirs}' with '{form}'",
                        "note",
                    )
                )
    return issues


def glossary_files(location: str | Path) -> list[Path]:
    path = Path(location)
    if path.is_file():
        return [path]
    if not path.is_dir():
        raise GlossaryError("glossary not found (pass --glossary DIR or FILE)", path)
    return sorted(p for p in path.glob("*.tsv") if p.is_file())


def with_builtin(terms: list[Term], builtin: Iterable[Term]) -> tuple[list[Term], list[Term]]:
    """The project's terms followed by the built-in ones it does not override, and those it does.

    A built-in term is overridden (dropped whole) when a project entry uses any of its English
    spellings, whatever its target forms: the newsroom's glossary is the authority.
    """
    project = {s.casefold() for term in terms for s in term.surfaces}
    kept: list[Term] = []
    overridden: list[Term] = []
    for term in builtin:
        (overridden if any(s.casefold() in project for s in term.surfaces) else kept).append(term)
    return [*terms, *kept], overridden


def _read(file: Path) -> str:
    try:
        return read_utf8_text(file)
    except UnicodeDecodeError as exc:
        raise GlossaryError(f"not valid UTF-8 (byte {exc.start})", file, utf8_error_line(exc)) from None
    except OSError as exc:
        raise GlossaryError(f"cannot read: {exc.strerror}", file) from None


def load_glossary(location: str | Path, *, strict: bool = True, builtin: bool = True) -> Glossary:
    """Load every ``*.tsv`` under ``location``; with ``strict``, the first error is raised.

    With ``builtin``, CLDR country and city names (:mod:`pipeline.names.cldr`) follow the project's
    terms as a lower-priority layer.
    """
    terms: list[Term] = []
    issues: list[Issue] = []
    for file in glossary_files(location):
        file_terms, file_issues = parse_tsv(_read(file), str(file))
        terms.extend(file_terms)
        issues.extend(file_issues)
    issues.extend(_conflicts(terms))
    issues.extend(_shared_forms(terms))
    errors = [i for i in issues if i.severity == "error"]
    if strict and errors:
        first = errors[0]
        more = (
            f" (and {len(errors) - 1} more; run 'python -m pipeline glossary check')"
            if len(errors) > 1
            else ""
        )
        raise GlossaryError(first.message + more, first.path, first.line)
    if builtin:
        from pipeline.names.cldr import cldr_terms

        terms, overridden = with_builtin(terms, cldr_terms())
        issues.extend(_overrides(overridden, terms))
    return Glossary(terms, issues)


def find_targets(glossary: Glossary, text: str, lang: str) -> list[tuple[int, int, Term]]:
    """Occurrences of glossary target forms in translated ``text``, longest first, non-overlapping.

    Used to verify output (and to score backends), with the same pattern protection uses
    (:func:`~pipeline.names.terms.forms_pattern`). Where two terms share a form, the first listed owns it.
    """
    forms = glossary.targets(lang)
    pattern = forms_pattern(glossary.target_forms(lang), within=text)
    if pattern is None:
        return []
    return [(m.start(1), m.end(1), forms[form_of(m)]) for m in pattern.finditer(text)]


def missing_forms(glossary: Glossary, lang: str) -> list[Term]:
    """Terms with no form in ``lang``: pages in that language keep their English form, protected.

    ``glossary check --to LANG`` lists them so a desk adding a language knows which names still
    need a decision (an English form kept on purpose is fine; a forgotten one is not). Built-in
    layers (CLDR place names) are not the desk's to fill, so only the project's own terms count.
    """
    return [term for term in glossary.terms if not term.builtin and term.target(lang) is None]
