"""Which parser an article needs, and the name its outputs go under.

The suffix table is the one list of article file types: folder expansion
(:func:`pipeline.ingest.sources.expand_inputs`) and format detection both read it, so a new
format is added here once.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from pathlib import Path
from typing import Final

from pipeline.ingest.model import Format

#: Longest slug: it names files such as ``.<slug>.layout.json.<8>.tmp`` that must fit in the
#: 255 bytes a file name may have on ext4, APFS and NTFS, with room for a parent folder's URL.
MAX_SLUG = 80

#: Article file suffixes (lower case) and the format each one means.
SUFFIX_FORMATS: Final[dict[str, Format]] = {
    ".txt": "text",
    ".text": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
}
#: The suffixes a folder is searched for, in the order messages list them.
ARTICLE_SUFFIXES: Final[tuple[str, ...]] = tuple(SUFFIX_FORMATS)

_HTML_START = re.compile(r"\s*<(?:!doctype\b|!--|\?xml\b|[a-z][a-z0-9-]*(?:[\s/>]|$))", re.IGNORECASE)
_MARKDOWN_START = re.compile(r"\s*(?:---\n|#{1,6}[ \t]+\S)")


def detect_format(path: str | Path, text: str) -> Format:
    """The article format: from the file extension, else sniffed from the first characters.

    Sniffing is conservative: a leading HTML tag means HTML; front matter or an ATX heading on
    the first line means Markdown; anything else is plain text, which is the most forgiving parser.
    """
    fmt = SUFFIX_FORMATS.get(Path(path).suffix.lower())
    if fmt:
        return fmt
    head = text[:2048]
    if _HTML_START.match(head):
        return "html"
    if _MARKDOWN_START.match(head):
        return "markdown"
    return "text"


#: What :func:`slugify` makes, and all a slug read back from ``locales/templates/`` may be: it
#: names files and goes into links, so anything else there is refused (see ``render``).
SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def is_slug(name: str) -> bool:
    return SLUG.fullmatch(name) is not None


def slugify(path: str | Path) -> str:
    """A file-system- and URL-safe name from the file stem, used for output folders and PO names.

    Accents are folded to ASCII first (``Café`` -> ``cafe``) so slugs stay readable. Letters that
    have no ASCII form (an Arabic file name) would vanish, and two such names would get one slug
    and overwrite each other's files, so their slug ends in a short hash of the whole stem
    (``مقال.txt`` -> ``article-…``); a stem with no ASCII letters or digits starts ``article``.
    Slugs are cut to :data:`MAX_SLUG` characters, hash included, so a 254-character file name
    still fits the file system.
    """
    stem = Path(path).stem
    folded = unicodedata.normalize("NFKD", stem)
    ascii_stem = folded.encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_stem.lower()).strip("-") or "article"
    digest = ""
    if any(ord(c) > 127 and not unicodedata.combining(c) for c in folded):
        digest = "-" + hashlib.sha1(unicodedata.normalize("NFC", stem).encode("utf-8")).hexdigest()[:8]
    room = MAX_SLUG - len(digest)
    if len(slug) > room:  # cut at a word boundary when there is one in the second half
        cut = slug.rfind("-", room // 2, room + 1)
        slug = slug[: cut if cut > 0 else room].strip("-")
    return slug + digest
