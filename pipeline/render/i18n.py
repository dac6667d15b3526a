"""The pages' own interface strings ("Read the original in English", "Translation status", ...) as
gettext catalogs of the project: we ask newsrooms to publish through PO files, so our pages do too.

``locale/pages.pot`` is extracted from the templates (``{{ _("...") }}`` calls, with the
``{# Translators: ... #}`` comment above each); ``locale/<lang>/LC_MESSAGES/pages.po`` holds one
language (ar, fr and he ship). A translator takes the POT to Poedit and saves the PO there; a page
in a language without a catalog shows English, and a catalog without a string shows that string in
English. PO files are compiled in memory when first used (polib → MO bytes →
:class:`gettext.GNUTranslations`): an ``.mo`` file is build output, so none is committed or shipped.

After adding or changing a string in a template, regenerate the POT and merge it into each PO::

    python -m pipeline.render.i18n
    cd pipeline/render/locale && msgmerge --update --backup=none fr/LC_MESSAGES/pages.po pages.pot

(``pybabel extract`` with a ``[jinja2: **.j2]`` mapping finds the same messages; this module writes
the POT without a creation date, so a re-run over unchanged templates changes nothing.)
"""

from __future__ import annotations

import gettext
import io
from pathlib import Path

import polib

from pipeline.errors import CatalogError
from pipeline.fileio import atomic_write_text
from pipeline.language import base_language, normalize

DOMAIN = "pages"
PACKAGE_DIR = Path(__file__).resolve().parent
TEMPLATES_DIR = PACKAGE_DIR / "templates"
LOCALE_DIR = PACKAGE_DIR / "locale"
POT_PATH = LOCALE_DIR / f"{DOMAIN}.pot"
#: Babel's extraction method for Jinja2 templates (shipped by Jinja2), by import path.
JINJA_EXTRACTOR = "jinja2.ext:babel_extract"
#: The options the renderer's environment uses, so the extractor parses templates the same way.
EXTRACT_OPTIONS = {
    "extensions": "jinja2.ext.i18n",
    "trim_blocks": "true",
    "lstrip_blocks": "true",
    "silent": "false",
}
COMMENT_TAG = "Translators:"


def catalog_path(lang: str) -> Path | None:
    """The shipped PO file for ``lang`` (``ar_EG`` falls back to ``ar``), or None: English."""
    for code in dict.fromkeys((normalize(lang), base_language(lang))):
        path = LOCALE_DIR / code / "LC_MESSAGES" / f"{DOMAIN}.po"
        if path.is_file():
            return path
    return None


def load_translations(path: Path | None) -> gettext.NullTranslations:
    """The catalog at ``path`` compiled in memory; English (no translation) for None."""
    if path is None:
        return gettext.NullTranslations()
    try:
        mo = polib.pofile(str(path)).to_binary()
    except (OSError, ValueError) as exc:
        raise CatalogError(f"cannot read the pages' interface catalog ({exc})", path) from None
    return gettext.GNUTranslations(io.BytesIO(mo))


def extract_messages() -> list[polib.POEntry]:
    """The templates' translatable strings, in order of first use, with where and why they appear."""
    from babel.messages.extract import extract_from_dir

    found: dict[str, polib.POEntry] = {}
    messages = extract_from_dir(
        TEMPLATES_DIR,
        method_map=[("**.j2", JINJA_EXTRACTOR)],
        options_map={"**.j2": EXTRACT_OPTIONS},
        comment_tags=(COMMENT_TAG,),
        strip_comment_tags=True,
    )
    for filename, lineno, message, comments, _context in messages:
        if not isinstance(message, str):  # ngettext's (singular, plural): the templates use none
            raise ValueError(f"templates/{filename}:{lineno}: plural messages are not supported")
        entry = found.setdefault(message, polib.POEntry(msgid=message, msgstr=""))
        entry.occurrences.append((f"templates/{filename}", str(lineno)))
        for comment in comments:
            if comment not in (entry.comment or "").splitlines():
                entry.comment = f"{entry.comment}\n{comment}" if entry.comment else comment
    return list(found.values())


def build_pot() -> polib.POFile:
    pot = polib.POFile(wrapwidth=100)
    pot.metadata = {
        "Project-Id-Version": "newsroom-pipeline pages",
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
    }
    pot.header = "Interface strings of the rendered pages. Regenerate with: python -m pipeline.render.i18n"
    pot.extend(extract_messages())
    return pot


def write_pot(path: Path = POT_PATH) -> bool:
    """Write the POT; False when it already has these exact bytes."""
    return atomic_write_text(path, str(build_pot()) + "\n")


if __name__ == "__main__":
    print(f"{POT_PATH}: {'written' if write_pot() else 'unchanged'}")
