"""Compile: binary ``.mo`` catalogs next to the PO files, so applications can use gettext at runtime.

A separate command, not part of ``render``: rendering only *reads* ``locales/`` (the folder
translators and Weblate commit to) and writes pages under ``build/``; writing binaries into the
translators' folder is a deliberate step a deployment runs. Like ``msgfmt``, fuzzy (machine,
unreviewed) translations are left out unless ``use_fuzzy`` is set, so a runtime never shows
unreviewed text by accident. Keys are ``msgctxt``-qualified (``pgettext(segment_id, sentence)``).
polib writes the file; it is byte-stable, and an unchanged catalog leaves the ``.mo`` untouched.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from pathlib import Path

import polib

from pipeline.catalog.po import read_po
from pipeline.catalog.status import po_files
from pipeline.errors import PipelineError
from pipeline.fileio import atomic_write_bytes


def mo_bytes(po: polib.POFile, *, use_fuzzy: bool = False) -> bytes:
    """The ``.mo`` msgfmt would write: its header drops ``POT-Creation-Date`` (a template date is
    not runtime data, and leaving it out keeps builds reproducible)."""
    po = copy.deepcopy(po)
    po.metadata.pop("POT-Creation-Date", None)
    if use_fuzzy:
        for entry in po:
            if "fuzzy" in entry.flags and not entry.obsolete:
                entry.flags.remove("fuzzy")
    return po.to_binary()


def mo_path(po_file: Path) -> Path:
    return po_file.with_suffix(".mo")


def compile_all(
    locales: str | Path,
    langs: Iterable[str] | None = None,
    *,
    use_fuzzy: bool = False,
    errors: list[PipelineError] | None = None,
) -> list[Path]:
    """Write ``<name>.mo`` beside every PO file; returns the files whose bytes changed."""
    written: list[Path] = []
    for _, path in po_files(Path(locales), langs):
        try:
            data = mo_bytes(read_po(path), use_fuzzy=use_fuzzy)
        except PipelineError as exc:
            if errors is None:
                raise
            errors.append(exc)
            continue
        if atomic_write_bytes(mo_path(path), data):
            written.append(mo_path(path))
    return written
