"""Merge: a run's sentences into an article's PO file, the way msgmerge does, so no human work is lost.

Pure functions over polib objects: :func:`build_catalog` takes the existing file (if any) and
returns the new one; the job reads and writes the files. See :func:`build_catalog` for what
happens to unchanged, changed, new and removed sentences, and the README's "translators' round
trip" for why.
"""

from __future__ import annotations

import copy
import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import polib

from pipeline import __version__
from pipeline.catalog import plurals
from pipeline.catalog.memory import Memory
from pipeline.catalog.po import WRAP, adopted, entry_key, is_translated, reusable
from pipeline.catalog.provenance import (
    header_model,
    is_machine_output,
    is_stale,
    label_of,
    legacy_comment,
    legacy_text,
    machine_origin,
)
from pipeline.language import english_name

Key = tuple[str, str]  # (msgctxt, msgid): what identifies an entry across runs


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
        "Language-Team": f"{english_name(lang)} <>",
        "Language": lang,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        # looked up on the module, so a test can stand in for a dependency upgrade that moves the rule
        "Plural-Forms": plurals.plural_forms(lang),
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


def _creation_date(existing: polib.POFile | None, keys: Sequence[Key], date: str) -> str:
    """``POT-Creation-Date`` moves only when the set of source sentences does."""
    if existing is None:
        return date
    live = {entry_key(e) for e in existing if not e.obsolete and e.msgid}
    return existing.metadata.get("POT-Creation-Date", date) if live == set(keys) else date


def _set_header(
    po: polib.POFile, existing: polib.POFile | None, fresh: dict[str, str], *, migrate_plurals: bool
) -> None:
    """Keep the existing header (translators' ``Last-Translator``, ``Language-Team`` ...), except
    the fields that describe the bytes themselves; fill in what is missing from ``fresh``."""
    if existing is not None:
        po.metadata = dict(existing.metadata)
    for key in ("Language", "Content-Type", "Content-Transfer-Encoding", "MIME-Version", "X-Source-File"):
        po.metadata[key] = fresh[key]
    if migrate_plurals or not po.metadata.get("Plural-Forms"):
        po.metadata["Plural-Forms"] = fresh["Plural-Forms"]
    po.metadata["POT-Creation-Date"] = fresh["POT-Creation-Date"]
    for key, value in fresh.items():
        # an existing file's model is named by _name_model, once it holds that model's output: a
        # header that named none must not start naming this run's model as the author of old entries
        if existing is None or key != "X-Machine-Translation":
            po.metadata.setdefault(key, value)


def _reuse(entry: polib.POEntry, previous: polib.POEntry, message: Message) -> None:
    """An unchanged sentence keeps its entry's translation, flags and comments as they are."""
    entry.msgstr = previous.msgstr
    entry.msgstr_plural = previous.msgstr_plural
    entry.flags = list(previous.flags)
    entry.tcomment = previous.tcomment
    entry.previous_msgid = previous.previous_msgid
    entry.previous_msgctxt = previous.previous_msgctxt
    if message.translation == "" and previous.comment:
        entry.comment = previous.comment


def _fill_from_memory(entry: polib.POEntry, message: Message, memory: Memory | None) -> None:
    """A sentence with no translation of its own takes a reviewed one from another file."""
    if message.translation or memory is None:
        return
    hit = memory.lookup(message.id, message.source)
    if hit is not None:
        entry.msgstr = hit.translation
        entry.flags = ["fuzzy"] if hit.fuzzy else []
        entry.comment = "\n".join([*entry.comment.split("\n"), hit.note])


def _gone(existing: polib.POFile | None, seen: set[Key], taken: set[int]) -> list[polib.POEntry]:
    """Translated live entries whose sentence is not in this run (nor ``taken`` by one, see
    :func:`~pipeline.catalog.po.reusable`): candidates for a changed one."""
    return [
        e
        for e in (existing or [])
        if not e.obsolete and e.msgid and entry_key(e) not in seen and id(e) not in taken and is_translated(e)
    ]


def _refresh(entry: polib.POEntry, stale: polib.POEntry, legacy: str) -> None:
    """A new model's translation replaces another model's untouched output (see
    :mod:`~pipeline.catalog.provenance`); the translator's comment and the ``#|`` diff stay.

    An entry of a file written before the ``machine:`` notes may hold a translator's draft, so its
    text is kept as a translator comment line (:func:`~pipeline.catalog.provenance.legacy_comment`).
    """
    entry.tcomment = stale.tcomment
    if machine_origin(stale) is None and legacy_text(stale.tcomment) != stale.msgstr:
        lines = stale.tcomment.split("\n") if stale.tcomment else []
        entry.tcomment = "\n".join([*lines, legacy_comment(legacy, stale.msgstr)])
    entry.previous_msgid = stale.previous_msgid
    entry.previous_msgctxt = stale.previous_msgctxt


def _obsolete(existing: polib.POFile | None, seen: set[Key], consumed: set[int]) -> list[polib.POEntry]:
    """``#~`` entries for sentences that left the article, changed ones included: their
    translation stays where every gettext tool keeps it (``msgmerge`` keeps ``#~`` entries; the
    extracted ``#.`` comment offering it is rebuilt from the POT), so reverting the sentence brings
    it back as it was, reviewed. ``consumed``: entries reused under another key (no context).

    Their ``#|`` lines are dropped: polib does not read them back, and a re-run must reproduce the
    file byte for byte.
    """
    kept: list[polib.POEntry] = []
    for entry in existing or []:
        lost = entry.msgid and entry_key(entry) not in seen and id(entry) not in consumed
        if lost and (entry.obsolete or is_translated(entry)):
            obsolete = copy.deepcopy(entry)
            obsolete.obsolete = True
            obsolete.previous_msgid = obsolete.previous_msgctxt = None
            kept.append(obsolete)
    return kept


def _merged(
    message: Message,
    old: dict[Key, polib.POEntry],
    changed: dict[Key, polib.POEntry],
    memory: Memory | None,
    label: str,
    legacy: str = "",
) -> polib.POEntry:
    """One message's entry: reused, refreshed (another model's output), or new (see below)."""
    key = (message.id, message.source)
    entry = _entry(message)
    previous = old.get(key)
    if previous is not None and message.translation and is_stale(previous, label, legacy):
        _refresh(entry, previous, legacy)
    elif previous is not None:
        _reuse(entry, previous, message)
    else:
        _fill_from_memory(entry, message, memory)
        if key in changed:
            _carry_over(entry, changed[key])
    return entry


def _name_model(po: polib.POFile, model: str, label: str) -> None:
    """``X-Machine-Translation`` names the model once this file holds its machine output (it
    used to keep the first model's name forever)."""
    origins = [machine_origin(e) for e in po if is_machine_output(e)]
    if any(o is not None and o.label == label for o in origins):
        po.metadata["X-Machine-Translation"] = model


def build_catalog(
    messages: Sequence[Message],
    *,
    lang: str,
    slug: str,
    source: str,
    model: str,
    date: str,
    existing: polib.POFile | None = None,
    memory: Memory | None = None,
    migrate_plurals: bool = False,
    label: str | None = None,
) -> polib.POFile:
    """A PO file for ``messages``, merged over ``existing`` like msgmerge, so no human work is lost.

    - unchanged (context, source): translation, flags, comments kept verbatim (no model call);
    - changed source (a new id whose text is close to a disappeared entry's, see
      :func:`match_changed`): the new translation, ``fuzzy``, ``#|`` previous source and the old
      translation offered in a comment (:func:`_carry_over` says why it is not the msgstr);
    - untranslated new source: filled from ``memory`` (reviewed translations of other files);
    - disappeared (or changed) source: obsolete ``#~`` entry (see :func:`_obsolete`);
    - another model's untouched machine output (:mod:`~pipeline.catalog.provenance`): replaced;
      in a file written before the notes, a fuzzy entry when the header names another model,
      its text kept as a translator comment (it may be a translator's draft).

    ``messages`` for reused entries may carry an empty translation; ``label``: this run's model and
    settings (default ``model``). Header dates only move when the content does:
    ``POT-Creation-Date`` when the set of source sentences changes, ``PO-Revision-Date`` when
    anything does.

    An existing file keeps its ``Plural-Forms``: translators' plural msgstrs are indexed by that rule,
    and a rule that moved with a dependency upgrade (Babel changes its table between releases) would
    silently reinterpret them. Only ``migrate_plurals`` (``translate --migrate-plural-forms``) writes
    the current rule over it; :func:`~pipeline.catalog.plurals.plural_rule_drift` reports files whose
    rule differs.
    """
    before = existing.__unicode__() if existing is not None else None
    keys = [(m.id, m.source) for m in messages]
    seen = set(keys)
    po = polib.POFile(wrapwidth=WRAP, encoding="utf-8")
    po.header = existing.header if existing is not None else f"{english_name(lang)} translation of {source}."
    fresh = _header(lang, slug, source, model, _creation_date(existing, keys, date))
    _set_header(po, existing, fresh, migrate_plurals=migrate_plurals)
    label, old = label_of(model) if label is None else label, reusable(existing, keys)
    taken = adopted(old)
    changed = match_changed([k for k in keys if k not in old], _gone(existing, seen, taken))
    legacy = header_model(existing)
    for message in messages:
        po.append(_merged(message, old, changed, memory, label, legacy))
    for obsolete in _obsolete(existing, seen, taken):
        po.append(obsolete)
    _name_model(po, model, label)
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
