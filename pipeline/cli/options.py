"""Options shared by several commands, each declared once so its flag, default and help agree
everywhere it appears. Settings the project file holds default to None here: None means
"newsroom.toml's value, else the built-in default", so a flag given overrides the file."""

from __future__ import annotations

import argparse
from pathlib import Path

from pipeline.api import ENGINES


def add_global(parser: argparse.ArgumentParser, *, root: bool = False) -> None:
    """``--debug``, ``-q`` and ``--project``, accepted before the subcommand (the root parser) and
    after it (every subcommand): a subcommand's copy leaves the value alone unless it is given."""
    default: object = argparse.SUPPRESS
    parser.add_argument(
        "--debug",
        action="store_true",
        default=False if root else default,
        help="show tracebacks instead of one-line errors",
    )
    parser.add_argument(
        "-q",
        "--quiet",
        action="store_true",
        default=False if root else default,
        help="no progress, summary or hints: only error, warning and note lines",
    )
    parser.add_argument(
        "--project",
        type=Path,
        default=None if root else default,
        metavar="FILE",
        help="project file (default: ./newsroom.toml if there is one)",
    )


def global_parent() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    add_global(common)
    return common


def add_languages(parser: argparse.ArgumentParser, help: str) -> None:
    """``--to LANGS``, repeatable and comma-separated, for commands that take several languages."""
    parser.add_argument("--to", action="append", default=[], metavar="LANGS", help=help)


def add_language(parser: argparse.ArgumentParser, help: str) -> None:
    """``--to LANG``, one language, for the glossary tools: see :func:`one_language`."""
    parser.add_argument(
        "--to",
        default=None,
        metavar="LANG",
        help=f"{help} (default: newsroom.toml's first language, else ar)",
    )


def one_language(args: argparse.Namespace) -> str:
    """``--to LANG``, else the project's first target language (a Dutch newsroom's glossary tools
    work on Dutch), else Arabic, the shipped glossary's language."""
    if args.to:
        return str(args.to)
    return args.settings.languages[0] if args.settings.languages else "ar"


def add_glossary(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--glossary",
        type=Path,
        default=None,
        help="glossary folder or file (default: newsroom.toml's, else ./glossary)",
    )


def add_locales(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--locales",
        type=Path,
        default=None,
        help="PO files folder (default: newsroom.toml's, else ./locales)",
    )


def add_out(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--out",
        type=Path,
        default=None,
        help="rendered pages folder (default: newsroom.toml's, else ./build)",
    )


def add_reviewed_only(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--reviewed-only",
        action="store_true",
        default=None,  # None: newsroom.toml's [render] policy
        help="render only reviewed translations; other sentences stay in English "
        '(newsroom.toml: [render] policy = "reviewed")',
    )


def add_wait(parser: argparse.ArgumentParser) -> None:
    """``--wait`` for the commands that write into the locales folder and so take its lock."""
    parser.add_argument(
        "--wait",
        type=float,
        default=0.0,
        metavar="SECONDS",
        help="if another run holds the locales folder, wait this long for it (default: fail at once)",
    )


def add_beams(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--beams", type=int, default=None, help="beam size (default: newsroom.toml's, else 4)"
    )


def add_engine(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--backend",
        default=None,  # newsroom.toml's [translate] backend, else transformers
        choices=list(ENGINES),
        help="translation engine: transformers, ctranslate2 (the same model converted once and cached, "
        "int8 on CPU: faster, smaller; pip install '.[fast]'), identity (copy the source, for dry runs)",
    )


def pages_parent() -> argparse.ArgumentParser:
    """The options of the commands that write pages: ``translate`` and ``render``."""
    common = argparse.ArgumentParser(add_help=False, parents=[global_parent()])
    add_locales(common)
    add_out(common)
    add_reviewed_only(common)
    return common
