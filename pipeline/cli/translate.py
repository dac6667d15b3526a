"""``translate``: articles → PO files → pages, over :func:`pipeline.api.translate`."""

from __future__ import annotations

import argparse
from typing import Any

from pipeline import api
from pipeline.cli import options
from pipeline.cli.output import note, print_errors, warn


def cmd_translate(args: argparse.Namespace) -> int:
    result = api.translate(
        args.articles,
        args.to,
        model=args.model,
        backend=args.backend,
        glossary=args.glossary,
        locales=args.locales,
        out=None if args.no_render else args.out,
        reviewed_only=args.reviewed_only,
        beams=args.beams,
        keep_going=args.keep_going,
        migrate_plural_forms=args.migrate_plural_forms,
        wait=args.wait,
        progress=not args.quiet,
        notify=note,
        strict=args.strict,
        no_protect=args.no_protect,
    )
    for warning in result.warnings:
        warn(str(warning))
    print_errors(result.errors, debug=args.debug)
    if not args.quiet and result.articles:  # nothing done: the error lines say why
        print(summary(result))
    if result.errors:
        return 2 if result.done > 0 else 1
    return 0


def summary(result: api.TranslateResult) -> str:
    return (
        f"{result.articles} article(s) → {', '.join(result.languages)}: {result.units} segments, "
        f"{result.translated} machine-translated, {result.reused} kept from existing PO files, "
        f"{result.remembered} from translation memory, "
        f"{result.names} names and {result.figures} numbers/dates protected "
        f"({result.repairs} segments repaired), "
        f"{len(result.written)} files written to {result.locales}"
        + ("" if result.out is None else f" and {result.out}")
        + f" in {result.seconds:.1f}s"
    )


def register(sub: Any) -> None:
    tr = sub.add_parser(
        "translate",
        parents=[options.pages_parent()],
        help="translate articles into PO files, then render pages",
    )
    tr.add_argument("articles", nargs="+", help="article files (.txt, .md, .html) or folders of them")
    options.add_languages(tr, "target language(s): ar, or a comma list", required=True)
    tr.add_argument(
        "--model",
        action="append",
        default=[],
        metavar="[LANG=]MODEL",
        help="Hugging Face hub id or local folder of a Marian model, for every target or, as LANG=MODEL, "
        "for one (repeatable; default: the model registry, pipeline/models.toml)",
    )
    options.add_engine(tr)
    options.add_beams(tr)
    options.add_glossary(tr)
    tr.add_argument("--no-render", action="store_true", help="write PO files only")
    tr.add_argument(
        "--no-protect",
        action="append",
        default=[],
        choices=["numbers", "dates"],
        help="leave numbers or dates to the model for this run (repeatable; default: both protected, "
        "see [protect] in glossary/style.toml)",
    )
    going = tr.add_mutually_exclusive_group()
    going.add_argument(
        "--keep-going",
        dest="keep_going",
        action="store_true",
        default=True,
        help="report bad articles or PO files and finish the good ones, exit 2 (the default)",
    )
    going.add_argument(
        "--fail-fast",
        "--no-keep-going",
        dest="keep_going",
        action="store_false",
        help="stop at the first bad article or PO file, exit 1",
    )
    tr.add_argument(
        "--migrate-plural-forms",
        action="store_true",
        help="rewrite existing PO files' Plural-Forms header with the current rule (kept as written "
        "otherwise; 'status' warns when they differ)",
    )
    tr.add_argument(
        "--strict",
        action="store_true",
        help="treat an article ingest warns about (little text for its page, no headline) as a bad "
        "file instead of translating it",
    )
    options.add_wait(tr)
    tr.set_defaults(func=cmd_translate)
