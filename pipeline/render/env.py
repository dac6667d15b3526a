"""The Jinja2 environment pages are rendered with, one per interface language and template folder.

Every page template reads its interface strings through ``_()`` (Jinja2's i18n extension) from
the catalogs in :mod:`pipeline.render.i18n`. Translations are installed per environment rather
than passed per render, so a template can never be rendered with another language's strings, and
each catalog is compiled once per process. Old-style gettext: a translated string is escaped like
any other value, so a stray ``<`` in a translator's PO file cannot break the page.

A newsroom's own template folder (``render --templates DIR``) is searched first, so a file there
replaces the shipped one of the same name; the shipped ones stay reachable as ``shipped/<name>``
for a template that extends one. Undefined variables are errors (``StrictUndefined``): a template
naming a variable the renderer does not pass fails loudly instead of printing nothing.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any, cast

from jinja2 import (
    BaseLoader,
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    PackageLoader,
    PrefixLoader,
    StrictUndefined,
    select_autoescape,
)

from pipeline.render.i18n import catalog_path, load_translations

#: The prefix under which the shipped templates stay reachable from a newsroom's own.
SHIPPED_PREFIX = "shipped"


@cache
def _environment(catalog: Path | None, templates: Path | None) -> Environment:
    shipped = PackageLoader("pipeline.render", "templates")
    loaders: list[BaseLoader] = [shipped, PrefixLoader({SHIPPED_PREFIX: shipped})]
    if templates is not None:
        loaders.insert(0, FileSystemLoader(str(templates)))
    env = Environment(
        loader=ChoiceLoader(loaders),
        autoescape=select_autoescape(["html", "j2"], default_for_string=False),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        extensions=["jinja2.ext.i18n"],
    )
    # The method is added by the i18n extension, so Environment's type does not declare it.
    cast(Any, env).install_gettext_translations(load_translations(catalog), newstyle=False)
    return env


def environment(lang: str = "en", templates: Path | None = None) -> Environment:
    """The environment whose ``_()`` speaks ``lang`` (English where no catalog ships for it), with
    the templates of ``templates`` (a folder) before the shipped ones."""
    # As the user named it, so errors name the template the way they typed the folder.
    return _environment(catalog_path(lang), Path(templates) if templates is not None else None)
