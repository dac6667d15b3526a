"""Fault-injecting fake backends: each does to placeholders one thing a real MT model does.

They exist to prove the name guarantee (tests, and ``glossary score --backend fake-NAME``) without
a model: every backend here "translates" by keeping the masked text and attacking its placeholders.
A placeholder is any Latin letters-then-digits token (``XNAME0``, ``ZXQ0``), so the faults apply to
whatever make of placeholder :mod:`pipeline.names.protection` uses, retries included.

Every class is an :class:`~pipeline.mt.base.IdentityBackend` (so it honours the one
:class:`~pipeline.mt.base.Backend` protocol: ``name``, ``calls``, ``translate``) that also records
what it was sent (``seen``) and rewrites its output in :meth:`FaultBackend.fault`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from pipeline.mt.base import IdentityBackend

#: A placeholder as the pipeline writes it: capital letters then digits.
TOKEN = re.compile(r"\b([A-Z]{2,})(\d+)\b")
_ARABIC_DIGITS = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
# How a model spells Latin capitals in Arabic script (enough for the placeholder makes we use).
_ARABIC_SPELLING = {"XNAME": "اكسنيم", "ZXQ": "زداكسكيو"}


class FaultBackend(IdentityBackend):
    """Base: subclasses rewrite each placeholder match (or the whole text) in :meth:`fault`."""

    name = "fault"

    def __init__(self) -> None:
        super().__init__()
        self.seen: list[str] = []

    def translate(self, texts: Sequence[str], *, lang: str) -> list[str]:
        self.seen.extend(texts)
        return [self.fault(text) for text in super().translate(texts, lang=lang)]

    def fault(self, text: str) -> str:
        return text


class IdentityFake(FaultBackend):
    """The identity backend under its fake's name: placeholders intact, nothing translated.

    The control of the fault tests: the guarantee must hold, with nothing to repair.
    """

    name = "fake-identity"


class DropBackend(FaultBackend):
    """Drops every placeholder (and the space before it)."""

    name = "fake-drop"

    def fault(self, text: str) -> str:
        return re.sub(r"\s*" + TOKEN.pattern, "", text).strip()


class DuplicateBackend(FaultBackend):
    """Repeats every placeholder, and repeats the first one once more at the end."""

    name = "fake-duplicate"

    def fault(self, text: str) -> str:
        out = TOKEN.sub(lambda m: f"{m.group(0)} {m.group(0)}", text)
        first = TOKEN.search(text)
        return f"{out} {first.group(0)}" if first else out


class GarbleBackend(FaultBackend):
    """Garbles placeholders in turn: ``X NAME 0``, ``اكسنيم0``, ``xname-0``, ``XNAME٠``, ``XNAME 0``."""

    name = "fake-garble"

    def fault(self, text: str) -> str:
        counter = iter(range(10**6))

        def garble(m: re.Match[str]) -> str:
            letters, digits = m.group(1), m.group(2)
            style = next(counter) % 5
            if style == 0:
                return f"{letters[0]} {letters[1:]} {digits}"
            if style == 1:
                return _ARABIC_SPELLING.get(letters, letters) + digits
            if style == 2:
                return f"{letters.lower()}-{digits}"
            if style == 3:
                return letters + digits.translate(_ARABIC_DIGITS)
            return f"{letters} {digits}"

        return TOKEN.sub(garble, text)


class TranslateBackend(FaultBackend):
    """Translates the English word in a placeholder: ``XNAME3`` becomes ``الاسم 3`` ("the name 3").

    A make of placeholder with no English word in it (``ZXQ3``) comes through untouched, as with a
    real model that only translates what it recognises as words.
    """

    name = "fake-translate"

    def fault(self, text: str) -> str:
        return re.sub(r"\bXNAME(\d+)\b", r"الاسم \1", text)


class ReorderBackend(FaultBackend):
    """Moves placeholders around: their order is reversed and the first one goes to the start."""

    name = "fake-reorder"

    def fault(self, text: str) -> str:
        tokens = [m.group(0) for m in TOKEN.finditer(text)]
        if not tokens:
            return text
        rest = iter(reversed(tokens[1:]))
        body = TOKEN.sub(lambda m: next(rest, ""), text, count=0)
        body = re.sub(r"[ \t]{2,}", " ", body).strip()
        return f"{tokens[0]} {body}"


class ChaosBackend(FaultBackend):
    """All of the above at once, per placeholder: drop, double, garble, translate, keep."""

    name = "fake-chaos"

    def fault(self, text: str) -> str:
        counter = iter(range(10**6))

        def attack(m: re.Match[str]) -> str:
            letters, digits = m.group(1), m.group(2)
            style = (next(counter) + int(digits)) % 5
            if style == 0:
                return ""
            if style == 1:
                return f"{m.group(0)} {m.group(0)}"
            if style == 2:
                return _ARABIC_SPELLING.get(letters, letters) + digits.translate(_ARABIC_DIGITS)
            if style == 3 and letters == "XNAME":
                return f"اسم{digits}"
            return m.group(0)

        return TOKEN.sub(attack, text)


class ProcliticBackend(FaultBackend):
    """Writes Arabic prepositions and conjunctions against placeholders, as a real model does: "to
    al-Raqa" as ``لXNAME0``, "and" with a space (``و XNAME1``), the article glued on (``للXNAME2``,
    ``بالXNAME3``), "and to" (``ولXNAME4``). Restored names must follow Arabic spelling (للرقة,
    والموصل, not لالرقة) and every count must recognise the joined forms."""

    name = "fake-proclitic"
    PREFIXES = ("ل", "و ", "لل", "بال", "ول", "ف")

    def fault(self, text: str) -> str:
        return TOKEN.sub(lambda m: self.PREFIXES[int(m.group(2)) % len(self.PREFIXES)] + m.group(0), text)


FAKES: dict[str, type[FaultBackend]] = {
    cls.name: cls
    for cls in (
        IdentityFake,
        DropBackend,
        DuplicateBackend,
        GarbleBackend,
        TranslateBackend,
        ReorderBackend,
        ChaosBackend,
        ProcliticBackend,
    )
}


def make_fake(name: str) -> FaultBackend:
    """The fake backend called ``name`` (``fake-drop`` ...); ``KeyError`` lists the valid names."""
    try:
        return FAKES[name]()
    except KeyError:
        raise KeyError(f"unknown fake backend {name!r}; choose one of: {', '.join(FAKES)}") from None
