"""Catalogs: translation units in and out of gettext PO files (read and written with polib).

One PO file per article and language, ``locales/<lang>/LC_MESSAGES/<slug>.po``. Machine output is
``fuzzy`` so translators review it; an entry a translator reviewed is never replaced. The
article's structure (which units make which block) is kept beside the template, in
``locales/templates/<slug>.layout.json``, so pages can be rendered from PO files alone.
"""

from __future__ import annotations

import copy
import difflib
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import polib

from pipeline import __version__
from pipeline.errors import CatalogError
from pipeline.fileio import UNCHECKED, Stamp, atomic_write_text

#: gettext's plural rules for the languages we support, as Poedit and Weblate use them. Sources:
#: GNU gettext's table (gettext-tools/src/plural-table.c, what ``msginit`` writes) for en, de, es,
#: it, pt, pt_BR, fr, he, tr, ru, uk, pl; the gettext manual's "six forms" rule for ar (not in msginit's
#: table); CLDR for fa ("one: i = 0 or n = 1", as Weblate) and ur (not in gettext's table).
#: Babel's own table disagrees for ar (forms 4 and 5 swapped, babel #816), tr and fa (one form),
#: so Babel is only a fallback, and only where it agrees with CLDR (see ``babel_plural_forms``).
GETTEXT_PLURALS: dict[str, tuple[int, str]] = {
    "ar": (6, "n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 : n%100>=11 ? 4 : 5"),
    "en": (2, "n != 1"),
    "de": (2, "n != 1"),
    "es": (2, "n != 1"),
    "it": (2, "n != 1"),
    "pt": (2, "n != 1"),
    "pt_BR": (2, "n > 1"),
    "fr": (2, "n > 1"),
    "he": (2, "n != 1"),
    "tr": (2, "n != 1"),
    "fa": (2, "n > 1"),
    "ur": (2, "n != 1"),
    "ru": (3, "n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2"),
    "uk": (3, "n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2"),
    "pl": (3, "n==1 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2"),
}

WRAP = 78

#: Counts compared when checking Babel's rule against CLDR's (covers every n%100 and n%10 case).
_PLURAL_PROBE = range(0, 1001)


def plural_forms(lang: str) -> str:
    """The ``Plural-Forms`` header value for ``lang``."""
    code = lang.replace("-", "_")
    base = code.split("_")[0]
    for key in (code, base):
        if key in GETTEXT_PLURALS:
            n, rule = GETTEXT_PLURALS[key]
            return f"nplurals={n}; plural={rule};"
    return babel_plural_forms(lang)


def babel_plural_forms(lang: str) -> str:
    """Babel's rule for a language outside our table, if it agrees with CLDR's for n = 0..1000.

    Babel's hand-written gettext table is what ``get_plural`` returns; its CLDR data is what the
    rule should mean. Where they disagree (Arabic, Persian, Turkish...), neither can be trusted
    blindly, so the language needs a checked entry in ``GETTEXT_PLURALS``.
    """
    import gettext

    from babel import Locale
    from babel.core import UnknownLocaleError
    from babel.messages.plurals import get_plural

    try:
        plural = get_plural(lang)
        cldr = Locale.parse(lang.replace("-", "_")).plural_form
    except (UnknownLocaleError, ValueError):
        raise CatalogError(f"unknown language code '{lang}'") from None
    order: list[str] = [
        t for t in ("zero", "one", "two", "few", "many", "other") if t in cldr.tags or t == "other"
    ]
    rule = gettext.c2py(plural.plural_expr)
    if plural.num_plurals != len(order) or any(rule(n) != order.index(cldr(n)) for n in _PLURAL_PROBE):
        raise CatalogError(
            f"no checked plural rule for '{lang}': Babel's ({plural.plural_expr}) disagrees with CLDR; "
            "add gettext's rule to catalogs.GETTEXT_PLURALS"
        )
    return f"nplurals={plural.num_plurals}; plural={plural.plural_expr};"


def plural_rule_drift(po: polib.POFile, lang: str) -> str | None:
    """The current table's rule when it differs from the one ``po`` was written with, else None.

    Rules are compared by meaning (``nplurals`` and the form chosen for n = 0..1000), not by text,
    so a reformatted but equivalent expression is no drift.
    """
    written = po.metadata.get("Plural-Forms", "")
    if not written.strip():
        return None  # no rule declared: the next translate run writes the current one
    try:
        current = plural_forms(lang)
    except CatalogError:
        return None
    if _plural_meaning(written) != _plural_meaning(current):
        return current
    return None


def _plural_meaning(header: str) -> tuple[int, tuple[int, ...]] | None:
    import gettext

    match = re.match(r"\s*nplurals\s*=\s*(\d+)\s*;\s*plural\s*=(.*?);?\s*$", header)
    if match is None:
        return None
    try:
        rule = gettext.c2py(match.group(2))
    except (ValueError, SyntaxError):
        return None
    return int(match.group(1)), tuple(rule(n) for n in _PLURAL_PROBE)


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


class MemoryHit(Protocol):
    @property
    def translation(self) -> str: ...
    @property
    def fuzzy(self) -> bool: ...
    @property
    def note(self) -> str:
        """The ``#.`` comment that says where the translation came from."""
        ...


class TranslationMemoryLike(Protocol):
    """What :func:`build_catalog` needs of :class:`pipeline.memory.TranslationMemory`."""

    def lookup(self, msgctxt: str, source: str) -> MemoryHit | None: ...


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
    fuzzy: bool = True  # machine output is; an exact translation-memory hit is not


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
        line = raw[: exc.start].count(b"\n") + 1
        raise CatalogError("not valid UTF-8; the file was left untouched", path, line) from None
    problem = syntax_problem(text)
    if problem is not None:
        line, reason = problem
        raise CatalogError(f"malformed PO file ({reason}); the file was left untouched", path, line)
    try:
        # From the path, not ``text``: polib splits a string with str.splitlines() (see syntax_problem).
        return polib.pofile(str(path), wrapwidth=WRAP, encoding="utf-8", check_for_duplicates=True)
    except (OSError, ValueError) as exc:
        message = str(exc)
        match = re.search(r"line (\d+)", message)
        at = int(match.group(1)) if match else None
        reason = re.sub(r"\s*\(line \d+\)", "", message).strip() or "syntax error"
        raise CatalogError(f"malformed PO file ({reason}); the file was left untouched", path, at) from None


def entry_key(entry: polib.POEntry) -> tuple[str, str]:
    return (entry.msgctxt or "", entry.msgid)


def is_translated(entry: polib.POEntry) -> bool:
    return bool(entry.msgstr) or any(entry.msgstr_plural.values())


def is_reviewed(entry: polib.POEntry) -> bool:
    return bool(entry.msgstr) and "fuzzy" not in entry.flags and not entry.obsolete


def reusable(existing: polib.POFile | None) -> dict[tuple[str, str], polib.POEntry]:
    """Entries of an existing file that a re-run keeps instead of calling the model.

    Obsolete entries count too: a sentence an editor cut and later restored gets its old
    translation back, as msgmerge revives ``#~`` entries; a live entry wins over an obsolete one.
    """
    if existing is None:
        return {}
    usable = [e for e in existing if e.msgid and is_translated(e)]
    kept = {entry_key(e): e for e in usable if e.obsolete}
    kept.update({entry_key(e): e for e in usable if not e.obsolete})
    return kept


#: msgmerge's and Babel's threshold for calling an old message "the same sentence, changed".
FUZZY_CUTOFF = 0.6
#: Lines of ``#.`` comments that carry an earlier translation forward to a changed sentence.
PREVIOUS_REVIEWED = "previous translation (reviewed): "
PREVIOUS_UNREVIEWED = "previous translation (unreviewed): "
_PREVIOUS = (PREVIOUS_REVIEWED, PREVIOUS_UNREVIEWED)


def _kind(msgctxt: str | None) -> str:
    return (msgctxt or "").split(":", 1)[0]


def match_changed(
    new: Sequence[tuple[str, str]], gone: Sequence[polib.POEntry], cutoff: float = FUZZY_CUTOFF
) -> dict[tuple[str, str], polib.POEntry]:
    """Pair new ``(msgctxt, msgid)`` keys with the disappeared entries they were edited from.

    The msgmerge/Babel approach (difflib ratio of the lower-cased sources, same 0.6 cutoff),
    restricted to the same block kind, with one difference: pairs are taken best-first across
    all candidates, so each old entry is used once and a deleted sentence is not claimed by a
    merely similar new one while the sentence it really became is still unmatched.
    """
    scored: list[tuple[float, int, int]] = []
    for i, (ctxt, msgid) in enumerate(new):
        matcher = difflib.SequenceMatcher(None, "", msgid.lower().strip())  # seq2 is the cached one
        for j, old in enumerate(gone):
            if _kind(old.msgctxt) != _kind(ctxt):
                continue
            matcher.set_seq1(old.msgid.lower().strip())
            if (
                matcher.real_quick_ratio() >= cutoff
                and matcher.quick_ratio() >= cutoff
                and (score := matcher.ratio()) >= cutoff
            ):
                scored.append((-score, i, j))
    pairs: dict[tuple[str, str], polib.POEntry] = {}
    used: set[int] = set()
    for _, i, j in sorted(scored):
        if new[i] not in pairs and j not in used:
            pairs[new[i]] = gone[j]
            used.add(j)
    return pairs


def _carry_over(entry: polib.POEntry, old: polib.POEntry) -> None:
    """Make ``entry`` (a changed sentence) show what it was, msgmerge-style, without losing work.

    ``msgstr`` stays the new machine translation of the *current* sentence: the default render
    policy publishes fuzzy entries, and a reviewed translation of the old wording can state old
    facts (a changed death toll, a corrected name). The earlier translation is kept (on one line) in a
    ``#.`` comment (reviewed or not: an edited-but-fuzzy translation is work too), the previous
    source as ``#|`` so Poedit and Weblate show the source diff, and translator comments carry
    over. Repeated edits before review keep the first ``#|`` and the offered translations, as
    msgmerge keeps the previous msgid of an entry that is still fuzzy.
    """
    lines = entry.comment.split("\n") if entry.comment else []  # "\n" only, see syntax_problem
    pending = "fuzzy" in old.flags and old.previous_msgid is not None
    if pending:
        # offered translations are the last comment lines; polib wraps long comments when it
        # writes, so they are taken as a block, continuation lines included
        old_lines = old.comment.split("\n") if old.comment else []
        start = next((i for i, x in enumerate(old_lines) if x.startswith(_PREVIOUS)), len(old_lines))
        lines.extend(x for x in old_lines[start:] if x not in lines)
    if old.msgstr:
        label = PREVIOUS_UNREVIEWED if "fuzzy" in old.flags else PREVIOUS_REVIEWED
        line = label + " ".join(old.msgstr.split())
        if line not in lines:
            lines.append(line)
    entry.comment = "\n".join(lines)
    if old.tcomment and not entry.tcomment:
        entry.tcomment = old.tcomment
    if "fuzzy" in entry.flags:
        entry.previous_msgid = old.previous_msgid if pending else old.msgid
        entry.previous_msgctxt = old.previous_msgctxt if pending else old.msgctxt


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
        flags=["fuzzy"] if message.translation and message.fuzzy else [],
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
    memory: TranslationMemoryLike | None = None,
    migrate_plurals: bool = False,
) -> polib.POFile:
    """A PO file for ``messages``, merged over ``existing`` like msgmerge, so no human work is lost.

    - unchanged (context, source): translation, flags, comments kept verbatim (no model call);
    - changed source (a new id whose text is close to a disappeared entry's, see
      :func:`match_changed`): the new translation, ``fuzzy``, ``#|`` previous source and the old
      translation offered in a comment (:func:`_carry_over` says why it is not the msgstr);
    - untranslated new source: filled from ``memory`` (reviewed translations of other files);
    - disappeared source: obsolete ``#~`` entry (its ``#|`` lines dropped: polib does not read
      them back, and a re-run must reproduce the file byte for byte).

    ``messages`` for reused entries may carry an empty translation. Header dates only move when
    the content does: ``POT-Creation-Date`` when the set of source sentences changes,
    ``PO-Revision-Date`` when anything does.

    An existing file keeps its ``Plural-Forms``: translators' plural msgstrs are indexed by that rule,
    and a rule that moved with a dependency upgrade (Babel changes its table between releases) would
    silently reinterpret them. Only ``migrate_plurals`` (``translate --migrate-plural-forms``) writes
    the current rule over it; :func:`plural_rule_drift` reports files whose rule differs.
    """
    po = polib.POFile(wrapwidth=WRAP, encoding="utf-8")
    before = existing.__unicode__() if existing is not None else None
    old = reusable(existing)
    header_date = date
    keys = [(m.id, m.source) for m in messages]
    if existing is not None:
        po.metadata = dict(existing.metadata)
        header_date = existing.metadata.get("POT-Creation-Date", date)
        po.header = existing.header
        if {entry_key(e) for e in existing if not e.obsolete and e.msgid} != set(keys):
            header_date = date
    else:
        po.header = f"{language_name(lang)} translation of {source}."
    fresh = _header(lang, slug, source, model, header_date)
    for key in ("Language", "Content-Type", "Content-Transfer-Encoding", "MIME-Version"):
        po.metadata[key] = fresh[key]
    if migrate_plurals or not po.metadata.get("Plural-Forms"):
        po.metadata["Plural-Forms"] = fresh["Plural-Forms"]
    po.metadata["POT-Creation-Date"] = header_date
    for key, value in fresh.items():
        po.metadata.setdefault(key, value)
    seen = set(keys)
    gone = [
        e
        for e in (existing or [])
        if not e.obsolete and e.msgid and entry_key(e) not in seen and is_translated(e)
    ]
    changed = match_changed([k for k in keys if k not in old], gone)
    consumed = {id(e) for e in changed.values()}
    for message, msg_key in zip(messages, keys, strict=True):
        entry = _entry(message)
        previous = old.get(msg_key)
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
        else:
            if not message.translation and memory is not None:
                hit = memory.lookup(message.id, message.source)
                if hit is not None:
                    entry.msgstr = hit.translation
                    entry.flags = ["fuzzy"] if hit.fuzzy else []
                    entry.comment = "\n".join([*entry.comment.split("\n"), hit.note])
            if msg_key in changed:
                _carry_over(entry, changed[msg_key])
        po.append(entry)
    for entry in existing or []:
        lost = entry.msgid and entry_key(entry) not in seen and id(entry) not in consumed
        if lost and (entry.obsolete or is_translated(entry)):
            obsolete = copy.deepcopy(entry)
            obsolete.obsolete = True
            obsolete.previous_msgid = obsolete.previous_msgctxt = None
            po.append(obsolete)
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


def write_po(po: polib.POFile, path: str | Path, *, expect: Stamp | object = UNCHECKED) -> bool:
    """Write atomically; returns False when the file on disk already has these exact bytes.

    ``expect``: the file's :func:`~pipeline.fileio.stamp` from before it was read; the write is
    refused (:class:`~pipeline.fileio.ChangedOnDisk`) if a translator saved it in the meantime.
    """
    return atomic_write_text(path, po.__unicode__(), expect=expect)


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
