"""Newsroom translation pipeline: articles in, reviewable PO files and localized pages out.

The stages live one module each, in data-path order: ``documents`` (ingest) → ``segmentation`` →
``glossary``/``protection`` → ``backends`` (machine translation) → ``catalogs`` (PO files) →
``rendering`` (pages). ``cli`` is a thin layer over them.
"""

__version__ = "0.1.0"
