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


def is_stale(entry: polib.POEntry, label: str) -> bool:
    """Machine output of another model or other settings than ``label``: to translate again."""
    origin = machine_origin(entry)
    return bool(label) and origin is not None and origin.label != label and is_machine_output(entry)
