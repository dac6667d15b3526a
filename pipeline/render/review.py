"""Review: the article as it will be published, with what an editor signing it off must see.

Each sentence carries its state (reviewed, machine, untranslated), the name repairs and QA warnings
its PO entry records, the glossary names it holds, its English source and the line of its entry in
the PO file. Everything comes from the PO file itself (the ``#.`` comments the translate job wrote),
so the review page needs neither the glossary nor the model. Repairs and warnings are shown only on
entries still awaiting review, as ``status`` counts them: once a translator has reviewed the entry,
they were the reviewer's to weigh.

The model is pure (:func:`review`); :mod:`pipeline.render.pages` writes the page and
:func:`sentence_html` marks up one sentence for the template.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Literal

import polib
from markupsafe import Markup, escape

from pipeline.catalog.layout import Layout, LayoutSegment
from pipeline.catalog.po import is_reviewed
from pipeline.render.localize import Piece, PieceStatus, Policy, localize

#: Where a sentence's PO entry stands (gettext's categories, as ``status`` counts them).
ReviewState = Literal["reviewed", "machine", "untranslated"]

#: The ``#.`` notes the translate job writes; any other line continues the note above it (polib
#: wraps long comments when it writes a file).
_KEYS = (
    "block",
    "glossary",
    "machine",  # pipeline.catalog.provenance: digest and model label, one line
    "qa",
    "repaired",
    "translation memory",
    "previous translation (reviewed)",
    "previous translation (unreviewed)",
)
_NOTE = re.compile(r"^(" + "|".join(re.escape(k) for k in _KEYS) + r"):\s?(.*)$")
_STRAY = re.compile(r"the model wrote '(.+?)' itself")
_KEPT = " (kept in English)"
#: Escapes text for the page (and, right to left, isolates Latin runs): ``pages.isolate_latin``.
Isolate = Callable[[str], Markup]


@dataclass(frozen=True)
class Name:
    """A glossary name in a sentence: its English spelling, the form the page must show, and
    whether the translate job had to repair it (dropped, duplicated, garbled by the model)."""

    en: str
    form: str
    repaired: bool = False


@dataclass(frozen=True)
class Warning:
    check: str
    detail: str


@dataclass
class Sentence:
    """One sentence occurrence on the page (a sentence repeated in the article appears twice)."""

    number: int  # 1-based, in reading order; the anchor is ``s-<number>``
    id: str  # the PO entry's msgctxt
    source: str
    piece: Piece  # what the published page shows, under the render policy
    state: ReviewState
    line: int | None  # the first line of the PO entry; None when the file has no entry
    names: tuple[Name, ...] = ()
    repairs: tuple[str, ...] = ()
    warnings: tuple[Warning, ...] = ()

    @property
    def anchor(self) -> str:
        return f"s-{self.number}"

    @property
    def shown(self) -> PieceStatus:
        return self.piece.status

    @property
    def repaired(self) -> bool:
        return bool(self.repairs)


@dataclass
class ReviewBlock:
    kind: str
    sentences: list[Sentence] = field(default_factory=list)
    seps: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "".join(s.piece.text + sep for s, sep in zip(self.sentences, self.seps, strict=True)).strip()


@dataclass
class Counts:
    """Per translation unit, as ``status`` and the page footer count: a repeated sentence is one."""

    reviewed: int = 0
    machine: int = 0
    untranslated: int = 0
    repaired: int = 0
    warned: int = 0  # units with at least one QA warning

    @property
    def total(self) -> int:
        return self.reviewed + self.machine + self.untranslated


@dataclass
class Review:
    blocks: list[ReviewBlock]
    counts: Counts
    #: Every sentence with a QA warning or a repair, first occurrence only, in reading order.
    flagged: list[Sentence]


def notes(comment: str | None) -> list[tuple[str, str]]:
    """The entry's ``#.`` notes as ``(key, text)``, wrapped lines joined back together.

    Lines end at "\\n" only (see :func:`pipeline.catalog.po.syntax_problem`). Text before any
    known key (a comment another tool wrote) is kept under the key "".
    """
    found: list[tuple[str, str]] = []
    for line in (comment or "").split("\n"):
        match = _NOTE.match(line)
        if match:
            found.append((match.group(1), match.group(2)))
        elif found and line:
            key, text = found[-1]
            # textwrap breaks after a hyphen too ("al-" / "Qaim"): that join takes no space
            glue = "" if re.search(r"\w-$", text) else " "
            found[-1] = (key, f"{text}{glue}{line}")
        elif line:
            found.append(("", line))
    return found


def _names(glossary: list[str], repairs: list[str]) -> tuple[Name, ...]:
    repaired_en = {r.split(": ", 1)[0] for r in repairs if ": " in r}
    strays = {m.group(1) for r in repairs if (m := _STRAY.search(r))}
    names: list[Name] = []
    for note in glossary:
        for item in note.split("; "):
            en, sep, form = item.partition(" = ")
            if not sep:
                en, form = item.removesuffix(_KEPT), item.removesuffix(_KEPT)
            if en and form:
                names.append(Name(en, form, en in repaired_en or form in strays))
    return tuple(names)


def _state(entry: polib.POEntry | None) -> ReviewState:
    if entry is None or not entry.msgstr:
        return "untranslated"
    return "reviewed" if is_reviewed(entry) else "machine"


def _sentence(number: int, seg: LayoutSegment, piece: Piece, entry: polib.POEntry | None) -> Sentence:
    state = _state(entry)
    found = notes(entry.comment if entry is not None else None)
    by_key: dict[str, list[str]] = {}
    for key, text in found:
        by_key.setdefault(key, []).append(text)
    pending = state != "reviewed"  # the module docstring says why
    repairs = by_key.get("repaired", []) if pending else []
    warnings = []
    if pending:
        for text in by_key.get("qa", []):
            check, _, detail = text.partition(": ")
            warnings.append(Warning(check.strip(), detail.strip()))
    return Sentence(
        number,
        seg.id,
        seg.text,
        piece,
        state,
        getattr(entry, "linenum", None) if entry is not None else None,
        _names(by_key.get("glossary", []), repairs),
        tuple(repairs),
        tuple(warnings),
    )


def review(layout: Layout, entries: Mapping[str, polib.POEntry], policy: Policy = "machine") -> Review:
    """The review of one article in one language, from its layout and PO entries by segment id."""
    local = localize(layout, entries, policy)
    blocks: list[ReviewBlock] = []
    counts = Counts()
    flagged: list[Sentence] = []
    seen: set[str] = set()
    number = 0
    for block, local_block in zip(layout.blocks, local, strict=True):
        out = ReviewBlock(block.kind)
        for seg, piece in zip(block.segments, local_block.pieces, strict=True):
            number += 1
            sentence = _sentence(number, seg, piece, entries.get(seg.id))
            out.sentences.append(sentence)
            out.seps.append(seg.sep)
            if seg.id in seen:
                continue
            seen.add(seg.id)
            _count(counts, sentence)
            if sentence.warnings or sentence.repairs:
                flagged.append(sentence)
        blocks.append(out)
    return Review(blocks, counts, flagged)


def _count(counts: Counts, sentence: Sentence) -> None:
    if sentence.state == "reviewed":
        counts.reviewed += 1
    elif sentence.state == "machine":
        counts.machine += 1
    else:
        counts.untranslated += 1
    counts.repaired += sentence.repaired
    counts.warned += bool(sentence.warnings)


# --- markup ----------------------------------------------------------------------------------------

# A number with its separators, sign and percent, in Western, Arabic-Indic or Persian digits; a sign
# counts only where it starts a word (the hyphen of "كوفيد-19" stays with the word).
_DIGIT = "0-9\u0660-\u0669\u06f0-\u06f9"
_NUMBER = re.compile(rf"(?:(?<!\w)[+\-−])?[{_DIGIT}]+(?:[.,:/\-–\u066b\u066c][{_DIGIT}]+)*[%\u066a]?")
_LATIN_LETTER = re.compile(r"[A-Za-z\u00C0-\u024F]")


def _names_pattern(forms: list[str]) -> re.Pattern[str] | None:
    """Longest first, so "Abu Bakr al-Baghdadi" wins over "al-Baghdadi"; a Latin form only as a
    whole word, an Arabic one also after a proclitic ("والموصل")."""
    parts = []
    for form in sorted(set(forms), key=len, reverse=True):
        body = re.escape(form)
        if _LATIN_LETTER.match(form[0]):
            body = rf"(?<!\w){body}"
        if _LATIN_LETTER.match(form[-1]):
            body = rf"{body}(?!\w)"
        parts.append(body)
    return re.compile("|".join(parts)) if parts else None


def _plain(text: str, isolate: Isolate, rtl: bool) -> str:
    """Text between names: numbers marked; in right-to-left text, Western numbers isolated (and Latin
    runs, by ``isolate``) so the bidi algorithm cannot reorder them."""
    out: list[str] = []
    cursor = 0
    for match in _NUMBER.finditer(text):
        out.append(str(isolate(text[cursor : match.start()])))
        number = match.group(0)
        if rtl and re.match(r"[+\-−]?[0-9]", number):
            out.append(f'<bdi dir="ltr" class="num">{escape(number)}</bdi>')
        else:
            out.append(f'<span class="num">{escape(number)}</span>')
        cursor = match.end()
    out.append(str(isolate(text[cursor:])))
    return "".join(out)


def mark_names(
    text: str, names: tuple[Name, ...], *, rtl: bool, isolate: Isolate = escape, english: bool = False
) -> Markup:
    """Escape ``text`` with its glossary names (their target forms, or with ``english`` their English
    spellings) in ``<mark class="name">``, repaired ones also ``repaired``, and numbers marked.
    ``isolate`` escapes the text between them (the page's Latin-run isolation for right-to-left)."""
    forms = {(n.en if english else n.form): n for n in names}
    pattern = _names_pattern(list(forms))
    out: list[str] = []
    cursor = 0
    for match in pattern.finditer(text) if pattern is not None else ():
        out.append(_plain(text[cursor : match.start()], isolate, rtl))
        name = forms[match.group(0)]
        inner = escape(name.form if not english else name.en)
        if rtl and _LATIN_LETTER.search(match.group(0)):
            inner = Markup('<bdi dir="ltr">{}</bdi>').format(inner)
        if name.repaired and not english:
            out.append(
                str(
                    Markup(
                        '<mark class="name repaired" title="{}">{}<span class="flag" aria-hidden="true">'
                        '⟲</span><span class="sr"> (repaired name)</span></mark>'
                    ).format(f"{name.en}: repaired", inner)
                )
            )
        else:
            out.append(str(Markup('<mark class="name" title="{}">{}</mark>').format(name.en, inner)))
        cursor = match.end()
    out.append(_plain(text[cursor:], isolate, rtl))
    return Markup("".join(out))
