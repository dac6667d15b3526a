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
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.errors import GlossaryError

META_COLUMNS = ("kind", "variants", "note")
#: Languages whose glossary forms must be written in their own script (a Latin form there is
#: usually a swapped or shifted column), and a letter range of that script.
SCRIPTS = {
    "ar": "\u0600-\u06ff", "fa": "\u0600-\u06ff", "ur": "\u0600-\u06ff", "ps": "\u0600-\u06ff",
    "ckb": "\u0600-\u06ff", "he": "\u0590-\u05ff", "yi": "\u0590-\u05ff",
}  # fmt: skip
KINDS = ("person", "place", "org", "outlet", "other")
#: Starts the note of every row ``glossary suggest`` writes; an editor deletes it on review.
UNREVIEWED = "UNREVIEWED suggestion"
_LANG_COLUMN = re.compile(r"^[a-z]{2,3}([_-][A-Za-z0-9]{2,8})?$")


@dataclass(frozen=True)
class Term:
    """One glossary entry. ``forms`` maps a language code to the name's fixed form there."""

    en: str
    forms: Mapping[str, str]
    kind: str = ""
    variants: tuple[str, ...] = ()
    note: str = ""
    path: str = ""
    line: int = 0
    builtin: str = ""  # the built-in layer it comes from ("CLDR"); "" for the project glossary
    case_sensitive: bool = False  # built-in names only match as capitalised

    def target(self, lang: str) -> str | None:
        """The form to publish in ``lang``; ``None`` means keep the English verbatim."""
        return self.forms.get(lang) or None

    @property
    def surfaces(self) -> tuple[str, ...]:
        return (self.en, *self.variants)


@dataclass(frozen=True)
class Match:
    start: int
    end: int
    term: Term
    text: str


@dataclass(frozen=True)
class Issue:
    """A problem ``glossary check`` reports; errors stop a run, warnings do not."""

    path: str
    line: int
    message: str
    severity: str = "error"

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.severity}: {self.message}"


def _surface_pattern(surface: str) -> str:
    """A regex for one English spelling, tolerant of the forms real copy uses.

    Spaces match any run of whitespace (names broken across lines), hyphens match the Unicode
    hyphens and a space (``al-Raqa`` / ``al Raqa``), apostrophes match typographic ones.
    """
    out: list[str] = []
    for ch in surface.strip():
        if ch.isspace():
            if not out or out[-1] != r"\s+":
                out.append(r"\s+")
        elif ch in "-‐‑–":
            out.append(r"[-‐‑–\s]")
        elif ch in "'’ʼ":
            out.append(r"['’ʼ]")
        else:
            out.append(re.escape(ch))
    return "".join(out)


def _is_acronym(surface: str) -> bool:
    letters = [c for c in surface if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


@dataclass
class Glossary:
    """A set of terms with a longest-first, whole-word matcher over English text."""

    terms: list[Term] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._pattern: re.Pattern[str] | None = None
        self._by_key: dict[str, Term] = {}

    @property
    def languages(self) -> list[str]:
        langs: dict[str, None] = {}
        for term in self.terms:
            for lang in term.forms:
                langs[lang] = None
        return list(langs)

    def _compile(self) -> re.Pattern[str]:
        if self._pattern is None:
            alternatives: list[tuple[int, str]] = []
            seen: set[str] = set()
            for term in self.terms:
                for surface in term.surfaces:
                    exact = _is_acronym(surface) or term.case_sensitive
                    key = surface if exact else surface.casefold()
                    if not surface.strip() or key in seen or surface.casefold() in seen:
                        continue
                    seen.add(key)
                    self._by_key[key] = term
                    body = _surface_pattern(surface)
                    # Acronyms are case-sensitive (SDF, not "sdf"); names tolerate sentence case.
                    body = body if exact else f"(?i:{body})"
                    alternatives.append((len(surface), body))
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
        folded = re.sub(r"\s+", " ", text)
        folded = re.sub(r"[‐‑–]", "-", folded).replace("’", "'").replace("ʼ", "'")
        if folded in self._by_key:
            return self._by_key[folded]
        if folded.casefold() in self._by_key:
            return self._by_key[folded.casefold()]
        # A hyphen written as a space ("al Raqa"): compare with separators removed.
        squashed = re.sub(r"[-\s]", "", folded).casefold()
        for key, term in self._by_key.items():  # keys keep their own apostrophes ("Côte d’Ivoire")
            if re.sub(r"[-\s‐‑–]", "", key).replace("’", "'").replace("ʼ", "'").casefold() == squashed:
                return term
        raise KeyError(text)  # pragma: no cover - the pattern only matches known surfaces

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
    terms: list[Term] = []
    issues: list[Issue] = []
    lines = text.splitlines()
    if not lines or not lines[0].strip():
        return [], [Issue(path, 1, "empty glossary: the first line must be a header such as 'en<TAB>ar'")]
    header = [h.strip() for h in lines[0].split("\t")]
    if "en" not in header:
        return [], [
            Issue(path, 1, f"header has no 'en' column (got: {', '.join(header)}); columns are tab-separated")
        ]
    langs = [h for h in header if h != "en" and h not in META_COLUMNS]
    bad = [h for h in langs if not _LANG_COLUMN.match(h)]
    if bad:
        return [], [
            Issue(
                path,
                1,
                f"unknown column(s) {', '.join(bad)}: use language codes or {', '.join(META_COLUMNS)}",
            )
        ]
    if len(set(header)) != len(header):
        return [], [Issue(path, 1, "duplicate column names in header")]
    if not langs:
        return [], [Issue(path, 1, "header has no target-language column (e.g. 'ar')")]
    reader = csv.reader(io.StringIO("\n".join(lines[1:])), delimiter="\t", quoting=csv.QUOTE_NONE)
    for offset, row in enumerate(reader):
        lineno = offset + 2
        if not any(cell.strip() for cell in row):
            continue
        if row[0].lstrip().startswith("#"):
            continue
        if len(row) > len(header):
            issues.append(
                Issue(path, lineno, f"{len(row)} columns but the header has {len(header)} (stray tab?)")
            )
            continue
        cells = dict(zip(header, (c.strip() for c in row), strict=False))
        en = cells.get("en", "")
        if not en:
            issues.append(Issue(path, lineno, "empty 'en' cell"))
            continue
        forms = {lang: cells[lang] for lang in langs if cells.get(lang)}
        if not forms:
            issues.append(Issue(path, lineno, f"'{en}' has no target form in any of: {', '.join(langs)}"))
            continue
        for lang, form in forms.items():
            script = SCRIPTS.get(lang.split("_")[0].split("-")[0])
            if script and re.search("[A-Za-z]", form) and not re.search(f"[{script}]", form):
                message = f"'{en}': {lang} form '{form}' is not in {lang}'s script (swapped column?)"
                issues.append(Issue(path, lineno, message, "warning"))
        kind = cells.get("kind", "")
        if kind and kind not in KINDS:
            issues.append(Issue(path, lineno, f"unknown kind '{kind}' (use {'/'.join(KINDS)})", "warning"))
        if cells.get("note", "").startswith(UNREVIEWED):
            message = f"'{en}' is an unreviewed suggestion: check its forms, then delete the note's mark"
            issues.append(Issue(path, lineno, message, "warning"))
        variants = tuple(v.strip() for v in cells.get("variants", "").split("|") if v.strip())
        terms.append(Term(en, forms, kind, variants, cells.get("note", ""), path, lineno))
    return terms, issues


def _conflicts(terms: Iterable[Term]) -> list[Issue]:
    issues: list[Issue] = []
    first: dict[str, Term] = {}
    for term in terms:
        for surface in term.surfaces:
            key = surface if _is_acronym(surface) else surface.casefold()
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


def load_glossary(location: str | Path, *, strict: bool = True, builtin: bool = True) -> Glossary:
    """Load every ``*.tsv`` under ``location``; with ``strict``, the first error is raised.

    With ``builtin``, CLDR country and city names (:mod:`pipeline.territories`) follow the project's
    terms as a lower-priority layer.
    """
    terms: list[Term] = []
    issues: list[Issue] = []
    for file in glossary_files(location):
        try:
            text = file.read_bytes().decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            data = file.read_bytes()
            line = data[: exc.start].count(b"\n") + 1
            raise GlossaryError(f"not valid UTF-8 (byte {exc.start})", file, line) from None
        except OSError as exc:
            raise GlossaryError(f"cannot read: {exc.strerror}", file) from None
        file_terms, file_issues = parse_tsv(text, str(file))
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

    Used to verify output (and to score backends): "سوريا" inside "قوات سوريا الديمقراطية" is
    one occurrence of the longer name, not two. A one-letter Arabic proclitic (و ف ب ل ك) glued
    to a name still counts, since "والموصل" is how "and Mosul" is written.
    """
    forms: dict[str, Term] = {}
    for term in glossary.terms:
        form = term.target(lang) or term.en
        forms.setdefault(form, term)
    if not forms:
        return []
    alternatives = sorted(forms, key=len, reverse=True)
    body = "|".join(re.escape(f) for f in alternatives)
    pattern = re.compile(rf"(?<![\w])(?:[وفبلك](?=\S))?({body})(?![\w])")
    return [(m.start(1), m.end(1), forms[m.group(1)]) for m in pattern.finditer(text)]


def missing_forms(glossary: Glossary, lang: str) -> list[Term]:
    """Terms with no form in ``lang``: pages in that language keep their English form, protected.

    ``glossary check --to LANG`` lists them so a desk adding a language knows which names still
    need a decision (an English form kept on purpose is fine; a forgotten one is not). Built-in
    layers (CLDR place names) are not the desk's to fill, so only the project's own terms count.
    """
    return [term for term in glossary.terms if not term.builtin and term.target(lang) is None]
