"""Translation backends and the tiny test model they are exercised with."""

from __future__ import annotations

import importlib.util
import json
import re
import shutil
import time
from pathlib import Path

import pytest
import torch

from pipeline.errors import ModelError
from pipeline.mt import marian as marian_module
from pipeline.mt import registry
from pipeline.mt.base import Backend, IdentityBackend
from pipeline.mt.batching import split_long, token_count
from pipeline.mt.factory import load_backend
from pipeline.mt.marian import MarianBackend
from pipeline.testing.tiny_model import CORPUS_DIR, FORBIDDEN_AR, build_marian_model, build_vocab

REPO = Path(__file__).resolve().parent.parent
LATIN_OR_HEBREW = re.compile(r"[A-Za-z\u0590-\u05ff]")

TEXTS = [
    "The government announced a new budget on Monday after weeks of negotiations.",
    "Yes.",
    "",
    "Iraqi forces hold a position on November 4th near the Syrian border after recapturing "
    "the border town of al-Qaim, western Anbar, from the 'Islamic State of Iraq and Syria' a day earlier.",
    "Police arrested three men.",
    "A fire broke out in a textile factory, but no one was injured.",
    "No.",
]


@pytest.fixture(scope="module")
def marian(tiny_model_dir: Path) -> MarianBackend:
    return MarianBackend(tiny_model_dir, progress=False)


def spy_generate(backend: MarianBackend, monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """Record the batches of (prefixed) sources that reach the model."""
    seen: list[list[str]] = []
    original = backend._generate

    def generate(sources: list[str]) -> list[str]:
        seen.append(list(sources))
        return original(sources)

    monkeypatch.setattr(backend, "_generate", generate)
    return seen


# --- loading -------------------------------------------------------------------------------------


def test_tiny_model_loads_from_local_folder(marian: MarianBackend) -> None:
    assert isinstance(marian, Backend)
    assert marian.name == "transformers"
    assert marian.max_positions == 512
    assert marian.tokenizer.get_vocab()["</s>"] == 0
    assert marian.tokenizer.pad_token == "<pad>"


def test_target_tag_is_prepended(marian: MarianBackend, monkeypatch: pytest.MonkeyPatch) -> None:
    assert marian.prefix("ar") == ">>ara<< "
    assert marian.prefix("he") == ">>heb<< "
    pieces = marian.tokenizer.convert_ids_to_tokens(
        marian.tokenizer(">>ara<< Police arrested three men.")["input_ids"]
    )
    assert pieces[0] == ">>ara<<" and pieces[-1] == "</s>"
    seen = spy_generate(marian, monkeypatch)
    marian.translate(["Police arrested three men."], lang="ar")
    assert seen == [[">>ara<< Police arrested three men."]]


def test_language_without_tag_is_refused(marian: MarianBackend, tiny_model_dir: Path) -> None:
    with pytest.raises(ModelError, match="no target tag for language 'de'"):
        marian.translate(["Hello."], lang="de")
    with pytest.raises(ModelError, match="'de'"):
        MarianBackend(tiny_model_dir, lang="de", progress=False)


# --- translating ---------------------------------------------------------------------------------


def test_translate_keeps_length_order_and_blanks(marian: MarianBackend) -> None:
    out = marian.translate(TEXTS, lang="ar")
    assert len(out) == len(TEXTS)
    assert out[2] == ""
    assert all(out[i] for i in range(len(TEXTS)) if TEXTS[i])
    assert len(set(out) - {""}) == len(TEXTS) - 1  # the random model's output depends on the source
    # Only the first target's script (and digits/punctuation): no <unk>, tags or Latin/Hebrew pieces.
    assert not any(LATIN_OR_HEBREW.search(t) for t in out)
    assert not any(word in t.split() for t in out for word in FORBIDDEN_AR)


def test_batching_restores_order(marian: MarianBackend, monkeypatch: pytest.MonkeyPatch) -> None:
    alone = [marian.translate([t], lang="ar")[0] for t in TEXTS]
    monkeypatch.setattr(marian, "max_batch_tokens", 48)
    seen = spy_generate(marian, monkeypatch)
    assert marian.translate(TEXTS, lang="ar") == alone
    assert len(seen) > 1 and any(len(batch) > 1 for batch in seen)
    lengths = [token_count(marian.tokenizer, s) for batch in seen for s in batch]
    assert lengths == sorted(lengths, reverse=True)  # longest first, so batches pad little


def test_beam_rows_per_batch_are_capped(marian: MarianBackend, monkeypatch: pytest.MonkeyPatch) -> None:
    """Short segments fit the token budget by the dozen; the row cap (segments x beams) splits them,
    because every row carries vocabulary-sized score tensors, and the translations do not change."""
    assert marian.max_batch_rows == 48 and marian.num_beams == 4
    texts = [f"Police arrested {n} men." for n in ("two", "three", "four", "five", "six", "seven", "eight")]
    whole = marian.translate(texts, lang="ar")
    seen = spy_generate(marian, monkeypatch)
    monkeypatch.setattr(marian, "max_batch_rows", 8)  # two segments at beam 4
    assert marian.translate(texts, lang="ar") == whole
    assert [len(batch) for batch in seen] == [2, 2, 2, 1]
    monkeypatch.setattr(marian, "max_batch_rows", None)  # the token budget alone: one batch
    seen.clear()
    marian.translate(texts, lang="ar")
    assert [len(batch) for batch in seen] == [7]


def test_beam_cache_that_skips_cross_attention_reorder_changes_nothing(
    marian: MarianBackend, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The default cache reorders cross-attention rows that are copies of each other; ours does not,
    and every output must stay exactly what transformers' own cache gives (batched, beam 4)."""
    assert marian.num_beams == 4
    ours = marian.translate(TEXTS, lang="ar")
    made: list[object] = []
    real = marian_module.beam_search_cache
    monkeypatch.setattr(marian_module, "beam_search_cache", lambda c: made.append(real(c)) or made[-1])
    assert marian.translate(TEXTS, lang="ar") == ours and made  # ours was used
    monkeypatch.setattr(marian_module, "beam_search_cache", lambda c: None)  # transformers' own
    assert marian.translate(TEXTS, lang="ar") == ours


def test_each_segment_is_tokenized_once(marian: MarianBackend, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[object] = []
    tokenizer = marian.tokenizer
    real_call = type(tokenizer).__call__

    def counting(self: object, text: object, *args: object, **kw: object) -> object:
        calls.append(text)
        return real_call(self, text, *args, **kw)

    expected = marian.translate(TEXTS, lang="ar")
    monkeypatch.setattr(type(tokenizer), "__call__", counting)
    assert marian.translate(TEXTS, lang="ar") == expected
    assert len(calls) == len([t for t in TEXTS if t])  # to count, batch and translate: once
    assert not marian._encoded  # nothing left behind


def test_deterministic_across_loads_and_builds(tiny_model_dir: Path, tmp_path: Path) -> None:
    first = MarianBackend(tiny_model_dir, progress=False).translate(TEXTS, lang="ar")
    assert MarianBackend(tiny_model_dir, progress=False).translate(TEXTS, lang="ar") == first
    rng = torch.get_rng_state()
    rebuilt = build_marian_model(tmp_path / "again", targets=("ar", "fr", "he"), seed=0)
    assert torch.equal(torch.get_rng_state(), rng)  # seeded privately: the caller's RNG is untouched
    assert (rebuilt / "vocab.json").read_bytes() == (tiny_model_dir / "vocab.json").read_bytes()
    assert MarianBackend(rebuilt, progress=False).translate(TEXTS, lang="ar") == first
    other = build_marian_model(tmp_path / "seed1", targets=("ar", "fr", "he"), seed=1)
    assert MarianBackend(other, progress=False).translate(TEXTS, lang="ar") != first


def test_calls_counts_segments_sent(tiny_model_dir: Path) -> None:
    backend = MarianBackend(tiny_model_dir, progress=False)
    assert backend.calls == 0
    backend.translate(TEXTS, lang="ar")
    assert backend.calls == len([t for t in TEXTS if t])
    backend.translate(["Yes.", "   "], lang="ar")
    assert backend.calls == len([t for t in TEXTS if t]) + 1
    backend.translate([], lang="ar")
    assert backend.calls == len([t for t in TEXTS if t]) + 1


def test_long_input_is_split_not_truncated(marian: MarianBackend, monkeypatch: pytest.MonkeyPatch) -> None:
    clauses = [line.rstrip(".") for line in (CORPUS_DIR / "en.txt").read_text(encoding="utf-8").splitlines()]
    text = ", ".join(clauses[:40]) + "."
    prefix = marian.prefix("ar")
    assert token_count(marian.tokenizer, prefix + text) > 512

    pieces = split_long(text, marian.tokenizer, 512, prefix=prefix)
    assert len(pieces) > 1
    assert all(token_count(marian.tokenizer, prefix + p) <= 512 for p in pieces)
    assert " ".join(pieces).split() == text.split()
    assert all(p.endswith(",") for p in pieces[:-1])  # cut after commas, not mid-clause

    seen = spy_generate(marian, monkeypatch)
    calls = marian.calls
    out = marian.translate([text, "Yes."], lang="ar")
    assert len(out) == 2 and out[0] and out[1]
    sent = [s.removeprefix(prefix) for batch in seen for s in batch]
    assert sorted(sent) == sorted([*pieces, "Yes."])
    assert marian.calls == calls + 2  # segments, not pieces


def test_split_long_prefers_natural_cut_points() -> None:
    def words(s: str) -> int:
        return len(s.split())

    text = "one two three; four five six, seven eight nine ten eleven"
    assert split_long(text, None, 6, count=words) == [
        "one two three;",
        "four five six,",
        "seven eight nine ten eleven",
    ]
    assert split_long(text, None, 3, count=words) == [
        "one two three;", "four five six,", "seven eight nine", "ten eleven",
    ]  # fmt: skip
    assert split_long("short", None, 3, count=words) == ["short"]
    # A run with no space at all is cut by characters rather than dropped.
    pieces = split_long("x" * 25, None, 10, count=len)
    assert "".join(pieces) == "x" * 25 and all(len(p) <= 10 for p in pieces)


# --- failures ------------------------------------------------------------------------------------


def assert_one_line_model_error(model: str) -> None:
    start = time.monotonic()
    with pytest.raises(ModelError) as info:
        MarianBackend(model, progress=False)
    message = str(info.value)
    assert time.monotonic() - start < 20
    assert "\n" not in message
    assert repr(model) in message
    assert "make_tiny_model.py" in message and "--model" in message


def test_missing_folder_is_a_model_error(tmp_path: Path) -> None:
    assert_one_line_model_error(str(tmp_path / "no-such-model"))
    assert_one_line_model_error("./models/no-such-model")


def test_unknown_hub_id_fails_fast() -> None:
    assert_one_line_model_error("no-such-org-3f9a/no-such-model")


def test_unreachable_hub_is_not_retried(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(marian_module, "_hub_reachable", lambda *a, **k: False)
    with pytest.raises(ModelError, match="Hub is unreachable"):
        MarianBackend("Helsinki-NLP/opus-mt-en-xx-not-cached", progress=False)


def test_incomplete_or_corrupt_folder(tiny_model_dir: Path, tmp_path: Path) -> None:
    broken = tmp_path / "broken"
    shutil.copytree(tiny_model_dir, broken)
    (broken / "target.spm").unlink()
    with pytest.raises(ModelError, match="lacks target.spm"):
        MarianBackend(broken, progress=False)
    (broken / "target.spm").write_bytes(b"not a sentencepiece model")
    with pytest.raises(ModelError) as info:
        MarianBackend(broken, progress=False)
    assert "\n" not in str(info.value) and "make_tiny_model.py" in str(info.value)


# --- factory and identity ------------------------------------------------------------------------


def test_load_backend(tiny_model_dir: Path) -> None:
    backend = load_backend("transformers", str(tiny_model_dir), "ar", progress=False)
    assert isinstance(backend, MarianBackend) and backend.model_name == str(tiny_model_dir)
    assert isinstance(load_backend("identity", None, "ar"), IdentityBackend)
    with pytest.raises(ModelError, match="'xx'"):
        load_backend("transformers", None, "xx")
    with pytest.raises(ModelError, match="unknown backend"):
        load_backend("nope", None, "ar")
    assert registry.DEFAULT_MODELS["ar"] == "Helsinki-NLP/opus-mt-en-ar"


def test_identity_backend() -> None:
    backend = IdentityBackend()
    assert isinstance(backend, Backend)
    assert backend.translate(["a", "", "b"], lang="ar") == ["a", "", "b"]
    assert backend.calls == 3


# --- the tiny model builder ----------------------------------------------------------------------


def test_vocab_layout_and_padding() -> None:
    tokens = build_vocab(["▁a", "▁b"], ["▁b", "▁c"], [">>ara<<"])
    assert tokens == ["</s>", "<unk>", ">>ara<<", "▁a", "▁b", "▁c", "<pad>"]
    padded = build_vocab(["▁a", "▁b"], ["▁b", "▁c"], [">>ara<<"], vocab_size=10)
    assert len(padded) == 10 and padded[:6] == tokens[:6] and padded[-1] == "<pad>"
    assert len(set(padded)) == 10
    assert len(build_vocab(["▁a"], [], [], vocab_size=4)) == 4
    with pytest.raises(ModelError, match="too small"):
        build_vocab(["▁a", "▁b"], ["▁c"], [">>ara<<"], vocab_size=6)


def test_tiny_model_folder(tiny_model_dir: Path) -> None:
    vocab = json.loads((tiny_model_dir / "vocab.json").read_text(encoding="utf-8"))
    assert vocab["</s>"] == 0 and vocab["<unk>"] == 1
    assert [vocab[t] for t in (">>ara<<", ">>fra<<", ">>heb<<")] == [2, 3, 4]
    assert vocab["<pad>"] == len(vocab) - 1
    config = json.loads((tiny_model_dir / "config.json").read_text(encoding="utf-8"))
    assert config["pad_token_id"] == config["decoder_start_token_id"] == vocab["<pad>"]
    assert config["d_model"] == 32 and config["vocab_size"] == len(vocab)
    # No proper name from the test articles can come out of the random model as a single piece.
    assert not [piece for piece in vocab if any(name in piece for name in FORBIDDEN_AR)]


def test_corpus_avoids_forbidden_names() -> None:
    arabic = (CORPUS_DIR / "ar.txt").read_text(encoding="utf-8")
    assert len(arabic.splitlines()) >= 100
    assert [name for name in FORBIDDEN_AR if name in arabic] == []


def test_builder_rejects_bad_arguments(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="unknown target"):
        build_marian_model(tmp_path / "m", targets=("xx",))
    with pytest.raises(ModelError, match="config_path"):
        build_marian_model(tmp_path / "m", size="real")
    with pytest.raises(ModelError, match="size"):
        build_marian_model(tmp_path / "m", size="huge")
    (tmp_path / "config.json").write_text("{}", encoding="utf-8")
    with pytest.raises(ModelError, match="vocab_size"):
        build_marian_model(tmp_path / "m", size="real", config_path=tmp_path / "config.json")


def test_make_tiny_model_script(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec = importlib.util.spec_from_file_location("make_tiny_model", REPO / "scripts" / "make_tiny_model.py")
    assert spec and spec.loader
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    assert script.main([str(tmp_path / "tiny-en-ar"), "--targets", "ar"]) == 0
    assert str(tmp_path / "tiny-en-ar") in capsys.readouterr().out
    backend = MarianBackend(tmp_path / "tiny-en-ar", progress=False)
    assert backend.prefix("ar") == ">>ara<< " and backend.translate(["Yes."], lang="ar")[0]
    assert script.main([str(tmp_path / "real"), "--size", "real"]) == 1
    assert "config_path" in capsys.readouterr().err
