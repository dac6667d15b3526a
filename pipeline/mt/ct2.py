"""The CTranslate2 backend: the same Marian model, converted once, run int8 on CPU (float16 on GPU).

CTranslate2 is an optional extra (``pip install '.[fast]'``). The model is the same folder or hub id the
transformers backend takes: it is converted with CTranslate2's own converter the first time and cached
under a hash of the folder's content, so an updated model is converted again and an unchanged one never
is. Tokenization, the ``>>ara<<`` tag, cutting over-long segments and batching are the transformers
backend's (:class:`~pipeline.mt.batching.BatchedBackend`), so both backends send the model the same
pieces and the rest of the pipeline (name protection, PO files, pages) cannot tell them apart.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from pipeline.errors import ModelError
from pipeline.mt.batching import CT2_MAX_BATCH_TOKENS, BatchedBackend, DecodeHook
from pipeline.mt.marian import default_threads, load_pretrained, quiet_transformers
from pipeline.mt.registry import Registry

INSTALL_HINT = "pip install '.[fast]'"

#: Bump when the conversion itself changes (options, converter output), to invalidate old caches.
CACHE_FORMAT = "1"


def _ctranslate2() -> Any:
    try:
        import ctranslate2
    except ImportError:
        raise ModelError(f"the ctranslate2 backend needs the ctranslate2 package: {INSTALL_HINT}") from None
    return ctranslate2


def cache_root() -> Path:
    """Where converted models live: ``$XDG_CACHE_HOME/newsroom-pipeline/ct2`` (``~/.cache`` by default)."""
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "newsroom-pipeline" / "ct2"


def folder_digest(folder: Path) -> str:
    """SHA-256 of every file's relative path and bytes: the cache key of a model folder.

    Hidden files and folders (``.cache/`` left by ``hf download``, editor files) are skipped: they
    change without the model changing.
    """
    digest = hashlib.sha256(CACHE_FORMAT.encode())
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        rel = path.relative_to(folder)
        if any(part.startswith(".") for part in rel.parts):
            continue
        digest.update(rel.as_posix().encode() + b"\0" + str(path.stat().st_size).encode() + b"\0")
        with path.open("rb") as f:
            while chunk := f.read(1 << 20):
                digest.update(chunk)
    return digest.hexdigest()


def converted_model(folder: Path, quantization: str, cache_dir: Path | None = None) -> Path:
    """The CTranslate2 conversion of the Marian ``folder``, converting it on first use.

    The conversion goes to a temporary folder beside the cache entry and is renamed into place when
    complete, so an interrupted conversion never leaves a half-written model that later runs would
    trust, and two runs converting at once both end up with a whole one.
    """
    ct2 = _ctranslate2()
    root = cache_dir or cache_root()
    target = root / f"{folder_digest(folder)[:20]}-{quantization}"
    if (target / "model.bin").is_file():
        return target
    if target.exists():  # not made by us (we rename whole conversions into place): start again
        shutil.rmtree(target, ignore_errors=True)
    root.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=".converting-", dir=root))
    try:
        with quiet_transformers():
            ct2.converters.TransformersConverter(str(folder)).convert(
                str(work / "model"), quantization=quantization
            )
        try:
            os.replace(work / "model", target)
        except OSError:
            if not (target / "model.bin").is_file():  # not a concurrent run that finished first
                raise
    except Exception as exc:
        first = str(exc).strip().splitlines()
        raise ModelError(
            f"cannot convert the model for CTranslate2: {first[0] if first else type(exc).__name__}", folder
        ) from exc
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return target


class CT2Backend(BatchedBackend):
    """Translate with CTranslate2: int8 on CPU, float16 on GPU (``device="cuda"``, when one is present).

    The torch model is never loaded for translating (only by the one-off conversion), which is most of
    the memory saving; CTranslate2 uses ``threads`` intra-op threads. ``decode_hook`` (see
    :class:`~pipeline.mt.batching.DecodeHook`) may add or replace ``translate_batch`` options per batch
    and cut outputs; production passes none.
    """

    name = "ctranslate2"

    def __init__(
        self,
        model: str | Path,
        *,
        lang: str = "ar",
        device: str | None = None,
        num_beams: int = 4,
        max_batch_tokens: int = CT2_MAX_BATCH_TOKENS,
        progress: bool = True,
        threads: int | None = None,
        decode_hook: DecodeHook | None = None,
        registry: Registry | None = None,
        compute_type: str | None = None,
        cache_dir: Path | None = None,
        inter_threads: int = 1,
    ) -> None:
        ct2 = _ctranslate2()
        from transformers import MarianTokenizer

        def load(source: str, **kw: Any) -> tuple[Any, Path]:
            with quiet_transformers():
                tokenizer = MarianTokenizer.from_pretrained(source, **kw)
            if Path(source).is_dir():
                return tokenizer, Path(source)
            from huggingface_hub import snapshot_download

            return tokenizer, Path(snapshot_download(source, **kw))

        tokenizer, folder = load_pretrained(model, load)
        config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
        self.device = device or ("cuda" if ct2.get_cuda_device_count() > 0 else "cpu")
        if compute_type is None:
            supported = ct2.get_supported_compute_types(self.device)
            wanted = "float16" if self.device == "cuda" else "int8"
            compute_type = wanted if wanted in supported else "float32"
        self.compute_type = compute_type
        self.model_dir = converted_model(folder, compute_type, cache_dir)
        cpus = default_threads(int(config.get("d_model", 512)))
        #: How the translator was made: a benchmark replays the same batches on an identical one.
        self.translator_options: dict[str, Any] = {
            "device": self.device,
            "compute_type": compute_type,
            "intra_threads": threads or max(1, cpus // inter_threads),
            "inter_threads": inter_threads,
        }
        self.translator = ct2.Translator(str(self.model_dir), **self.translator_options)
        self._setup(
            model,
            tokenizer,
            lang=lang,
            num_beams=num_beams,
            max_batch_tokens=max_batch_tokens,
            progress=progress,
            max_positions=int(config.get("max_position_embeddings", 512)),
            decode_hook=decode_hook,
            registry=registry,
        )

    def _generate(self, sources: list[str]) -> list[str]:
        results, keep = self._submit(sources, asynchronous=False)
        return self._decode(results, keep)

    def _generate_all(self, batches: Iterable[list[str]]) -> Iterator[list[str]]:
        """With several translators (``inter_threads``), the next batches are submitted before the
        current one is done, so that every translator has one to work on; at most one batch waits
        beyond those, which bounds the memory held by pending work."""
        workers = int(self.translator_options["inter_threads"])
        if workers == 1:
            yield from super()._generate_all(batches)
            return
        pending: deque[tuple[list[Any], Sequence[int] | None]] = deque()
        for sources in batches:
            pending.append(self._submit(sources, asynchronous=True))
            if len(pending) > workers:
                yield self._wait(*pending.popleft())
        while pending:
            yield self._wait(*pending.popleft())

    def _wait(self, futures: list[Any], keep: Sequence[int] | None) -> list[str]:
        return self._decode([f.result() for f in futures], keep)

    def _submit(self, sources: list[str], *, asynchronous: bool) -> tuple[list[Any], Sequence[int] | None]:
        """Start one batch: its results (futures when ``asynchronous``) and how much of each to keep."""
        encoded = self._ids(sources)
        pieces = [self.tokenizer.convert_ids_to_tokens(list(ids)) for ids in encoded]
        decoding = self._decoding("ctranslate2", [len(ids) for ids in encoded], self.tokenizer.eos_token_id)
        options: dict[str, Any] = {
            "max_decoding_length": self.max_new_tokens(max(map(len, encoded))),
            "min_decoding_length": 1,
            **decoding.options,
        }
        if asynchronous:
            options["asynchronous"] = True
        results = self.translator.translate_batch(
            pieces,
            beam_size=self.num_beams,
            max_input_length=0,  # pieces already fit the model (``split_long``); never truncate
            **options,
        )
        return results, decoding.keep

    def _decode(self, results: list[Any], keep: Sequence[int] | None) -> list[str]:
        hypotheses = [r.hypotheses[0] for r in results]
        if keep is not None:
            hypotheses = [h[:n] for h, n in zip(hypotheses, keep, strict=True)]
        ids = [self.tokenizer.convert_tokens_to_ids(h) for h in hypotheses]
        texts = self.tokenizer.batch_decode(ids, skip_special_tokens=True, use_source_tokenizer=False)
        return [t.strip() for t in texts]
