"""Catalogs: translation units in and out of gettext PO files (read and written with polib).

One PO file per article and language, ``locales/<lang>/LC_MESSAGES/<slug>.po``. Machine output is
``fuzzy`` so translators review it; an entry a translator reviewed is never replaced. The
article's structure (which units make which block) is kept beside the template, in
``locales/templates/<slug>.layout.json``, so pages can be rendered from PO files alone.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import polib

from . import __version__
from .errors import CatalogError
from .fileio import atomic_write_text

#: gettext's plural rules (the GNU gettext manual's table, as Poedit and Weblate use them).
#: Babel's own Arabic rule orders the forms differently (babel #816), so Babel is only a fallback.
GETTEXT_PLURALS: dict[str, tuple[int, str]] = {
    "ar": (6, "n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 : n%100>=11 ? 4 : 5"),
    "en": (2, "n != 1"),
    "de": (2, "n != 1"),
    "es": (2, "n != 1"),
    "it": (2, "n != 1"),
    "fr": (2, "n > 1"),
    "he": (2, "n != 1"),
}

WRAP = 78


def plural_forms(lang: str) -> str:
    """The ``Plural-Forms`` header value for ``lang``."""
    base = lang.replace("-", "_").split("_")[0]
    if base in GETTEXT_PLURALS:
        n, rule = GETTEXT_PLURALS[base]
        return f"nplurals={n}; plural={rule};"
    from babel.core import UnknownLocaleError
    from babel.messages.plurals import get_plural

    try:
        plural = get_plural(lang)
    except (UnknownLocaleError, ValueError):
        raise CatalogError(f"unknown language code '{lang}'") from None
    return f"nplurals={plural.num_plurals}; plural={plural.plural_expr};"


def language_name(lang: str) -> str:
    from babel import Locale

    try:
        return Locale.parse(lang.replace("-", "_")).get_display_name("en") or lang
    except (ValueError, LookupError):
        return lang


def po_path(locales: Path, lang: str, slug: str) -> Path:
    return Path(locales) / lang / "LC_MESSAGES" / f"{slug}.po"


def template_path(locales: Path, slug: str) -> Path:
    return Path(locales) / "templates" / f"{slug}.pot"


def layout_path(locales: Path, slug: str) -> Path:
    return Path(locales) / "templates" / f"{slug}.layout.json"


@dataclass
class Message:
    """What the pipeline knows about one unit when it writes the PO entry."""

    id: str
    source: str
    kind: str
    references: list[tuple[str, int]]
    terms: list[str] = field(default_factory=list)  # "Diyaruna = ديارنا"
    translation: str = ""
    notes: list[str] = field(default_factory=list)  # repairs, QA warnings


_KEYWORD = re.compile(r'^(?:#~\s*)?(msgctxt|msgid|msgid_plural|msgstr|msgstr\[\d+\])\s+(".*)$')
_STRING = re.compile(r'^"(?:[^"\\]|\\.)*"$')


def syntax_problem(text: str) -> tuple[int, str] | None:
    """The first line that is not valid PO syntax, as ``(line, reason)``.

    polib is lenient (it accepts an unterminated string), and a translator's typo must be
    caught before we merge into the file, so each line is checked against the PO grammar.
    """
    for number, raw in enumerate(text.splitlines(), start=1):
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
        line = raw[: exc.start].count(b"\n") + 1
        raise CatalogError("not valid UTF-8; the file was left untouched", path, line) from None
    problem = syntax_problem(text)
    if problem is not None:
        line, reason = problem
        raise CatalogError(f"malformed PO file ({reason}); the file was left untouched", path, line)
    try:
        return polib.pofile(text, wrapwidth=WRAP, encoding="utf-8", check_for_duplicates=True)
    except (OSError, ValueError) as exc:
        message = str(exc)
        match = re.search(r"line (\d+)", message)
        line = int(match.group(1)) if match else None
        reason = re.sub(r"\s*\(line \d+\)", "", message).strip() or "syntax error"
        raise CatalogError(f"malformed PO file ({reason}); the file was left untouched", path, line) from None


def entry_key(entry: polib.POEntry) -> tuple[str, str]:
    return (entry.msgctxt or "", entry.msgid)


def is_reviewed(entry: polib.POEntry) -> bool:
    return bool(entry.msgstr) and "fuzzy" not in entry.flags and not entry.obsolete


def reusable(existing: polib.POFile | None) -> dict[tuple[str, str], polib.POEntry]:
    """Entries of an existing file that a re-run keeps instead of calling the model."""
    if existing is None:
        return {}
    return {entry_key(e): e for e in existing if not e.obsolete and e.msgid and e.msgstr}


def _header(lang: str, slug: str, source: str, model: str, date: str) -> dict[str, str]:
    return {
        "Project-Id-Version": slug,
        "Report-Msgid-Bugs-To": "",
        "POT-Creation-Date": date,
        "PO-Revision-Date": date,
        "Last-Translator": "newsroom-pipeline (machine translation, unreviewed)",
        "Language-Team": f"{language_name(lang)} <>",
        "Language": lang,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "Plural-Forms": plural_forms(lang),
        "X-Generator": f"newsroom-pipeline {__version__}",
        "X-Source-File": source,
        "X-Machine-Translation": model,
    }


def _entry(message: Message) -> polib.POEntry:
    comments = [f"block: {message.kind}"]
    if message.terms:
        comments.append("glossary: " + "; ".join(message.terms))
    comments.extend(message.notes)
    return polib.POEntry(
        msgctxt=message.id,
        msgid=message.source,
        msgstr=message.translation,
        comment="\n".join(comments),
        occurrences=[(path, str(line)) for path, line in message.references],
        flags=["fuzzy"] if message.translation else [],
    )


def build_catalog(
    messages: Sequence[Message],
    *,
    lang: str,
    slug: str,
    source: str,
    model: str,
    date: str,
    existing: polib.POFile | None = None,
) -> polib.POFile:
    """A PO file for ``messages``, merged over ``existing`` so no human work is lost.

    An entry whose (context, source) is unchanged keeps its translation, flags and translator
    comments verbatim; entries whose source disappeared become obsolete (``#~``) rather than
    vanish. ``messages`` for reused entries may carry an empty translation.
    """
    po = polib.POFile(wrapwidth=WRAP, encoding="utf-8")
    before = existing.__unicode__() if existing is not None else None
    old = reusable(existing)
    header_date = date
    if existing is not None:
        po.metadata = dict(existing.metadata)
        header_date = existing.metadata.get("POT-Creation-Date", date)
        po.header = existing.header
    else:
        po.header = f"{language_name(lang)} translation of {source}."
    fresh = _header(lang, slug, source, model, header_date)
    for key in ("Language", "Content-Type", "Content-Transfer-Encoding", "MIME-Version", "Plural-Forms"):
        po.metadata[key] = fresh[key]
    for key, value in fresh.items():
        po.metadata.setdefault(key, value)
    seen: set[tuple[str, str]] = set()
    for message in messages:
        entry = _entry(message)
        key = entry_key(entry)
        seen.add(key)
        previous = old.get(key)
        if previous is not None:
            entry.msgstr = previous.msgstr
            entry.msgstr_plural = previous.msgstr_plural
            entry.flags = list(previous.flags)
            entry.tcomment = previous.tcomment
            entry.previous_msgid = previous.previous_msgid
            entry.previous_msgctxt = previous.previous_msgctxt
            entry.comment = (
                previous.comment if message.translation == "" and previous.comment else entry.comment
            )
        po.append(entry)
    if existing is not None:
        for entry in existing:
            if entry.msgid and entry_key(entry) not in seen and (entry.msgstr or entry.obsolete):
                gone = copy.deepcopy(entry)
                gone.obsolete = True
                po.append(gone)
    if before is not None and po.__unicode__() != before:
        po.metadata["PO-Revision-Date"] = date
    return po


def build_template(messages: Iterable[Message], *, slug: str, source: str, date: str) -> polib.POFile:
    pot = polib.POFile(wrapwidth=WRAP, encoding="utf-8")
    pot.header = f"Template for translations of {source}."
    pot.metadata = {
        "Project-Id-Version": slug,
        "POT-Creation-Date": date,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "X-Generator": f"newsroom-pipeline {__version__}",
    }
    for message in messages:
        entry = _entry(Message(message.id, message.source, message.kind, message.references, message.terms))
        pot.append(entry)
    return pot


def write_po(po: polib.POFile, path: str | Path) -> bool:
    """Write atomically; returns False when the file on disk already has these exact bytes."""
    return atomic_write_text(path, po.__unicode__())


def write_layout(path: str | Path, layout: Mapping[str, object]) -> bool:
    return atomic_write_text(path, json.dumps(layout, ensure_ascii=False, indent=1, sort_keys=True) + "\n")


def read_layout(path: str | Path) -> dict:
    path = Path(path)
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise CatalogError(f"cannot read article layout: {exc.strerror}", path) from None
    except ValueError as exc:
        raise CatalogError(f"article layout is not valid JSON ({exc})", path) from None


def translations(po: polib.POFile) -> dict[str, polib.POEntry]:
    """Live entries by segment id (``msgctxt``), for rendering."""
    return {e.msgctxt: e for e in po if not e.obsolete and e.msgctxt}
