"""Command line: a thin layer over the stage modules.

Every user-facing failure is a :class:`~pipeline.errors.PipelineError` printed as one line
``error: FILE:LINE: message``; ``--debug`` shows the traceback instead. Exit codes: 0 success,
1 nothing could be done, 2 a batch finished with some bad files.
"""

from __future__ import annotations

import argparse
import sys
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline import __version__
from pipeline.errors import PipelineError

if TYPE_CHECKING:
    from pipeline.names.protection import Translator

#: Translation engines ``load_backend`` knows (the fault-injecting fakes are for ``glossary score``).
ENGINES = ("transformers", "ctranslate2", "identity")
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
    from pipeline.catalog.po import plural_forms

    for lang in langs:
        try:
            plural_forms(lang)
        except PipelineError as exc:
            if "unknown language code" not in str(exc):
                raise  # a known language without a checked plural rule: the message says what to add
            raise PipelineError(f"unknown target language '{lang}' (use a code such as ar, fr, he)") from None


def _backends(
    args: argparse.Namespace, langs: Sequence[str]
) -> tuple[Callable[[str], Translator], str | dict[str, str]]:
    """``make_backend(lang)`` and the PO header's model label(s): one model per language from
    ``--model``/the registry, each distinct model loaded once (see ``registry.SharedBackends``)."""
    from pipeline.mt.backends import load_backend
    from pipeline.mt.registry import SharedBackends, plan_models

    if args.backend == "identity":
        shared = load_backend("identity", None, langs[0] if langs else "")
        return (lambda lang: shared), "identity"
    pool = SharedBackends(
        plan_models(langs, args.model),
        lambda model, lang: load_backend(
            args.backend, model, lang, num_beams=args.beams, progress=not args.quiet
        ),
    )
    return pool, pool.labels()


def cmd_translate(args: argparse.Namespace) -> int:
    from pipeline.job import translate_articles
    from pipeline.locking import run_lock
    from pipeline.names.glossary import load_glossary

    langs = _langs(args.to)
    _check_langs(langs)
    glossary = load_glossary(args.glossary)
    make_backend, label = _backends(args, langs)
    with run_lock(args.locales, wait=args.wait, notify=lambda note: print(f"note: {note}", file=sys.stderr)):
        report = translate_articles(
            args.articles,
            langs,
            glossary=glossary,
            locales=args.locales,
            out=None if args.no_render else args.out,
            make_backend=make_backend,
            model_label=label,
            policy="reviewed" if args.reviewed_only else "machine",
            keep_going=args.keep_going,
            migrate_plurals=args.migrate_plural_forms,
        )
    for error in report.errors:
        if args.debug:
            traceback.print_exception(error, file=sys.stderr)
        print(f"error: {error}", file=sys.stderr)
    if not args.quiet and report.articles:  # nothing done: the error lines say why
        print(
            f"{report.articles} article(s) → {', '.join(langs)}: {report.units} segments, "
            f"{report.translated} machine-translated, {report.reused} kept from existing PO files, "
            f"{report.remembered} from translation memory, "
            f"{report.names} names protected ({report.repairs} segments repaired), "
            f"{len(report.written)} files written to {args.locales}"
            + ("" if args.no_render else f" and {args.out}")
            + f" in {report.seconds:.1f}s"
        )
    if report.errors:
        return 2 if report.articles else 1
    return 0


def cmd_render(args: argparse.Namespace) -> int:
    from pipeline.render.pages import render_all

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


def cmd_status(args: argparse.Namespace) -> int:
    import json

    from pipeline.catalog.status import format_table, scan

    if not Path(args.locales).is_dir():
        raise PipelineError("no such folder", args.locales)
    summary, errors = scan(args.locales, _langs(args.to) or None)
    for error in errors:
        print(f"error: {error}", file=sys.stderr)
    for f in summary.files:
        if f.plural_drift:
            print(
                f"warning: {f.path}: Plural-Forms differs from the current rule for '{f.lang}' "
                f"({f.plural_drift}); kept as written: run 'translate --migrate-plural-forms' to adopt it",
                file=sys.stderr,
            )
    if not summary.files and not errors:
        raise PipelineError("no PO files here: run 'translate' first", args.locales)
    if args.json:
        print(json.dumps(summary.as_dict(), ensure_ascii=False, indent=1))
    elif summary.files:
        print(format_table(summary))
    return 2 if errors else 0


def cmd_compile(args: argparse.Namespace) -> int:
    from pipeline.catalog.mo import compile_all
    from pipeline.catalog.status import po_files

    langs = _langs(args.to) or None
    if not Path(args.locales).is_dir() or not po_files(args.locales, langs):
        raise PipelineError("no PO files here: run 'translate' first", args.locales)
    from pipeline.locking import run_lock

    errors: list[PipelineError] = []
    # MO files live in the translators' folder: never compile while a translate run merges into it.
    with run_lock(args.locales, wait=args.wait, notify=lambda note: print(f"note: {note}", file=sys.stderr)):
        written = compile_all(args.locales, langs, use_fuzzy=args.use_fuzzy, errors=errors)
    for error in errors:
        print(f"error: {error}", file=sys.stderr)
    if not args.quiet:
        print(f"{len(written)} MO file(s) written next to the PO files in {args.locales}")
    return 2 if errors else 0


def cmd_glossary_check(args: argparse.Namespace) -> int:
    from pipeline.names.glossary import load_glossary

    glossary = load_glossary(args.glossary, strict=False)
    for issue in glossary.issues:
        print(issue)
    errors = sum(1 for i in glossary.issues if i.severity == "error")
    warnings = sum(1 for i in glossary.issues if i.severity == "warning")
    builtin = sum(1 for t in glossary.terms if t.builtin)
    print(
        f"{len(glossary.terms) - builtin} terms (+{builtin} built-in CLDR country and city names), "
        f"{errors} error(s), {warnings} warning(s)"
    )
    for lang in _langs(getattr(args, "to", None) or []):
        from pipeline.names.glossary import missing_forms

        missing = missing_forms(glossary, lang)
        for term in missing:
            print(f"{term.path}:{term.line}: {term.en}: no '{lang}' form (kept in English)")
        own = sum(1 for term in glossary.terms if not term.builtin)
        print(f"{lang}: {own - len(missing)}/{own} glossary terms have a form")
    return 1 if errors else 0


def cmd_glossary_suggest(args: argparse.Namespace) -> int:
    from pipeline.fileio import atomic_write_text
    from pipeline.ingest.documents import load_document
    from pipeline.job import expand_inputs
    from pipeline.names.glossary import glossary_files, load_glossary
    from pipeline.names.suggest import suggest, suggestions_tsv

    glossary = load_glossary(args.glossary)
    if args.output is not None:
        out = args.output.resolve()
        if out in {f.resolve() for f in glossary_files(args.glossary)} or (
            args.glossary.is_dir() and out.parent == args.glossary.resolve()
        ):
            raise PipelineError(
                "will not write unreviewed suggestions into the glossary; write them elsewhere, "
                "review them, then merge the rows you accept",
                args.output,
            )
    documents = [load_document(path) for path in expand_inputs(args.articles)]
    candidates = suggest(documents, glossary, args.to)
    text = suggestions_tsv(candidates, args.to)
    if args.output is None:
        sys.stdout.write(text)
    else:
        atomic_write_text(args.output, text)
        print(f"{len(candidates)} unknown name(s) written to {args.output} for review", file=sys.stderr)
    return 0


def cmd_glossary_score(args: argparse.Namespace) -> int:
    from pipeline.mt.backends import load_backend
    from pipeline.names.glossary import load_glossary
    from pipeline.names.score import article_texts, corpus_texts, score
    from pipeline.testing.faults import FAKES

    if not args.articles and not args.corpus:
        raise PipelineError("give article files or --corpus FILE to score")
    glossary = load_glossary(args.glossary)
    corpora = [(", ".join(map(str, args.articles)), article_texts(args.articles))] if args.articles else []
    corpora += [(str(path), corpus_texts(path)) for path in args.corpus]
    names = [n for value in args.backend for n in value.split(",") if n]
    names = [n for name in names for n in (list(FAKES) if name == "fakes" else [name])]
    perfect = True
    for name in names:
        backend: Translator
        if name in FAKES:
            backend = FAKES[name]()
        elif name in ENGINES:
            model = args.model or None
            backend = load_backend(name, model, args.to, num_beams=args.beams, progress=False)
        else:
            choices = ", ".join([*ENGINES, "fakes", *FAKES])
            raise PipelineError(f"unknown backend {name!r}; choose one of: {choices}")
        for label, texts in corpora:
            result = score(backend, texts, glossary, args.to, label)
            perfect &= result.perfect
            print(result)
    return 0 if perfect else 1


def _add_wait(parser: argparse.ArgumentParser) -> None:
    """``--wait`` for the commands that write into the locales folder and so take its lock."""
    parser.add_argument(
        "--wait",
        type=float,
        default=0.0,
        metavar="SECONDS",
        help="if another run holds the locales folder, wait this long for it (default: fail at once)",
    )


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
        action="append",
        default=[],
        metavar="[LANG=]MODEL",
        help="Hugging Face hub id or local folder of a Marian model, for every target or, as LANG=MODEL, "
        "for one (repeatable; default: the model registry, pipeline/models.toml)",
    )
    tr.add_argument(
        "--backend",
        default="transformers",
        choices=list(ENGINES),
        help="translation engine: transformers, ctranslate2 (the same model converted once and cached, "
        "int8 on CPU: faster, smaller; pip install '.[fast]'), identity (copy the source, for dry runs)",
    )
    tr.add_argument("--beams", type=int, default=4, help="beam size (default: 4)")
    tr.add_argument(
        "--glossary",
        type=Path,
        default=DEFAULT_GLOSSARY,
        help="glossary folder or file (default: ./glossary)",
    )
    tr.add_argument("--no-render", action="store_true", help="write PO files only")
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
    _add_wait(tr)
    tr.set_defaults(func=cmd_translate)

    rd = sub.add_parser("render", parents=[common], help="regenerate pages from PO files (no model needed)")
    rd.add_argument("--to", action="append", default=[], metavar="LANGS", help="only these languages")
    rd.set_defaults(func=cmd_render)

    st = sub.add_parser("status", help="reviewed / machine / untranslated / obsolete counts per PO file")
    st.add_argument(
        "--locales", type=Path, default=DEFAULT_LOCALES, help="PO files folder (default: ./locales)"
    )
    st.add_argument("--to", action="append", default=[], metavar="LANGS", help="only these languages")
    st.add_argument("--json", action="store_true", help="machine-readable output")
    st.set_defaults(func=cmd_status)

    co = sub.add_parser("compile", help="write a .mo file next to each PO file, for gettext at runtime")
    co.add_argument(
        "--locales", type=Path, default=DEFAULT_LOCALES, help="PO files folder (default: ./locales)"
    )
    co.add_argument("--to", action="append", default=[], metavar="LANGS", help="only these languages")
    co.add_argument(
        "--use-fuzzy", action="store_true", help="include machine (fuzzy) translations, as msgfmt --use-fuzzy"
    )
    co.add_argument("-q", "--quiet", action="store_true", help="no summary")
    _add_wait(co)
    co.set_defaults(func=cmd_compile)

    gl = sub.add_parser("glossary", help="glossary tools")
    gsub = gl.add_subparsers(dest="glossary_command", required=True)
    check = gsub.add_parser("check", help="report malformed, duplicate or conflicting entries")
    check.add_argument("--glossary", type=Path, default=DEFAULT_GLOSSARY)
    check.add_argument(
        "--to",
        action="append",
        default=[],
        metavar="LANGS",
        help="also list the names lacking these languages",
    )
    check.set_defaults(func=cmd_glossary_check)

    sg = gsub.add_parser(
        "suggest", help="list names the glossary lacks, with a suggested form, as TSV rows to review"
    )
    sg.add_argument("articles", nargs="+", help="article files or folders")
    sg.add_argument("--to", default="ar", metavar="LANG", help="language of the suggested form (default: ar)")
    sg.add_argument("-o", "--output", type=Path, help="TSV file to write (default: standard output)")
    sg.add_argument("--glossary", type=Path, default=DEFAULT_GLOSSARY)
    sg.set_defaults(func=cmd_glossary_suggest)

    sc = gsub.add_parser(
        "score", help="count glossary occurrences that come out in their target form, per backend"
    )
    sc.add_argument("articles", nargs="*", help="article files or folders")
    sc.add_argument(
        "--corpus",
        action="append",
        default=[],
        type=Path,
        help="a file of segments, one per line (repeatable)",
    )
    sc.add_argument(
        "--backend",
        action="append",
        required=True,
        metavar="NAME",
        help="transformers, ctranslate2, identity, a fault-injecting fake (fake-drop, fake-duplicate, "
        "fake-garble, fake-translate, fake-reorder, fake-chaos, fake-identity) or "
        "'fakes' for all; repeatable",
    )
    sc.add_argument("--model", help="Marian model folder or hub id (transformers and ctranslate2 backends)")
    sc.add_argument("--beams", type=int, default=4, help="beam size (default: 4)")
    sc.add_argument("--to", default="ar", metavar="LANG", help="target language (default: ar)")
    sc.add_argument("--glossary", type=Path, default=DEFAULT_GLOSSARY)
    sc.set_defaults(func=cmd_glossary_score)
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
