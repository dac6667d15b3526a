"""``glossary check|suggest|add|score``: the glossary editors' tools."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pipeline import api
from pipeline.cli import options
from pipeline.errors import PipelineError

if TYPE_CHECKING:
    from pipeline.mt.base import Backend


def cmd_glossary_check(args: argparse.Namespace) -> int:
    report = api.check_glossary(args.glossary, args.to, project=args.settings)
    for issue in report.issues:
        print(issue)
    print(
        f"{report.own_terms} terms (+{report.builtin_terms} built-in CLDR country and city names), "
        f"{len(report.errors)} error(s), {len(report.warnings)} warning(s)"
    )
    for lang, missing in report.missing.items():
        for term in missing:
            print(f"{term.path}:{term.line}: {term.en}: no '{lang}' form (kept in English)")
        print(f"{lang}: {report.own_terms - len(missing)}/{report.own_terms} glossary terms have a form")
    return 1 if report.errors else 0


def cmd_glossary_suggest(args: argparse.Namespace) -> int:
    result = api.suggest_names(
        args.articles,
        options.one_language(args),
        glossary=args.glossary,
        output=args.output,
        model=args.model,
        backend=args.backend,
        project=args.settings,
    )
    if result.written is None:
        sys.stdout.write(result.tsv)
    else:
        print(
            f"{len(result.candidates)} unknown name(s) written to {result.written} for review",
            file=sys.stderr,
        )
    return 0


def cmd_glossary_add(args: argparse.Namespace) -> int:
    result = api.add_to_glossary(
        args.suggestions, glossary=args.glossary, into=args.into, project=args.settings
    )
    for issue in result.errors:
        print(f"error: {issue.path}:{issue.line}: {issue.message}", file=sys.stderr)
    if result.written is None:
        print(f"nothing added: {len(result.errors)} row(s) to fix first", file=sys.stderr)
        return 1
    for term in result.added:
        print(f"added {term.en} ({', '.join(f'{k} {v}' for k, v in term.forms.items())})")
    print(f"{len(result.added)} name(s) added to {result.written}, {len(result.skipped)} already there")
    return 0


def cmd_glossary_score(args: argparse.Namespace) -> int:
    """Not in :mod:`pipeline.api`: it runs the fault-injecting test backends, which the product
    (and so the API) never imports."""
    from pipeline.mt.factory import load_backend
    from pipeline.names.glossary import load_glossary
    from pipeline.names.score import article_texts, corpus_texts, score
    from pipeline.testing.faults import FAKES

    if not args.articles and not args.corpus:
        raise PipelineError("give article files or --corpus FILE to score")
    glossary = load_glossary(args.glossary or args.settings.glossary)
    corpora = [(", ".join(map(str, args.articles)), article_texts(args.articles))] if args.articles else []
    corpora += [(str(path), corpus_texts(path)) for path in args.corpus]
    lang = options.one_language(args)
    names = [n for value in args.backend for n in value.split(",") if n]
    names = [n for name in names for n in (list(FAKES) if name == "fakes" else [name])]
    perfect = True
    for name in names:
        backend: Backend
        if name in FAKES:
            backend = FAKES[name]()
        elif name in api.ENGINES:
            backend = load_backend(
                name,
                args.model or None,
                lang,
                num_beams=args.beams or args.settings.beams,
                progress=False,
                registry=args.settings.registry,
            )
        else:
            choices = ", ".join([*api.ENGINES, "fakes", *FAKES])
            raise PipelineError(f"unknown backend {name!r}; choose one of: {choices}")
        for label, texts in corpora:
            result = score(backend, texts, glossary, lang, label)
            perfect &= result.perfect
            print(result)
    return 0 if perfect else 1


def register(sub: Any) -> None:
    gl = sub.add_parser("glossary", parents=[options.global_parent()], help="glossary tools")
    gsub = gl.add_subparsers(dest="glossary_command", required=True)
    check = gsub.add_parser(
        "check", parents=[options.global_parent()], help="report malformed, duplicate or conflicting entries"
    )
    options.add_glossary(check)
    options.add_languages(check, "also list the names lacking these languages")
    check.set_defaults(func=cmd_glossary_check)

    sg = gsub.add_parser(
        "suggest",
        parents=[options.global_parent()],
        help="list names the glossary lacks, with a suggested form, as TSV rows to review",
    )
    sg.add_argument("articles", nargs="+", help="article files or folders")
    options.add_language(sg, "language of the suggested form")
    sg.add_argument("-o", "--output", type=Path, help="TSV file to write (default: standard output)")
    sg.add_argument("--model", help="also offer this model's rendering of each name alone (folder or hub id)")
    options.add_engine(sg)
    options.add_glossary(sg)
    sg.set_defaults(func=cmd_glossary_suggest)

    add = gsub.add_parser(
        "add",
        parents=[options.global_parent()],
        help="merge the reviewed rows of a 'suggest' TSV into the glossary (all or nothing)",
    )
    add.add_argument("suggestions", type=Path, help="the reviewed suggestions TSV")
    add.add_argument("--into", type=Path, help="glossary file to append to (default: the only one)")
    options.add_glossary(add)
    add.set_defaults(func=cmd_glossary_add)

    sc = gsub.add_parser(
        "score",
        parents=[options.global_parent()],
        help="count glossary occurrences that come out in their target form, per backend",
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
        "fake-garble, fake-translate, fake-reorder, fake-chaos, fake-proclitic, fake-identity) or "
        "'fakes' for all; repeatable",
    )
    sc.add_argument("--model", help="Marian model folder or hub id (transformers and ctranslate2 backends)")
    options.add_beams(sc)
    options.add_language(sc, "target language")
    options.add_glossary(sc)
    sc.set_defaults(func=cmd_glossary_score)
