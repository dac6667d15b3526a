"""The CTranslate2 backend: conversion and its cache, parity with the transformers backend through the
whole pipeline, and fixed output lengths (the benchmark's hook)."""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path

import polib
import pytest
import torch

from pipeline.cli import main
from pipeline.errors import ModelError
from pipeline.mt import ct2
from pipeline.mt.factory import load_backend
from pipeline.mt.marian import MarianBackend
from pipeline.names.glossary import find_targets, load_glossary
from pipeline.testing.forced_lengths import FixedOutputLengths, ForcedLengths
from tests.helpers import ROOT

pytest.importorskip("ctranslate2")

LATIN_OR_HEBREW = re.compile(r"[A-Za-z\u0590-\u05ff]")
TEXTS = [
    "The government announced a new budget on Monday after weeks of negotiations.",
    "Yes.",
    "",
    "Police arrested three men.",
    "A fire broke out in a textile factory, but no one was injured.",
]
ARTICLE = """Iraq News

As losses mount, ISIS elements lose will to fight

By Khalid al-Taie

Iraqi forces hold a position near the Syrian border after taking al-Qaim, Anbar. [Ahmad al-Rubaye/AFP]

Experts tell Diyaruna that ISIS suffered a crushing defeat in Mosul. Simply put, they said, fighters fled.
"""


@pytest.fixture(scope="module")
def cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("ct2-cache")


@pytest.fixture(scope="module")
def fast(tiny_model_dir: Path, cache: Path) -> ct2.CT2Backend:
    return ct2.CT2Backend(tiny_model_dir, progress=False, cache_dir=cache)


# --- the pipeline with both backends ---------------------------------------------------------------


@pytest.fixture(scope="module")
def runs(tiny_model_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The same article translated through the CLI with each backend; CTranslate2's cache in a temp folder."""
    work = tmp_path_factory.mktemp("both-backends")
    (work / "news.txt").write_text(ARTICLE, encoding="utf-8")
    out: dict[str, Path] = {}
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(work)
        mp.setenv("XDG_CACHE_HOME", str(work / "cache"))
        for backend in ("transformers", "ctranslate2"):
            locales = work / f"locales-{backend}"
            code = main(
                ["translate", "news.txt", "--to", "ar", "--model", str(tiny_model_dir), "--backend", backend]
                + ["--glossary", str(ROOT / "glossary"), "--locales", str(locales), "--no-render", "-q"]
            )
            assert code == 0
            out[backend] = locales / "ar" / "LC_MESSAGES" / "news.po"
    out["cache"] = work / "cache"
    return out


def test_both_backends_write_the_same_entries(runs: dict[str, Path]) -> None:
    slow, fast = (polib.pofile(str(runs[b])) for b in ("transformers", "ctranslate2"))
    keys = {(e.msgctxt, e.msgid) for e in slow}
    assert len(keys) >= 6
    assert {(e.msgctxt, e.msgid) for e in fast} == keys
    assert all(e.msgstr and "fuzzy" in e.flags for po in (slow, fast) for e in po)
    assert {e.msgid: e.msgstr for e in slow} != {e.msgid: e.msgstr for e in fast}  # really two engines
    # the conversion was cached where XDG_CACHE_HOME says
    assert list((runs["cache"] / "newsroom-pipeline" / "ct2").glob("*-int8/model.bin"))


def test_both_backends_protect_the_same_names(runs: dict[str, Path]) -> None:
    glossary = load_glossary(ROOT / "glossary")
    found: dict[str, dict[tuple[str, str], list[str]]] = {}
    for backend in ("transformers", "ctranslate2"):
        found[backend] = {}
        for entry in polib.pofile(str(runs[backend])):
            expected = sorted(m.term.target("ar") or m.term.en for m in glossary.find(entry.msgid))
            got = sorted(
                text[a:b] for text in [entry.msgstr] for a, b, _ in find_targets(glossary, text, "ar")
            )
            assert got == expected, (backend, entry.msgid, entry.msgstr)
            found[backend][(entry.msgctxt, entry.msgid)] = got
    assert found["transformers"] == found["ctranslate2"]
    assert sum(map(len, found["ctranslate2"].values())) >= 8  # Khalid al-Taie, AFP, Diyaruna, ISIS, ...


# --- the backend -----------------------------------------------------------------------------------


def test_output_restriction_survives_conversion(fast: ct2.CT2Backend) -> None:
    out = fast.translate(TEXTS, lang="ar")
    assert len(out) == len(TEXTS) and out[2] == ""
    assert all(out[i] for i, t in enumerate(TEXTS) if t)
    assert len(set(out) - {""}) == len(TEXTS) - 1  # depends on the source
    # The tiny model may only emit its Arabic pieces (a -1e4 output bias): the converter kept the bias.
    assert not any(LATIN_OR_HEBREW.search(t) for t in out)
    assert fast.calls == len(TEXTS) - 1
    assert fast.compute_type == "int8" and fast.device == "cpu"


def test_batching_restores_order(fast: ct2.CT2Backend, monkeypatch: pytest.MonkeyPatch) -> None:
    alone = [fast.translate([t], lang="ar")[0] for t in TEXTS]
    monkeypatch.setattr(fast, "max_batch_tokens", 40)
    assert fast.translate(TEXTS, lang="ar") == alone


def test_parallel_translators_give_the_same_outputs(
    tiny_model_dir: Path, cache: Path, fast: ct2.CT2Backend, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``inter_threads=2`` keeps two batches in flight; outputs and their order are unchanged."""
    monkeypatch.setattr(fast, "max_batch_tokens", 40)
    alone = fast.translate(TEXTS, lang="ar")
    two = ct2.CT2Backend(tiny_model_dir, progress=False, cache_dir=cache, inter_threads=2)
    monkeypatch.setattr(two, "max_batch_tokens", 40)
    assert two.translator_options["inter_threads"] == 2 and two.translator_options["intra_threads"] >= 1
    assert two.translate(TEXTS * 3, lang="ar") == alone * 3


def test_load_backend_and_target_tags(tiny_model_dir: Path, cache: Path) -> None:
    backend = load_backend("ctranslate2", str(tiny_model_dir), "he", progress=False, cache_dir=cache)
    assert isinstance(backend, ct2.CT2Backend) and backend.prefix("he") == ">>heb<< "
    with pytest.raises(ModelError, match="'de'"):
        load_backend("ctranslate2", str(tiny_model_dir), "de", progress=False, cache_dir=cache)
    with pytest.raises(ModelError, match="no such folder"):
        load_backend("ctranslate2", str(tiny_model_dir / "nope"), "ar", cache_dir=cache)


def test_missing_package_is_one_line(
    tiny_model_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    monkeypatch.setitem(sys.modules, "ctranslate2", None)  # import ctranslate2 -> ImportError
    with pytest.raises(ModelError, match=re.escape("pip install '.[fast]'")):
        load_backend("ctranslate2", str(tiny_model_dir), "ar")
    monkeypatch.chdir(tmp_path)
    # A headline, so ingest has nothing to warn about: the error is the only line.
    Path("a.txt").write_text("Three arrested\n\nPolice arrested three men.\n", encoding="utf-8")
    args = ["translate", "a.txt", "--to", "ar", "--model", str(tiny_model_dir), "--backend", "ctranslate2"]
    assert main([*args, "--glossary", str(ROOT / "glossary"), "-q"]) == 1
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "pip install '.[fast]'" in err


# --- conversion cache ------------------------------------------------------------------------------


def test_conversion_is_cached_by_content(
    tiny_model_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"
    first = ct2.converted_model(tiny_model_dir, "int8", cache)
    assert (first / "model.bin").is_file()

    def no_conversion(*_: object, **__: object) -> None:
        raise AssertionError("converted again")

    with monkeypatch.context() as mp:
        mp.setattr(ct2._ctranslate2().converters, "TransformersConverter", no_conversion)
        assert ct2.converted_model(tiny_model_dir, "int8", cache) == first
        copy = tmp_path / "copy"
        shutil.copytree(tiny_model_dir, copy)
        (copy / ".cache").mkdir()
        (copy / ".cache" / "download.lock").write_text("x")  # hidden files are not the model
        assert ct2.converted_model(copy, "int8", cache) == first

    config = copy / "config.json"
    config.write_text(config.read_text(encoding="utf-8").replace('"d_model"', ' "d_model"'), encoding="utf-8")
    assert ct2.folder_digest(copy) != ct2.folder_digest(tiny_model_dir)
    second = ct2.converted_model(copy, "int8", cache)
    assert second != first and (second / "model.bin").is_file()
    assert ct2.converted_model(tiny_model_dir, "float32", cache) not in (first, second)
    assert not [p for p in cache.iterdir() if p.name.startswith(".")]  # no temporary folders left


def test_failed_conversion_leaves_nothing(tiny_model_dir: Path, tmp_path: Path) -> None:
    broken = tmp_path / "broken"
    shutil.copytree(tiny_model_dir, broken)
    (broken / "model.safetensors").write_bytes(b"not weights")
    cache = tmp_path / "cache"
    with pytest.raises(ModelError) as info:
        ct2.converted_model(broken, "int8", cache)
    assert "\n" not in str(info.value) and "CTranslate2" in str(info.value)
    assert list(cache.iterdir()) == []


# --- fixed output lengths (benchmarks) -------------------------------------------------------------


def test_fixed_output_lengths_processor() -> None:
    processor = FixedOutputLengths([2, 4], num_beams=2, eos_token_id=0)
    rows = torch.zeros((4, 1), dtype=torch.long)  # decoder start token only: nothing produced yet
    scores = processor(rows, torch.zeros((4, 5)))
    assert torch.isinf(scores[:, 0]).all() and not torch.isinf(scores[:, 1:]).any()
    scores = processor(torch.zeros((4, 2), dtype=torch.long), torch.zeros((4, 5)))
    assert (scores[:2, 0] == 0).all() and torch.isinf(scores[:2, 1:]).all()  # row 0's last token: </s>
    assert torch.isinf(scores[2:, 0]).all() and not torch.isinf(scores[2:, 1:]).any()


@pytest.mark.parametrize("engine", ["transformers", "ctranslate2"])
def test_outputs_forced_to_their_lengths(
    engine: str, tiny_model_dir: Path, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[int] = []

    def length(source_tokens: int) -> int:
        asked.append(source_tokens)
        return 3 if source_tokens < 8 else 40

    options = {"progress": False, "decode_hook": ForcedLengths(length)}
    if engine == "ctranslate2":
        backend: MarianBackend | ct2.CT2Backend = ct2.CT2Backend(tiny_model_dir, cache_dir=cache, **options)
    else:
        backend = MarianBackend(tiny_model_dir, **options)
    special = {0, backend.tokenizer.pad_token_id}
    produced: list[int] = []
    decode = backend.tokenizer.batch_decode

    def spy(ids, **kw):  # noqa: ANN001, ANN202 - counts each output's tokens, </s> and padding aside
        produced.extend(len([i for i in row if int(i) not in special]) for row in ids)
        return decode(ids, **kw)

    monkeypatch.setattr(backend.tokenizer, "batch_decode", spy)
    out = backend.translate(["Yes.", TEXTS[0]], lang="ar")
    assert all(out) and len(asked) == 2  # asked once per segment: the benchmark sums these
    assert sorted(produced) == [2, 39]  # lengths 3 and 40, </s> included, in one batch
