"""Benchmark translation speed side by side on the real model's shape, without downloads.

    python scripts/bench_translate.py                 # N=200 FLORES sentences, beam 4
    python scripts/bench_translate.py --n 50 --threads 2 --skip-naive

Builds a random-weight Marian model with the dimensions and vocabulary size of opus-mt-en-ar
(``../shared/models/opus-mt-en-ar.config.json``), takes the first N English sentences of
``../shared/eval/flores200-devtest.eng-arb.tsv``, writes them as articles of 20 one-sentence paragraphs,
and measures, each configuration in its own process (so peak RSS is its own):

(a) naive: one ``generate`` call per segment, transformers;
(b) the pipeline (``runner.translate_articles``: pooled, length-sorted, token-budget batches) with
    transformers;
(c) the same pipeline with CTranslate2 (int8 on CPU);

then an unchanged re-run of (b)'s articles in a fresh process, which must make no model call.

Random weights never stop on their own (or stop at once), so every output is forced to exactly
round(1.2 x source tokens) tokens, in all three configurations: the model then does the work a real
translation of that length costs. CTranslate2 takes one length per batch, so (c) decodes each batch to
its longest member's length and cuts the rest (which makes (c) conservative). Names are not protected
by default (``--glossary`` to protect them): a random model garbles placeholders, and the retries that
follow would charge the pipeline for work a real model rarely causes.
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
SHARED = REPO.parent / "shared"
try:
    import pipeline  # noqa: F401
except ModuleNotFoundError:  # run from a checkout without `pip install -e .`
    sys.path.insert(0, str(REPO))

CONFIGS = {
    "naive": "(a) naive: generate() per segment, transformers",
    "transformers": "(b) pipeline, transformers",
    "ctranslate2": "(c) pipeline, CTranslate2",
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


def read_sentences(tsv: Path, n: int) -> list[str]:
    try:
        with tsv.open(encoding="utf-8", newline="") as f:
            rows = list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))
    except OSError as exc:
        raise SystemExit(f"error: {tsv}: {exc.strerror} (pass --tsv)") from None
    if not rows or "en" not in rows[0]:
        raise SystemExit(f"error: {tsv}:1: no 'en' column")
    sentences = [row["en"].strip() for row in rows if row.get("en", "").strip()][:n]
    if len(sentences) < n:
        print(f"note: {tsv} has only {len(sentences)} sentences", file=sys.stderr)
    return sentences


def write_articles(sentences: list[str], folder: Path) -> None:
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    for k in range(0, len(sentences), SENTENCES_PER_ARTICLE):
        chunk = sentences[k : k + SENTENCES_PER_ARTICLE]
        name = f"flores-{k // SENTENCES_PER_ARTICLE + 1:03d}.txt"
        (folder / name).write_text("\n\n".join(chunk) + "\n", encoding="utf-8")


def build_model(config: Path, folder: Path) -> float:
    """Build the real-size random model unless ``folder`` already holds the one for ``config``."""
    from pipeline.testing.tiny_model import build_marian_model

    stamp = folder / ".built-from"
    key = config.read_text(encoding="utf-8")
    if (folder / "model.safetensors").is_file() and stamp.is_file() and stamp.read_text() == key:
        return 0.0
    shutil.rmtree(folder, ignore_errors=True)
    start = time.perf_counter()
    build_marian_model(folder, size="real", config_path=config)
    stamp.write_text(key)
    return time.perf_counter() - start


def run_child(name: str, args: argparse.Namespace) -> dict:
    """Run one configuration in a fresh interpreter; its last stdout line is a JSON result."""
    command = [sys.executable, __file__, "--child", name, "--out", str(args.out), "--beams", str(args.beams)]
    if args.batch_tokens:
        command += ["--batch-tokens", str(args.batch_tokens)]
    if args.threads:
        command += ["--threads", str(args.threads)]
    if args.glossary:
        command += ["--glossary", str(args.glossary)]
    start = time.perf_counter()
    done = subprocess.run(command, stdout=subprocess.PIPE, text=True)
    wall = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"error: configuration {name!r} failed (exit {done.returncode})")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result["process_seconds"] = wall
    return result


# --- configurations (child processes) -------------------------------------------------------------


def _glossary(args: argparse.Namespace):  # noqa: ANN202 - pipeline.glossary.Glossary
    from pipeline.names.glossary import load_glossary

    if args.glossary:
        return load_glossary(args.glossary)
    empty = args.out / "glossary-none"
    empty.mkdir(exist_ok=True)
    return load_glossary(empty, builtin=False)


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

        backend = CT2Backend(model, lang=LANG, cache_dir=args.out / "ct2-cache", **options)
        label = f"{backend.compute_type}, {backend.device}"
    else:
        import torch

        from pipeline.mt.marian import MarianBackend

        backend = MarianBackend(model, lang=LANG, **options)
        label = f"{torch.get_num_threads()} threads"
    load = time.perf_counter() - start
    report = translate_articles(
        [args.out / "articles"],
        [LANG],
        glossary=glossary,
        locales=locales,
        out=pages,
        make_backend=lambda lang: backend,
        model_label=str(model),
    )
    if report.errors:
        raise SystemExit(f"error: {report.errors[0]}")
    return {
        "segments": report.translated,
        "model_calls": backend.calls,
        "tokens": sum(produced),
        "seconds": report.seconds,
        "load_seconds": load,
        "rss_mb": peak_rss_mb(),
        "label": label,
    }


# --- report ---------------------------------------------------------------------------------------


def print_table(results: dict[str, dict]) -> None:
    head = f"{'configuration':44} {'segs':>5} {'tokens':>7} {'time s':>7} {'seg/s':>6} {'tok/s':>7} "
    print(head + f"{'load s':>6} {'RSS MB':>7}")
    for name, title in CONFIGS.items():
        r = results.get(name)
        if r is None:
            continue
        label = f"{title} [{r['label']}]" if r.get("label") else title
        print(
            f"{label:44} {r['segments']:>5} {r['tokens']:>7} {r['seconds']:>7.1f} "
            f"{r['segments'] / r['seconds']:>6.2f} {r['tokens'] / r['seconds']:>7.1f} "
            f"{r['load_seconds']:>6.1f} {r['rss_mb']:>7.0f}"
        )
    base = results.get("naive")
    if base:
        for name, tag in (("transformers", "b/a"), ("ctranslate2", "c/a")):
            if name in results:
                r = results[name]
                speed = (r["tokens"] / r["seconds"]) / (base["tokens"] / base["seconds"])
                segs = (r["segments"] / r["seconds"]) / (base["segments"] / base["seconds"])
                print(f"{tag}: {speed:.2f}x tokens/s, {segs:.2f}x segments/s")


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
    parser.add_argument("--child", choices=[*CONFIGS, "rerun"], help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    args.out = args.out.resolve()

    if args.child:
        print(json.dumps(child(args.child, args)))
        return 0

    if not args.config.is_file():
        raise SystemExit(f"error: {args.config}: no such file (pass --config, the real model's config.json)")
    args.out.mkdir(parents=True, exist_ok=True)
    write_articles(read_sentences(args.tsv, args.n), args.out / "articles")
    built = build_model(args.config, args.out / "model")
    note = f", built in {built:.0f}s" if built else ""
    print(f"model: {args.out / 'model'} (random weights, real size{note})")

    from pipeline.mt.ct2 import converted_model

    start = time.perf_counter()  # once per model, cached: not part of (c)'s time
    converted_model(args.out / "model", "int8", args.out / "ct2-cache")
    print(f"CTranslate2 int8 conversion (cached after the first run): {time.perf_counter() - start:.1f}s")

    results: dict[str, dict] = {}
    for name in CONFIGS:
        if name == "naive" and args.skip_naive:
            continue
        print(f"running {CONFIGS[name]} ...", file=sys.stderr, flush=True)
        results[name] = run_child(name, args)
    results["rerun"] = run_child("rerun", args)
    (args.out / "results.json").write_text(json.dumps(results, indent=1), encoding="utf-8")

    print(f"\n{args.n} FLORES sentences, beam {args.beams}, outputs forced to {LENGTH_RATIO} x source tokens")
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
