"""Quality harness: corpus BLEU and chrF against references, glossary accuracy, QA warning rates.

Translations go through exactly the production path (glossary protection → backend → restore), so a
score measures what readers get, not the bare model. Scores come from sacrebleu with its signature,
so a figure can be reproduced and compared; the tiny test model's scores are meaningless, the real
``opus-mt-en-ar`` model's are the ones to report.
"""

from __future__ import annotations

import csv
import io
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.catalog.checks import QAReport, run_checks
from pipeline.errors import InputError, PipelineError
from pipeline.fileio import read_utf8_text, utf8_error_line
from pipeline.names.glossary import Glossary
from pipeline.names.protection import protect, translate_protected
from pipeline.names.score import Score as NameScore
from pipeline.names.score import corpus_texts
from pipeline.names.score import score as score_names


@dataclass(frozen=True)
class EvalSet:
    path: Path
    sources: list[str]
    references: list[str]


def read_testset(path: str | Path, src: str = "en", tgt: str = "ar", limit: int | None = None) -> EvalSet:
    """A TSV with a header naming the ``src`` and ``tgt`` columns (FLORES-200 style: id, domain, url, en, ar).

    Fields are taken verbatim (no CSV quoting): FLORES sentences start with quotation marks.
    """
    path = Path(path)
    try:
        text = read_utf8_text(path)
    except FileNotFoundError:
        raise InputError("test set not found", path) from None
    except UnicodeDecodeError as exc:
        raise InputError("test set is not UTF-8 text", path, utf8_error_line(exc)) from None
    rows = csv.reader(io.StringIO(text), delimiter="\t", quoting=csv.QUOTE_NONE)
    header = next(rows, None)
    if not header or src not in header or tgt not in header:
        raise InputError(f"header must name the '{src}' and '{tgt}' columns (got: {header})", path, 1)
    i, j = header.index(src), header.index(tgt)
    sources: list[str] = []
    references: list[str] = []
    for line, row in enumerate(rows, start=2):
        if limit is not None and len(sources) >= limit:
            break
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            raise InputError(f"{len(row)} columns but the header has {len(header)}", path, line)
        sources.append(row[i].strip())
        references.append(row[j].strip())
    if not sources:
        raise InputError("test set has no sentences", path)
    return EvalSet(path, sources, references)


def translate(texts: Sequence[str], backend: object, glossary: Glossary, lang: str) -> list[str]:
    """Translate as the runner does: names masked, placeholders verified, retried and restored."""
    items = [protect(t, glossary) for t in texts]
    return [r.text for r in translate_protected(backend, items, lang, glossary=glossary)]  # type: ignore[arg-type]


@dataclass(frozen=True)
class Score:
    name: str
    score: float
    text: str  # sacrebleu's own line, e.g. "BLEU = 12.34 45.6/20.1/... (BP = ...)"
    signature: str


def corpus_scores(hypotheses: Sequence[str], references: Sequence[str]) -> list[Score]:
    """Corpus BLEU and chrF with default sacrebleu settings (13a tokenization, chrF β=2)."""
    try:
        from sacrebleu.metrics import BLEU, CHRF
    except ImportError:
        raise PipelineError("sacrebleu is not installed: pip install -e '.[eval]'") from None

    scores = []
    for metric in (BLEU(), CHRF()):
        result = metric.corpus_score(list(hypotheses), [list(references)])
        scores.append(Score(result.name, result.score, str(result), str(metric.get_signature())))
    return scores


@dataclass
class Evaluation:
    sentences: int
    seconds: float
    scores: list[Score]
    qa: QAReport
    names: NameScore | None = None
    outputs: list[str] = field(default_factory=list)


def evaluate(
    testset: EvalSet,
    backend: object,
    glossary: Glossary,
    lang: str,
    names_corpus: Path | None = None,
) -> Evaluation:
    started = time.perf_counter()
    outputs = translate(testset.sources, backend, glossary, lang)
    seconds = time.perf_counter() - started
    qa = QAReport()
    for source, output in zip(testset.sources, outputs, strict=True):
        qa.add(run_checks(source, output, lang, glossary))
    result = Evaluation(
        len(outputs), seconds, corpus_scores(outputs, testset.references), qa, outputs=outputs
    )
    if names_corpus is not None:
        # The same figure as `python -m pipeline glossary score --corpus FILE`: one segment per line.
        texts = corpus_texts(names_corpus)
        result.names = score_names(backend, texts, glossary, lang, str(names_corpus))  # type: ignore[arg-type]
    return result


def format_report(result: Evaluation, *, model: str, testset: Path) -> str:
    lines = [
        f"model: {model}",
        f"test set: {testset} ({result.sentences} sentences, translated in {result.seconds:.1f}s)",
    ]
    for score in result.scores:
        lines.append(f"{score.text}")
        lines.append(f"  signature: {score.signature}")
    if result.names is not None:
        names = result.names.count
        accuracy = 100 * names.found / names.expected if names.expected else 100.0
        lines.append(
            f"glossary accuracy: {accuracy:.1f}% over {result.names.segments} segments: {result.names}"
        )
    checked = result.qa.checked or 1
    counts = ", ".join(f"{name} {n} ({100 * n / checked:.0f}%)" for name, n in result.qa.counts.most_common())
    lines.append(f"QA warnings on {result.qa.checked} test-set translations: {counts or 'none'}")
    return "\n".join(lines)
