"""``render``, ``status`` and ``compile``: the model-free commands over the PO files, each a thin
layer over its :mod:`pipeline.api` function (none of them imports torch)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from pipeline import api
from pipeline.cli import options
from pipeline.cli.output import note, print_errors, warn


def cmd_render(args: argparse.Namespace) -> int:
    result = api.render(args.locales, args.out, args.to or None, reviewed_only=args.reviewed_only)
    warn_ignored(result.ignored)
    for line in result.notes:
        note(line)
    print_errors(result.errors, debug=args.debug)
    if not result.pages:
        return 1  # every page failed: the error lines say why
    if not args.quiet:
        reviewed = f"{result.reviewed}/{result.total} segments reviewed"
        print(f"rendered {len(result.pages)} page(s) into {args.out} ({reviewed})")
    return 2 if result.errors else 0


def cmd_status(args: argparse.Namespace) -> int:
    result = api.status(args.locales, args.to)
    warn_ignored(result.ignored)
    print_errors(result.errors, debug=args.debug)
    for f in result.drifted:
        warn(
            f"{f.path}: Plural-Forms differs from the current rule for '{f.lang}' "
            f"({f.plural_drift}); kept as written: run 'translate --migrate-plural-forms' to adopt it"
        )
    if args.json:
        print(json.dumps(result.as_dict(), ensure_ascii=False, indent=1))
    elif result.summary.files:
        print(result.table())
    return 2 if result.errors else 0


def cmd_compile(args: argparse.Namespace) -> int:
    result = api.compile_catalogs(
        args.locales, args.to, use_fuzzy=args.use_fuzzy, wait=args.wait, notify=note
    )
    warn_ignored(result.ignored)
    print_errors(result.errors, debug=args.debug)
    if not args.quiet:
        print(f"{len(result.written)} MO file(s) written next to the PO files in {args.locales}")
    return 2 if result.errors else 0


def warn_ignored(folders: list[Path]) -> None:
    from pipeline.catalog.po import ignored_note

    for folder in folders:
        warn(ignored_note(folder))


def register(sub: Any) -> None:
    rd = sub.add_parser(
        "render", parents=[options.pages_parent()], help="regenerate pages from PO files (no model needed)"
    )
    options.add_languages(rd, "only these languages")
    rd.set_defaults(func=cmd_render)

    st = sub.add_parser("status", help="reviewed / machine / untranslated / obsolete counts per PO file")
    options.add_locales(st)
    options.add_languages(st, "only these languages")
    st.add_argument("--json", action="store_true", help="machine-readable output")
    st.set_defaults(func=cmd_status)

    co = sub.add_parser("compile", help="write a .mo file next to each PO file, for gettext at runtime")
    options.add_locales(co)
    options.add_languages(co, "only these languages")
    co.add_argument(
        "--use-fuzzy", action="store_true", help="include machine (fuzzy) translations, as msgfmt --use-fuzzy"
    )
    options.add_quiet(co, "no summary")
    options.add_wait(co)
    co.set_defaults(func=cmd_compile)
