"""The argument parser: the root options, then each command group registers its own subcommands."""

from __future__ import annotations

import argparse

from pipeline import __version__
from pipeline.cli import glossary, options, pages, project, translate


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m pipeline",
        description="Translate news articles into reviewable PO files and localized pages. "
        "Settings come from ./newsroom.toml when there is one (python -m pipeline init writes it); "
        "flags override them.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    options.add_global(parser, root=True)
    sub = parser.add_subparsers(dest="command", required=True)
    for group in (project, translate, pages, glossary):
        group.register(sub)
    return parser
