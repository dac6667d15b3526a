"""What the transformers and CTranslate2 backends share: the ``>>xxx<<`` target tag, cutting
over-long segments, and batching by a token budget.

A model sees pieces, not segments: a segment longer than the model's positions is cut at natural
points (:func:`split_long`) and its translations joined again, so both engines send the model the same
pieces and the rest of the pipeline cannot tell them apart. Nothing here imports torch.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, Protocol

from pipeline.errors import ModelError
from pipeline.mt.registry import Registry, load_registry

#: Default token budget of a batch (batch size x its longest source), per backend. Measured with the
#: real model's shape on 2 CPU cores, beam 4 (scripts/bench_translate.py, 200 sentences, the old
#: tokenizer): transformers took 169 s and peaked at 1.2 GB with 1024, 228 s and 1.7 GB with 2048 (its
#: beam search copies every layer's cache for every row at each step). CTranslate2's peak memory grows
#: with the budget, not with the tokenizer (its caches hold budget x beams x output rows): with the
#: calibrated tokenizer one batch using ~1,600 tokens of the budget peaked at 606 MB, a 3-sentence run at
#: 234 MB, so 1024 (as many sentences per batch as 2048 gave with the old, twice-too-fine tokenizer)
#: should keep a 200-sentence run under 600 MB (not yet measured on a quiet machine).
#: Transformers, measured again with the calibrated tokenizer (the pipeline (b) alone, 2 threads,
#: a 2-core AVX-512 EPYC, one process each, 2026-12-02): 256 tokens 119 tok/s and 878 MB peak,
#: 384 146 and 964, 512 141-165 and 1,069-1,072 (the default then, 1024, 98 and 1,205-1,223 MB).
#: With oneDNN's kernels and the row cap below (same box, twice each): 384 222-234 tok/s and
#: 905-918 MB, 512 236-239 and 930-932, 640 246-255 and 950-951: past 384 a batch gains 5-10 %
#: and costs ~0.2 MB a token, so 384 keeps (b) well under 1 GB.
#: Capping glibc's arenas (``MALLOC_ARENA_MAX=1``) saved ~40 MB at 512, none at 384; big tensors
#: always mmapped (``MALLOC_MMAP_THRESHOLD_``) saved 135 MB but cost 40 % of the speed; returning
#: free memory after each batch (``malloc_trim``) lowered nothing that counts: the peak is reached
#: inside a batch.
MAX_BATCH_TOKENS = 384
CT2_MAX_BATCH_TOKENS = 1024
#: Most beam rows (segments x beams) in one transformers batch. Besides its caches, which the token
#: budget bounds, every beam row carries four or five score tensors the size of the vocabulary at each
#: step (62,802 floats for opus-mt: ~1.2 MB a row), so a batch of twenty short segments held ~100 MB
#: of scores at beam 4. Past ~48 rows the matrix products gain nothing (oneDNN's output projection:
#: 267 GFLOPS at 48 rows, 271 at 96, on the 2-core AVX-512 EPYC). Measured on (b) of
#: scripts/bench_translate.py, twice each: 12 segments at most (48 rows) 228-247 tokens/s and
#: 924-927 MB peak, no cap 239-246 and 958-967.
MAX_BATCH_ROWS = 48

#: Where an over-long segment may be cut, most natural first.
SPLIT_POINTS = (r"(?<=[.!?])\s+", r"(?<=[;:])\s+", r"(?<=,)\s+", r"\s+")

Engine = Literal["transformers", "ctranslate2"]


@dataclass(frozen=True)
class Batch:
    """One batch as the engine is about to decode it: what a :class:`DecodeHook` decides from."""

    engine: Engine
    source_tokens: tuple[int, ...]  # each source's token count, ``</s>`` included, padding not
    num_beams: int
    eos_token_id: int


@dataclass(frozen=True)
class Decoding:
    """A hook's answer for one batch.

    ``options`` are keyword arguments for the engine's decode call (``model.generate`` for
    transformers, ``Translator.translate_batch`` for CTranslate2) and replace the backend's own;
    ``keep``, when given, is how many tokens of each output to keep (``</s>`` not counted).
    """

    options: dict[str, Any] = field(default_factory=dict)
    keep: Sequence[int] | None = None


class DecodeHook(Protocol):
    """A caller's hand in how each batch is decoded: for experiments and benchmarks, never production.

    The backends know nothing of why a hook is there; :mod:`pipeline.testing.forced_lengths` uses one
    to make a random-weight model produce outputs of realistic lengths.
    """

    #: True when the hook, not the backend, decides how long outputs are: batches then need not share
    #: the backend's own length limit (see :meth:`BatchedBackend.max_new_tokens`).
    sets_lengths: bool

    def __call__(self, batch: Batch) -> Decoding: ...


def token_count(tokenizer: Any, text: str) -> int:
    """Length of ``text``'s encoding, ``</s>`` included (no warning when it exceeds the model's limit)."""
    return len(tokenizer(text, verbose=False)["input_ids"])


def split_long(
    text: str, tokenizer: Any, limit: int, *, prefix: str = "", count: Callable[[str], int] | None = None
) -> list[str]:
    """Cut ``text`` into pieces whose encoding (``prefix`` and ``</s>`` included) fits in ``limit`` tokens.

    A Marian model cannot attend past ``max_position_embeddings``; truncating would silently drop the
    end of a sentence from the translation. Cuts go at the most natural point available: sentence
    punctuation, then ``; :``, then ``,``, then any space; a run with no space at all is cut by
    characters as a last resort. Concatenating the pieces with single spaces restores the text up to
    whitespace.
    """

    def fits(s: str) -> bool:
        return (count(s) if count else token_count(tokenizer, prefix + s)) <= limit

    return _cut(text.strip(), 0, fits)


def _cut(text: str, level: int, fits: Callable[[str], bool]) -> list[str]:
    """Pieces of ``text`` that fit, cutting at ``SPLIT_POINTS[level]`` or, failing that, a later one."""
    if fits(text):
        return [text]
    if level >= len(SPLIT_POINTS):
        return _by_chars(text, fits)
    parts = [p for p in re.split(SPLIT_POINTS[level], text) if p]
    if len(parts) == 1:
        return _cut(text, level + 1, fits)
    return _pack(parts, level, fits)


def _pack(parts: list[str], level: int, fits: Callable[[str], bool]) -> list[str]:
    """Join consecutive parts while they fit; a part too long on its own is cut at the next level."""
    pieces: list[str] = []
    current = ""
    for part in parts:
        candidate = f"{current} {part}" if current else part
        if fits(candidate):
            current = candidate
            continue
        if current:
            pieces.append(current)
        if fits(part):
            current = part
        else:
            pieces.extend(_cut(part, level + 1, fits))
            current = ""
    if current:
        pieces.append(current)
    return pieces


def _by_chars(text: str, fits: Callable[[str], bool]) -> list[str]:
    """The last resort for a run without spaces: the longest prefix that fits, again and again."""
    pieces = []
    while text:
        size = _longest_fitting_prefix(text, fits)
        pieces.append(text[:size])
        text = text[size:].lstrip()
    return pieces


def _longest_fitting_prefix(text: str, fits: Callable[[str], bool]) -> int:
    """By bisection; at least one character, so that cutting always makes progress."""
    lo, hi = 1, len(text)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if fits(text[:mid]):
            lo = mid
        else:
            hi = mid - 1
    return lo


@dataclass(frozen=True)
class _Job:
    """One piece to translate: the index of its text, the prefixed piece, its token ids."""

    text: int
    source: str
    ids: tuple[int, ...]  # the tokenizer's encoding, ``</s>`` included: computed once, sent as is

    @property
    def tokens(self) -> int:
        return len(self.ids)


class BatchedBackend:
    """What the transformers and CTranslate2 backends share: a Marian tokenizer, the ``>>xxx<<`` target
    tag, cutting over-long segments, and batching.

    ``translate`` sorts the segments it is given by length and batches them by a token budget
    (``max_batch_tokens`` source tokens per batch, longest member times batch size, and at most
    ``max_batch_rows`` beam rows when set): padding waste and
    peak memory both scale with the longest member of a batch, and a model's matrix products are only
    efficient on CPU when each decoding step has many rows. Subclasses load a model and implement
    ``_generate`` for one batch, consulting ``decode_hook`` (a :class:`DecodeHook`) when one is given.
    """

    name = "batched"
    #: The progress bar's label for the current calls (see ``base.phase``); ``translate <lang>`` when None.
    phase: str | None = None

    def _setup(
        self,
        model: str | Path,
        tokenizer: Any,
        *,
        lang: str,
        num_beams: int,
        max_batch_tokens: int,
        max_batch_rows: int | None = None,
        progress: bool,
        max_positions: int,
        decode_hook: DecodeHook | None,
        registry: Registry | None = None,
    ) -> None:
        self.model_name = str(model)
        self.registry = registry  # the project's languages and tags; the shipped registry when None
        self.lang = lang
        self.num_beams = num_beams
        self.max_batch_tokens = max_batch_tokens
        self.max_batch_rows = max_batch_rows
        self.progress = progress
        self.decode_hook = decode_hook
        self.calls = 0
        self.tokenizer = tokenizer
        self._encoded: dict[str, tuple[int, ...]] = {}
        self.max_positions = max_positions
        vocab = self.tokenizer.get_vocab()
        self.target_tags = sorted(t for t in vocab if t.startswith(">>") and t.endswith("<<"))
        self.prefix(lang)  # fail now, not mid-run, when the model cannot produce ``lang``

    def prefix(self, lang: str) -> str:
        """The source prefix that selects ``lang``: ``">>ara<< "`` for a multi-target model, else ``""``.

        opus-mt-en-ar serves several Arabic varieties and needs the tag on every source; a model
        without tags translates into one language only, the one it was loaded for.
        """
        vocab = self.tokenizer.get_vocab()
        # The registry's tag (>>ara<<) first; some OPUS-MT group models tag by the --to code (>>fr<<).
        registry = self.registry or load_registry()
        for tag in (registry.token(lang), f">>{lang}<<"):
            if tag and tag in vocab:
                return tag + " "
        if self.target_tags:
            raise ModelError(
                f"model {self.model_name!r} has no target tag for language {lang!r} "
                f"(it has {', '.join(self.target_tags[:8])})"
            )
        if lang != self.lang:
            raise ModelError(f"model {self.model_name!r} translates into {self.lang!r}, not {lang!r}")
        return ""

    def translate(self, texts: Sequence[str], *, lang: str) -> list[str]:
        """Translate ``texts``; blank segments come back as ``""`` without reaching the model."""
        jobs = self._jobs(texts, self.prefix(lang))
        outputs = self._run(jobs, lang)
        self.calls += len({job.text for job in jobs})
        result = [""] * len(texts)
        for job, output in zip(jobs, outputs, strict=True):  # jobs in source order, pieces in text order
            result[job.text] = f"{result[job.text]} {output}" if result[job.text] else output
        return result

    def _jobs(self, texts: Sequence[str], prefix: str) -> list[_Job]:
        """One job per piece; a text longer than the model's positions contributes several, in order."""
        jobs = []
        for i, text in enumerate(texts):
            if not text.strip():
                continue
            whole = self._encode(prefix + text)
            if len(whole) <= self.max_positions:  # the common case: the text is its only piece
                jobs.append(_Job(i, prefix + text, whole))
                continue
            for piece in split_long(text, self.tokenizer, self.max_positions, prefix=prefix):
                jobs.append(_Job(i, prefix + piece, self._encode(prefix + piece)))
        return jobs

    def _encode(self, source: str) -> tuple[int, ...]:
        """``source``'s token ids, ``</s>`` included, remembered until its batch is sent: each piece
        is tokenized once, not once to count, once to batch and once to translate."""
        ids = tuple(self.tokenizer(source, verbose=False)["input_ids"])
        self._encoded[source] = ids
        return ids

    def _ids(self, sources: Sequence[str]) -> list[tuple[int, ...]]:
        """The ids of a batch's sources: the remembered encodings (tokenized now if a caller sends
        sources ``translate`` did not prepare)."""
        encoded = []
        for source in sources:
            ids = self._encoded.pop(source, None)
            if ids is None:
                ids = tuple(self.tokenizer(source, verbose=False)["input_ids"])
            encoded.append(ids)
        return encoded

    def _run(self, jobs: list[_Job], lang: str) -> list[str]:
        """Every job's translation, longest first in batches, with a progress bar counting texts."""
        from tqdm import tqdm

        order = sorted(range(len(jobs)), key=lambda j: jobs[j].tokens, reverse=True)
        remaining: dict[int, int] = {}
        for job in jobs:
            remaining[job.text] = remaining.get(job.text, 0) + 1
        outputs = [""] * len(jobs)
        bar = tqdm(
            total=len(remaining),
            unit="seg",
            file=sys.stderr,
            disable=not self.progress or not sys.stderr.isatty(),
            desc=self.phase or f"translate {lang}",
        )
        batches = self._batches(order, [job.tokens for job in jobs])
        sources = ([jobs[j].source for j in batch] for batch in batches)
        with bar:
            for batch, translations in zip(batches, self._generate_all(sources), strict=True):
                for j, translation in zip(batch, translations, strict=True):
                    outputs[j] = translation
                    remaining[jobs[j].text] -= 1
                    if remaining[jobs[j].text] == 0:
                        bar.update(1)
        return outputs

    def max_new_tokens(self, src_len: int) -> int:
        """Room for the translation: twice the source plus slack, rounded up to a multiple of 32.

        The rounding gives many segments the same limit, so they can share a batch without the
        batch changing anyone's limit: a segment's translation then does not depend on its batch
        (a model that never emits ``</s>``, like the random test model, runs to the limit).
        """
        wanted = -(-(2 * src_len + 16) // 32) * 32
        return max(1, min(self.max_positions - 1, wanted))

    def _batches(self, order: list[int], lengths: list[int]) -> list[list[int]]:
        """Group job indices (longest first): batch size x longest member <= the token budget, and
        one generation limit per batch (unless a hook sets the lengths: then the limit ends nothing)."""
        own_limit = self.decode_hook is None or not self.decode_hook.sets_lengths
        most = self.max_batch_rows // max(1, self.num_beams) if self.max_batch_rows else len(order)
        batches: list[list[int]] = []
        current: list[int] = []
        for j in order:
            if current and (
                (len(current) + 1) * lengths[current[0]] > self.max_batch_tokens
                or len(current) >= most
                or (own_limit and self.max_new_tokens(lengths[j]) != self.max_new_tokens(lengths[current[0]]))
            ):
                batches.append(current)
                current = []
            current.append(j)
        if current:
            batches.append(current)
        return batches

    def _decoding(self, engine: Engine, source_tokens: Sequence[int], eos_token_id: int) -> Decoding:
        """The hook's say on this batch, or nothing to change."""
        if self.decode_hook is None:
            return Decoding()
        return self.decode_hook(Batch(engine, tuple(source_tokens), self.num_beams, eos_token_id))

    def _generate_all(self, batches: Iterable[list[str]]) -> Iterator[list[str]]:
        """Each batch's translations, in order: one batch at a time, unless an engine overlaps them."""
        for sources in batches:
            yield self._generate(sources)

    def _generate(self, sources: list[str]) -> list[str]:
        """Translate one batch of prefixed sources."""
        raise NotImplementedError
