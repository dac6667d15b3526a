"""Rendering a page template, shipped or the newsroom's own, with its context checked.

Each page template receives exactly the variables of :data:`CONTEXT` (the README documents them
from the same table). A template naming any other variable is reported before anything renders,
with the template and line: found statically over the whole template (a branch not taken still
counts), and at render time through ``StrictUndefined`` (``page.nope``, an attribute that does
not exist), with the line taken from the traceback Jinja2 rewrites to point into the template.
Every Jinja2 failure becomes one :class:`~pipeline.errors.PageTemplateError` line.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from jinja2 import Environment, TemplateError, TemplateNotFound, TemplateSyntaxError, meta, nodes

from pipeline.errors import PageTemplateError
from pipeline.render.env import environment

#: Every page template and the variables the renderer passes it, with what each holds.
CONTEXT: dict[str, dict[str, str]] = {
    "article.html.j2": {
        "lang": "the page's language code (`ar`)",
        "dir": "`rtl` or `ltr`",
        "title": "the localized headline (plain text)",
        "blocks": "the article's blocks: `.kind` (headline, byline, caption, subheading, paragraph, quote, "
        "section), `.text`, `.pieces` (each `.text`, `.status`: reviewed, machine, source)",
        "html": "`html(block)`: the block's sentences as safe HTML (Latin runs isolated, machine output "
        "marked)",
        "original": "link to the English original, relative to the page",
        "stats": "`.reviewed`, `.machine`, `.source`, `.total`, `.percent_reviewed` (translation units)",
        "machine_shown": "whether any machine translation is on this page (false with `--reviewed-only`, "
        "where unreviewed sentences stay in English): the notice and the footer's machine count",
        "alternates": "`{lang: href}` of the article's other language versions",
        "language": "the language's English name",
        "fonts": "web fonts to declare: each `.family`, `.local`, `.url`, `.weight`",
    },
    "index.html.j2": {
        "lang": "the language code",
        "dir": "`rtl` or `ltr`",
        "pages": "every article in the language: `.slug`, `.href` (its link), `.title`, `.stats` (as on the "
        "article page)",
        "language": "the language's English name",
        "fonts": "web fonts to declare (as on the article page)",
        "isolate": "`isolate(text)`: escaped text with Latin runs isolated for right-to-left",
    },
    "languages.html.j2": {
        "languages": "every language with a page: `.code`, `.name`, `.native`, `.direction`, `.plural_forms`",
        "rows": "one per article: `.slug`, `.title`, `.source` (link to the English original), `.versions` "
        "(`{lang: version}`, each `.title`, `.href`, `.reviewed`, `.total`, `.percent_reviewed`)",
        "indexes": "`{lang: href}` of each language's index",
    },
    "review.html.j2": {
        "lang": "the article's language code",
        "dir": "`rtl` or `ltr`",
        "title": "the localized headline",
        "blocks": "the article's blocks: `.kind`, `.sentences` (each `.number`, `.anchor`, `.id`, `.source`, "
        "`.state`: reviewed, machine, untranslated; `.shown`: reviewed, machine, source; `.line`, "
        "`.names`, `.repairs`, `.warnings` (each `.check`, `.detail`), `.repaired`), `.seps`",
        "text": "`text(sentence)`: the sentence as published, safe HTML with glossary names, repaired "
        "names and numbers marked",
        "source": "`source(sentence)`: the English source, safe HTML with its glossary names marked",
        "counts": "`.reviewed`, `.machine`, `.untranslated`, `.repaired`, `.warned`, `.total`",
        "flagged": "sentences with QA warnings or repairs, in reading order",
        "po_file": "the PO file's path, as given on the command line (for `file:line`)",
        "po_href": "link to the PO file, relative to the page",
        "page": "link to the published page, relative to the review page",
        "original": "link to the English original",
        "policy": "`machine` or `reviewed` (with `--reviewed-only`)",
        "language": "the language's English name",
        "fonts": "web fonts to declare (as on the article page)",
    },
}


def _allowed(env: Environment, name: str) -> set[str]:
    """What ``name`` may read: its context, or for a partial (``_head.html.j2``, included by several
    pages) any page's; plus the environment's globals (``_``, ``range``, ...)."""
    base = name.removeprefix("shipped/")
    context = CONTEXT.get(base) or {v for names in CONTEXT.values() for v in names}
    return set(context) | set(env.globals)


def _first_use(tree: nodes.Template, variable: str) -> int | None:
    return min((n.lineno for n in tree.find_all(nodes.Name) if n.name == variable), default=None)


def _filename(env: Environment, name: str) -> str:
    try:
        _source, filename, _uptodate = env.loader.get_source(env, name) if env.loader else ("", None, None)
    except TemplateNotFound:
        return name
    return filename or name


#: Templates already checked, by environment and name: the up-to-date tests of the template and of
#: every template it includes (Jinja2's own, from the loader: a file's modification time).
_CHECKED: dict[tuple[int, str], list[Callable[[], bool]]] = {}


def check_template(env: Environment, name: str) -> None:
    """Raise :class:`PageTemplateError` (template, line) for a syntax error or an unknown variable.

    Checked once per process and template, and again only when the template or one it includes
    changed: parsing it for each page of an archive cost more than rendering the page.
    """
    key = (id(env), name)  # environments are kept for the process (see ``env``)
    known = _CHECKED.get(key)
    if known is not None and all(uptodate() for uptodate in known):
        return
    _CHECKED[key] = _check(env, name)


def _check(env: Environment, name: str) -> list[Callable[[], bool]]:
    try:
        source, filename, uptodate = env.loader.get_source(env, name) if env.loader else ("", name, None)
        tree = env.parse(source, name, filename)
    except TemplateNotFound as exc:
        raise PageTemplateError(f"template not found: {exc.message}", name) from None
    except TemplateSyntaxError as exc:
        raise _syntax_error(exc, name) from None
    unknown = sorted(meta.find_undeclared_variables(tree) - _allowed(env, name))
    if unknown:
        known = ", ".join(sorted(CONTEXT.get(name.removeprefix("shipped/"), {}))) or "see the README"
        raise PageTemplateError(
            f"unknown template variable '{unknown[0]}' (this page's variables: {known})",
            filename or name,
            _first_use(tree, unknown[0]),
        )
    tests: list[Callable[[], bool]] = [uptodate or _never]
    for child in meta.find_referenced_templates(tree):
        if isinstance(child, str):
            check_template(env, child)
            tests += _CHECKED[(id(env), child)]
    return tests


def _never() -> bool:
    return False


def _syntax_error(exc: TemplateSyntaxError, name: str) -> PageTemplateError:
    return PageTemplateError(f"template syntax error: {exc.message}", exc.filename or name, exc.lineno)


def check_folder(folder: Path) -> None:
    """Check every template of a newsroom's folder before anything renders: syntax, variables."""
    if not folder.is_dir():
        raise PageTemplateError("no such templates folder", folder)
    for name in CONTEXT:
        if (folder / name.removesuffix(".j2")).is_file() and not (folder / name).is_file():
            raise PageTemplateError(
                f"page templates end in .j2: rename it {name}", folder / name.removesuffix(".j2")
            )
    env = environment("en", folder)
    for path in sorted(folder.rglob("*.j2")):
        check_template(env, path.relative_to(folder).as_posix())


def _template_line(exc: BaseException) -> tuple[str | None, int | None]:
    """The innermost template frame of a render failure, as Jinja2 rewrote the traceback."""
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename.endswith(".j2")]
    if not frames:
        return None, None
    return frames[-1].filename, frames[-1].lineno


def render_template(env: Environment, name: str, **context: Any) -> str:
    """Render ``name`` with ``context``; any template failure is one error naming template and line."""
    return "".join(stream_template(env, name, **context))


def stream_template(env: Environment, name: str, **context: Any) -> Iterator[str]:
    """:func:`render_template` piece by piece, for a page as long as an archive (its indexes),
    written as it is made (:func:`~pipeline.fileio.atomic_write_chunks`); errors are the same."""
    check_template(env, name)
    try:
        yield from env.get_template(name).generate(**context)
    except TemplateSyntaxError as exc:
        raise _syntax_error(exc, name) from None
    except TemplateError as exc:
        filename, line = _template_line(exc)
        raise PageTemplateError(
            f"template error: {exc.message or type(exc).__name__}", filename or _filename(env, name), line
        ) from None
