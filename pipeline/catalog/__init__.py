"""Catalogs: translation units in and out of gettext PO files, and what is known about them.

``po`` reads and writes the files (and knows their paths), ``merge`` merges a run into an existing
file like msgmerge, ``plurals`` holds the ``Plural-Forms`` rules, ``layout`` the article structure
the renderer needs, ``memory`` reviewed translations reused across articles, ``checks`` the QA
warnings, ``status`` review progress and ``mo`` compiled catalogs. The names most callers need are
re-exported here, lazily: ``render`` imports ``catalog.layout`` and must not pay for the merge and
memory machinery (nor the ingest stage the memory normalizes text with). The QA checks are imported
from their module (they pull in the glossary).
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pipeline.catalog.layout import (
        LAYOUT_VERSION,
        Layout,
        LayoutBlock,
        LayoutSegment,
        read_layout,
        write_layout,
    )
    from pipeline.catalog.memory import Hit, TranslationMemory
    from pipeline.catalog.merge import Message, build_catalog, build_template, match_changed
    from pipeline.catalog.mo import compile_all, mo_bytes, mo_path
    from pipeline.catalog.plurals import GETTEXT_PLURALS, plural_forms, plural_rule_drift
    from pipeline.catalog.po import (
        entry_key,
        is_reviewed,
        is_translated,
        layout_path,
        po_path,
        read_po,
        reusable,
        syntax_problem,
        template_path,
        translations,
        write_po,
    )
    from pipeline.catalog.status import Counts, State, Summary, percent_reviewed, po_files, po_status, scan

#: Where each re-exported name lives.
_HOME: dict[str, str] = {
    "Counts": "pipeline.catalog.status",
    "GETTEXT_PLURALS": "pipeline.catalog.plurals",
    "Hit": "pipeline.catalog.memory",
    "LAYOUT_VERSION": "pipeline.catalog.layout",
    "Layout": "pipeline.catalog.layout",
    "LayoutBlock": "pipeline.catalog.layout",
    "LayoutSegment": "pipeline.catalog.layout",
    "Message": "pipeline.catalog.merge",
    "State": "pipeline.catalog.status",
    "Summary": "pipeline.catalog.status",
    "TranslationMemory": "pipeline.catalog.memory",
    "build_catalog": "pipeline.catalog.merge",
    "build_template": "pipeline.catalog.merge",
    "compile_all": "pipeline.catalog.mo",
    "entry_key": "pipeline.catalog.po",
    "is_reviewed": "pipeline.catalog.po",
    "is_translated": "pipeline.catalog.po",
    "layout_path": "pipeline.catalog.po",
    "match_changed": "pipeline.catalog.merge",
    "mo_bytes": "pipeline.catalog.mo",
    "mo_path": "pipeline.catalog.mo",
    "percent_reviewed": "pipeline.catalog.status",
    "plural_forms": "pipeline.catalog.plurals",
    "plural_rule_drift": "pipeline.catalog.plurals",
    "po_files": "pipeline.catalog.status",
    "po_path": "pipeline.catalog.po",
    "po_status": "pipeline.catalog.status",
    "read_layout": "pipeline.catalog.layout",
    "read_po": "pipeline.catalog.po",
    "reusable": "pipeline.catalog.po",
    "scan": "pipeline.catalog.status",
    "syntax_problem": "pipeline.catalog.po",
    "template_path": "pipeline.catalog.po",
    "translations": "pipeline.catalog.po",
    "write_layout": "pipeline.catalog.layout",
    "write_po": "pipeline.catalog.po",
}

__all__ = [
    "Counts",
    "GETTEXT_PLURALS",
    "Hit",
    "LAYOUT_VERSION",
    "Layout",
    "LayoutBlock",
    "LayoutSegment",
    "Message",
    "State",
    "Summary",
    "TranslationMemory",
    "build_catalog",
    "build_template",
    "compile_all",
    "entry_key",
    "is_reviewed",
    "is_translated",
    "layout_path",
    "match_changed",
    "mo_bytes",
    "mo_path",
    "percent_reviewed",
    "plural_forms",
    "plural_rule_drift",
    "po_files",
    "po_path",
    "po_status",
    "read_layout",
    "read_po",
    "reusable",
    "scan",
    "syntax_problem",
    "template_path",
    "translations",
    "write_layout",
    "write_po",
]


def __getattr__(name: str) -> Any:
    if name in _HOME:
        value = getattr(import_module(_HOME[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
