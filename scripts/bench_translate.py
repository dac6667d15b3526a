"""Benchmark translation speed side by side on the real model's shape, without downloads.

    python scripts/bench_translate.py                 # N=200 FLORES sentences, beam 4
    python scripts/bench_translate.py --n 50 --threads 1 --skip-naive --inter-threads 2
    python scripts/bench_translate.py --skip-naive --linear-kernel torch   # (b) on torch's own kernels

Builds a random-weight Marian model with the dimensions and vocabulary size of opus-mt-en-ar
(``../shared/models/opus-mt-en-ar.config.json``), takes the first N English sentences of
``../shared/eval/flores200-devtest.eng-arb.tsv``, writes them as articles of 20 one-sentence paragraphs,
and measures, each configuration in its own process (so peak RSS is its own):

(a) naive: one ``generate`` call per segment, transformers;
(b) the pipeline (``runner.translate_articles``: pooled, length-sorted, token-budget batches) with
    transformers, its linear layers on oneDNN's kernels (the backend's default; ``--linear-kernel
    torch`` for torch's own, MKL in the CPU wheels); (a) stays plain transformers;
(c) the same pipeline with CTranslate2 (int8 on CPU);

then an unchanged re-run of (b)'s articles in a fresh process, which must make no model call.

Random weights never stop on their own (or stop at once), so every output is forced to exactly
round(1.2 x source tokens) tokens, in all three configurations: the model then does the work a real
translation of that length costs. CTranslate2 takes one length per batch, so (c) decodes each batch to
its longest member's length and cuts the rest (which makes (c) conservative). Names, numbers and dates
are not protected by default (``--glossary`` to protect them): a random model garbles placeholders,
and the retries that follow would charge the pipeline for work a real model rarely causes.
"""

from __future__ import annotations

import argparse
import csv
import json
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
#: The project's shared folder beside the checkout (a worktree deeper down finds it further up).
SHARED = next(
    (d / "shared" for d in REPO.parents if (d / "shared" / "eval").is_dir()), REPO.parent / "shared"
)
try:
    import pipeline  # noqa: F401
except ModuleNotFoundError:  # run from a checkout without `pip install -e .`
    sys.path.insert(0, str(REPO))

from pipeline.mt.kernels import LINEAR_KERNELS  # noqa: E402 - after the path is set

CONFIGS = {
    "naive": "(a) naive: generate() per segment",
    "transformers": "(b) pipeline, transformers",
    "ctranslate2": "(c) pipeline, CTranslate2",
    "raw": "(d) raw CTranslate2, (c)'s batches",
}
SENTENCES_PER_ARTICLE = 20
LANG = "ar"
LENGTH_RATIO = 1.2


def output_length(source_tokens: int) -> int:
    """Tokens each translation is forced to: a typical English -> Arabic length ratio."""
    return max(1, round(LENGTH_RATIO * source_tokens))


def peak_rss_mb() -> float:
    """This process's peak resident memory.

    ``/proc/self/status``'s VmHWM, not ``ru_maxrss``: Linux carries ``ru_maxrss`` over ``fork`` and
    ``exec``, so a child started by a parent that held the model would report the parent's peak.
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


# --- set-up (parent process) ----------------------------------------------------------------------


def read_sentences(tsv: Path, n: int | None) -> list[str]:
    """The first ``n`` English sentences of a FLORES TSV (all of them when ``n`` is None)."""
    try:
        with tsv.open(encoding="utf-8", newline="") as f:
            rows = list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))
    except OSError as exc:
        raise SystemExit(f"error: {tsv}: {exc.strerror} (pass --tsv)") from None
    if not rows or "en" not in rows[0]:
        raise SystemExit(f"error: {tsv}:1: no 'en' column")
    sentences = [row["en"].strip() for row in rows if row.get("en", "").strip()][:n]
    if n is not None and len(sentences) < n:
        print(f"note: {tsv} has only {len(sentences)} sentences", file=sys.stderr)
    return sentences


def write_articles(sentences: list[str], folder: Path) -> None:
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    for k in range(0, len(sentences), SENTENCES_PER_ARTICLE):
        chunk = sentences[k : k + SENTENCES_PER_ARTICLE]
        name = f"flores-{k // SENTENCES_PER_ARTICLE + 1:03d}.txt"
        (folder / name).write_text("\n\n".join(chunk) + "\n", encoding="utf-8")


#: Source tokens per English word (whitespace-separated, punctuation attached; ``>>ara<<`` and ``</s>``
#: not counted) that the benchmark's tokenizer is calibrated to: what a 32k-piece SentencePiece model
#: trained on a large English corpus, like opus-mt-en-ar's ``source.spm``, gives on news-like text.
TARGET_TOKENS_PER_WORD = 1.40
#: Bump when the calibration changes, so that cached benchmark models are rebuilt.
CALIBRATION = "bpe-1.40-flores-devtest-v1"


def tokens_per_word(spm_proto: bytes, sentences: list[str]) -> float:
    import sentencepiece

    sp = sentencepiece.SentencePieceProcessor(model_proto=spm_proto)
    pieces = sum(len(sp.encode(s)) for s in sentences)
    return pieces / max(1, sum(len(s.split()) for s in sentences))


def train_source_spm(sentences: list[str], target: float = TARGET_TOKENS_PER_WORD) -> tuple[bytes, float]:
    """A source SentencePiece model that cuts ``sentences`` into ``target`` tokens per word.

    The real ``source.spm`` cannot be downloaded here, and the test model's (500 pieces from a page of
    text) cuts FLORES into ~3 tokens a word, twice the real model's, which halves every batch and
    doubles every cache. With no large English corpus at hand, this trains on the benchmark's own
    sentences (all of FLORES devtest) and bisects the vocabulary size until they come out at
    ``target`` tokens per word: frequent words whole, rare ones in pieces, as a large vocabulary
    does. A BPE model, because a unigram model trained on 1,000 sentences stops growing near
    1.55 tokens per word. Deterministic: one thread, a fixed seed.
    """
    from pipeline.testing.tiny_model import train_spm

    def train(size: int) -> bytes:
        return train_spm(sentences, size, seed=0, model_type="bpe")

    lo, hi = 1000, 16000
    best: tuple[float, bytes, float] | None = None
    for _ in range(8):  # tokens per word falls as the vocabulary grows
        size = (lo + hi) // 2
        proto = train(size)
        rate = tokens_per_word(proto, sentences)
        if best is None or abs(rate - target) < best[0]:
            best = (abs(rate - target), proto, rate)
        if abs(rate - target) < 0.01:
            break
        lo, hi = (size, hi) if rate > target else (lo, size)
    assert best is not None
    return best[1], best[2]


def calibrate_source_tokenizer(folder: Path, sentences: list[str]) -> float:
    """Replace the random model's ``source.spm`` by a calibrated one (see :func:`train_source_spm`).

    The new pieces take the places of the vocabulary's never-produced ``<dummy-N>`` tokens, so the
    embedding matrix keeps the real model's shape and the target side (pieces, ids, the output
    restriction) is untouched. Returns the tokens per word reached.
    """
    import sentencepiece

    proto, rate = train_source_spm(sentences)
    sp = sentencepiece.SentencePieceProcessor(model_proto=proto)
    vocab: dict[str, int] = json.loads((folder / "vocab.json").read_text(encoding="utf-8"))
    dummies = sorted((t for t in vocab if t.startswith("<dummy-")), key=vocab.__getitem__)
    for i in range(sp.get_piece_size()):
        piece = sp.id_to_piece(i)
        if sp.is_control(i) or sp.is_unknown(i) or piece in vocab:
            continue
        vocab[piece] = vocab.pop(dummies.pop())  # 62,000 dummies: a 16k-piece model never runs out
    (folder / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False, indent=1), encoding="utf-8")
    (folder / "source.spm").write_bytes(proto)
    return rate


def build_model(config: Path, folder: Path, sentences: list[str]) -> tuple[float, float]:
    """Build the real-size random model unless ``folder`` already holds the one for ``config``, with
    its source tokenizer calibrated on ``sentences``; returns (seconds spent, tokens per word)."""
    from pipeline.testing.tiny_model import build_marian_model

    stamp = folder / ".built-from"
    key = config.read_text(encoding="utf-8") + CALIBRATION
    if (folder / "model.safetensors").is_file() and stamp.is_file() and stamp.read_text() == key:
        return 0.0, tokens_per_word((folder / "source.spm").read_bytes(), sentences)
    shutil.rmtree(folder, ignore_errors=True)
    start = time.perf_counter()
    build_marian_model(folder, size="real", config_path=config)
    rate = calibrate_source_tokenizer(folder, sentences)
    stamp.write_text(key)
    return time.perf_counter() - start, rate


def run_child(name: str, args: argparse.Namespace) -> dict:
    """Run one configuration in a fresh interpreter; its last stdout line is a JSON result."""
    command = [sys.executable, __file__, "--child", name, "--out", str(args.out), "--beams", str(args.beams)]
    if args.batch_tokens:
        command += ["--batch-tokens", str(args.batch_tokens)]
    if args.threads:
        command += ["--threads", str(args.threads)]
    if args.glossary:
        command += ["--glossary", str(args.glossary)]
    command += ["--inter-threads", str(args.inter_threads), "--linear-kernel", args.linear_kernel]
    start = time.perf_counter()
    done = subprocess.run(command, stdout=subprocess.PIPE, text=True)
    wall = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"error: configuration {name!r} failed (exit {done.returncode})")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result["process_seconds"] = wall
    return result


# --- configurations (child processes) -------------------------------------------------------------


class RecordingTranslator:
    """Stands for (c)'s ``ctranslate2.Translator`` and keeps what each ``translate_batch`` call got:
    the pre-tokenized, length-sorted batches and decoding options that (d) replays without the
    pipeline. Appending a reference per batch costs (c) nothing measurable."""

    def __init__(self, translator: object) -> None:
        self.translator = translator
        self.calls: list[dict] = []

    def translate_batch(self, source: list[list[str]], **options: object) -> list:
        self.calls.append({"source": source, "options": options})
        return self.translator.translate_batch(source, **options)  # type: ignore[attr-defined]


def raw_child(args: argparse.Namespace) -> dict:
    """(d): (c)'s recorded batches straight into a translator made like (c)'s, nothing around it."""
    import ctranslate2

    recorded = args.out / "ct2-batches.json"
    if not recorded.is_file():
        raise SystemExit("error: run (c) first: (d) replays its batches")
    start = time.perf_counter()
    plan = json.loads(recorded.read_text(encoding="utf-8"))
    translator = ctranslate2.Translator(plan["model_dir"], **plan["translator_options"])
    load = time.perf_counter() - start
    start = time.perf_counter()
    for call in plan["calls"]:
        translator.translate_batch(call["source"], **call["options"])
    seconds = time.perf_counter() - start
    return {
        "segments": plan["segments"],
        "model_calls": len(plan["calls"]),
        "tokens": plan["tokens"],
        "seconds": seconds,
        "load_seconds": load,
        "rss_mb": peak_rss_mb(),
        "label": plan["label"],
        "torch": "torch" in sys.modules,
    }


def _glossary(args: argparse.Namespace):  # noqa: ANN202 - pipeline.glossary.Glossary
    from pipeline.names.glossary import load_glossary

    if args.glossary:
        return load_glossary(args.glossary)
    empty = args.out / "glossary-none"
    empty.mkdir(exist_ok=True)
    return load_glossary(empty, builtin=False)


def _style(args: argparse.Namespace):  # noqa: ANN202 - pipeline.names.style.Style
    """Numbers and dates left to the model, like names (unless ``--glossary``): a random model garbles
    their placeholders too, and the retries would charge (b) and (c) for work (a) never does."""
    from pipeline.names.style import Style

    return None if args.glossary else Style(protect=frozenset())


def pending_texts(args: argparse.Namespace) -> list[str]:
    """The masked segments the pipeline sends the model, in article order: (a) translates these."""
    from pipeline.ingest import expand_inputs
    from pipeline.job import Report, prepare
    from pipeline.names.protection import protect

    glossary = _glossary(args)
    articles = prepare(expand_inputs([args.out / "articles"]), Report())
    return [protect(unit.text, glossary).masked for article in articles for unit in article.units]


def child(name: str, args: argparse.Namespace) -> dict:
    model = args.out / "model"
    produced: list[int] = []

    def forced(source_tokens: int) -> int:
        produced.append(output_length(source_tokens))
        return produced[-1]

    if name == "raw":
        return raw_child(args)
    start = time.perf_counter()
    if name == "naive":
        import torch
        from transformers import MarianMTModel, MarianTokenizer

        from pipeline.mt.marian import default_threads, quiet_transformers

        with quiet_transformers():
            tokenizer = MarianTokenizer.from_pretrained(model)
            net = MarianMTModel.from_pretrained(model).eval()
        torch.set_num_threads(args.threads or default_threads(net.config.d_model))
        load = time.perf_counter() - start
        texts = pending_texts(args)
        start = time.perf_counter()
        with torch.inference_mode():
            for text in texts:
                batch = tokenizer([f">>ara<< {text}"], return_tensors="pt")
                n = forced(int(batch["input_ids"].shape[1]))
                net.generate(
                    **batch, num_beams=args.beams, min_new_tokens=n, max_new_tokens=n, max_length=None
                )
        seconds = time.perf_counter() - start
        return {
            "segments": len(texts),
            "model_calls": len(texts),
            "threads": torch.get_num_threads(),
            "tokens": sum(produced),
            "seconds": seconds,
            "load_seconds": load,
            "rss_mb": peak_rss_mb(),
        }

    from pipeline.job import translate_articles

    locales, pages = args.out / f"locales-{name}", args.out / f"pages-{name}"
    glossary = _glossary(args)
    if name == "rerun":
        source = args.out / "locales-transformers"
        if not source.is_dir():
            raise SystemExit("error: run (b) first: the re-run needs its PO files")
        loads: list[str] = []

        def no_backend(lang: str) -> object:
            loads.append(lang)
            raise RuntimeError("an unchanged re-run must not need a model")

        report = translate_articles(
            [args.out / "articles"],
            [LANG],
            glossary=glossary,
            locales=source,
            out=args.out / "pages-transformers",
            make_backend=no_backend,
            model_label=str(model),
            style=_style(args),
        )
        return {
            "segments": report.units,
            "model_calls": report.translated,
            "seconds": report.seconds,
            "po_written": sum(p.suffix == ".po" for p in report.written),
            "rss_mb": peak_rss_mb(),
        }

    from pipeline.testing.forced_lengths import ForcedLengths

    shutil.rmtree(locales, ignore_errors=True)
    shutil.rmtree(pages, ignore_errors=True)
    options = {
        "num_beams": args.beams,
        "threads": args.threads or None,
        "decode_hook": ForcedLengths(forced),
        "progress": False,
    }
    if args.batch_tokens:  # else each backend's own default
        options["max_batch_tokens"] = args.batch_tokens
    if name == "ctranslate2":
        from pipeline.mt.ct2 import CT2Backend

        backend = CT2Backend(
            model, lang=LANG, cache_dir=args.out / "ct2-cache", inter_threads=args.inter_threads, **options
        )
        threads = backend.translator_options
        label = f"{backend.compute_type}, {threads['inter_threads']}x{threads['intra_threads']} threads"
        recorder = RecordingTranslator(backend.translator)
        backend.translator = recorder
    else:
        import torch

        from pipeline.mt.marian import MarianBackend

        backend = MarianBackend(model, lang=LANG, linear_kernel=args.linear_kernel, **options)
        label = f"{backend.linear_kernel}, {torch.get_num_threads()} threads"
    load = time.perf_counter() - start
    report = translate_articles(
        [args.out / "articles"],
        [LANG],
        glossary=glossary,
        locales=locales,
        out=pages,
        make_backend=lambda lang: backend,
        model_label=str(model),
        style=_style(args),
    )
    if report.errors:
        raise SystemExit(f"error: {report.errors[0]}")
    result = {
        "segments": report.translated,
        "model_calls": backend.calls,
        "tokens": sum(produced),
        "seconds": report.seconds,
        "load_seconds": load,
        "rss_mb": peak_rss_mb(),
        "label": label,
        "torch": "torch" in sys.modules,
    }
    if name == "ctranslate2":
        plan = {
            "model_dir": str(backend.model_dir),
            "translator_options": backend.translator_options,
            "calls": recorder.calls,
            **{k: result[k] for k in ("segments", "tokens", "label")},
        }
        (args.out / "ct2-batches.json").write_text(json.dumps(plan), encoding="utf-8")
    return result


# --- report ---------------------------------------------------------------------------------------


#: What the issue asks of each ratio (tokens/s), and of peak RSS.
TARGETS = {"b/a": 5.0, "c/a": 10.0, "(c)/(d)": 0.9}
RSS_LIMITS_MB = {"transformers": 1000.0, "ctranslate2": 600.0}


def tokens_per_second(r: dict) -> float:
    return r["tokens"] / r["seconds"]


def ratios(results: dict[str, dict]) -> dict[str, float]:
    """b/a, c/a and (c)/(d) in tokens per second, for the configurations that ran."""
    pairs = {
        "b/a": ("transformers", "naive"),
        "c/a": ("ctranslate2", "naive"),
        "(c)/(d)": ("ctranslate2", "raw"),
    }
    return {
        tag: tokens_per_second(results[top]) / tokens_per_second(results[bottom])
        for tag, (top, bottom) in pairs.items()
        if top in results and bottom in results
    }


def print_table(results: dict[str, dict]) -> None:
    head = f"{'configuration':36} {'settings':22} {'segs':>5} {'tokens':>7} {'time s':>7} {'tok/s':>7} "
    print(head + f"{'vs (a)':>6} {'load s':>6} {'RSS MB':>7}")
    base = results.get("naive")
    for name, title in CONFIGS.items():
        r = results.get(name)
        if r is None:
            continue
        versus = f"{tokens_per_second(r) / tokens_per_second(base):.2f}x" if base else "-"
        print(
            f"{title:36} {r.get('label', ''):22} {r['segments']:>5} {r['tokens']:>7} {r['seconds']:>7.1f} "
            f"{tokens_per_second(r):>7.1f} {versus:>6} {r['load_seconds']:>6.1f} {r['rss_mb']:>7.0f}"
        )
    verdicts = []
    for tag, value in ratios(results).items():
        verdicts.append(
            f"{tag} {value:.2f} ({'meets' if value >= TARGETS[tag] else 'below'} {TARGETS[tag]:g})"
        )
    for name, limit in RSS_LIMITS_MB.items():
        if name in results:
            rss = results[name]["rss_mb"]
            verdict = "within" if rss <= limit else "over"
            verdicts.append(f"RSS {CONFIGS[name][:3]} {rss:.0f} MB ({verdict} {limit:.0f})")
    print("; ".join(verdicts))
    torch_users = [CONFIGS[n][:3] for n in ("ctranslate2", "raw") if results.get(n, {}).get("torch")]
    if torch_users:
        print(f"note: torch was imported by {', '.join(torch_users)}")


def run_all(args: argparse.Namespace) -> dict[str, dict]:
    """Each configuration in its own process, (a) to (d), then the unchanged re-run."""
    results: dict[str, dict] = {}
    for name in CONFIGS:
        if name == "naive" and args.skip_naive:
            continue
        print(f"running {CONFIGS[name]} ...", file=sys.stderr, flush=True)
        results[name] = run_child(name, args)
        r = results[name]
        print(f"  {tokens_per_second(r):.1f} tokens/s, {r['rss_mb']:.0f} MB", file=sys.stderr, flush=True)
    results["rerun"] = run_child("rerun", args)
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=200, help="sentences to translate (default: 200)")
    parser.add_argument("--threads", type=int, default=0, help="CPU threads (default: the backends' own)")
    parser.add_argument("--skip-naive", action="store_true", help="skip (a), the slow per-segment loop")
    parser.add_argument("--out", type=Path, default=REPO / "build" / "bench", help="work folder")
    parser.add_argument("--tsv", type=Path, default=SHARED / "eval" / "flores200-devtest.eng-arb.tsv")
    parser.add_argument("--config", type=Path, default=SHARED / "models" / "opus-mt-en-ar.config.json")
    parser.add_argument("--beams", type=int, default=4)
    parser.add_argument("--batch-tokens", type=int, default=0, help="batch token budget (default: backend's)")
    parser.add_argument("--glossary", type=Path, help="protect this glossary's names (default: none)")
    parser.add_argument(
        "--inter-threads", type=int, default=1, help="CTranslate2 translators working at once (default: 1)"
    )
    parser.add_argument(
        "--linear-kernel",
        choices=LINEAR_KERNELS,
        default="onednn",
        help="(b)'s fp32 matrix products: oneDNN (the backend's default) or torch's own (MKL)",
    )
    parser.add_argument("--child", choices=[*CONFIGS, "rerun"], help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    args.out = args.out.resolve()

    if args.child:
        print(json.dumps(child(args.child, args)))
        return 0

    if not args.config.is_file():
        raise SystemExit(f"error: {args.config}: no such file (pass --config, the real model's config.json)")
    args.out.mkdir(parents=True, exist_ok=True)
    every = read_sentences(args.tsv, None)
    sentences = every[: args.n]
    write_articles(sentences, args.out / "articles")
    built, _ = build_model(args.config, args.out / "model", every)
    note = f", built in {built:.0f}s" if built else ""
    rate = tokens_per_word((args.out / "model" / "source.spm").read_bytes(), sentences)
    print(f"model: {args.out / 'model'} (random weights, real size{note})")
    print(
        f"benchmark tokenizer: {rate:.2f} source tokens per word on these {len(sentences)} sentences "
        f"(calibrated to {TARGET_TOKENS_PER_WORD}, a 32k-piece English SentencePiece model's rate)"
    )

    from pipeline.mt.ct2 import converted_model

    start = time.perf_counter()  # once per model, cached: not part of (c)'s time
    converted_model(args.out / "model", "int8", args.out / "ct2-cache")
    print(f"CTranslate2 int8 conversion (cached after the first run): {time.perf_counter() - start:.1f}s")

    results = run_all(args)
    (args.out / "results.json").write_text(json.dumps(results, indent=1), encoding="utf-8")

    print(f"\n{len(sentences)} FLORES sentences, beam {args.beams}, ", end="")
    print(f"outputs forced to {LENGTH_RATIO} x source tokens")
    print_table(results)
    r = results["rerun"]
    print(
        f"unchanged re-run: {r['process_seconds']:.2f}s wall (fresh process, imports included), "
        f"{r['seconds']:.2f}s in the runner, {r['model_calls']} model calls, "
        f"{r['po_written']} PO files rewritten, "
        f"RSS {r['rss_mb']:.0f} MB"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
