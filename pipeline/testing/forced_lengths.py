"""Outputs of exactly chosen lengths, for benchmarks with random-weight models.

A random model never stops on its own (or stops at once), so timing it says nothing about a real
model. :class:`ForcedLengths` is a :class:`~pipeline.mt.batching.DecodeHook` that makes every
translation exactly ``output_length(source tokens)`` tokens long, ``</s>`` included, in both engines,
so that a random model costs what a real one would (``scripts/bench_translate.py``). The production
backends know only the hook, not this use of it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from pipeline.mt.batching import Batch, Decoding


class FixedOutputLengths:
    """A transformers logits processor that ends each row's output at exactly its own length.

    ``min_new_tokens``/``max_new_tokens`` are one number per ``generate`` call; a batch of sources of
    different lengths needs one per row. Before its length a row may not emit ``</s>``; at it, it must.
    """

    def __init__(self, lengths: Sequence[int], num_beams: int, eos_token_id: int) -> None:
        import torch

        # generate() lays rows out source by source, num_beams rows each.
        self.last = torch.tensor(lengths).repeat_interleave(num_beams) - 1
        self.eos = eos_token_id

    def __call__(self, input_ids: Any, scores: Any) -> Any:
        produced = input_ids.shape[1] - 1  # the decoder's start token is not output
        early = self.last > produced
        final = self.last == produced
        scores[early, self.eos] = -float("inf")
        scores[final] = -float("inf")
        scores[final, self.eos] = 0.0
        return scores


class ForcedLengths:
    """Every output exactly ``output_length(source_tokens)`` tokens, ``</s>`` included.

    ``output_length`` is asked once per source segment per batch, so a benchmark can sum its answers
    to count the tokens produced. Transformers gets a logits processor, one length per row;
    CTranslate2 takes one length per call, so its batch runs to its longest member's length and each
    output is then cut to its own. Batches are sorted by length, so the extra steps are few, and they
    make CTranslate2's figure conservative.
    """

    sets_lengths = True  # the backend's own length limit then never ends a translation

    def __init__(self, output_length: Callable[[int], int]) -> None:
        self.output_length = output_length

    def __call__(self, batch: Batch) -> Decoding:
        lengths = [max(1, self.output_length(n)) for n in batch.source_tokens]
        longest = max(lengths)
        if batch.engine == "transformers":
            processor = FixedOutputLengths(lengths, batch.num_beams, batch.eos_token_id)
            return Decoding({"max_new_tokens": longest, "logits_processor": [processor]})
        return Decoding(
            {"max_decoding_length": longest, "min_decoding_length": longest},
            keep=[n - 1 for n in lengths],  # ``</s>`` is counted in the length, not in the output
        )
