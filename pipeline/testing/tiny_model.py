"""Build a MarianMT model folder with random weights, for tests and benchmarks without downloads.

The real model (Helsinki-NLP/opus-mt-en-ar) cannot be fetched in offline CI, yet every stage after
segmentation needs *a* model that loads through exactly the same code path
(``MarianTokenizer.from_pretrained`` + ``MarianMTModel.from_pretrained``) and emits Arabic-script text.
This module trains two small sentencepiece models on text shipped in ``pipeline/testing/corpus/``
(package data, so it works from an installed wheel) and wraps them with a randomly initialised
Marian transformer:

* ``size="tiny"``: d_model 32, two layers each side; builds in about a second, so a test session can
  build one in a fixture.
* ``size="real"``: the dimensions of the real model's ``config.json`` (~76M parameters) and its vocab
  size, padded with dummy tokens, so speed and memory measurements match the real model's shapes.

Everything is deterministic: sentencepiece trains single-threaded with a fixed seed, and the weights
come from ``torch.manual_seed(seed)`` inside a forked RNG (the caller's global RNG is left untouched).
The translations are nonsense, but deterministic nonsense: greedy and beam search depend on the
weights only.

The Arabic corpus deliberately avoids the proper names tests look for in the output (``FORBIDDEN_AR``):
otherwise sentencepiece could learn such a name as a single piece and the random model could "translate"
it by chance, which would make glossary tests pass or fail for the wrong reason.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pipeline.errors import ModelError
from pipeline.mt.marian import quiet_transformers
from pipeline.mt.registry import TARGET_TOKENS

#: Text shipped with the repository; one sentence a line, one file a language.
CORPUS_DIR = Path(__file__).resolve().parent / "corpus"

#: Names that must not occur (even inside a longer word) in the Arabic corpus, so that no single
#: sentencepiece piece spells them. Tests count these names in the random model's output.
FORBIDDEN_AR = (
    "ديارنا", "الجغايفة", "الطائي", "الربيعي", "البغدادي", "الهاشمي", "الجغيفي", "الكعود",
    "القائم", "الأنبار", "الموصل", "حديثة", "الرمادي", "الرقة", "قسد", "داعش",
)  # fmt: skip

#: Dimensions of the toy model: small enough to build and run in a test fixture.
TINY_DIMS: dict[str, Any] = {
    "d_model": 32,
    "encoder_layers": 2,
    "decoder_layers": 2,
    "encoder_attention_heads": 2,
    "decoder_attention_heads": 2,
    "encoder_ffn_dim": 64,
    "decoder_ffn_dim": 64,
    "max_position_embeddings": 512,
    "activation_function": "swish",
    "scale_embedding": True,
    "share_encoder_decoder_embeddings": True,
    "dropout": 0.1,
    "attention_dropout": 0.0,
    "activation_dropout": 0.0,
    # Far above the usual 0.02: with small weights every input yields the same output, and tests of
    # batching and order need translations that differ with the source.
    "init_std": 0.5,
}

#: Generation settings copied from opus-mt models (their ``generation_config.json``).
GENERATION_DEFAULTS: dict[str, Any] = {"num_beams": 4, "max_length": 512}

#: Output-layer bias for ids the random model must not produce; finite so float16 stays finite.
OUTPUT_MASK_BIAS = -1e4

SOURCE_VOCAB = 500
TARGET_VOCAB = 800
SPECIALS = ("</s>", "<unk>")
PAD = "<pad>"


def _read_corpus(path: Path) -> list[str]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise ModelError(f"cannot read tiny-model corpus: {exc.strerror}", path) from exc
    return [line.strip() for line in lines if line.strip()]


def train_spm(
    sentences: Sequence[str], vocab_size: int, seed: int, model_type: Literal["unigram", "bpe"] = "unigram"
) -> bytes:
    """Train a sentencepiece model in memory; single-threaded so the result is reproducible. Unigram,
    as OPUS-MT's; the benchmark's calibrated tokenizer asks for BPE (see scripts/bench_translate.py)."""
    import sentencepiece

    sentencepiece.set_random_generator_seed(seed)
    buffer = io.BytesIO()
    sentencepiece.SentencePieceTrainer.train(
        sentence_iterator=iter(sentences),
        model_writer=buffer,
        model_type=model_type,
        vocab_size=vocab_size,
        hard_vocab_limit=False,  # the corpus is small: take what it yields rather than fail
        character_coverage=1.0,  # every Arabic/Hebrew letter must be a piece, never <unk>
        num_threads=1,
        minloglevel=2,
    )
    return buffer.getvalue()


def _pieces(model_proto: bytes) -> list[str]:
    """The ordinary pieces of an spm model (control and unknown symbols are added by the vocab)."""
    import sentencepiece

    sp = sentencepiece.SentencePieceProcessor(model_proto=model_proto)
    return [
        sp.id_to_piece(i)
        for i in range(sp.get_piece_size())
        if not (sp.is_control(i) or sp.is_unknown(i) or sp.is_unused(i))
    ]


def build_vocab(
    source_pieces: Iterable[str],
    target_pieces: Iterable[str],
    lang_tokens: Iterable[str],
    vocab_size: int | None = None,
) -> list[str]:
    """Joint vocabulary in Marian order: ``</s>`` 0, ``<unk>`` 1, language tags, pieces, ``<pad>`` last.

    With ``vocab_size`` the list is padded with never-produced dummy tokens to exactly that length,
    so the embedding matrix has the real model's shape (the pad id is then ``vocab_size - 1``, as in
    the real config).
    """
    tokens = list(SPECIALS)
    seen = set(tokens) | {PAD}
    for token in [*lang_tokens, *source_pieces, *target_pieces]:
        if token not in seen:
            seen.add(token)
            tokens.append(token)
    if vocab_size is not None:
        free = vocab_size - len(tokens) - 1
        if free < 0:
            raise ModelError(f"vocab_size {vocab_size} is too small for {len(tokens) + 1} tokens")
        tokens.extend(f"<dummy-{i}>" for i in range(free))
    tokens.append(PAD)
    return tokens


def _output_pieces(target_proto: bytes, lang: str, corpus_dir: Path) -> list[str]:
    """Target pieces that occur in ``lang``'s corpus (all target pieces if it has none)."""
    import sentencepiece

    path = corpus_dir / f"{lang}.txt"
    if not path.is_file():
        return _pieces(target_proto)
    sp = sentencepiece.SentencePieceProcessor(model_proto=target_proto)
    used = {piece for line in _read_corpus(path) for piece in sp.encode(line, out_type=str)}
    return [piece for piece in _pieces(target_proto) if piece in used]


def _target_corpus(targets: Sequence[str], corpus_dir: Path) -> list[str]:
    """Target-side training text: each target's file; a target without one falls back to all of them."""
    files = [corpus_dir / f"{lang}.txt" for lang in targets]
    if not all(f.is_file() for f in files):
        files = sorted(f for f in corpus_dir.glob("*.txt") if f.stem != "en")
    if not files:
        raise ModelError("no target-language corpus (e.g. ar.txt) found", corpus_dir)
    return [line for f in files for line in _read_corpus(f)]


ModelSize = Literal["tiny", "real"]


@dataclass(frozen=True)
class _Vocab:
    """The trained sentencepiece models and the joint vocabulary built from them."""

    source_proto: bytes
    target_proto: bytes
    ids: dict[str, int]

    @property
    def pad_id(self) -> int:
        return self.ids[PAD]


def build_marian_model(
    out_dir: str | Path,
    *,
    targets: Sequence[str] = ("ar",),
    seed: int = 0,
    size: ModelSize = "tiny",
    config_path: str | Path | None = None,
    vocab_size: int | None = None,
    corpus_dir: str | Path | None = None,
) -> Path:
    """Write a loadable MarianMT model folder with random weights to ``out_dir`` and return its path.

    ``targets`` are language codes (``ar``, ``fr``, ``he``...): each gets a ``>>xxx<<`` tag, as in the
    multi-target opus-mt models, so the backend's tag handling is exercised. ``size="real"`` needs
    ``config_path`` (the real model's ``config.json``) and keeps its dimensions and vocab size.
    """
    out = Path(out_dir)
    corpus = Path(corpus_dir) if corpus_dir is not None else CORPUS_DIR
    _check_request(targets, size)
    real_config = _read_real_config(config_path) if size == "real" else {}
    if size == "real" and vocab_size is None:
        vocab_size = _config_vocab_size(real_config, config_path)
    vocab = _train_vocab(targets, corpus, seed, vocab_size)
    _write_vocab(out, vocab)
    dims, generation = (
        _dimensions(real_config) if size == "real" else (dict(TINY_DIMS), dict(GENERATION_DEFAULTS))
    )
    special_ids = _special_ids(vocab)
    allowed = [vocab.ids[p] for p in _output_pieces(vocab.target_proto, targets[0], corpus)] + [
        vocab.ids["</s>"]
    ]
    _write_weights(out, {**dims, **special_ids}, generation, allowed, seed)
    _write_tokenizer(out, targets[0], int(dims.get("max_position_embeddings", 512)))
    return out


def _check_request(targets: Sequence[str], size: str) -> None:
    unknown = [lang for lang in targets if lang not in TARGET_TOKENS]
    if not targets or unknown:
        raise ModelError(
            f"unknown target language(s) {unknown or list(targets)}; known: {sorted(TARGET_TOKENS)}"
        )
    if size not in ("tiny", "real"):
        raise ModelError(f"unknown model size {size!r}; use 'tiny' or 'real'")


def _read_real_config(config_path: str | Path | None) -> dict[str, Any]:
    """The real model's ``config.json``: its dimensions replace the tiny ones."""
    if config_path is None:
        raise ModelError("size='real' needs config_path (the real model's config.json)")
    try:
        real_config: dict[str, Any] = json.loads(Path(config_path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ModelError(f"cannot read model config: {exc}", config_path) from exc
    return real_config


def _config_vocab_size(real_config: dict[str, Any], config_path: str | Path | None) -> int:
    size = real_config.get("vocab_size")
    if not isinstance(size, int):
        raise ModelError("model config has no integer vocab_size", config_path)
    return size


def _train_vocab(targets: Sequence[str], corpus: Path, seed: int, vocab_size: int | None) -> _Vocab:
    source_proto = train_spm(_read_corpus(corpus / "en.txt"), SOURCE_VOCAB, seed)
    target_proto = train_spm(_target_corpus(targets, corpus), TARGET_VOCAB, seed)
    lang_tokens = [f">>{TARGET_TOKENS[lang]}<<" for lang in targets]
    tokens = build_vocab(_pieces(source_proto), _pieces(target_proto), lang_tokens, vocab_size)
    return _Vocab(source_proto, target_proto, {token: i for i, token in enumerate(tokens)})


def _write_vocab(out: Path, vocab: _Vocab) -> None:
    out.mkdir(parents=True, exist_ok=True)
    (out / "source.spm").write_bytes(vocab.source_proto)
    (out / "target.spm").write_bytes(vocab.target_proto)
    (out / "vocab.json").write_text(json.dumps(vocab.ids, ensure_ascii=False, indent=1), encoding="utf-8")


def _dimensions(real_config: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Shape and generation settings taken from the real model's config (``size="real"``)."""
    dims = {k: real_config[k] for k in TINY_DIMS if k in real_config}
    generation = {k: real_config[k] for k in GENERATION_DEFAULTS if k in real_config}
    return dims, generation


def _special_ids(vocab: _Vocab) -> dict[str, int]:
    """Vocabulary size and special token ids, as opus-mt configs set them."""
    size, pad_id = len(vocab.ids), vocab.pad_id
    return {
        "vocab_size": size,
        "decoder_vocab_size": size,
        "pad_token_id": pad_id,
        "decoder_start_token_id": pad_id,
        "eos_token_id": 0,
        "bos_token_id": 0,
        "forced_eos_token_id": 0,
    }


def _write_weights(
    out: Path, config_values: dict[str, Any], generation: dict[str, Any], allowed: list[int], seed: int
) -> None:
    """Random weights from ``seed`` (in a forked RNG), restricted to emit only ``allowed`` ids."""
    import torch
    from transformers import GenerationConfig, MarianConfig, MarianMTModel

    config = MarianConfig(**config_values)
    config.architectures = ["MarianMTModel"]
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        model = MarianMTModel(config)
    # A random model can emit any id. Restrict it, through the output bias (saved with the weights and
    # honoured by CTranslate2's converter too), to </s> and the pieces of the first target's own text:
    # translations are then in that script (Arabic by default) whatever the tag, and never contain
    # <unk>, language tags, source-only pieces or dummies.
    with torch.no_grad():
        model.final_logits_bias.fill_(OUTPUT_MASK_BIAS)
        model.final_logits_bias[0, allowed] = 0.0
    model.eval()
    ids = {k: v for k, v in config_values.items() if k.endswith("_token_id")}
    model.generation_config = GenerationConfig(
        **ids,
        **generation,
        bad_words_ids=[[ids["pad_token_id"]]],  # as in the opus-mt generation configs
    )
    with quiet_transformers():
        model.save_pretrained(out)


def _write_tokenizer(out: Path, target: str, max_length: int) -> None:
    from transformers import MarianTokenizer

    tokenizer = MarianTokenizer(
        source_spm=str(out / "source.spm"),
        target_spm=str(out / "target.spm"),
        vocab=str(out / "vocab.json"),
        source_lang="en",
        target_lang=target,
        model_max_length=max_length,
    )
    tokenizer.save_pretrained(out)
