"""Which model wrote an entry's machine translation, so output of another model is not kept forever.

Every machine translation the pipeline writes carries one extracted comment::

    #. machine: 1f2e3d4c models/opus-mt-en-ar;transformers;beams=4

the first 8 hex digits of the SHA-256 of the msgstr the model produced, then the model and its
settings (whitespace percent-encoded, so the label is one word). A later run with another model or
other settings re-translates the entry only while it is still that machine output: ``fuzzy``, with
the msgstr whose digest the note records. A translator who edited the msgstr (even keeping it
``fuzzy``, as work in progress) or reviewed it changes that, and the entry is never touched again.

polib wraps long comments at hyphens (never inside the digest, which comes first); the
continuation lines of a label contain no space, which is how :func:`machine_origin` joins them.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from urllib.parse import quote

import polib

from pipeline.catalog.memory import NOTE as MEMORY_NOTE

NOTE = "machine: "

_DIGITS = 8


def label_of(model: str, settings: str = "") -> str:
    """The label a note records: model and settings, one word."""
    label = f"{model};{settings}" if settings else model
    return quote(label, safe="/:@=+,;._-~()[]<>!$&'*")


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:_DIGITS]


def machine_note(label: str, translation: str) -> str:
    return f"{NOTE}{digest(translation)} {label}"


@dataclass(frozen=True)
class Origin:
    digest: str
    label: str


def machine_origin(entry: polib.POEntry) -> Origin | None:
    """The entry's ``machine:`` note, its wrapped continuation lines joined; None without one."""
    lines = entry.comment.split("\n") if entry.comment else []
    for i, line in enumerate(lines):
        if not line.startswith(NOTE):
            continue
        rest = line[len(NOTE) :]
        for more in lines[i + 1 :]:
            if " " in more.strip() or not more.strip():
                break
            rest += more.strip()
        return Origin(rest[:_DIGITS], rest[_DIGITS:].strip())
    return None


def is_machine_output(entry: polib.POEntry) -> bool:
    """Still exactly what a model wrote: fuzzy, and its msgstr is the one the note records."""
    origin = machine_origin(entry)
    return (
        origin is not None
        and "fuzzy" in entry.flags
        and not entry.msgid_plural
        and digest(entry.msgstr) == origin.digest
    )


def is_stale(entry: polib.POEntry, label: str, legacy: str = "") -> bool:
    """Machine output of another model or other settings than ``label``: to translate again.

    ``legacy``: the file's ``X-Machine-Translation`` header (:func:`header_model`), which is all a
    file written before the notes existed says about its entries. A note-less :func:`is_legacy_draft`
    in such a file is stale when that header names another model than ``label``'s; whether it is
    untouched output or a translator's draft is unknowable, so the merge keeps its text in the
    entry's translator comment (:func:`legacy_comment`) when it replaces it.
    """
    origin = machine_origin(entry)
    if origin is None:
        return bool(label and legacy) and is_legacy_draft(entry) and not same_model(label, legacy)
    return bool(label) and origin.label != label and is_machine_output(entry)


def is_legacy_draft(entry: polib.POEntry) -> bool:
    """Fuzzy, translated, with neither a ``machine:`` note nor a translation-memory one: in a file
    that predates the notes, another model's output or a translator's draft, no one can tell."""
    lines = entry.comment.split("\n") if entry.comment else []
    return (
        "fuzzy" in entry.flags
        and bool(entry.msgstr)
        and not entry.msgid_plural
        and not entry.obsolete
        and not any(line.startswith((NOTE, MEMORY_NOTE)) for line in lines)
    )


def header_model(po: polib.POFile | None) -> str:
    """The model a file's header names (the first one that wrote it, in files before the notes)."""
    return po.metadata.get("X-Machine-Translation", "").strip() if po is not None else ""


def same_model(label: str, model: str) -> bool:
    """Does ``label`` (model;settings) name ``model``? A legacy header names no settings, so only
    the model can be compared."""
    return label.split(";", 1)[0] == label_of(model)


def legacy_comment(model: str, text: str) -> str:
    """The translator comment that keeps a legacy entry's text when a new model replaces it:
    ``msgmerge``, ``msgcat``, ``msgattrib``, Poedit and Weblate all keep translator comments (an
    extracted ``#.`` one is rebuilt from the POT, and a ``#~`` copy under the same key is a
    "duplicate message definition" to every gettext tool). Newlines are written as ``\\n``;
    polib wraps a long comment at spaces, so its lines join back with one space."""
    return f"{LEGACY}{model or 'an unknown model'} or a translator): {text.replace(chr(10), chr(92) + 'n')}"


def legacy_text(tcomment: str) -> str | None:
    """What :func:`legacy_comment` kept, its wrapped lines joined; None if there is none."""
    joined = " ".join(tcomment.split("\n")) if tcomment else ""
    start = joined.find(LEGACY)
    if start < 0:
        return None
    rest = joined[start + len(LEGACY) :]
    return rest.split("): ", 1)[1].replace("\\n", "\n") if "): " in rest else None


#: How :func:`legacy_comment` begins (``translate`` never writes one twice).
LEGACY = "earlier translation (from a file written before machine notes, by "
