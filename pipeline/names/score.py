"""The name figure: how many glossary occurrences a backend's output carries in their target form.

``python -m pipeline glossary score`` runs a corpus through exactly the runner's path (protect,
translate with retry, restore) and counts, in the final text alone, each source occurrence that came
out in its glossary form. The guarantee is N/N for any backend; ``extra`` counts target forms
beyond those (copies the model wrote itself), which are left in the text and flagged for review.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from pipeline.errors import InputError
from pipeline.fileio import read_utf8_text, utf8_error_line
from pipeline.mt.base import Backend
from pipeline.names.glossary import Glossary
from pipeline.names.protection import NameCount, leftover_placeholders, score_backend


@dataclass(frozen=True)
class Score:
    corpus: str
    backend: str
    lang: str
    count: NameCount
    segments: int
    repaired: int
    retried: int  # segments sent again with another placeholder make
    faults: int  # placeholder faults (drops, copies, translations) in the outputs kept: repaired
    leftovers: int  # placeholder-like strings left in the output (must be 0)

    @property
    def perfect(self) -> bool:
        return self.count.found == self.count.expected and self.leftovers == 0

    def __str__(self) -> str:
        c = self.count
        return (
            f"{self.corpus}: {self.backend} → {self.lang}: {c.found}/{c.expected} glossary occurrences "
            f"in their target form ({c.extra} extra; {self.repaired}/{self.segments} segments repaired, "
            f"{self.retried} retried, {self.faults} placeholder faults repaired"
            + (f", {self.leftovers} placeholders left" if self.leftovers else "")
            + ")"
        )


def article_texts(paths: Sequence[str | Path]) -> list[str]:
    """The translation units of articles, as the runner sends them (identical sentences once)."""
    from pipeline.ingest import expand_inputs, load_document
    from pipeline.segment import segment_document, units

    texts: list[str] = []
    for path in expand_inputs(paths):
        texts.extend(unit.text for unit in units(segment_document(load_document(path))))
    return texts


def corpus_texts(path: str | Path) -> list[str]:
    """A corpus file: one segment per non-blank line."""
    try:
        lines = read_utf8_text(path, strip_bom=False).splitlines()
    except UnicodeDecodeError as exc:
        raise InputError(f"cannot read corpus: {exc}", path, utf8_error_line(exc)) from None
    except OSError as exc:
        raise InputError(f"cannot read corpus: {exc}", path) from None
    return [line.strip() for line in lines if line.strip()]


def score(backend: Backend, texts: Sequence[str], glossary: Glossary, lang: str, corpus: str) -> Score:
    count, restored = score_backend(backend, texts, glossary, lang)
    leftovers = sum(len(leftover_placeholders(r.text)) for r in restored)
    # Scripts and tests pass ad-hoc engines too; one without a name is called by its class.
    name = getattr(backend, "name", type(backend).__name__)
    return Score(
        corpus,
        name,
        lang,
        count,
        len(texts),
        sum(1 for r in restored if r.repairs),
        sum(1 for r in restored if r.retried),
        sum(r.faults for r in restored),
        leftovers,
    )
