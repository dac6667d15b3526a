"""The Jinja2 environment pages are rendered with, one per interface language.

Every page template reads its interface strings through ``_()`` (Jinja2's i18n extension) from
the catalogs in :mod:`pipeline.render.i18n`. Translations are installed per environment rather
than passed per render, so a template can never be rendered with another language's strings, and
each catalog is compiled once per process. Old-style gettext: a translated string is escaped like
any other value, so a stray ``<`` in a translator's PO file cannot break the page.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any, cast

from jinja2 import Environment, PackageLoader, select_autoescape

from pipeline.render.i18n import catalog_path, load_translations


@cache
def _environment(catalog: Path | None) -> Environment:
    env = Environment(
        loader=PackageLoader("pipeline.render", "templates"),
        autoescape=select_autoescape(["html", "j2"], default_for_string=False),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        extensions=["jinja2.ext.i18n"],
    )
    # The method is added by the i18n extension, so Environment's type does not declare it.
    cast(Any, env).install_gettext_translations(load_translations(catalog), newstyle=False)
    return env


def environment(lang: str = "en") -> Environment:
    """The environment whose ``_()`` speaks ``lang`` (English where no catalog ships for it)."""
    return _environment(catalog_path(lang))
