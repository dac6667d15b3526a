"""What ingest hands to the rest of the pipeline: a :class:`Document` of typed :class:`Block` s.

Blocks carry a *kind* because later stages treat them differently: headlines and subheadings are
not split into sentences, captions are deduplicated, bylines keep names untranslated, and the PO
comments and page templates use the same vocabulary.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, get_args

from pipeline.errors import PipelineWarning
from pipeline.ingest.inline import Span

#: Block kinds, in the vocabulary PO comments and templates use.
BlockKind = Literal["section", "headline", "subheading", "byline", "caption", "paragraph", "quote"]
BLOCK_KINDS: tuple[BlockKind, ...] = get_args(BlockKind)

#: Article formats, one parser each.
Format = Literal["text", "markdown", "html"]
FORMATS: tuple[Format, ...] = get_args(Format)


@dataclass(frozen=True)
class Block:
    """One unit of article structure; ``text`` has inline line breaks folded to single spaces."""

    kind: BlockKind
    text: str
    line: int  # 1-based line of the source file where the block starts
    #: Inline elements (links, emphasis, code, line breaks) over ``text``; see :mod:`.inline`.
    spans: tuple[Span, ...] = ()
    #: Where the block stands in the original HTML page (``PATH#FINGERPRINT``, see
    #: :mod:`.anchors`), for the page translated in place; ``""`` for other formats or none found.
    anchor: str = ""


@dataclass
class Document:
    """A parsed article: where it came from, a file-system-safe slug, and its blocks in order."""

    path: Path
    slug: str
    format: Format
    blocks: list[Block] = field(default_factory=list)
    #: What ingest could not be sure of (little text for the page, no headline, a comment footer cut
    #: that dropped text), each naming the file (and line where there is one): the translate command
    #: prints each as a ``warning:`` line; ``--strict`` makes the first one the file's error.
    warnings: list[PipelineWarning] = field(default_factory=list)
    #: The HTML page as read (decoded), kept beside the layout so the page translated in place can
    #: be rendered later without the source file; ``""`` for other formats.
    original: str = ""

    @property
    def headline(self) -> str | None:
        """The headline text, for page titles and logs; ``None`` when the article has none."""
        return next((b.text for b in self.blocks if b.kind == "headline"), None)
