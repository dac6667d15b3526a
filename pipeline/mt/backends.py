"""Machine-translation backends: a list of source segments in, a list of translations out.

Every backend honours one contract (:class:`Backend`): the output has the input's length and order,
and ``calls`` counts the segments that reached the model, so caching and resume logic can be tested
by asserting on it.

* :class:`MarianBackend` runs a MarianMT model (a Hugging Face hub id or a local folder) with
  transformers. Load failures become one-line :class:`~pipeline.errors.ModelError` messages, and a hub id
  without network fails in seconds instead of retrying for minutes.
* :class:`~pipeline.ct2.CT2Backend` (``--backend ctranslate2``, ``pip install '.[fast]'``) runs the same
  model converted for CTranslate2: int8 on CPU, several times faster and smaller.
* :class:`IdentityBackend` returns its input: for dry runs (``--backend identity``) and tests.

Heavy imports (torch, transformers) happen inside :class:`MarianBackend`, so modules that only need the
protocol or the identity backend stay quick to import.
"""

from __future__ import annotations

import os
import re
import socket
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, TypeVar, runtime_checkable
from urllib.parse import urlparse

from pipeline.errors import ModelError
from pipeline.mt.registry import load_registry

if TYPE_CHECKING:
    from transformers import MarianMTModel, MarianTokenizer

T = TypeVar("T")

#: Model used for a target language when ``--model`` is not given, and language code -> the code
#: inside the ``>>xxx<<`` tag multi-target opus-mt models expect: views of the model registry
#: (``pipeline/models.toml``, see :mod:`pipeline.registry`), kept for existing importers.
DEFAULT_MODELS: dict[str, str] = load_registry().default_models()
TARGET_TOKENS: dict[str, str] = load_registry().tags()

HOW_TO_GET_A_MODEL = (
    "download it on a connected machine (e.g. `hf download Helsinki-NLP/opus-mt-en-ar "
    "--local-dir models/opus-mt-en-ar`) and pass --model models/opus-mt-en-ar, or build a test model "
    "with `python scripts/make_tiny_model.py models/tiny-en-ar`"
)

#: Files a Marian folder must have; checked up front so the message names what is missing.
MARIAN_FILES = ("config.json", "source.spm", "target.spm", "vocab.json")
WEIGHT_FILES = ("model.safetensors", "pytorch_model.bin", "model.safetensors.index.json")

#: Seconds to wait for the hub's TCP port before declaring it unreachable (huggingface_hub
#: itself retries each file for minutes when DNS or the connection fails).
HUB_PROBE_TIMEOUT = 3.0

#: Where an over-long segment may be cut, most natural first.
SPLIT_POINTS = (r"(?<=[.!?])\s+", r"(?<=[;:])\s+", r"(?<=,)\s+", r"\s+")

_HUB_ID = re.compile(r"^[A-Za-z0-9][\w.-]*/[\w.-]+$|^[A-Za-z0-9][\w.-]*$")

#: Default token budget of a batch (batch size x its longest source), per backend. Measured with the
#: real model's shape on 2 CPU cores, beam 4 (scripts/bench_translate.py, 200 sentences): transformers
#: took 169 s and peaked at 1.2 GB with 1024, 228 s and 1.7 GB with 2048 (its beam search copies every
#: layer's cache for every row at each step); CTranslate2 0.88 s a sentence at 2048, 1.16 at 1024 and
#: 0.98 at 4096, where a batch of long sentences peaks ~500 MB higher.
MAX_BATCH_TOKENS = 1024
CT2_MAX_BATCH_TOKENS = 2048

#: Below this hidden size (the toy test model) one CPU thread is fastest: the matrices are too small to
#: share out, and OpenMP workers that spin-wait make generation ~50x slower when other processes
#: compete for the cores (measured on a loaded 2-core machine: 38 s with 2 threads, 0.7 s with 1).
SMALL_MODEL_DIM = 256


@runtime_checkable
class Backend(Protocol):
    """What the pipeline needs from a translation engine."""

    name: str
    calls: int  # segments sent to the model so far

    def translate(self, texts: Sequence[str], *, lang: str) -> list[str]:
        """Translate ``texts`` into ``lang``; same length and order as ``texts``."""
        ...


class IdentityBackend:
    """Returns the source unchanged: exercises the whole pipeline without a model."""

    name = "identity"

    def __init__(self, **_: Any) -> None:
        self.calls = 0

    def translate(self, texts: Sequence[str], *, lang: str) -> list[str]:
        self.calls += len(texts)
        return list(texts)


@contextmanager
def quiet_transformers() -> Iterator[None]:
    """Silence transformers' progress bars and info logs for one call, then restore them.

    Loading prints "Loading weights" bars and retry chatter that would bury the pipeline's own output.
    """
    from transformers.utils import logging as hf_logging

    verbosity = hf_logging.get_verbosity()
    bars = hf_logging.is_progress_bar_enabled()
    hf_logging.set_verbosity_error()
    hf_logging.disable_progress_bar()
    try:
        yield
    finally:
        hf_logging.set_verbosity(verbosity)
        if bars:
            hf_logging.enable_progress_bar()


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


def _looks_like_path(model: str) -> bool:
    """A string the user meant as a folder: never sent to the hub."""
    return (
        model.startswith((".", "/", "~", "\\"))
        or model.endswith(("/", "\\"))
        or "\\" in model
        or not _HUB_ID.match(model)
    )


def _hub_reachable(timeout: float = HUB_PROBE_TIMEOUT) -> bool:
    """Can we open a TCP connection to the hub (or the configured proxy) within ``timeout`` seconds?

    Run in a thread because name resolution ignores socket timeouts.
    """
    try:
        from huggingface_hub import constants

        if constants.HF_HUB_OFFLINE:
            return False
        endpoint = constants.ENDPOINT
    except ImportError:  # pragma: no cover - transformers depends on huggingface_hub
        endpoint = "https://huggingface.co"
    proxy = os.environ.get("HTTPS_PROXY") or os.environ.get("https_proxy")
    url = urlparse(proxy or endpoint)
    host, port = url.hostname, url.port or (443 if url.scheme == "https" else 80)
    if not host:
        return False
    result: list[bool] = []

    def probe() -> None:
        try:
            with socket.create_connection((host, port), timeout=timeout):
                result.append(True)
        except OSError:
            result.append(False)

    thread = threading.Thread(target=probe, daemon=True)
    thread.start()
    thread.join(timeout)
    return bool(result and result[0])


def _load_marian(model: str | Path) -> tuple[MarianTokenizer, MarianMTModel]:
    """Load tokenizer and model from a folder or a hub id, or raise a one-line ModelError."""
    from transformers import MarianMTModel, MarianTokenizer

    def load(source: str, **kw: Any) -> tuple[MarianTokenizer, MarianMTModel]:
        with quiet_transformers():
            return MarianTokenizer.from_pretrained(source, **kw), MarianMTModel.from_pretrained(source, **kw)

    return load_pretrained(model, load)


def load_pretrained(model: str | Path, load: Callable[..., T]) -> T:
    """``load(folder_or_hub_id, **hub_options)`` with a Marian folder's checks and one-line errors.

    A folder is checked for the files a Marian model needs, so the message names what is missing; a hub
    id is looked up in the local Hugging Face cache first and only then, if the Hub answers within
    seconds, online. Shared by the transformers and CTranslate2 backends, which load different things
    from the same folders.
    """
    name = str(model)

    def fail(reason: str) -> ModelError:
        return ModelError(f"cannot load translation model {name!r}: {reason}; {HOW_TO_GET_A_MODEL}")

    path = Path(name).expanduser()
    if path.exists() or _looks_like_path(name):
        if not path.is_dir():
            raise fail("no such folder" if not path.exists() else "not a folder")
        missing = [f for f in MARIAN_FILES if not (path / f).is_file()]
        if not any((path / f).is_file() for f in WEIGHT_FILES):
            missing.append("model.safetensors")
        if missing:
            raise fail(f"the folder lacks {', '.join(missing)}")
        try:
            return load(str(path))
        except Exception as exc:  # any failure to load is the same user problem: a bad model folder
            raise fail(_one_line(exc)) from exc

    try:  # a hub id: the local Hugging Face cache first, with no network involved
        return load(name, local_files_only=True)
    except Exception as cached_exc:
        if not _hub_reachable():
            raise fail(
                "no such folder, not in the local Hugging Face cache, and the Hub is unreachable"
            ) from cached_exc
    try:
        return load(name)
    except Exception as exc:
        raise fail(_one_line(exc)) from exc


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

    def n_tokens(s: str) -> int:
        return count(s) if count else token_count(tokenizer, prefix + s)

    def fits(s: str) -> bool:
        return n_tokens(s) <= limit

    def cut(s: str, level: int) -> list[str]:
        if fits(s):
            return [s]
        if level >= len(SPLIT_POINTS):
            return by_chars(s)
        parts = [p for p in re.split(SPLIT_POINTS[level], s) if p]
        if len(parts) == 1:
            return cut(s, level + 1)
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
                pieces.extend(cut(part, level + 1))
                current = ""
        if current:
            pieces.append(current)
        return pieces

    def by_chars(s: str) -> list[str]:
        pieces = []
        while s:
            lo, hi = 1, len(s)  # largest prefix that fits, by bisection
            while lo < hi:
                mid = (lo + hi + 1) // 2
                if fits(s[:mid]):
                    lo = mid
                else:
                    hi = mid - 1
            pieces.append(s[:lo])
            s = s[lo:].lstrip()
        return pieces

    return cut(text.strip(), 0)


class BatchedBackend:
    """What the transformers and CTranslate2 backends share: a Marian tokenizer, the ``>>xxx<<`` target
    tag, cutting over-long segments, and batching.

    ``translate`` sorts the segments it is given by length and batches them by a token budget
    (``max_batch_tokens`` source tokens per batch, longest member times batch size): padding waste and
    peak memory both scale with the longest member of a batch, and a model's matrix products are only
    efficient on CPU when each decoding step has many rows. Subclasses load a model and implement
    ``_generate`` for one batch.

    ``output_length`` exists for benchmarks with random weights, which never stop on their own (or stop
    at once): it maps a source's token count to the exact number of tokens its translation must have,
    ``</s>`` included, so that a random model costs what a real one would. Leave it ``None`` otherwise.
    """

    name = "batched"

    def _setup(
        self,
        model: str | Path,
        tokenizer: Any,
        *,
        lang: str,
        num_beams: int,
        max_batch_tokens: int,
        progress: bool,
        max_positions: int,
        output_length: Callable[[int], int] | None,
    ) -> None:
        self.model_name = str(model)
        self.lang = lang
        self.num_beams = num_beams
        self.max_batch_tokens = max_batch_tokens
        self.progress = progress
        self.output_length = output_length
        self.calls = 0
        self.tokenizer = tokenizer
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
        for tag in (load_registry().token(lang), f">>{lang}<<"):
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
        from tqdm import tqdm

        prefix = self.prefix(lang)
        limit = self.max_positions
        # One job per piece: (index of its text, prefixed piece, token count); a text longer than the
        # model's positions contributes several pieces, in order.
        jobs: list[tuple[int, str, int]] = []
        for i, text in enumerate(texts):
            if not text.strip():
                continue
            for piece in self._pieces(text, prefix, limit):
                jobs.append((i, prefix + piece, token_count(self.tokenizer, prefix + piece)))
        sent = len({i for i, _, _ in jobs})
        order = sorted(range(len(jobs)), key=lambda j: jobs[j][2], reverse=True)
        outputs: list[str] = [""] * len(jobs)
        bar = tqdm(
            total=sent,
            unit="seg",
            file=sys.stderr,
            disable=not self.progress or not sys.stderr.isatty(),
            desc=f"translate {lang}",
        )
        remaining = {i: 0 for i, _, _ in jobs}
        for i, _, _ in jobs:
            remaining[i] += 1
        with bar:
            for batch in self._batches(order, [length for _, _, length in jobs]):
                translations = self._generate([jobs[j][1] for j in batch])
                for j, translation in zip(batch, translations, strict=True):
                    outputs[j] = translation
                    remaining[jobs[j][0]] -= 1
                    if remaining[jobs[j][0]] == 0:
                        bar.update(1)
        self.calls += sent
        result = [""] * len(texts)
        for j, (i, _, _) in enumerate(jobs):  # jobs are in source order, pieces in text order
            result[i] = f"{result[i]} {outputs[j]}" if result[i] else outputs[j]
        return result

    def _pieces(self, text: str, prefix: str, limit: int) -> list[str]:
        if token_count(self.tokenizer, prefix + text) <= limit:
            return [text]
        return split_long(text, self.tokenizer, limit, prefix=prefix)

    def _max_new_tokens(self, src_len: int) -> int:
        """Room for the translation: twice the source plus slack, rounded up to a multiple of 32.

        The rounding gives many segments the same limit, so they can share a batch without the
        batch changing anyone's limit: a segment's translation then does not depend on its batch
        (a model that never emits ``</s>``, like the random test model, runs to the limit).
        """
        wanted = -(-(2 * src_len + 16) // 32) * 32
        return max(1, min(self.max_positions - 1, wanted))

    def _batches(self, order: list[int], lengths: list[int]) -> list[list[int]]:
        """Group job indices (longest first): batch size x longest member <= the token budget, and
        one generation limit per batch."""
        batches: list[list[int]] = []
        current: list[int] = []
        for j in order:
            if current and (
                (len(current) + 1) * lengths[current[0]] > self.max_batch_tokens
                or (
                    self.output_length is None  # with fixed lengths the limit never ends a translation
                    and self._max_new_tokens(lengths[j]) != self._max_new_tokens(lengths[current[0]])
                )
            ):
                batches.append(current)
                current = []
            current.append(j)
        if current:
            batches.append(current)
        return batches

    def _generate(self, sources: list[str]) -> list[str]:
        """Translate one batch of prefixed sources."""
        raise NotImplementedError


class MarianBackend(BatchedBackend):
    """Translate with a MarianMT model through transformers (CPU or CUDA).

    The model is loaded once, in ``__init__``, and runs under ``torch.inference_mode``. On CPU, torch
    uses ``threads`` threads (process-wide); by default every CPU this process may use, or one for a
    toy model (see ``SMALL_MODEL_DIM``).
    """

    name = "transformers"

    def __init__(
        self,
        model: str | Path,
        *,
        lang: str = "ar",
        device: str | None = None,
        num_beams: int = 4,
        max_batch_tokens: int = MAX_BATCH_TOKENS,
        progress: bool = True,
        threads: int | None = None,
        output_length: Callable[[int], int] | None = None,
    ) -> None:
        import torch

        tokenizer, self.model = _load_marian(model)
        self.device = torch.device(device or ("cuda" if torch.cuda.is_available() else "cpu"))
        if self.device.type == "cpu":
            wanted = threads or default_threads(self.model.config.d_model)
            if torch.get_num_threads() != wanted:
                torch.set_num_threads(wanted)
        # transformers' decorator on ``to`` types its first argument as the model itself
        self.model.to(self.device)  # type: ignore[arg-type]
        self.model.eval()
        self._setup(
            model,
            tokenizer,
            lang=lang,
            num_beams=num_beams,
            max_batch_tokens=max_batch_tokens,
            progress=progress,
            max_positions=int(getattr(self.model.config, "max_position_embeddings", 512)),
            output_length=output_length,
        )

    def _generate(self, sources: list[str]) -> list[str]:
        import torch

        batch = self.tokenizer(sources, return_tensors="pt", padding=True).to(self.device)
        options: dict[str, Any] = {}
        if self.output_length is None:
            max_new = self._max_new_tokens(int(batch["input_ids"].shape[1]))
        else:
            lengths = [max(1, self.output_length(int(n))) for n in batch["attention_mask"].sum(dim=1)]
            max_new = max(lengths)
            options["logits_processor"] = [
                FixedOutputLengths(lengths, self.num_beams, self.model.generation_config.eos_token_id)
            ]
        with torch.inference_mode():
            generated = self.model.generate(
                **batch, num_beams=self.num_beams, max_new_tokens=max_new, max_length=None, **options
            )
        texts = self.tokenizer.batch_decode(generated, skip_special_tokens=True, use_source_tokenizer=False)
        return [t.strip() for t in texts]


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


def default_threads(d_model: int) -> int:
    """CPU threads for a model of hidden size ``d_model``: all this process may use, one for a toy."""
    return 1 if d_model < SMALL_MODEL_DIM else _cpu_count()


def _cpu_count() -> int:
    """CPUs this process may use (a container's quota, not the host's core count)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        return os.cpu_count() or 1


def load_backend(name: str, model: str | None, lang: str, **kw: Any) -> Backend:
    """Build the backend the CLI's ``--backend``/``--model`` options name."""
    if name == "identity":
        return IdentityBackend()
    if name in ("transformers", "ctranslate2"):
        if model is None:
            model = load_registry().default_model(lang)  # or a one-line error saying how to add one
        if name == "ctranslate2":  # the same Marian folder or hub id, converted once and cached
            from pipeline.mt.ct2 import CT2Backend

            return CT2Backend(model, lang=lang, **kw)
        return MarianBackend(model, lang=lang, **kw)
    raise ModelError(f"unknown backend {name!r}; choose one of: transformers, ctranslate2, identity")
