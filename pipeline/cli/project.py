"""``init`` and ``languages``: set a newsroom up once, in its own project file, and see what each
language still lacks."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from pipeline import api
from pipeline.cli import options
from pipeline.cli.output import shown


def cmd_init(args: argparse.Namespace) -> int:
    path = api.init_project(args.file, args.to or None)
    if not args.quiet:
        print(f"wrote {shown(path)}: target languages, models, folders and render policy, each explained")
        print("next: python -m pipeline languages   # what each language still lacks")
    return 0


def cmd_languages(args: argparse.Namespace) -> int:
    rows = api.languages(args.to or None, glossary=args.glossary, project=args.settings)
    where = shown(args.settings.path) if args.settings.path else "no project file (shipped defaults)"
    print(f"project: {where}")
    ready = True
    for row in rows:
        if not row.configured and not args.all:
            continue
        mark = "ready" if not row.lacks else "lacks " + ", ".join(item.split(":")[0] for item in row.lacks)
        print(f"{row.lang} ({row.name}): {mark}")
        print(f"  model: {row.model_detail} (from {shown_source(row.model_from)})")
        print(f"  plural rule: {row.plural or row.plural_problem}")
        print(f"  glossary: {row.forms}/{row.terms} names have a '{row.lang}' form")
        ready &= row.ready
    others = [row.lang for row in rows if not row.configured]
    if others and not args.all:
        print(f"also known (models in the registry): {', '.join(others)}; --all to show them")
    if not any(row.configured for row in rows):
        print("no target languages configured: set languages in newsroom.toml (python -m pipeline init)")
        return 1
    return 0 if ready else 1


def shown_source(source: str) -> str:
    return source if source.startswith("the shipped") else shown(Path(source))


def register(sub: Any) -> None:
    init = sub.add_parser(
        "init",
        parents=[options.global_parent()],
        help="write a commented newsroom.toml here (never over an existing one)",
    )
    init.add_argument("file", nargs="?", default=api.PROJECT_FILE, help="where (default: ./newsroom.toml)")
    options.add_languages(init, "target languages to put in it (default: ar)")
    init.set_defaults(func=cmd_init, needs_project=False)

    langs = sub.add_parser(
        "languages",
        parents=[options.global_parent()],
        help="list the configured languages and what each still lacks (model, plural rule, glossary)",
    )
    options.add_languages(langs, "these languages (default: newsroom.toml's)")
    options.add_glossary(langs)
    langs.add_argument("--all", action="store_true", help="also every language the registry has a model for")
    langs.set_defaults(func=cmd_languages)
