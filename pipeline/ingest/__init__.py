"""Ingest: articles (plain text, Markdown, HTML) into typed blocks.

:func:`load_document` reads a file and turns every problem a user can fix (missing file, wrong
encoding, binary data, nothing to translate) into an :class:`~pipeline.errors.InputError` that
names the file and, where it helps, the line. Everything after that is pure: :func:`parse_text`,
:func:`parse_markdown` and :func:`parse_html` take a string and return :class:`Block` objects;
they never raise on odd input, except ``parse_html`` when a page has no translatable text at all
(an HTML file that yields nothing is almost always the wrong file). Page furniture (comment boxes,
share links, cookie notices, copyright lines) is dropped here so translators never see it.

The modules, in the order an article passes through them: ``sources`` (files and folders),
``decode`` (bytes to text), ``sniff`` (format and slug), one parser per format (``plaintext``,
``markdown``, ``html``) using the shared ``classify`` tests, and ``boilerplate`` (furniture).
"""

from pipeline.ingest.boilerplate import is_boilerplate
from pipeline.ingest.decode import MAX_BYTES, decode_article
from pipeline.ingest.html import parse_html
from pipeline.ingest.markdown import parse_markdown
from pipeline.ingest.model import BLOCK_KINDS, FORMATS, Block, BlockKind, Document, Format
from pipeline.ingest.plaintext import parse_text
from pipeline.ingest.sniff import ARTICLE_SUFFIXES, detect_format, slugify
from pipeline.ingest.sources import expand_inputs, load_document

__all__ = [
    "ARTICLE_SUFFIXES",
    "BLOCK_KINDS",
    "FORMATS",
    "MAX_BYTES",
    "Block",
    "BlockKind",
    "Document",
    "Format",
    "decode_article",
    "detect_format",
    "expand_inputs",
    "is_boilerplate",
    "load_document",
    "parse_html",
    "parse_markdown",
    "parse_text",
    "slugify",
]
