"""Plain-text articles: blocks separated by blank lines, as scraped news copy comes.

There is no markup to say what a block is, so its kind comes from its shape and position (see
:func:`parse_text`); the heuristics are tuned on the newsroom's scraped copy.
"""

from __future__ import annotations

from pathlib import Path

from pipeline.ingest.boilerplate import finish, is_boilerplate
from pipeline.ingest.classify import (
    fold,
    is_byline,
    is_caption,
    is_quote,
    is_terminal,
    starts_like_name,
    word_count,
)
from pipeline.ingest.decode import normalise_newlines
from pipeline.ingest.model import Block, BlockKind

#: A plain-text block: its numbered, folded lines and the whole block folded to one line.
_TextBlock = tuple[list[tuple[int, str]], str]


def _split_blocks(text: str) -> list[list[tuple[int, str]]]:
    """Split on blank lines into blocks of (1-based line number, line) pairs.

    Only LF counts as a line break (not the other characters ``str.splitlines`` honours) so that
    line numbers agree with editors and with the HTML and Markdown parsers.
    """
    blocks: list[list[tuple[int, str]]] = []
    current: list[tuple[int, str]] = []
    for number, line in enumerate(text.split("\n"), start=1):
        if fold(line):
            current.append((number, line))
        elif current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    return blocks


def _is_section_line(line: str) -> bool:
    """A section label: a few capitalised words, no sentence punctuation, no comma."""
    return (
        0 < word_count(line) <= 5
        and len(line) <= 40
        and starts_like_name(line)
        and not is_terminal(line)
        and "," not in line
        and not is_byline(line)
    )


def _is_heading_like(text: str, max_words: int) -> bool:
    """Short and not ending like a sentence: a headline or subheading, not prose."""
    return 0 < word_count(text) <= max_words and not is_terminal(text) and not is_caption(text)


def parse_text(
    text: str, path: str | Path | None = None, *, dropped: list[Block] | None = None
) -> list[Block]:
    """Parse a plain-text article: blocks separated by blank lines, as scraped news copy comes.

    Heuristics, in order: leading short label lines are sections ("Iraq News", "Terrorism"); the
    first block that does not end like a sentence is the headline; "By Name" is the byline; a
    block ending with a bracketed credit is a caption; a block that is one quotation is a quote;
    a short unpunctuated line after the headline is a subheading; the rest are paragraphs. Once
    the comment footer ("Do you like this article?") starts, nothing after it is kept (the
    footer's blocks go to ``dropped``, so the caller can warn).
    """
    del path  # pure: the path is accepted for symmetry with the other parsers
    raw_blocks: list[_TextBlock] = [
        ([(n, fold(line)) for n, line in raw], fold(" ".join(line for _, line in raw)))
        for raw in _split_blocks(normalise_newlines(text))
    ]
    # Furniture can sit anywhere, even above the headline: look ahead past it to the next content.
    furniture = [is_boilerplate(joined) for _, joined in raw_blocks]
    blocks: list[Block] = []
    headline_done = False
    seen_paragraph = False
    for idx, (lines, joined) in enumerate(raw_blocks):
        start = lines[0][0]
        if furniture[idx]:
            blocks.append(Block("paragraph", joined, start))  # dropped, or the footer cut, by finish
            continue
        if not headline_done and not seen_paragraph:
            nxt = next((raw_blocks[j] for j in range(idx + 1, len(raw_blocks)) if not furniture[j]), None)
            if _leading_sections(lines, nxt):
                blocks.extend(Block("section", line, n) for n, line in lines)
                continue
            if _is_headline(lines, joined, nxt):
                blocks.append(Block("headline", joined, start))
                headline_done = True
                continue
        kind = _classify_text_block(joined, len(lines))
        seen_paragraph = seen_paragraph or kind == "paragraph"
        blocks.append(Block(kind, joined, start))
    return finish(blocks, dropped)


def _is_headline(lines: list[tuple[int, str]], joined: str, nxt: _TextBlock | None) -> bool:
    """A short block that does not read as a sentence, or a short question right above the byline."""
    if len(lines) > 3 or is_byline(joined):
        return False
    if _is_heading_like(joined, 25):
        return True
    return word_count(joined) <= 15 and joined[-1] in "?!" and _next_is_byline(nxt)


def _next_is_byline(nxt: _TextBlock | None) -> bool:
    return nxt is not None and is_byline(nxt[1])


def _leading_sections(lines: list[tuple[int, str]], nxt: _TextBlock | None) -> bool:
    """Is this leading block a stack of section labels rather than the headline?

    Several short label lines are sections. A single short line is a section only when a headline
    candidate follows it; otherwise it is the (short) headline itself.
    """
    if len(lines) > 5 or not all(_is_section_line(line) for _, line in lines):
        return False
    if len(lines) > 1:
        return True
    if nxt is None or len(nxt[0]) > 3:
        return False
    return _is_heading_like(nxt[1], 25) and not is_byline(nxt[1])


def _classify_text_block(text: str, n_lines: int) -> BlockKind:
    """Kind of a plain-text block once sections and the headline are settled."""
    if is_byline(text):
        return "byline"
    if is_caption(text):
        return "caption"
    if is_quote(text):
        return "quote"
    if n_lines == 1 and len(text) <= 100 and _is_heading_like(text, 12):
        return "subheading"
    return "paragraph"
