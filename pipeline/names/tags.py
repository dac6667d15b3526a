"""Inline tags through the model: masked like names, restored exactly once each and well nested.

The model never sees a tag. Before translation each tag of a sentence (``<a1>``, ``</a1>``,
``<br1/>``) becomes a placeholder ``XTAG0``, ``XTAG1``… (a verbatim element, ``<code1>x</code1>``
or a ``translate="no"`` span, becomes one placeholder for the whole element, so its content is
never translated); name protection then runs on that text, so names inside links are still names.

After translation, whatever the model did, every tag comes back exactly once and well nested:

* garbled (``X TAG 0``, ``xtag-0``, ``XTAG٠``, ``اكستاج0``): recognised;
* duplicated: the first copy is kept, the others removed;
* dropped: an element whose words the output still holds (a name, a number, an untranslated
  word) is put back around them ("tied to its words", as DeepL places tags); otherwise each tag
  goes where it stood in the source, relative to the sentence, so a link keeps at least one word;
* reordered: a closing tag before its opening one is swapped; crossed elements
  (``<a1>…<em1>…</a1>…</em1>``) are repaired by closing the inner one where the outer one ends.

Each repair is reported, for a ``#. repaired:`` note in the PO entry. Alignment by cross-attention
(Bergamot) needs the model's attention weights, which neither the fakes nor CTranslate2's int8
path give us; placement from the source position and the words themselves works with any engine.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from pipeline.ingest.inline import TAG, VOID_TAGS, InlineTag, tag_name
from pipeline.language import DIGIT_CLASS, ascii_digits

TokenKind = Literal["open", "close", "void", "whole"]

_NUM = rf"([{DIGIT_CLASS}]+)"
#: A tag placeholder as written or garbled by a model.
PLACEHOLDER = re.compile(
    rf"(?<![A-Za-z])(?:[Xx]\s*[-_]?\s*[Tt]\s*[Aa]\s*[Gg]\s*[-_]?\s*{_NUM}"
    rf"|[اإ]?كس\s*[-_]?\s*تا[جغگ]\s*[-_]?\s*{_NUM})(?![{DIGIT_CLASS}])"
)
_SENTINEL = re.compile("\ue020(\\d+)\ue021")
_PUNCT = ".,;:!?)]}»”’؟،؛"


def _sentinel(index: int) -> str:
    return f"\ue020{index}\ue021"


@dataclass(frozen=True)
class TagToken:
    """One placeholder: an opening, closing or empty tag, or a whole verbatim element."""

    index: int
    kind: TokenKind
    tag: InlineTag

    def text(self) -> str:
        if self.kind == "open":
            return self.tag.open()
        if self.kind == "close":
            return self.tag.close()
        if self.kind == "whole":
            return f"{self.tag.open()}{self.tag.text}{self.tag.close()}"
        return self.tag.open()


@dataclass(frozen=True)
class Tagged:
    """A tagged sentence and what the model is sent instead (``masked``)."""

    source: str
    masked: str
    tokens: tuple[TagToken, ...]
    plain: str  # the source without tags: where each tag stood is measured in it
    positions: tuple[int, ...]  # each token's offset in ``plain``

    def pair(self, token: TagToken) -> TagToken | None:
        """The other end of an element (open ↔ close)."""
        want = {"open": "close", "close": "open"}.get(token.kind)
        return next((t for t in self.tokens if t.tag.name == token.tag.name and t.kind == want), None)


def placeholder(index: int) -> str:
    return f"XTAG{index}"


def mask_tags(text: str, tags: Sequence[InlineTag]) -> Tagged:
    """Replace each tag of ``text`` (those named in ``tags``) by a space-separated placeholder."""
    by_name = {t.name: t for t in tags}
    tokens: list[TagToken] = []
    positions: list[int] = []
    masked: list[str] = []
    plain: list[str] = []
    cursor = 0
    plain_len = 0
    wholes = [re.escape(t.open() + t.text + t.close()) for t in tags if t.element.verbatim]
    pattern = re.compile("|".join([*wholes, TAG.pattern]))
    whole_texts = {t.open() + t.text + t.close() for t in tags if t.element.verbatim}
    for match in pattern.finditer(text):
        inner = TAG.match(match.group(0))
        tag = by_name.get(tag_name(inner)) if inner else None
        if tag is None or inner is None:
            continue  # text that merely looks like a tag stays text
        chunk = text[cursor : match.start()]
        masked.append(chunk)
        plain.append(chunk)
        plain_len += len(chunk)
        kind: TokenKind = (
            "whole"
            if match.group(0) in whole_texts
            else "void"
            if tag.element.tag in VOID_TAGS
            else "close"
            if inner.group(1) == "/"
            else "open"
        )
        tokens.append(TagToken(len(tokens), kind, tag))
        positions.append(plain_len)
        masked.append(f" {placeholder(tokens[-1].index)} ")
        if kind == "whole":
            plain.append(tag.text)
            plain_len += len(tag.text)
        cursor = match.end()
    masked.append(text[cursor:])
    plain.append(text[cursor:])
    squeezed = re.sub(r"[ \t]{2,}", " ", "".join(masked)).strip()
    return Tagged(text, squeezed, tuple(tokens), "".join(plain), tuple(positions))


@dataclass(frozen=True)
class Unmasked:
    text: str
    repairs: tuple[str, ...]


def unmask_tags(output: str, tagged: Tagged) -> Unmasked:
    """Put every tag back into ``output`` exactly once, well nested (see the module docstring)."""
    if not tagged.tokens:
        return Unmasked(output, ())
    repairs: list[str] = []
    text = _recognise(output.replace("\ue020", "").replace("\ue021", ""), tagged, repairs)
    text = _place_missing(text, tagged, repairs)
    text = _order_pairs(text, tagged, repairs)
    text = _nest(text, tagged, repairs)
    return Unmasked(_write(text, tagged), tuple(repairs))


def _recognise(text: str, tagged: Tagged, repairs: list[str]) -> str:
    seen: set[int] = set()

    def one(match: re.Match[str]) -> str:
        index = int(ascii_digits(next(g for g in match.groups() if g is not None)))
        if index >= len(tagged.tokens):
            repairs.append(f"removed stray tag placeholder '{match.group(0)}'")
            return ""
        token = tagged.tokens[index]
        if index in seen:
            repairs.append(f"tag {token.text()}: duplicated by the model, extra copy removed")
            return ""
        seen.add(index)
        return _sentinel(index)

    return re.sub(r"[ \t]{2,}", " ", PLACEHOLDER.sub(one, text))


def _found(text: str) -> set[int]:
    return {int(m.group(1)) for m in _SENTINEL.finditer(text)}


def _boundaries(text: str) -> list[int]:
    """Word boundaries outside sentinels, up to the final punctuation."""
    body = len(text.rstrip().rstrip(_PUNCT + ".\"'"))
    points = {0, body}
    points.update(m.start() for m in re.finditer(r"\s", text[:body]))
    points.update(m.end() for m in _SENTINEL.finditer(text[:body]))
    points.update(m.start() for m in _SENTINEL.finditer(text[:body]))
    return sorted(p for p in points if p <= body)


def _near(text: str, fraction: float, lo: int = 0, hi: int | None = None) -> int:
    points = [p for p in _boundaries(text) if p >= lo and (hi is None or p <= hi)] or [lo]
    target = fraction * len(text.rstrip().rstrip(_PUNCT))
    return min(points, key=lambda p: abs(p - target))


def _insert(text: str, at: int, index: int) -> str:
    return f"{text[:at]} {_sentinel(index)} {text[at:]}"


def _place_missing(text: str, tagged: Tagged, repairs: list[str]) -> str:
    """Dropped tags: around their words when the output still has them, else at the source position."""
    length = max(len(tagged.plain), 1)
    for token in tagged.tokens:
        if token.index in _found(text):
            continue
        other = tagged.pair(token)
        if token.kind == "open" and other is not None and other.index not in _found(text):
            words = tagged.plain[tagged.positions[token.index] : tagged.positions[other.index]].strip()
            at = text.find(words) if len(words) >= 2 else -1
            if at >= 0 and not _SENTINEL.search(text, at, at + len(words)):
                text = (
                    text[:at]
                    + _sentinel(token.index)
                    + words
                    + _sentinel(other.index)
                    + text[at + len(words) :]
                )
                repairs.append(
                    f"tag {token.text()}{other.text()}: dropped by the model, placed around its words"
                )
                continue
        fraction = tagged.positions[token.index] / length
        where = _bounds(text, token, other)
        text = _insert(text, _near(text, fraction, *where), token.index)
        repairs.append(f"tag {token.text()}: dropped by the model, placed at its source position")
        if other is not None and other.index not in _found(text) and token.kind == "open":
            close_at = _near(text, tagged.positions[other.index] / length, _after_word(text, token.index))
            text = _insert(text, close_at, other.index)
            repairs.append(f"tag {other.text()}: dropped by the model, placed at its source position")
    return text


def _bounds(text: str, token: TagToken, other: TagToken | None) -> tuple[int, int | None]:
    """Where a tag may go given its other end: an opening tag before its close, a close after."""
    found = {int(m.group(1)): m for m in _SENTINEL.finditer(text)}
    if other is None or other.index not in found:
        return 0, None
    match = found[other.index]
    if token.kind == "open":
        return 0, _before_word(text, match.start())
    return _after_word(text, other.index), None


def _after_word(text: str, index: int) -> int:
    """The end of the first word after a sentinel (so an element is never empty)."""
    match = re.compile(f"\ue020{index}\ue021\\s*\\S+?(?=\\s|\ue020|$)").search(text)
    return match.end() if match else len(text)


def _before_word(text: str, position: int) -> int:
    head = text[:position].rstrip()
    space = max(head.rfind(" "), 0)
    return space


def _order_pairs(text: str, tagged: Tagged, repairs: list[str]) -> str:
    """A closing tag the model put before its opening one: the two are swapped."""
    for token in tagged.tokens:
        other = tagged.pair(token)
        if token.kind != "open" or other is None:
            continue
        opened, closed = text.find(_sentinel(token.index)), text.find(_sentinel(other.index))
        if closed < opened:
            text = text.replace(_sentinel(token.index), "\ue022").replace(
                _sentinel(other.index), _sentinel(token.index)
            )
            text = text.replace("\ue022", _sentinel(other.index))
            repairs.append(f"tag {token.text()}{other.text()}: reversed by the model, order repaired")
    return text


def _nest(text: str, tagged: Tagged, repairs: list[str]) -> str:
    """Crossed elements: the inner one is closed where the outer one closes."""
    out: list[str] = []
    stack: list[TagToken] = []
    closed: set[str] = set()
    cursor = 0
    for match in _SENTINEL.finditer(text):
        out.append(text[cursor : match.start()])
        cursor = match.end()
        token = tagged.tokens[int(match.group(1))]
        if token.kind == "open":
            stack.append(token)
        elif token.kind == "close":
            if token.tag.name in closed:
                continue
            while stack and stack[-1].tag.name != token.tag.name:
                inner = stack.pop()
                pair = tagged.pair(inner)
                if pair is not None:
                    out.append(_sentinel(pair.index))
                    closed.add(inner.tag.name)
                    repairs.append(f"tags {inner.text()} and {token.text()}: crossed, nesting repaired")
            if stack:
                stack.pop()
        out.append(match.group(0))
    out.append(text[cursor:])
    return "".join(out)


def _write(text: str, tagged: Tagged) -> str:
    """Sentinels become tags. Whitespace the source has not got is removed inside an element
    (``<a1> word`` → ``<a1>word``) and outside it next to punctuation (``" <em1>`` → ``"<em1>``)."""
    text = _SENTINEL.sub(lambda m: f"\ue030{m.group(1)}\ue031", text)
    punct = "[" + re.escape(_PUNCT + "\"'“‘«(") + "]"
    for token in tagged.tokens:
        written = f"\ue030{token.index}\ue031"
        mark = re.escape(written)
        before, after = _tight(tagged, token)
        inside_after = token.kind == "open"
        inside_before = token.kind == "close"
        if after:
            text = re.sub(mark + (r"[ \t]+" if inside_after else rf"[ \t]+(?={punct})"), written, text)
        if before:
            text = re.sub((r"[ \t]+" if inside_before else rf"(?<={punct})[ \t]+") + mark, written, text)
    text = re.sub("\ue030(\\d+)\ue031", lambda m: tagged.tokens[int(m.group(1))].text(), text)
    return re.sub(r"[ \t]{2,}", " ", text).strip()


def _tight(tagged: Tagged, token: TagToken) -> tuple[bool, bool]:
    """Whether the source has no space before and after this tag (the start and end count as space)."""
    source = tagged.source
    written = token.text()
    at = source.find(written)
    if at < 0:
        return False, False
    after = source[at + len(written) : at + len(written) + 1]
    before = source[at - 1 : at] if at else ""
    return bool(before) and not before.isspace(), bool(after) and not after.isspace()


__all__ = ["PLACEHOLDER", "TagToken", "Tagged", "Unmasked", "mask_tags", "placeholder", "unmask_tags"]
