"""The transformers backend: a MarianMT model (a Hugging Face hub id or a local folder) run with torch.

Also what both Marian engines need to load a model: the folder checks and one-line
:class:`~pipeline.errors.ModelError` messages of :func:`load_pretrained`, a quick probe of the Hub so
that a hub id without network fails in seconds instead of retrying for minutes, quieter transformers
logging, and CPU thread counts. The CTranslate2 backend (:mod:`pipeline.mt.ct2`) imports these.

Heavy imports (torch, transformers) happen inside functions, so importing this module stays quick.
"""

from __future__ import annotations

import os
import re
import socket
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import urlparse

from pipeline.errors import ModelError
from pipeline.mt.batching import MAX_BATCH_ROWS, MAX_BATCH_TOKENS, BatchedBackend, DecodeHook
from pipeline.mt.kernels import LinearKernel, route_linears
from pipeline.mt.registry import Registry

if TYPE_CHECKING:
    from transformers import MarianMTModel, MarianTokenizer

T = TypeVar("T")


def how_to_get(model: str) -> str:
    """The next step for a model that could not be loaded, naming *that* model: a hub id is
    downloaded into a folder of its name; a folder is checked or rebuilt."""
    if Path(model).expanduser().exists() or _looks_like_path(model):
        return (
            "check the folder (a Marian model: config.json, source.spm, target.spm, vocab.json and "
            "weights) or point the language at another (newsroom.toml [languages.LANG] model, or "
            "--model LANG=DIR); a test model: `python scripts/make_tiny_model.py DIR`"
        )
    folder = f"models/{model.rstrip('/').rsplit('/', 1)[-1]}"
    return (
        f"download it on a connected machine (`hf download {model} --local-dir {folder}`) and point "
        f"the language at {folder} (newsroom.toml [languages.LANG] model, or --model LANG={folder}); "
        "a test model: `python scripts/make_tiny_model.py DIR`"
    )


#: Files a Marian folder must have; checked up front so the message names what is missing.
MARIAN_FILES = ("config.json", "source.spm", "target.spm", "vocab.json")
WEIGHT_FILES = ("model.safetensors", "pytorch_model.bin", "model.safetensors.index.json")

#: Seconds to wait for the hub's TCP port before declaring it unreachable (huggingface_hub
#: itself retries each file for minutes when DNS or the connection fails).
HUB_PROBE_TIMEOUT = 3.0

_HUB_ID = re.compile(r"^[A-Za-z0-9][\w.-]*/[\w.-]+$|^[A-Za-z0-9][\w.-]*$")

#: Below this hidden size (the toy test model) one CPU thread is fastest: the matrices are too small to
#: share out, and OpenMP workers that spin-wait make generation ~50x slower when other processes
#: compete for the cores (measured on a loaded 2-core machine: 38 s with 2 threads, 0.7 s with 1).
SMALL_MODEL_DIM = 256


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


def _hub_address() -> tuple[str, int] | None:
    """Host and port a hub download would connect to first (the proxy, if one is configured); None
    when the hub is switched off (``HF_HUB_OFFLINE``) or the address has no host."""
    try:
        from huggingface_hub import constants

        if constants.HF_HUB_OFFLINE:
            return None
        endpoint = constants.ENDPOINT
    except ImportError:  # pragma: no cover - transformers depends on huggingface_hub
        endpoint = "https://huggingface.co"
    proxy = os.environ.get("HTTPS_PROXY") or os.environ.get("https_proxy")
    url = urlparse(proxy or endpoint)
    if not url.hostname:
        return None
    return url.hostname, url.port or (443 if url.scheme == "https" else 80)


def _hub_reachable(timeout: float = HUB_PROBE_TIMEOUT) -> bool:
    """Can we open a TCP connection to the hub (or the configured proxy) within ``timeout`` seconds?

    Run in a thread because name resolution ignores socket timeouts.
    """
    address = _hub_address()
    if address is None:
        return False
    result: list[bool] = []

    def probe() -> None:
        try:
            with socket.create_connection(address, timeout=timeout):
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
        return ModelError(f"cannot load translation model {name!r}: {reason}; {how_to_get(name)}")

    path = Path(name).expanduser()
    if path.exists() or _looks_like_path(name):
        return _load_folder(path, load, fail)
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


def _load_folder(path: Path, load: Callable[..., T], fail: Callable[[str], ModelError]) -> T:
    """A local Marian folder, checked for the files a model needs before anything is loaded."""
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


def default_threads(d_model: int) -> int:
    """CPU threads for a model of hidden size ``d_model``: all this process may use, one for a toy."""
    return 1 if d_model < SMALL_MODEL_DIM else _cpu_count()


def _cpu_count() -> int:
    """CPUs this process may use (a container's quota, not the host's core count)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        return os.cpu_count() or 1


def beam_search_cache(config: Any) -> Any:
    """A fresh decoder cache for one beam-search ``generate`` call that never reorders what it need not.

    After every step transformers reorders each layer's cache along the beams that survived
    (``Cache.reorder_cache``): the self-attention keys and values, which do depend on the beam, and
    the cross-attention ones, which do not: every beam of a sentence attends to the same encoder
    output, and beam search only ever picks beams of the same sentence, so the reordered rows are
    copies of the ones they replace. Skipping that copy (12 tensors of batch x beams x source length
    x 512 per step for opus-mt) leaves every output bit for bit the same.
    """
    from transformers.cache_utils import DynamicCache, EncoderDecoderCache

    class BeamSearchCache(EncoderDecoderCache):
        def reorder_cache(self, beam_idx: Any) -> None:
            self.self_attention_cache.reorder_cache(beam_idx)

    decoder = config.get_text_config(decoder=True)
    return BeamSearchCache(DynamicCache(config=decoder), DynamicCache(config=decoder))


class BannedTokens:
    """A logits processor that rules tokens out in place: ``generate``'s ``bad_words_ids`` for
    one-token words, without its cost.

    Marian configurations ban the pad token that way, and transformers applies every banned word as a
    sequence bias: at each step it allocates two more tensors of the logits' size (beam rows x
    62,802 for opus-mt), sums them and adds them to the scores, 3 % of the transformers backend's time
    (py-spy, scripts/bench_translate.py). Setting the banned columns to minus infinity in place gives
    the same scores (adding the bias's -inf gives -inf; its zeros leave every other score as it is).
    """

    def __init__(self, token_ids: list[int]) -> None:
        self.token_ids = token_ids

    def __call__(self, input_ids: Any, scores: Any) -> Any:
        scores[:, self.token_ids] = -float("inf")
        return scores


def banned_single_tokens(generation_config: Any) -> list[int] | None:
    """The token ids the generation config bans, when every banned word is one token; else None
    (``generate`` then applies its own processor for the longer words)."""
    words = getattr(generation_config, "bad_words_ids", None)
    if not words or any(len(word) != 1 for word in words):
        return None
    return sorted({word[0] for word in words})


class MarianBackend(BatchedBackend):
    """Translate with a MarianMT model through transformers (CPU or CUDA).

    The model is loaded once, in ``__init__``, and runs under ``torch.inference_mode``. On CPU, torch
    uses ``threads`` threads (process-wide); by default every CPU this process may use, or one for a
    toy model (see ``SMALL_MODEL_DIM``); its fp32 matrix products go through ``linear_kernel``
    (oneDNN by default, see :mod:`pipeline.mt.kernels`; ``"torch"`` keeps torch's own). A batch holds
    at most ``max_batch_tokens`` source tokens and ``max_batch_rows`` beam rows. ``decode_hook`` (see
    :class:`~pipeline.mt.batching.DecodeHook`) may add or replace ``model.generate`` options per batch;
    production passes none.
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
        max_batch_rows: int | None = MAX_BATCH_ROWS,
        progress: bool = True,
        threads: int | None = None,
        decode_hook: DecodeHook | None = None,
        registry: Registry | None = None,
        linear_kernel: LinearKernel = "onednn",
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
        #: The kernel the linear layers run on: ``torch`` on a GPU or where oneDNN is not usable.
        self.linear_kernel: LinearKernel = (
            route_linears(self.model, linear_kernel) if self.device.type == "cpu" else "torch"
        )
        self.banned = banned_single_tokens(self.model.generation_config)
        self._setup(
            model,
            tokenizer,
            lang=lang,
            num_beams=num_beams,
            max_batch_tokens=max_batch_tokens,
            max_batch_rows=max_batch_rows,
            progress=progress,
            max_positions=int(getattr(self.model.config, "max_position_embeddings", 512)),
            decode_hook=decode_hook,
            registry=registry,
        )

    def _generate(self, sources: list[str]) -> list[str]:
        import torch

        encoded = self._ids(sources)
        source_tokens = [len(ids) for ids in encoded]
        width = max(source_tokens)
        pad = self.tokenizer.pad_token_id  # on the right, as the tokenizer pads
        batch = {
            "input_ids": torch.tensor([[*ids, *[pad] * (width - len(ids))] for ids in encoded]),
            "attention_mask": torch.tensor([[1] * len(ids) + [0] * (width - len(ids)) for ids in encoded]),
        }
        batch = {k: v.to(self.device) for k, v in batch.items()}
        decoding = self._decoding("transformers", source_tokens, self.model.generation_config.eos_token_id)
        options: dict[str, Any] = {
            "max_new_tokens": self.max_new_tokens(width),
            **decoding.options,
        }
        if self.num_beams > 1 and "cache" not in options:
            options["cache"] = beam_search_cache(self.model.config)
        if self.banned is not None and "bad_words_ids" not in options:
            options["bad_words_ids"] = None  # ruled out by BannedTokens instead
            options["logits_processor"] = [BannedTokens(self.banned), *options.get("logits_processor", [])]
        with torch.inference_mode():
            generated = self.model.generate(**batch, num_beams=self.num_beams, max_length=None, **options)
        rows: Any = generated
        if decoding.keep is not None:  # the decoder's start token first, then the tokens kept
            rows = [row[: 1 + n] for row, n in zip(generated.tolist(), decoding.keep, strict=True)]
        texts = self.tokenizer.batch_decode(rows, skip_special_tokens=True, use_source_tokenizer=False)
        return [t.strip() for t in texts]
