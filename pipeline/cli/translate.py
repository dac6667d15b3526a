"""``translate``: articles → PO files → pages, over :func:`pipeline.api.translate`."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from pipeline import api
from pipeline.cli import options
from pipeline.cli.output import note, page_lines, print_errors, progress, shown, warn, written_summary


def cmd_translate(args: argparse.Namespace) -> int:
    result = api.translate(
        args.articles,
        args.to or None,
        model=args.model,
        backend=args.backend,
        glossary=args.glossary,
        locales=args.locales,
        out=pages_out(args),
        reviewed_only=args.reviewed_only,
        beams=args.beams,
        keep_going=args.keep_going,
        migrate_plural_forms=args.migrate_plural_forms,
        wait=args.wait,
        progress=not args.quiet,
        notify=note,
        strict=args.strict,
        style=args.style,
        on_phase=None if args.quiet else progress,
        project=args.settings,
        executor=args.executor,
        cluster=api.Cluster(args.ray_address, args.replicas, args.gpus_per_replica),
        no_protect=args.no_protect,
    )
    for warning in result.warnings:
        warn(str(warning))
    print_errors(result.errors, debug=args.debug)
    done = result.done > 0  # some article written in some language
    if not args.quiet and done:  # nothing done: the error lines say why
        print(summary(result))
        for line in page_lines(result.pages, result.index):
            print(line)
        if result.created:
            print(next_steps(result))
    if result.errors:
        return 2 if done else 1
    return 0


def pages_out(args: argparse.Namespace) -> Path | api.Setting | None:
    """``--no-render``: none; ``--out DIR``: there; ``--render``: the project's folder even where its
    ``[translate] render`` is off; neither: as the project says."""
    if args.render is False:
        return None
    if args.out is not None:
        return Path(args.out)
    return args.settings.out if args.render else api.FROM_PROJECT


def summary(result: api.TranslateResult) -> str:
    langs = [lang for lang in result.languages if lang not in result.failed_languages]
    failed = f" ({', '.join(result.failed_languages)} failed)" if result.failed_languages else ""
    return (
        f"{result.articles} article(s) → {', '.join(langs)}{failed}"
        + (f" ({result.skipped} unchanged since the last run)" if result.skipped else "")
        + f": {result.units} segments, "
        f"{result.translated} machine-translated, {result.reused} kept from existing PO files, "
        f"{result.remembered} from translation memory, "
        f"{result.names} names and {result.figures} numbers/dates protected "
        f"({result.repairs} segments repaired) "
        f"in {result.seconds:.1f}s\n{written_summary(result.written, result.out)}"
    )


def next_steps(result: api.TranslateResult) -> str:
    """After a first run: what a newcomer does next, with this run's own paths."""
    po = result.created[0]
    lines = ["next steps:"]
    if result.pages:
        lines.append(f"  1. open {shown(result.pages[0])} in a browser: machine text is marked for review")
    lines.append(
        f"  {len(lines)}. review {shown(po)} in Poedit (or Weblate): correct each sentence and "
        "remove its 'fuzzy' mark"
    )
    lines.append(f"  {len(lines)}. python -m pipeline render   # pages with the reviewed sentences")
    lines.append(f"  {len(lines)}. python -m pipeline status   # how much is reviewed, per file")
    return "\n".join(lines)


def register(sub: Any) -> None:
    tr = sub.add_parser(
        "translate",
        parents=[options.pages_parent()],
        help="translate articles into PO files, then render pages",
    )
    tr.add_argument("articles", nargs="+", help="article files (.txt, .md, .html) or folders of them")
    options.add_languages(tr, "target language(s): ar, or a comma list (default: newsroom.toml's languages)")
    tr.add_argument(
        "--model",
        action="append",
        default=[],
        metavar="[LANG=]MODEL",
        help="Hugging Face hub id or local folder of a Marian model, for every target or, as LANG=MODEL, "
        "for one (repeatable; default: newsroom.toml's [languages.LANG] model, else the shipped registry)",
    )
    options.add_engine(tr)
    options.add_beams(tr)
    options.add_glossary(tr)
    add_render_and_style(tr)
    going = tr.add_mutually_exclusive_group()
    going.add_argument(
        "--keep-going",
        dest="keep_going",
        action="store_true",
        default=None,  # None: newsroom.toml's [translate] fail_fast, else keep going
        help="report bad articles or PO files and finish the good ones, exit 2 (the default)",
    )
    going.add_argument(
        "--fail-fast",
        "--no-keep-going",
        dest="keep_going",
        action="store_false",
        help="stop at the first bad article or PO file, exit 1 (newsroom.toml: [translate] fail_fast = true)",
    )
    tr.add_argument(
        "--migrate-plural-forms",
        action="store_true",
        help="rewrite existing PO files' Plural-Forms header with the current rule (kept as written "
        "otherwise; 'status' warns when they differ)",
    )
    tr.add_argument(
        "--strict",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="treat an article ingest warns about (little text for its page, no headline, article text "
        "cut as a footer) as a bad file instead of translating it (newsroom.toml: [translate] strict)",
    )
    options.add_wait(tr)
    add_executor(tr)
    tr.set_defaults(func=cmd_translate)


def add_executor(tr: Any) -> None:
    group = tr.add_argument_group("where the model runs")
    group.add_argument(
        "--executor",
        choices=list(api.EXECUTORS),
        help="in-process (the default; or [translate] executor in the project file), or ray: model "
        "replicas on a Ray cluster, which only the masked segments and translations travel to "
        "(pip install '.[ray]')",
    )
    group.add_argument(
        "--ray-address",
        metavar="ADDRESS",
        help="join this Ray cluster (host:6379 as 'ray start --head' prints, or auto); default: start "
        "a local one for the run",
    )
    group.add_argument(
        "--replicas", type=int, metavar="N", help="model replicas (default: one per GPU, or 2 without GPUs)"
    )
    group.add_argument(
        "--gpus-per-replica",
        type=float,
        metavar="F",
        help="GPUs each replica takes, a fraction to share one (default: 1 where the cluster has GPUs)",
    )


def add_render_and_style(tr: Any) -> None:
    """Whether pages are rendered, and how numbers and dates are protected and written."""
    tr.add_argument(
        "--render",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="--no-render: write PO files only (newsroom.toml: [translate] render = false; --render "
        "or --out DIR renders anyway)",
    )
    tr.add_argument(
        "--no-protect",
        action="append",
        default=[],
        choices=["numbers", "dates"],
        help="leave numbers or dates to the model (repeatable; added to newsroom.toml's [style] "
        "no_protect; default: both protected, see also [protect] in glossary/style.toml)",
    )
    tr.add_argument(
        "--style",
        type=Path,
        metavar="FILE",
        help="how numbers and dates are written (default: newsroom.toml's [style] file, else "
        "style.toml in the glossary folder)",
    )
