"""The translation benchmark's own logic: its calibrated tokenizer, its ratios, (d)'s recording."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from tests.helpers import ROOT

SCRIPT = ROOT / "scripts" / "bench_translate.py"


@pytest.fixture(scope="module")
def bench():  # noqa: ANN201 - the script as a module
    spec = importlib.util.spec_from_file_location("bench_translate", SCRIPT)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_translate"] = module
    spec.loader.exec_module(module)
    return module


def test_source_tokenizer_is_calibrated(bench) -> None:  # noqa: ANN001
    tsv = bench.SHARED / "eval" / "flores200-devtest.eng-arb.tsv"
    if not tsv.is_file():
        pytest.skip(f"{tsv} not here")
    sentences = bench.read_sentences(tsv, None)
    proto, rate = bench.train_source_spm(sentences)
    assert abs(rate - bench.TARGET_TOKENS_PER_WORD) < 0.03
    assert bench.tokens_per_word(proto, sentences) == pytest.approx(rate)
    again, _ = bench.train_source_spm(sentences)
    assert again == proto  # deterministic: a cached benchmark model stays valid


def test_ratios_and_verdicts(bench, capsys: pytest.CaptureFixture[str]) -> None:  # noqa: ANN001
    def row(tokens: int, seconds: float, rss: float) -> dict:
        return {"segments": 10, "tokens": tokens, "seconds": seconds, "load_seconds": 1.0, "rss_mb": rss}

    results = {
        "naive": row(100, 10.0, 700),
        "transformers": row(100, 2.0, 900),
        "ctranslate2": row(100, 1.0, 650),
        "raw": row(100, 0.95, 500),
    }
    assert bench.ratios(results) == pytest.approx({"b/a": 5.0, "c/a": 10.0, "(c)/(d)": 0.95})
    bench.print_table(results)
    out = capsys.readouterr().out
    assert "b/a 5.00 (meets 5)" in out and "(c)/(d) 0.95 (meets 0.9)" in out
    assert "RSS (c) 650 MB (over 600)" in out and "RSS (b) 900 MB (within 1000)" in out


def test_recording_translator_passes_calls_through(bench) -> None:  # noqa: ANN001
    class Fake:
        def translate_batch(self, source: list[list[str]], **options: object) -> list[str]:
            return [" ".join(s) for s in source]

    recorder = bench.RecordingTranslator(Fake())
    assert recorder.translate_batch([["a", "b"]], beam_size=4) == ["a b"]
    assert recorder.calls == [{"source": [["a", "b"]], "options": {"beam_size": 4}}]
    assert Path(SCRIPT).is_file()
