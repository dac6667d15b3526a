"""Command line: a thin layer over the stage modules.

Every user-facing failure is a :class:`~pipeline.errors.PipelineError` printed as one line
``error: FILE:LINE: message``; ``--debug`` shows the traceback instead. Exit codes: 0 success,
1 nothing could be done, 2 a batch finished with some bad files.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from . import __version__
from .errors import PipelineError

DEFAULT_GLOSSARY = Path("glossary")
DEFAULT_LOCALES = Path("locales")
DEFAULT_OUT = Path("build")


def _langs(values: Sequence[str]) -> list[str]:
    langs: list[str] = []
    for value in values:
        for lang in value.split(","):
            lang = lang.strip()
            if lang and lang not in langs:
                langs.append(lang)
    return langs


def _check_langs(langs: Sequence[str]) -> None:
    from .catalogs import plural_forms

    for lang in langs:
        try:
            plural_forms(lang)
        except PipelineError:
            raise PipelineError(f"unknown target language '{lang}' (use a code such as ar, fr, he)") from None


def cmd_translate(args: argparse.Namespace) -> int:
    from .glossary import load_glossary
    from .runner import translate_articles

    langs = _langs(args.to)
    _check_langs(langs)
    glossary = load_glossary(args.glossary)
    backends: dict[str, object] = {}

    def make_backend(lang: str) -> object:
        from .backends import load_backend

        if lang not in backends:
            backends[lang] = load_backend(
                args.backend, args.model, lang, num_beams=args.beams, progress=not args.quiet
            )
        return backends[lang]

    label = args.model or f"default model ({args.backend})"
    report = translate_articles(
        args.articles,
        langs,
        glossary=glossary,
        locales=args.locales,
        out=None if args.no_render else args.out,
        make_backend=make_backend,
        model_label=label,
        policy="reviewed" if args.reviewed_only else "machine",
    )
    for error in report.errors:
        print(f"error: {error}", file=sys.stderr)
    if not args.quiet:
        print(
            f"{report.articles} article(s) → {', '.join(langs)}: {report.units} segments, "
            f"{report.translated} machine-translated, {report.reused} kept from existing PO files, "
            f"{report.names} names protected ({report.repairs} segments repaired), "
            f"{len(report.written)} files written to {args.locales}"
            + ("" if args.no_render else f" and {args.out}")
            + f" in {report.seconds:.1f}s"
        )
    if report.errors:
        return 2 if report.articles else 1
    return 0


def cmd_render(args: argparse.Namespace) -> int:
    from .rendering import render_all

    langs = _langs(args.to) if args.to else None
    if not (Path(args.locales) / "templates").is_dir():
        raise PipelineError("no article layouts here: run 'translate' first", args.locales)
    errors: list[PipelineError] = []
    pages = render_all(
        args.locales, args.out, langs, policy="reviewed" if args.reviewed_only else "machine", errors=errors
    )
    for error in errors:
        print(f"error: {error}", file=sys.stderr)
    if not pages:
        if errors:
            return 1
        raise PipelineError("no PO files to render", args.locales)
    if not args.quiet:
        reviewed = sum(p.stats.reviewed for p in pages)
        total = sum(p.stats.total for p in pages)
        print(f"rendered {len(pages)} page(s) into {args.out} ({reviewed}/{total} segments reviewed)")
    return 2 if errors else 0


def cmd_glossary_check(args: argparse.Namespace) -> int:
    from .glossary import load_glossary

    glossary = load_glossary(args.glossary, strict=False)
    for issue in glossary.issues:
        print(issue)
    errors = sum(1 for i in glossary.issues if i.severity == "error")
    print(f"{len(glossary.terms)} terms, {errors} error(s), {len(glossary.issues) - errors} warning(s)")
    return 1 if errors else 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m pipeline",
        description="Translate news articles into reviewable PO files and localized pages.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("--debug", action="store_true", help="show tracebacks instead of one-line errors")
    sub = parser.add_subparsers(dest="command", required=True)

    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--locales", type=Path, default=DEFAULT_LOCALES, help="PO files folder (default: ./locales)"
    )
    common.add_argument(
        "--out", type=Path, default=DEFAULT_OUT, help="rendered pages folder (default: ./build)"
    )
    common.add_argument(
        "--reviewed-only",
        action="store_true",
        help="render only reviewed translations; other sentences stay in English",
    )
    common.add_argument("-q", "--quiet", action="store_true", help="no progress bar or summary")

    tr = sub.add_parser(
        "translate", parents=[common], help="translate articles into PO files, then render pages"
    )
    tr.add_argument("articles", nargs="+", help="article files (.txt, .md, .html) or folders of them")
    tr.add_argument(
        "--to",
        action="append",
        default=[],
        required=True,
        metavar="LANGS",
        help="target language(s): ar, or a comma list",
    )
    tr.add_argument(
        "--model",
        help="Hugging Face hub id or local folder of a Marian model "
        "(default: Helsinki-NLP/opus-mt-en-<lang>)",
    )
    tr.add_argument(
        "--backend",
        default="transformers",
        choices=["transformers", "identity"],
        help="translation engine (identity: copy the source, for dry runs)",
    )
    tr.add_argument("--beams", type=int, default=4, help="beam size (default: 4)")
    tr.add_argument(
        "--glossary",
        type=Path,
        default=DEFAULT_GLOSSARY,
        help="glossary folder or file (default: ./glossary)",
    )
    tr.add_argument("--no-render", action="store_true", help="write PO files only")
    tr.set_defaults(func=cmd_translate)

    rd = sub.add_parser("render", parents=[common], help="regenerate pages from PO files (no model needed)")
    rd.add_argument("--to", action="append", default=[], metavar="LANGS", help="only these languages")
    rd.set_defaults(func=cmd_render)

    gl = sub.add_parser("glossary", help="glossary tools")
    gsub = gl.add_subparsers(dest="glossary_command", required=True)
    check = gsub.add_parser("check", help="report malformed, duplicate or conflicting entries")
    check.add_argument("--glossary", type=Path, default=DEFAULT_GLOSSARY)
    check.set_defaults(func=cmd_glossary_check)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except PipelineError as exc:
        if args.debug:
            raise
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted; files already written are complete, re-run to finish", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
