"""The article layout: which sentences make which block, kept beside the template.

The translate job writes it (``locales/templates/<slug>.layout.json``) and the renderer reads it,
so that pages can be rendered from PO files alone, without the article or the model. It is a
contract between two commands that may run different versions of the package, hence a typed
structure with a version, checked field by field when read: a hand-edited or truncated file is
reported as a :class:`~pipeline.errors.CatalogError` naming it, not a ``KeyError`` in a template.

Version 1 is the format every release so far has written; a file without a ``version`` key is
version 1. ``warnings`` (what ingest could not be sure of: little article text, no headline) is an
optional field of version 1, written only when there are some, so a layout without warnings keeps
the bytes earlier releases wrote and earlier releases still read the file. The JSON is written with
sorted keys, so a re-run over an unchanged article writes the
same bytes (and :func:`write_layout` then leaves the file untouched).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.errors import CatalogError
from pipeline.fileio import atomic_write_text
from pipeline.ingest.inline import Element, InlineTag

LAYOUT_VERSION = 1
#: Written when a sentence has inline tags (their elements and attributes live here, not in the PO
#: file); a release that only reads version 1 then says so instead of showing ``<a1>`` as text.
TAGS_VERSION = 2


@dataclass(frozen=True)
class LayoutSegment:
    """One sentence: its ``msgctxt`` in the PO files, its English text, and what follows it."""

    id: str
    text: str
    sep: str = " "  # the whitespace between this sentence and the next in the block
    #: The sentence's inline tags: element, attributes (``href``), verbatim content.
    tags: tuple[InlineTag, ...] = ()

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"id": self.id, "text": self.text, "sep": self.sep}
        if self.tags:
            data["tags"] = {t.name: _tag_json(t) for t in self.tags}
        return data

    @classmethod
    def from_json(cls, data: object, where: str) -> LayoutSegment:
        fields = _object(data, where)
        tags = _field(fields, "tags", dict, where, default={})
        return cls(
            _field(fields, "id", str, where),
            _field(fields, "text", str, where),
            _field(fields, "sep", str, where, default=" "),
            tuple(_tag_from_json(name, value, f"{where}.tags.{name}") for name, value in tags.items()),
        )


def _tag_json(tag: InlineTag) -> dict[str, Any]:
    data: dict[str, Any] = {"tag": tag.element.tag, "attrs": dict(tag.element.attrs)}
    if tag.element.verbatim:
        data["verbatim"] = tag.text
    return data


def _tag_from_json(name: str, data: object, where: str) -> InlineTag:
    fields = _object(data, where)
    attrs = _field(fields, "attrs", dict, where, default={})
    if not all(isinstance(k, str) and isinstance(v, str) for k, v in attrs.items()):
        raise ValueError(f"{where}.attrs is not an object of strings")
    verbatim = _field(fields, "verbatim", str, where, default=None) if "verbatim" in fields else None
    element = Element(_field(fields, "tag", str, where), tuple(sorted(attrs.items())), verbatim is not None)
    return InlineTag(name, element, verbatim or "")


@dataclass(frozen=True)
class LayoutBlock:
    """One block of the article (``kind`` as the ingest stage classified it, source ``line``)."""

    kind: str
    line: int
    segments: tuple[LayoutSegment, ...]
    #: Where the block stands in the original HTML page (``PATH#FINGERPRINT``,
    #: :mod:`pipeline.ingest.anchors`); written only when there is one, so text and Markdown
    #: articles keep the bytes earlier releases wrote (which ignore the key).
    anchor: str = ""

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "kind": self.kind,
            "line": self.line,
            "segments": [s.to_json() for s in self.segments],
        }
        if self.anchor:
            data["anchor"] = self.anchor
        return data

    @classmethod
    def from_json(cls, data: object, where: str) -> LayoutBlock:
        fields = _object(data, where)
        segments = _field(fields, "segments", list, where)
        return cls(
            _field(fields, "kind", str, where),
            _field(fields, "line", int, where),
            tuple(LayoutSegment.from_json(s, f"{where}.segments[{i}]") for i, s in enumerate(segments)),
            _field(fields, "anchor", str, where, default=""),
        )


@dataclass(frozen=True)
class Layout:
    """An article's structure: its slug, source file (as shown to readers) and format, and blocks."""

    slug: str
    source: str
    format: str
    blocks: tuple[LayoutBlock, ...]
    version: int = LAYOUT_VERSION
    #: Ingest's warnings on the article at the last translate run, for ``status`` to show.
    warnings: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        tagged = any(s.tags for b in self.blocks for s in b.segments)
        data: dict[str, Any] = {
            "version": max(self.version, TAGS_VERSION) if tagged else self.version,
            "slug": self.slug,
            "source": self.source,
            "format": self.format,
            "blocks": [b.to_json() for b in self.blocks],
        }
        if self.warnings:
            data["warnings"] = list(self.warnings)
        return data

    @classmethod
    def from_json(cls, data: object) -> Layout:
        """Check every field; raises ``ValueError`` saying which one is missing or wrong."""
        fields = _object(data, "layout")
        version = _field(fields, "version", int, "layout", default=LAYOUT_VERSION)
        if version not in (LAYOUT_VERSION, TAGS_VERSION):
            raise ValueError(
                f"unknown layout version {version!r} (this release reads {LAYOUT_VERSION} and {TAGS_VERSION})"
            )
        blocks = _field(fields, "blocks", list, "layout")
        notes = _field(fields, "warnings", list, "layout", default=[])
        if not all(isinstance(n, str) for n in notes):
            raise ValueError("layout.warnings is not a list of strings")
        return cls(
            _field(fields, "slug", str, "layout"),
            _field(fields, "source", str, "layout"),
            _field(fields, "format", str, "layout"),
            tuple(LayoutBlock.from_json(b, f"blocks[{i}]") for i, b in enumerate(blocks)),
            version,
            tuple(notes),
        )


def _object(data: object, where: str) -> Mapping[str, object]:
    if not isinstance(data, dict):
        raise ValueError(f"{where} is not a JSON object")
    return data


def _field(fields: Mapping[str, object], name: str, kind: type, where: str, default: Any = ...) -> Any:
    if name not in fields:
        if default is ...:
            raise ValueError(f"{where} has no '{name}'")
        return default
    value = fields[name]
    # bool is an int to Python, never a line number or a version to us
    if not isinstance(value, kind) or isinstance(value, bool) and kind is not bool:
        raise ValueError(f"{where}.{name} is not {_JSON_NAMES.get(kind, kind.__name__)}")
    return value


_JSON_NAMES = {str: "a string", int: "an integer", list: "a list", dict: "an object"}


def write_layout(path: str | Path, layout: Layout) -> bool:
    """Write atomically; returns False when the file already has these exact bytes."""
    text = json.dumps(layout.to_json(), ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    return atomic_write_text(path, text)


#: The copy of an HTML article's page kept beside its layout (``<slug>.original.html``), so that
#: ``render`` can write the page translated in place from the locales folder alone, whatever has
#: become of the source file since (moved, edited, deleted): the anchors were taken on this copy.
ORIGINAL_SUFFIX = ".original.html"


def original_path(layout_file: str | Path) -> Path:
    """The original page's copy next to a layout file (``x.layout.json`` → ``x.original.html``)."""
    layout_file = Path(layout_file)
    name = layout_file.name.removesuffix(".layout.json")
    return layout_file.with_name(name + ORIGINAL_SUFFIX)


def write_original(layout_file: str | Path, page: str) -> bool:
    """Keep the page's copy (atomically); False when the copy already has these exact bytes."""
    return atomic_write_text(original_path(layout_file), page)


def read_original(layout_file: str | Path) -> str | None:
    """The original page's copy, or ``None`` when there is none (or it cannot be read as UTF-8)."""
    try:
        return original_path(layout_file).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def read_layout(path: str | Path) -> Layout:
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise CatalogError(f"cannot read article layout: {exc.strerror}", path) from None
    except ValueError as exc:
        raise CatalogError(f"article layout is not valid JSON ({exc})", path) from None
    try:
        return Layout.from_json(data)
    except ValueError as exc:
        raise CatalogError(f"malformed article layout ({exc})", path) from None
