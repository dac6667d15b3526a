"""The argument parser: the root options, then each command group registers its own subcommands."""

from __future__ import annotations

import argparse

from pipeline import __version__
from pipeline.cli import glossary, pages, translate


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m pipeline",
        description="Translate news articles into reviewable PO files and localized pages.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("--debug", action="store_true", help="show tracebacks instead of one-line errors")
    sub = parser.add_subparsers(dest="command", required=True)
    for group in (translate, pages, glossary):
        group.register(sub)
    return parser
