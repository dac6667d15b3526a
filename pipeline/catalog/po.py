"""PO files: reading, writing and the paths of an article's catalogs (read and written with polib).

One PO file per article and language, ``locales/<lang>/LC_MESSAGES/<slug>.po``, and one template
with the article's layout beside it in ``locales/templates/``. Reading is strict where polib is
lenient: a translator's typo is reported with its line, and the file is never rewritten over it.
How a new run merges into an existing file is :mod:`pipeline.catalog.merge`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

import polib

from pipeline.errors import CatalogError
from pipeline.fileio import UNCHECKED, Stamp, atomic_write_text, utf8_error_line
from pipeline.language import code_problem

WRAP = 78


def po_path(locales: Path, lang: str, slug: str) -> Path:
    return Path(locales) / lang / "LC_MESSAGES" / f"{slug}.po"


def template_path(locales: Path, slug: str) -> Path:
    return Path(locales) / "templates" / f"{slug}.pot"


def layout_path(locales: Path, slug: str) -> Path:
    return Path(locales) / "templates" / f"{slug}.layout.json"


def language_folders(locales: Path) -> tuple[list[str], list[Path]]:
    """The languages under ``locales`` (folders named by a CLDR language code), and the other
    folders, which every command ignores and reports: a stray ``locales/old/`` or ``backup/`` is
    not a language to render or count, and must not stop the commands that walk the folder."""
    langs: list[str] = []
    ignored: list[Path] = []
    if not Path(locales).is_dir():
        return langs, ignored
    for folder in sorted(p for p in Path(locales).iterdir() if p.is_dir() and p.name != "templates"):
        if code_problem(folder.name) is None:
            langs.append(folder.name)
        elif not folder.name.startswith("."):  # .git and other dot folders are nobody's mistake
            ignored.append(folder)
    return langs, ignored


def ignored_note(folder: Path) -> str:
    """The one line that says why a folder under ``locales/`` was skipped."""
    return f"{folder}: not a language folder ('{folder.name}' is not a CLDR language code); ignored"


_KEYWORD = re.compile(r'^(?:#~\s*)?(msgctxt|msgid|msgid_plural|msgstr|msgstr\[\d+\])\s+(".*)$')
_STRING = re.compile(r'^"(?:[^"\\]|\\.)*"$')


def syntax_problem(text: str) -> tuple[int, str] | None:
    """The first line that is not valid PO syntax, as ``(line, reason)``.

    polib is lenient (it accepts an unterminated string), and a translator's typo must be
    caught before we merge into the file, so each line is checked against the PO grammar.
    """
    # Lines end at "\n" only, as in gettext: str.splitlines() would also split inside a string
    # at U+2028, U+0085 or U+001C, which articles pasted from the web do contain.
    for number, raw in enumerate(text.split("\n"), start=1):
        line = raw.strip()
        if not line or line.startswith("#") and not line.startswith("#~"):
            continue
        if line.startswith("#~"):
            rest = line[2:].strip()
            if not rest or rest.startswith("|"):
                continue
            line = rest
        keyword = _KEYWORD.match(line)
        string = keyword.group(2) if keyword else line
        if not keyword and not line.startswith('"'):
            return number, f"unexpected text {line[:30]!r}"
        if not _STRING.match(string):
            return number, "unterminated or badly quoted string"
    return None


def read_po(path: str | Path) -> polib.POFile:
    """Read a PO file; a syntax error names the file and line and the file is left untouched."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise CatalogError(f"cannot read: {exc.strerror}", path) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = utf8_error_line(exc)
        raise CatalogError("not valid UTF-8; the file was left untouched", path, line) from None
    problem = syntax_problem(text)
    if problem is not None:
        line, reason = problem
        raise CatalogError(f"malformed PO file ({reason}); the file was left untouched", path, line)
    try:
        # From the path, not ``text``: polib splits a string with str.splitlines() (see syntax_problem).
        po = polib.pofile(str(path), wrapwidth=WRAP, encoding="utf-8")
    except (OSError, ValueError) as exc:
        message = str(exc)
        match = re.search(r"line (\d+)", message)
        at = int(match.group(1)) if match else None
        reason = re.sub(r"\s*\(line \d+\)", "", message).strip() or "syntax error"
        raise CatalogError(f"malformed PO file ({reason}); the file was left untouched", path, at) from None
    duplicate = duplicate_problem(po, text)
    if duplicate is not None:
        line, first = duplicate
        raise CatalogError(
            f"duplicate message definition (the first is at line {first}); the file was left untouched",
            path,
            line,
        )
    return po


def duplicate_problem(po: polib.POFile, text: str) -> tuple[int, int] | None:
    """``(line, first line)`` of the first live entry whose context and msgid an earlier one has.

    msgfmt rejects such a file ("duplicate message definition") at the second entry's ``msgid``
    line; polib's own check says "Entry ... already exists" with no line, so we report as msgfmt.
    """
    lines = text.split("\n")
    seen: dict[tuple[str, str], int] = {}
    for entry in po:
        if entry.obsolete:
            continue
        line = _msgid_line(lines, entry.linenum or 1)
        first = seen.setdefault(entry_key(entry), line)
        if first != line:
            return line, first
    return None


def _msgid_line(lines: list[str], start: int) -> int:
    """The 1-based line of the ``msgid`` keyword of the entry polib says starts at ``start``."""
    for number in range(max(start, 1), len(lines) + 1):
        if lines[number - 1].lstrip().startswith("msgid "):
            return number
    return start


def entry_key(entry: polib.POEntry) -> tuple[str, str]:
    return (entry.msgctxt or "", entry.msgid)


def is_translated(entry: polib.POEntry) -> bool:
    return bool(entry.msgstr) or any(entry.msgstr_plural.values())


def is_reviewed(entry: polib.POEntry) -> bool:
    return bool(entry.msgstr) and "fuzzy" not in entry.flags and not entry.obsolete


def reusable(
    existing: polib.POFile | None, keys: Iterable[tuple[str, str]] = ()
) -> dict[tuple[str, str], polib.POEntry]:
    """Entries of an existing file that a re-run keeps instead of calling the model.

    Obsolete entries count too: a sentence an editor cut and later restored gets its old
    translation back, as msgmerge revives ``#~`` entries; a live entry wins over an obsolete one.

    An entry whose ``msgctxt`` a tool or a hand edit deleted is still the same sentence: each of
    ``keys`` (``(msgctxt, msgid)`` of this run) not found as it is is matched by its msgid alone
    to such an entry, which keeps it reviewed (:func:`adopted` says which entries were).
    """
    if existing is None:
        return {}
    usable = [e for e in existing if e.msgid and is_translated(e)]
    kept = {entry_key(e): e for e in usable if e.obsolete}
    kept.update({entry_key(e): e for e in usable if not e.obsolete})
    for ctxt, msgid in keys:
        if (ctxt, msgid) not in kept and ctxt and ("", msgid) in kept:
            kept[(ctxt, msgid)] = kept[("", msgid)]
    return kept


def adopted(kept: dict[tuple[str, str], polib.POEntry]) -> set[int]:
    """``id()`` of the context-less entries :func:`reusable` matched to a key with a context."""
    return {id(e) for key, e in kept.items() if entry_key(e) != key}


def write_po(po: polib.POFile, path: str | Path, *, expect: Stamp | object = UNCHECKED) -> bool:
    """Write atomically; returns False when the file on disk already has these exact bytes.

    ``expect``: the file's :func:`~pipeline.fileio.stamp` from before it was read; the write is
    refused (:class:`~pipeline.fileio.ChangedOnDisk`) if a translator saved it in the meantime.
    """
    return atomic_write_text(path, po.__unicode__(), expect=expect)


def translations(po: polib.POFile) -> dict[str, polib.POEntry]:
    """Live entries by segment id (``msgctxt``), for rendering."""
    return {e.msgctxt: e for e in po if not e.obsolete and e.msgctxt}
