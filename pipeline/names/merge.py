"""``glossary add``: take the rows an editor reviewed from a ``glossary suggest`` TSV into the glossary.

The glossary is the newsroom's authority, so this is all or nothing: any row still marked
unreviewed, any row whose name the glossary already lists with other forms, any malformed row, and
the file is left untouched, with every problem reported by file and line. Rows are appended to
one glossary file, below what is there: its order, comments and blank lines are kept byte for byte,
and a row already in the glossary with the same forms is skipped, so running it twice adds nothing.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.errors import GlossaryError
from pipeline.fileio import atomic_write_text, read_utf8_text, stamp, utf8_error_line
from pipeline.names.glossary import META_COLUMNS, UNREVIEWED, Issue, glossary_files, load_glossary, parse_tsv
from pipeline.names.terms import Term, is_acronym


@dataclass
class Merge:
    """The glossary file's new text (``None`` when nothing may be written) and what happened."""

    text: str | None
    added: list[Term] = field(default_factory=list)
    skipped: list[Term] = field(default_factory=list)  # already in the glossary with these forms
    errors: list[Issue] = field(default_factory=list)


def _key(surface: str) -> str:
    return surface if is_acronym(surface) else surface.casefold()


def _review_errors(text: str, path: str) -> tuple[list[Term], list[Issue]]:
    """The suggestions file's rows, and why any of them may not go in yet."""
    rows, issues = parse_tsv(text, path)
    errors = [i for i in issues if i.severity == "error"]
    for term in rows:
        if UNREVIEWED.casefold() in term.note.casefold():
            errors.append(
                Issue(
                    path,
                    term.line,
                    f"'{term.en}' is still marked '{UNREVIEWED}': check its forms and delete the mark "
                    "from its note (or delete the row) before adding it",
                )
            )
    return rows, errors


def merge_reviewed(
    suggestions: str, suggestions_path: str, target: str, target_path: str, glossary: Sequence[Term]
) -> Merge:
    """Append the reviewed ``suggestions`` rows to ``target`` (one glossary file's text).

    ``glossary`` is every term of the project glossary (all its files, no built-in layer): a
    suggested spelling it already has with other forms is a conflict, reported at both places.
    """
    rows, errors = _review_errors(suggestions, suggestions_path)
    header = target.splitlines()[0].split("\t") if target.strip() else []
    header = [h.strip() for h in header]
    langs = [h for h in header if h != "en" and h not in META_COLUMNS]
    merge = Merge(None, errors=errors)
    known = {_key(s): t for t in glossary for s in t.surfaces}
    for term in rows:
        missing = [lang for lang in term.forms if lang not in langs]
        if missing:
            merge.errors.append(
                Issue(
                    suggestions_path,
                    term.line,
                    f"'{term.en}' has a form for {', '.join(missing)}, which {target_path} has no "
                    "column for (add the column to its header first)",
                )
            )
            continue
        clash = _clash(term, known, suggestions_path)
        if isinstance(clash, Issue):
            merge.errors.append(clash)
        elif clash is not None:
            merge.skipped.append(term)
        else:
            merge.added.append(term)
            known.update({_key(s): term for s in term.surfaces})
    merge.errors.sort(key=lambda issue: issue.line)
    if not merge.errors:
        merge.text = _appended(target, header, merge.added)
    return merge


def _clash(term: Term, known: dict[str, Term], path: str) -> Term | Issue | None:
    """The glossary entry ``term`` duplicates (same forms), an issue if it contradicts one, or None."""
    for surface in term.surfaces:
        other = known.get(_key(surface))
        if other is None:
            continue
        if dict(other.forms) == dict(term.forms):
            return other
        where = f"{other.path}:{other.line}" if other.line else other.path
        theirs = ", ".join(f"{lang} '{form}'" for lang, form in other.forms.items())
        return Issue(
            path, term.line, f"'{surface}' conflicts with {where} ('{other.en}': {theirs}): keep one form"
        )
    return None


def _appended(target: str, header: list[str], terms: Sequence[Term]) -> str:
    """``target`` unchanged, then one row per term in its header's column order."""
    if not terms:
        return target
    out = io.StringIO()
    writer = csv.writer(out, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_NONE, escapechar="\\")
    for term in terms:
        cells = {"en": term.en, "kind": term.kind, "variants": "|".join(term.variants), "note": term.note}
        writer.writerow([cells.get(col, term.forms.get(col, "")) for col in header])
    body = target if target.endswith("\n") or not target else target + "\n"
    return body + out.getvalue()


@dataclass(frozen=True)
class AddResult:
    """What ``glossary add`` did: ``written`` is the glossary file, ``None`` when errors stopped it."""

    written: Path | None
    added: list[Term]
    skipped: list[Term]
    errors: list[Issue]


def _read(path: Path) -> str:
    try:
        return read_utf8_text(path)
    except FileNotFoundError:
        raise GlossaryError("file not found", path) from None
    except UnicodeDecodeError as exc:
        raise GlossaryError(f"not valid UTF-8 (byte {exc.start})", path, utf8_error_line(exc)) from None
    except OSError as exc:
        raise GlossaryError(f"cannot read: {exc.strerror}", path) from None


def target_file(location: str | Path, into: str | Path | None = None) -> Path:
    """The glossary file rows go into: ``into``, the glossary if it is one file, or its only file."""
    if into is not None:
        return Path(into)
    files = glossary_files(location)
    if len(files) != 1:
        names = ", ".join(f.name for f in files) or "none"
        raise GlossaryError(f"{len(files)} glossary files ({names}): say which with --into FILE", location)
    return files[0]


def add_reviewed(
    suggestions: str | Path, location: str | Path = "glossary", into: str | Path | None = None
) -> AddResult:
    """Merge a reviewed suggestions TSV into the glossary file :func:`target_file` picks."""
    source, target = Path(suggestions), target_file(location, into)
    if source.resolve() == target.resolve():
        raise GlossaryError("the suggestions file is the glossary file itself", source)
    before = stamp(target)  # an editor saving the glossary meanwhile is never overwritten
    target_text = _read(target)
    _, header_issues = parse_tsv(target_text.split("\n", 1)[0], str(target))
    if header_issues:
        raise GlossaryError(header_issues[0].message, target, header_issues[0].line)
    glossary = load_glossary(location, builtin=False)
    if target.resolve() not in {f.resolve() for f in glossary_files(location)}:
        glossary.terms.extend(parse_tsv(target_text, str(target))[0])
    merge = merge_reviewed(_read(source), str(source), target_text, str(target), glossary.terms)
    if merge.text is None:
        return AddResult(None, merge.added, merge.skipped, merge.errors)
    atomic_write_text(target, merge.text, expect=before)
    return AddResult(target, merge.added, merge.skipped, [])
