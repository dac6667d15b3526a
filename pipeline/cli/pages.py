"""``render``, ``status`` and ``compile``: the model-free commands over the PO files, each a thin
layer over its :mod:`pipeline.api` function (none of them imports torch)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pipeline import api
from pipeline.cli import options
from pipeline.cli.output import note, page_lines, print_errors, shown, warn
from pipeline.errors import PipelineError

if TYPE_CHECKING:
    from pipeline.render.pages import ArticlePage


def cmd_render(args: argparse.Namespace) -> int:
    if args.watch:
        return _watch(args)
    result = api.render(
        args.locales,
        args.out,
        args.to or None,
        reviewed_only=args.reviewed_only,
        review=args.review,
        templates=args.templates,
        project=args.settings,
    )
    warn_ignored(result.ignored)
    for line in result.notes:
        note(line)
    for warning in result.warnings:
        warn(str(warning))
    print_errors(result.errors, debug=args.debug)
    if not result.pages:
        return 1  # every page failed: the error lines say why
    if not args.quiet:
        reviewed = f"{result.reviewed}/{result.total} segments reviewed"
        changed = f"{len(result.written)} file(s) changed"
        reviews = f" and {len(result.reviews)} review page(s)" if result.reviews else ""
        print(
            f"rendered {len(result.pages)} article page(s){reviews} into {shown(result.out)} "
            f"({reviewed}; {changed})"
        )
        for line in page_lines(result.html_pages, result.index):
            print(line)
    return 2 if result.errors else 0


def _watch(args: argparse.Namespace) -> int:
    """Stays in the foreground until Ctrl-C, which is a normal way to stop (exit 0)."""

    def rendered(pages: list[ArticlePage]) -> None:
        if not args.quiet:
            for p in pages:
                print(f"rendered {p.lang}/{p.slug} ({p.stats.reviewed}/{p.stats.total} reviewed)", flush=True)
        for warning in (w for p in pages for w in p.warnings):
            warn(str(warning))

    def ready() -> None:
        if not args.quiet:
            folder = args.locales or args.settings.locales
            print(f"watching {shown(folder)} for changes (Ctrl-C to stop)", flush=True)

    def failed(error: PipelineError) -> None:
        print_errors([error], debug=args.debug)
        sys.stderr.flush()

    api.watch(
        args.locales,
        args.out,
        args.to or None,
        reviewed_only=args.reviewed_only,
        review=args.review,
        templates=args.templates,
        rendered=rendered,
        failed=failed,
        ready=ready,
        project=args.settings,
    )
    if not args.quiet:
        print("stopped", flush=True)
    return 0


def cmd_status(args: argparse.Namespace) -> int:
    from pipeline.catalog.status import ingest_notes

    result = api.status(args.locales, args.to, project=args.settings)
    warn_ignored(result.ignored)
    print_errors(result.errors, debug=args.debug)
    for f in result.drifted:
        warn(
            f"{f.path}: Plural-Forms differs from the current rule for '{f.lang}' "
            f"({f.plural_drift}); kept as written: run 'translate --migrate-plural-forms' to adopt it"
        )
    for ingest_note in ingest_notes(result.summary):
        warn(f"{ingest_note} (at the last translate run)")
    if args.json:
        print(json.dumps(result.as_dict(), ensure_ascii=False, indent=1))
    elif result.summary.files:
        print(result.table())
    return 2 if result.errors else 0


def cmd_compile(args: argparse.Namespace) -> int:
    result = api.compile_catalogs(
        args.locales, args.to, use_fuzzy=args.use_fuzzy, wait=args.wait, notify=note, project=args.settings
    )
    warn_ignored(result.ignored)
    print_errors(result.errors, debug=args.debug)
    if not args.quiet:
        folder = args.locales or args.settings.locales
        print(f"{len(result.written)} MO file(s) written next to the PO files in {shown(folder)}")
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
    rd.add_argument(
        "--review",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="also write <slug>.review.html beside each page: every sentence's state, source, PO line "
        "(newsroom.toml: [render] review = true)",
    )
    rd.add_argument(
        "--watch",
        action="store_true",
        help="keep running: re-render the pages whose PO files change, until Ctrl-C",
    )
    rd.add_argument(
        "--templates",
        type=Path,
        metavar="DIR",
        help="Jinja2 templates replacing or extending the shipped ones (article.html.j2, index.html.j2, "
        "review.html.j2, languages.html.j2; extend one as shipped/NAME; newsroom.toml: [render] templates)",
    )
    rd.set_defaults(func=cmd_render)

    st = sub.add_parser(
        "status",
        parents=[options.global_parent()],
        help="reviewed / machine / untranslated / obsolete counts per PO file",
    )
    options.add_locales(st)
    options.add_languages(st, "only these languages")
    st.add_argument("--json", action="store_true", help="machine-readable output")
    st.set_defaults(func=cmd_status)

    co = sub.add_parser(
        "compile",
        parents=[options.global_parent()],
        help="write a .mo file next to each PO file, for gettext at runtime",
    )
    options.add_locales(co)
    options.add_languages(co, "only these languages")
    co.add_argument(
        "--use-fuzzy",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="include machine (fuzzy) translations, as msgfmt --use-fuzzy "
        "(newsroom.toml: [compile] use_fuzzy)",
    )
    options.add_wait(co)
    co.set_defaults(func=cmd_compile)
