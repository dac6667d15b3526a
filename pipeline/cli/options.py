"""Options shared by several commands, each declared once so its flag, default and help agree
everywhere it appears."""

from __future__ import annotations

import argparse
from pathlib import Path

from pipeline.api import ENGINES

DEFAULT_GLOSSARY = Path("glossary")
DEFAULT_LOCALES = Path("locales")
DEFAULT_OUT = Path("build")


def add_languages(parser: argparse.ArgumentParser, help: str, *, required: bool = False) -> None:
    """``--to LANGS``, repeatable and comma-separated, for commands that take several languages."""
    parser.add_argument("--to", action="append", default=[], required=required, metavar="LANGS", help=help)


def add_language(parser: argparse.ArgumentParser, help: str) -> None:
    """``--to LANG``, one language, for the glossary tools."""
    parser.add_argument("--to", default="ar", metavar="LANG", help=f"{help} (default: ar)")


def add_glossary(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--glossary",
        type=Path,
        default=DEFAULT_GLOSSARY,
        help="glossary folder or file (default: ./glossary)",
    )


def add_locales(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--locales", type=Path, default=DEFAULT_LOCALES, help="PO files folder (default: ./locales)"
    )


def add_out(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--out", type=Path, default=DEFAULT_OUT, help="rendered pages folder (default: ./build)"
    )


def add_reviewed_only(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--reviewed-only",
        action="store_true",
        help="render only reviewed translations; other sentences stay in English",
    )


def add_quiet(parser: argparse.ArgumentParser, help: str = "no progress bar or summary") -> None:
    parser.add_argument("-q", "--quiet", action="store_true", help=help)


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
    parser.add_argument("--beams", type=int, default=4, help="beam size (default: 4)")


def add_engine(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--backend",
        default="transformers",
        choices=list(ENGINES),
        help="translation engine: transformers, ctranslate2 (the same model converted once and cached, "
        "int8 on CPU: faster, smaller; pip install '.[fast]'), identity (copy the source, for dry runs)",
    )


def pages_parent() -> argparse.ArgumentParser:
    """The options of the commands that write pages: ``translate`` and ``render``."""
    common = argparse.ArgumentParser(add_help=False)
    add_locales(common)
    add_out(common)
    add_reviewed_only(common)
    add_quiet(common)
    return common
