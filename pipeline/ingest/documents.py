"""Ingest: articles (plain text, Markdown, HTML) into typed blocks.

This is the pipeline's I/O edge for articles. :func:`load_document` reads a file and turns every
problem a user can fix (missing file, wrong encoding, binary data, nothing to translate) into an
:class:`~pipeline.errors.InputError` that names the file and, where it helps, the line. Everything
after that is pure: ``parse_text``, ``parse_markdown`` and ``parse_html`` take a string and return
:class:`Block` objects; they never raise on odd input, except ``parse_html`` when a page has no
translatable text at all (an HTML file that yields nothing is almost always the wrong file).

Blocks carry a *kind* because later stages treat them differently: headlines and subheadings are
not split into sentences, captions are deduplicated, bylines keep names untranslated, and the PO
comments and page templates use the same vocabulary. Page furniture (comment boxes, share links,
cookie notices, copyright lines) is dropped here so translators never see it.
"""

from __future__ import annotations

import re
import unicodedata
import warnings
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.errors import InputError

#: Block kinds, in the vocabulary PO comments and templates use.
BLOCK_KINDS = ("section", "headline", "subheading", "byline", "caption", "paragraph", "quote")

#: Bigger than any article; a file this size is a mistake (a dump, a video), not news copy.
MAX_BYTES = 20 * 1024 * 1024

_EXTENSIONS = {
    ".txt": "text",
    ".text": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
}


@dataclass(frozen=True)
class Block:
    """One unit of article structure; ``text`` has inline line breaks folded to single spaces."""

    kind: str
    text: str
    line: int  # 1-based line of the source file where the block starts


@dataclass
class Document:
    """A parsed article: where it came from, a file-system-safe slug, and its blocks in order."""

    path: Path
    slug: str
    format: str  # "text" | "markdown" | "html"
    blocks: list[Block] = field(default_factory=list)

    @property
    def headline(self) -> str | None:
        """The headline text, for page titles and logs; ``None`` when the article has none."""
        return next((b.text for b in self.blocks if b.kind == "headline"), None)


# --------------------------------------------------------------------------------------------
# Loading (the only place that touches the file system)
# --------------------------------------------------------------------------------------------


def load_document(path: str | Path) -> Document:
    """Read an article file and parse it into blocks.

    Raises :class:`InputError` with a one-line, actionable message for anything the user can fix:
    the file is missing, a directory, unreadable, binary, not UTF-8, empty, or has nothing left to
    translate once page furniture is dropped.
    """
    p = Path(path)
    raw = _read_bytes(p)
    text = decode_article(raw, p)
    fmt = detect_format(p, text)
    parser = _PARSERS[fmt]
    blocks = parser(text, p)
    if not blocks:
        raise InputError(
            "no translatable content: after dropping page furniture (comment boxes, share links, "
            "footers) nothing is left to translate; check that this is the article file",
            p,
        )
    return Document(path=p, slug=slugify(p), format=fmt, blocks=blocks)


def _read_bytes(p: Path) -> bytes:
    """Read the file, turning OS errors into messages that say what to do about them."""
    if p.is_dir():
        raise InputError("is a directory; pass an article file (.txt, .md or .html)", p)
    if p.exists() and not p.is_file():
        raise InputError("not a regular file; pass an article file (.txt, .md or .html)", p)
    try:
        size = p.stat().st_size
        if size > MAX_BYTES:
            raise InputError(
                f"file is {size // (1024 * 1024)} MiB, too large to be an article "
                f"(limit {MAX_BYTES // (1024 * 1024)} MiB); check the path",
                p,
            )
        return p.read_bytes()
    except FileNotFoundError:
        raise InputError("file not found; check the path", p) from None
    except IsADirectoryError:
        raise InputError("is a directory; pass an article file (.txt, .md or .html)", p) from None
    except PermissionError:
        raise InputError("permission denied: cannot read the file; check its permissions", p) from None
    except OSError as exc:
        raise InputError(f"cannot read the file: {exc.strerror or exc}", p) from None


def _line_of_offset(raw: bytes, offset: int) -> tuple[int, int]:
    """1-based (line, column) of a byte offset, counting CRLF, CR and LF as one break each."""
    before = raw[:offset]
    lines = re.split(rb"\r\n|\r|\n", before)
    return len(lines), len(lines[-1]) + 1


def decode_article(raw: bytes, path: str | Path | None = None) -> str:
    """Decode article bytes as UTF-8: strip a BOM, reject binary data, normalise line breaks.

    Line endings are normalised to LF here, before parsing, so block line numbers match what an
    editor shows whatever platform wrote the file.
    """
    bom = 0
    if raw.startswith(b"\xef\xbb\xbf"):
        bom = 3
    elif raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError("file is UTF-16 encoded; re-save it as UTF-8", path, 1)
    body = raw[bom:]
    nul = body.find(b"\x00")
    if nul >= 0:
        line, _ = _line_of_offset(raw, nul + bom)
        raise InputError(
            f"file looks binary (NUL byte at byte offset {nul + bom}); expected a UTF-8 text, "
            "Markdown or HTML article",
            path,
            line,
        )
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        offset = exc.start + bom
        line, column = _line_of_offset(raw, offset)
        raise InputError(
            f"invalid UTF-8 byte 0x{raw[offset]:02x} at byte offset {offset} (line {line}, column "
            f"{column}); re-save the file as UTF-8",
            path,
            line,
        ) from None
    text = _normalise_newlines(text)
    if not text.strip():
        raise InputError("article is empty; nothing to translate", path)
    return text


def _normalise_newlines(text: str) -> str:
    """LF line breaks only, and no BOM, so every parser counts lines the same way."""
    if text.startswith("\ufeff"):
        text = text[1:]
    return text.replace("\r\n", "\n").replace("\r", "\n")


_HTML_START = re.compile(r"\s*<(?:!doctype\b|!--|\?xml\b|[a-z][a-z0-9-]*(?:[\s/>]|$))", re.IGNORECASE)
_MARKDOWN_START = re.compile(r"\s*(?:---\n|#{1,6}[ \t]+\S)")


def detect_format(path: str | Path, text: str) -> str:
    """The article format: from the file extension, else sniffed from the first characters.

    Sniffing is conservative: a leading HTML tag means HTML; front matter or an ATX heading on
    the first line means Markdown; anything else is plain text, which is the most forgiving parser.
    """
    fmt = _EXTENSIONS.get(Path(path).suffix.lower())
    if fmt:
        return fmt
    head = text[:2048]
    if _HTML_START.match(head):
        return "html"
    if _MARKDOWN_START.match(head):
        return "markdown"
    return "text"


def slugify(path: str | Path) -> str:
    """A file-system- and URL-safe name from the file stem, used for output folders and PO names.

    Accents are folded to ASCII first (``Café`` -> ``cafe``) so slugs stay readable; a stem with no
    ASCII letters or digits at all (e.g. an Arabic file name) falls back to ``article``.
    """
    stem = Path(path).stem
    ascii_stem = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_stem.lower()).strip("-")
    return slug or "article"


# --------------------------------------------------------------------------------------------
# Shared text helpers and heuristics
# --------------------------------------------------------------------------------------------

# Control characters other than whitespace: they are invisible, break PO files, and carry no text.
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1b\x7f]")


def _fold(text: str) -> str:
    """Fold inline whitespace and line breaks to single spaces; drop invisible control characters."""
    return " ".join(_CONTROL.sub("", text).split())


def _has_content(text: str) -> bool:
    """True when there is at least one letter or digit: a block of only rules or bullets is noise."""
    return any(unicodedata.category(ch)[0] in "LN" for ch in text)


# Sentence-final punctuation (Latin, Arabic, Urdu, CJK), optionally followed by closing quotes or
# brackets: a line ending like this is prose, not a heading.
_TERMINAL = re.compile(r"[.!?…:;؟۔。！？][\"'”’»›)\]]*$")


def _is_terminal(text: str) -> bool:
    """Does the text end like a sentence?"""
    return bool(_TERMINAL.search(text))


# "[Ahmad al-Rubaye/AFP]", "[File]", "[Photo courtesy of ...]". The "/" or a credit word keeps
# editorial insertions such as "[the group]" from turning a paragraph into a caption.
_CREDIT = re.compile(r"\[([^\[\]]{1,100})\]\s*[.]?$")
_CREDIT_WORD = re.compile(
    r"/|\b(?:photo|photos|image|courtesy|file|afp|ap|reuters|getty|epa|xinhua|anadolu|handout|"
    r"video|screenshot|via)\b",
    re.IGNORECASE,
)


def _is_caption(text: str) -> bool:
    """A block ending with a bracketed photo credit, the house style of the sample's captions."""
    m = _CREDIT.search(text)
    return bool(m and _CREDIT_WORD.search(m.group(1)) and _has_content(text[: m.start()]))


def _starts_like_name(word: str) -> bool:
    """Names start with a capital, or with a letter from a script without case (Arabic, CJK)."""
    ch = word[:1]
    return ch.isupper() or (ch.isalpha() and not ch.islower())


def _is_byline(text: str) -> bool:
    """A byline ("By Khalid al-Taie"): By + a name, short, and not read as a sentence.

    The name check matters: "By increasing the severity of punishment, ..." is a paragraph.
    """
    m = re.match(r"(?:By|BY|Written by|Reporting by)\s+(\S+)", text)
    if not m or not _starts_like_name(m.group(1).lstrip("@\"“'‘(")):
        return False
    words = text.split()
    return len(words) <= 12 and len(text) <= 120 and not re.search(r"[.!?]$", text)


_QUOTE_PAIRS = {
    '"': '"”',
    "“": '”"',
    "”": '”"',
    "„": '“”"',
    "«": "»",
    "»": "«",
    "‹": "›",
    "‘": "’'",
    "'": "'’",
    "「": "」",
    "『": "』",
}
_AFTER_QUOTE = re.compile(r"[\s.,;:!?…)\]]*")


def _is_quote(text: str) -> bool:
    """Is the whole block one quotation (the closing quote ends it, bar trailing punctuation)?

    A paragraph that opens with a quote and then attributes it ("...," he said.) is a paragraph,
    so only the *first* closing quote counts. Apostrophes inside words ("group's") are not closing
    single quotes.
    """
    if len(text) < 3 or text[0] not in _QUOTE_PAIRS:
        return False
    closers = _QUOTE_PAIRS[text[0]]
    single = text[0] in "'‘"
    for i in range(1, len(text)):
        ch = text[i]
        if ch not in closers:
            continue
        if single and i + 1 < len(text) and text[i + 1].isalpha():
            continue  # an apostrophe, not a closing quote
        return _has_content(text[1:i]) and bool(_AFTER_QUOTE.fullmatch(text, i + 1))
    return False


def _word_count(text: str) -> int:
    return len(text.split())


# --------------------------------------------------------------------------------------------
# Boilerplate (page furniture)
# --------------------------------------------------------------------------------------------

# Phrases that are furniture on their own and may be run together on one line or in one element
# ("0 Comment(s) Comment Policy * Denotes Required Field 1500 / 1500"). None may end in
# whitespace: the scanner in is_boilerplate needs a separator between phrases.
_FURNITURE_PHRASES = [
    r"do you (?:like|enjoy) this (?:article|story|post)(?:\s*\?)?",
    r"(?:was|is|did you find) this (?:article|story|page) (?:helpful|useful)(?:\s*\?)?",
    r"\d[\d,.]*\s*comments?(?:\s*\(s\))?",
    r"comments?(?:\s*\(s\))?(?:\s*\(\d+\))?(?:\s*:)?",
    r"no comments(?: yet)?\.?",
    r"be the first to comment\.?",
    r"(?:leave|post|add|write) (?:a|your) (?:comment|reply)(?:\s*:)?",
    r"(?:join|start) the (?:conversation|discussion)",
    r"comment policy(?:\s*:)?",
    r"(?:\*\s*)?(?:denotes|indicates) (?:a )?required fields?\.?",
    r"\d+\s*/\s*\d+",
    r"(?:name|e-?mail|comment|website)\s*\*",
    r"(?:submit|send|post)(?: comment)?",
    r"share(?: this| the)?(?: article| story| page| post| video)?"
    r"(?: (?:on|via) (?:facebook|twitter|x|whatsapp|linkedin|telegram|e-?mail|reddit))?(?:\s*:)?",
    r"(?:facebook|twitter|whatsapp|linkedin|telegram|e-?mail|reddit|pinterest|messenger|"
    r"print|tweet|copy link|copy url)",
    r"related(?: articles?| stories| news| posts| content| coverage| links| topics| reading)?(?:\s*:)?",
    r"(?:you (?:may|might) also (?:like|be interested in)|more (?:stories|news|articles)|"
    r"recommended(?: for you| articles| stories| reading)?|see also|also read|read also|"
    r"most (?:read|popular|viewed|shared)|trending(?: now)?|editor'?s picks?)(?:\s*:)?",
    r"(?:read|see|view|show|load) more(?: (?:stories|articles|news|comments))?"
    r"(?:\s*(?:»|›|>+|→|\.\.\.|…))?",
    r"continue reading(?:\s*(?:»|›|→|\.\.\.|…))?",
    r"read (?:the )?full (?:story|article)(?:\s*(?:»|›|→|\.\.\.|…))?",
    r"advertisements?|advertising|sponsored(?: content| links?)?|paid (?:content|post|partner)",
    r"newsletters?(?: sign-?up)?",
    r"(?:accept|reject|allow|decline|manage)(?: all)? cookies?",
    r"cookie (?:policy|settings|preferences|notice|consent)",
    r"back to top|skip to (?:main )?content|print this (?:article|page|story)|"
    r"e-?mail this (?:article|page|story)",
]

# Furniture that swallows the rest of the block, so it may only come last.
_FURNITURE_TAILS = [
    r"subscribe\b.{0,150}",
    r"(?:sign up|register) (?:for|to) (?:our|the) .{0,40}newsletters?\b.{0,150}",
    r"(?:get|join) (?:our|the) .{0,30}newsletters?\b.{0,150}",
    r"follow us\b.{0,100}",
    r"(?:read more|related|see also|also read|read also)\s*:\s*.{1,200}",
    r"(?:this (?:web)?site|we|our (?:web)?site)(?: and (?:our|its) partners)? uses? cookies\b.{0,400}",
    r"by (?:continuing|using)\b.{0,120}\bcookies\b.{0,300}",
    r"(?:©|\(c\)|copyright\s*(?:©|\(c\)|\d{4})).{0,200}",
    r"tags?\s*:.{0,200}",
]

_SEP = re.compile(r"[\s|•·–—,;]+")
_PHRASES = [re.compile(p, re.IGNORECASE) for p in _FURNITURE_PHRASES]
_TAIL = re.compile("(?:" + "|".join(_FURNITURE_TAILS) + ")", re.IGNORECASE | re.DOTALL)
_RIGHTS = re.compile(r".{0,200}\ball rights reserved\b.{0,100}", re.IGNORECASE | re.DOTALL)

# Furniture that starts the comment box / reader-feedback footer; in plain text everything after it
# (form labels, comment counts, other readers' comments) is dropped.
_FOOTER_START = re.compile(
    r"(?:do you (?:like|enjoy) this|(?:was|is|did you find) this (?:article|story|page)|"
    r"\d[\d,.]*\s*comment|comments?\b|comment policy|no comments|be the first to comment|"
    r"(?:leave|post|add|write) (?:a|your) (?:comment|reply)|(?:join|start) the (?:conversation|discussion))",
    re.IGNORECASE,
)

#: Furniture is short; longer blocks are content, and the cap keeps the regex cheap on any input.
_BOILERPLATE_MAX_CHARS = 600


def is_boilerplate(text: str) -> bool:
    """Is this block page furniture rather than content?

    The patterns are anchored on the whole block (after folding whitespace), so a paragraph that
    merely *mentions* comments or sharing is kept; only blocks that are nothing but furniture
    phrases ("Share this article", "0 Comment(s)", "Advertisement", "© 2017 Diyaruna", cookie
    banners) match.
    """
    folded = _fold(text)
    if not folded or len(folded) > _BOILERPLATE_MAX_CHARS:
        return False
    if _RIGHTS.fullmatch(folded):
        return True
    # Scan phrase by phrase, taking the longest phrase at each step and never backtracking: one
    # big alternation regex goes exponential on runs like "comments read more comments read ...".
    pos = 0
    while True:
        if _TAIL.fullmatch(folded, pos):
            return True
        end = max((m.end() for r in _PHRASES if (m := r.match(folded, pos))), default=pos)
        if end == pos:
            return False
        if end == len(folded):
            return True
        sep = _SEP.match(folded, end)
        if sep is None:
            return False
        pos = sep.end()


def _is_footer_start(text: str) -> bool:
    """Furniture that opens the comment/feedback footer (everything after it is not article)."""
    return is_boilerplate(text) and bool(_FOOTER_START.match(_fold(text)))


def _finish(blocks: Iterable[Block]) -> list[Block]:
    """Drop furniture and empty blocks; cut at the comment footer once the article has begun.

    The footer cut waits for the first paragraph so that a "3 Comments" counter next to the byline
    cannot swallow the article.
    """
    out: list[Block] = []
    seen_paragraph = False
    for block in blocks:
        if not block.text or not _has_content(block.text):
            continue
        if is_boilerplate(block.text):
            if seen_paragraph and _is_footer_start(block.text):
                break
            continue
        seen_paragraph = seen_paragraph or block.kind == "paragraph"
        out.append(block)
    return out


# --------------------------------------------------------------------------------------------
# Plain text
# --------------------------------------------------------------------------------------------


def _split_blocks(text: str) -> list[list[tuple[int, str]]]:
    """Split on blank lines into blocks of (1-based line number, line) pairs.

    Only LF counts as a line break (not the other characters ``str.splitlines`` honours) so that
    line numbers agree with editors and with the HTML and Markdown parsers.
    """
    blocks: list[list[tuple[int, str]]] = []
    current: list[tuple[int, str]] = []
    for number, line in enumerate(text.split("\n"), start=1):
        if _fold(line):
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
        0 < _word_count(line) <= 5
        and len(line) <= 40
        and _starts_like_name(line)
        and not _is_terminal(line)
        and "," not in line
        and not _is_byline(line)
    )


def _is_heading_like(text: str, max_words: int) -> bool:
    """Short and not ending like a sentence: a headline or subheading, not prose."""
    return 0 < _word_count(text) <= max_words and not _is_terminal(text) and not _is_caption(text)


def parse_text(text: str, path: str | Path | None = None) -> list[Block]:
    """Parse a plain-text article: blocks separated by blank lines, as scraped news copy comes.

    Heuristics, in order: leading short label lines are sections ("Iraq News", "Terrorism"); the
    first block that does not end like a sentence is the headline; "By Name" is the byline; a
    block ending with a bracketed credit is a caption; a block that is one quotation is a quote;
    a short unpunctuated line after the headline is a subheading; the rest are paragraphs. Once
    the comment footer ("Do you like this article?") starts, nothing after it is kept.
    """
    del path  # pure: the path is accepted for symmetry with the other parsers
    raw_blocks = [
        ([(n, _fold(line)) for n, line in raw], _fold(" ".join(line for _, line in raw)))
        for raw in _split_blocks(_normalise_newlines(text))
    ]
    # Furniture can sit anywhere, even above the headline: look ahead past it to the next content.
    furniture = [is_boilerplate(joined) for _, joined in raw_blocks]
    blocks: list[Block] = []
    headline_done = False
    seen_paragraph = False
    for idx, (lines, joined) in enumerate(raw_blocks):
        start = lines[0][0]
        if furniture[idx]:
            blocks.append(Block("paragraph", joined, start))  # dropped, or the footer cut, by _finish
            continue
        nxt = next((raw_blocks[j] for j in range(idx + 1, len(raw_blocks)) if not furniture[j]), None)
        if not headline_done and not seen_paragraph:
            if _leading_sections(lines, nxt):
                blocks.extend(Block("section", line, n) for n, line in lines)
                continue
            if (
                len(lines) <= 3
                and not _is_byline(joined)
                and (
                    _is_heading_like(joined, 25)
                    or (_word_count(joined) <= 15 and joined[-1] in "?!" and _next_is_byline(nxt))
                )
            ):
                blocks.append(Block("headline", joined, start))
                headline_done = True
                continue
        kind = _classify_text_block(joined, len(lines))
        seen_paragraph = seen_paragraph or kind == "paragraph"
        blocks.append(Block(kind, joined, start))
    return _finish(blocks)


_TextBlock = tuple[list[tuple[int, str]], str]  # (numbered folded lines, whole block folded)


def _next_is_byline(nxt: _TextBlock | None) -> bool:
    return nxt is not None and _is_byline(nxt[1])


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
    return _is_heading_like(nxt[1], 25) and not _is_byline(nxt[1])


def _classify_text_block(text: str, n_lines: int) -> str:
    """Kind of a plain-text block once sections and the headline are settled."""
    if _is_byline(text):
        return "byline"
    if _is_caption(text):
        return "caption"
    if _is_quote(text):
        return "quote"
    if n_lines == 1 and len(text) <= 100 and _is_heading_like(text, 12):
        return "subheading"
    return "paragraph"


# --------------------------------------------------------------------------------------------
# Markdown
# --------------------------------------------------------------------------------------------

#: Front-matter keys whose values are section labels.
_FRONT_MATTER_SECTIONS = ("section", "sections", "category", "categories")


def _front_matter(text: str) -> tuple[str, dict[str, list[tuple[int, str]]]]:
    """Strip YAML front matter: the body (blank lines in its place) and key -> [(line, value)].

    The front matter lines are blanked rather than removed so markdown-it's line numbers still
    match the file. Only ``key: value``, ``key: [a, b]`` and ``- item`` lists are understood: that
    is all ``title`` and ``categories`` need, and it avoids a YAML dependency.
    """
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        return text, {}
    end = next((i for i in range(1, len(lines)) if lines[i].strip() in ("---", "...")), None)
    if end is None:
        return text, {}
    meta: dict[str, list[tuple[int, str]]] = {}
    key = None
    for number in range(1, end):
        line = lines[number]
        item = re.match(r"\s+-\s+(.*)$|-\s+(.*)$", line)
        if item and key:
            meta[key].append((number + 1, _unquote(item.group(1) or item.group(2))))
            continue
        m = re.match(r"([A-Za-z_][\w-]*)\s*:\s*(.*)$", line)
        if not m:
            continue
        key = m.group(1).lower()
        value = m.group(2).strip()
        if value.startswith("[") and value.endswith("]"):
            values = [_unquote(v) for v in value[1:-1].split(",")]
        else:
            values = [_unquote(value)] if value else []
        meta[key] = [(number + 1, v) for v in values if v]
    body = "\n" * (end + 1) + "\n".join(lines[end + 1 :])
    return body, meta


def _unquote(value: str) -> str:
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        value = value[1:-1]
    return _fold(value)


@dataclass
class _MdPara:
    """One Markdown paragraph-like unit, before it is given a kind."""

    line: int
    text: str  # visible text (image alt texts excluded)
    alts: list[str]
    emphasised: bool  # all visible text is inside emphasis
    context: str  # "heading1", "heading", "quote", "list", "cell", "paragraph", "html"
    html_blocks: list[Block] = field(default_factory=list)  # for context "html"


def _md_inline(children: list) -> tuple[str, list[str], bool]:
    """Plain text of inline tokens: links keep their text, markup is dropped, images set aside."""
    parts: list[str] = []
    alts: list[str] = []
    emphasis = 0
    emphasised = True
    for tok in children:
        if tok.type in ("em_open", "strong_open", "s_open"):
            emphasis += 1
        elif tok.type in ("em_close", "strong_close", "s_close"):
            emphasis = max(0, emphasis - 1)
        elif tok.type in ("text", "code_inline"):
            parts.append(tok.content)
            if tok.content.strip() and not emphasis:
                emphasised = False
        elif tok.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif tok.type == "html_inline":
            parts.append(" " if re.match(r"<br\b", tok.content, re.IGNORECASE) else "")
        elif tok.type == "image":
            alt, _, _ = _md_inline(tok.children or [])
            alts.append(alt)
    text = _fold("".join(parts))
    return text, [a for a in alts if a], emphasised and bool(text)


def parse_markdown(text: str, path: str | Path | None = None) -> list[Block]:
    """Parse a Markdown article with markdown-it (CommonMark, which never fails on any input).

    The first ``# h1`` is the headline (front-matter ``title:`` if there is no h1); other headings
    are subheadings; "By Name" paragraphs are bylines; an image's alt text is a caption unless a
    visible caption (emphasised text or a bracketed credit) follows it; blockquote paragraphs are
    quotes; list items and table cells are paragraphs; code and raw HTML blocks are skipped.
    """
    from markdown_it import MarkdownIt

    del path
    body, meta = _front_matter(_normalise_newlines(text))
    md = MarkdownIt("commonmark").enable(["table", "strikethrough"])
    tokens = md.parse(body)

    paras: list[_MdPara] = []
    stack: list[str] = []
    for tok in tokens:
        if tok.nesting == 1:
            stack.append(tok.tag)
            continue
        if tok.nesting == -1:
            if stack:
                stack.pop()
            continue
        if tok.type == "html_block" and tok.map:
            # Raw HTML in Markdown (a <figure> with its <figcaption>, say) is still article text.
            fragment = _html_fragment_blocks(tok.content, tok.map[0] + 1)
            paras.append(_MdPara(tok.map[0] + 1, "", [], False, "html", fragment))
            continue
        if tok.type != "inline":
            continue  # code blocks, fences, rules: nothing to translate
        line = (tok.map[0] + 1) if tok.map else 1
        visible, alts, emphasised = _md_inline(tok.children or [])
        if stack and stack[-1] in ("h1", "h2", "h3", "h4", "h5", "h6"):
            context = "heading1" if stack[-1] == "h1" else "heading"
        elif "blockquote" in stack:
            context = "quote"
        elif "li" in stack:
            context = "list"
        elif "td" in stack or "th" in stack:
            context = "cell"
        else:
            context = "paragraph"
        paras.append(_MdPara(line, visible, alts, emphasised, context))

    blocks: list[Block] = []
    for key in _FRONT_MATTER_SECTIONS:
        blocks.extend(Block("section", value, line) for line, value in meta.get(key, []))
    blocks = _dedupe_sections(blocks)
    has_h1 = any(p.context == "heading1" and p.text for p in paras)
    if not has_h1 and meta.get("title"):
        line, title = meta["title"][0]
        blocks.append(Block("headline", title, line))
    headline_done = any(b.kind == "headline" for b in blocks)

    def visible_caption(p: _MdPara | None) -> bool:
        return (
            p is not None
            and p.context == "paragraph"
            and bool(p.text)
            and (p.emphasised or _is_caption(p.text))
        )

    previous_was_image = False
    for n, p in enumerate(paras):
        nxt = paras[n + 1] if n + 1 < len(paras) else None
        image_only = bool(p.alts) and not p.text
        if p.context == "html":
            for block in p.html_blocks:
                if block.kind == "headline" and headline_done:
                    block = Block("subheading", block.text, block.line)
                headline_done = headline_done or block.kind == "headline"
                blocks.append(block)
            previous_was_image = False
            continue
        if p.context in ("heading1", "heading"):
            if p.context == "heading1" and not headline_done and p.text:
                kind = "headline"
                headline_done = True
            else:
                kind = "subheading"
        elif p.context == "quote":
            kind = "quote"
        elif p.context in ("list", "cell"):
            kind = "paragraph"
        elif image_only:
            # The visible caption under an image describes it better than its alt text.
            if not visible_caption(nxt):
                blocks.extend(Block("caption", alt, p.line) for alt in p.alts)
            previous_was_image = True
            continue
        elif p.alts and (p.emphasised or _is_caption(p.text)):
            kind = "caption"  # image and its caption in one paragraph
        elif _is_byline(p.text):
            kind = "byline"
        elif _is_caption(p.text) or (previous_was_image and p.emphasised):
            kind = "caption"
        else:
            kind = "paragraph"
            blocks.extend(Block("caption", alt, p.line) for alt in p.alts)
        previous_was_image = False
        if p.text:
            blocks.append(Block(kind, p.text, p.line))
    return _finish(blocks)


def _dedupe_sections(blocks: list[Block]) -> list[Block]:
    """Keep the first of section labels that differ only in case."""
    seen: set[str] = set()
    out: list[Block] = []
    for b in blocks:
        key = b.text.casefold()
        if b.kind == "section" and key in seen:
            continue
        if b.kind == "section":
            seen.add(key)
        out.append(b)
    return out


# --------------------------------------------------------------------------------------------
# HTML
# --------------------------------------------------------------------------------------------

# Never content: dropped wherever they are.
_HARD_DROP_TAGS = {
    "script", "style", "noscript", "template", "svg", "canvas", "iframe", "object", "embed",
    "video", "audio", "map", "button", "select", "textarea", "input", "pre",
}  # fmt: skip
# Page chrome, dropped unless it wraps the article itself (an ASP.NET <form> around the whole page).
_SOFT_DROP_TAGS = {"nav", "footer", "aside", "form", "dialog"}
# Class/id words of page furniture, matched as whole hyphen/underscore-separated segments so that
# "commentary" or "shadow" do not count, while "comment-box", "share_bar" and "ad-slot" do.
_FURNITURE_ATTR = re.compile(
    r"(?:^|[-_\s])(?:comments?|commenting|disqus|share|sharing|sharethis|social|socials|related|"
    r"newsletters?|subscribe|subscription|adverts?|advertisements?|advertising|ads?|adslot|"
    r"sponsored|promo|cookies?|cookie-?banner|consent|gdpr|breadcrumbs?|paywall)(?:$|[-_\s])",
    re.IGNORECASE,
)
_DROP_ROLES = {"navigation", "complementary", "contentinfo", "search", "banner", "dialog", "alert"}
_KEEP_ALWAYS = {"html", "body", "main"}
_BYLINE_ATTR = re.compile(r"byline|author", re.IGNORECASE)
_SECTION_ATTR = re.compile(r"category|categories|kicker", re.IGNORECASE)
_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
_BLOCK_TAGS = {
    "address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "details",
    "dialog", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2",
    "h3", "h4", "h5", "h6", "header", "hgroup", "hr", "html", "li", "main", "menu", "nav", "ol",
    "p", "pre", "section", "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
}  # fmt: skip


# State flags such as "has-comments" or "with-share-bar" describe a wrapper, not furniture.
_STATE_CLASS = re.compile(r"(?:has|with|no|is|show|enable|enabled|allow|can)[-_]", re.IGNORECASE)


def _attr_words(tag) -> str:
    """The class and id of a tag as one string, for furniture, byline and section matching."""
    classes = tag.get("class") or []
    if isinstance(classes, str):
        classes = classes.split()
    words = [c for c in classes if not _STATE_CLASS.match(c)]
    return " ".join([*words, str(tag.get("id") or "")])


def _is_furniture_tag(tag, page_paragraphs: int = 0) -> bool:
    """Navigation, comments, share bars, ads, cookie banners, site headers and hidden elements.

    Anything but the hard-dropped tags is kept when it contains the headline or ``<main>``, and a
    ``<form>`` is kept when it holds most of the page's paragraphs (ASP.NET wraps whole pages in
    one): a wrapper must not take the article with it.
    """
    name = tag.name
    if name in _KEEP_ALWAYS:
        return False
    if name in _HARD_DROP_TAGS:
        return True
    if tag.has_attr("hidden") or str(tag.get("aria-hidden", "")).lower() == "true":
        return True
    if re.search(r"display\s*:\s*none", str(tag.get("style", "")), re.IGNORECASE):
        return True
    furniture = (
        name in _SOFT_DROP_TAGS
        or str(tag.get("role", "")).lower() in _DROP_ROLES
        or bool(_FURNITURE_ATTR.search(_attr_words(tag)))
        or (name == "header" and tag.find_parent(["article", "main"]) is None)
    )
    if not furniture or tag.find(["h1", "main"]) is not None:
        return False
    if name == "form" and page_paragraphs >= 3:
        return len(tag.find_all("p")) * 2 < page_paragraphs
    return True


class _HtmlWalker:
    """Walks the article root in document order and emits typed blocks.

    Block-level elements become blocks; loose inline text between them (text directly in a
    ``<div>``) becomes a paragraph so content is not lost on sites that do not use ``<p>``.
    """

    def __init__(self) -> None:
        from bs4 import NavigableString, Tag
        from bs4.element import CData, Comment, Declaration, Doctype, ProcessingInstruction

        self.Tag = Tag
        self.NavigableString = NavigableString
        self.skip_strings = (Comment, Declaration, Doctype, CData, ProcessingInstruction)
        self.blocks: list[Block] = []
        self.headline_done = False

    # -- text helpers ------------------------------------------------------------------------
    def text_of(self, node) -> str:
        """Visible text: strings only, ``<br>`` and block boundaries as spaces, entities decoded."""
        parts: list[str] = []
        self._collect(node, parts)
        return _fold("".join(parts))

    def _collect(self, node, parts: list[str]) -> None:
        # Iterative, so deeply nested markup cannot exhaust the interpreter's recursion limit.
        stack: list = [node]
        while stack:
            item = stack.pop()
            if isinstance(item, str) and not isinstance(item, self.NavigableString):
                parts.append(item)  # a separator pushed below
            elif isinstance(item, self.NavigableString):
                if not isinstance(item, self.skip_strings):
                    parts.append(str(item))
            elif item.name == "br":
                parts.append(" ")
            else:
                sep = " " if item.name in _BLOCK_TAGS else ""
                parts.append(sep)
                stack.append(sep)
                stack.extend(reversed(list(item.children)))

    def is_block(self, tag) -> bool:
        """Block-level, or an inline tag wrapping block content (``<a><div>..</div></a>``)."""
        if tag.name in _BLOCK_TAGS:
            return True
        return any(d.name in _BLOCK_TAGS for d in tag.find_all(True))

    def string_line(self, node) -> int:
        """Approximate line of a bare text node (bs4 records lines only for tags)."""
        newlines = len(str(node)) - len(str(node).lstrip("\n \t"))
        newlines = str(node)[:newlines].count("\n")
        sibling = node.previous_sibling
        while sibling is not None:
            if isinstance(sibling, self.Tag) and sibling.sourceline:
                return sibling.sourceline + str(sibling).count("\n") + newlines
            newlines += str(sibling).count("\n")
            sibling = sibling.previous_sibling
        parent = node.parent
        return (parent.sourceline or 1) + newlines if parent is not None else 1 + newlines

    def line_of(self, node) -> int:
        if isinstance(node, self.Tag):
            return node.sourceline or 1
        return self.string_line(node)

    # -- emitting ----------------------------------------------------------------------------
    def emit(self, kind: str, text: str, line: int) -> None:
        if text:
            self.blocks.append(Block(kind, text, line))

    def emit_prose(self, text: str, line: int, quote: bool) -> None:
        """A paragraph-like run: byline, caption, quote or paragraph by its shape."""
        if quote:
            self.emit("quote", text, line)
        elif _is_byline(text):
            self.emit("byline", text, line)
        elif _is_caption(text):
            self.emit("caption", text, line)
        else:
            self.emit("paragraph", text, line)

    def emit_images(self, images: list, captioned: bool) -> None:
        """Alt text of standalone images, when it describes the picture in a sentence."""
        if captioned:
            return
        for img in images:
            alt = _fold(str(img.get("alt") or ""))
            if _word_count(alt) > 3:
                self.emit("caption", alt, img.sourceline or 1)

    # -- walking -----------------------------------------------------------------------------
    def walk(self, node, quote: bool = False, captioned: bool = False) -> None:
        run: list = []
        images: list = []

        def flush() -> None:
            text = _fold("".join(self.text_of(n) + " " if isinstance(n, self.Tag) else str(n) for n in run))
            text = _fold(_CONTROL.sub("", text))
            if text:
                first = next(n for n in run if (isinstance(n, self.Tag) and self.text_of(n)) or _fold(str(n)))
                self.emit_prose(text, self.line_of(first), quote)
            else:
                self.emit_images(images, captioned)
            run.clear()
            images.clear()

        for child in node.children:
            if isinstance(child, self.NavigableString):
                if not isinstance(child, self.skip_strings):
                    run.append(child)
                continue
            if not isinstance(child, self.Tag):
                continue  # furniture was removed from the tree before the walk
            if child.name == "img":
                flush()  # a picture between runs of loose text stands on its own
                self.emit_images([child], captioned)
            elif child.name == "br":
                run.append(" ")
            elif self.is_block(child):
                flush()
                self.block(child, quote, captioned)
            else:
                run.append(child)
                images.extend(child.find_all("img"))
        flush()

    def block(self, tag, quote: bool, captioned: bool) -> None:
        name = tag.name
        if name in _HEADINGS:
            kind = "subheading"
            if name == "h1" and not self.headline_done:
                kind, self.headline_done = "headline", True
            self.emit(kind, self.text_of(tag), tag.sourceline or 1)
        elif name == "figcaption":
            self.emit("caption", self.text_of(tag), tag.sourceline or 1)
        elif name == "figure":
            self.walk(tag, quote, captioned=tag.find("figcaption") is not None)
        elif name == "blockquote":
            if any(self.is_block(c) for c in tag.find_all(True, recursive=False)):
                self.walk(tag, quote=True, captioned=captioned)
            else:
                self.emit("quote", self.text_of(tag), tag.sourceline or 1)
        elif self._is_byline_tag(tag):
            self.emit("byline", self.text_of(tag), tag.sourceline or 1)
        elif name in ("p", "li", "dt", "dd", "td", "th", "caption", "summary") and not any(
            d.name in _BLOCK_TAGS for d in tag.find_all(True)
        ):
            text = self.text_of(tag)
            if text:
                self.emit_prose(text, tag.sourceline or 1, quote)
            else:
                self.emit_images(tag.find_all("img"), captioned)
        elif name == "hr":
            return
        else:
            self.walk(tag, quote, captioned)

    def _is_byline_tag(self, tag) -> bool:
        """Marked up as a byline/author (class, rel, itemprop, id) or an ``<address>``, and short."""
        marks = " ".join([_attr_words(tag), " ".join(tag.get("rel") or []), str(tag.get("itemprop") or "")])
        if not (tag.name == "address" or _BYLINE_ATTR.search(marks)):
            return False
        text = self.text_of(tag)
        return 0 < _word_count(text) <= 20


def _html_fragment_blocks(fragment: str, first_line: int) -> list[Block]:
    """Blocks of an HTML fragment embedded in Markdown, with lines counted in the Markdown file.

    Never raises: Markdown parsing must not fail, so an unparsable fragment just yields nothing.
    """
    from bs4 import BeautifulSoup, MarkupResemblesLocatorWarning

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", MarkupResemblesLocatorWarning)
            soup = BeautifulSoup(fragment, "html.parser")
        for tag in soup.find_all(True):
            if not tag.decomposed and _is_furniture_tag(tag):
                tag.decompose()
        walker = _HtmlWalker()
        walker.walk(soup)
    except Exception:  # see the docstring
        return []
    return [Block(b.kind, b.text, b.line + first_line - 1) for b in walker.blocks]


def parse_html(text: str, path: str | Path | None = None) -> list[Block]:
    """Parse an HTML page (BeautifulSoup, stdlib ``html.parser``, which keeps source lines).

    Page chrome (scripts, navigation, footers, asides, forms, comment/share/related/ad/cookie
    boxes) is removed first and the ``<article>`` (else ``<main>``, else ``<body>``) is walked in
    document order. Raises :class:`InputError` when the page has no translatable text at all:
    an HTML file with nothing in it is the wrong file, and saying so beats an empty PO file.
    """
    from bs4 import BeautifulSoup, MarkupResemblesLocatorWarning

    text = _normalise_newlines(text)
    try:
        with warnings.catch_warnings():
            # A short page that looks like a file name or URL is still a page: do not warn.
            warnings.simplefilter("ignore", MarkupResemblesLocatorWarning)
            soup = BeautifulSoup(text, "html.parser")
        blocks = _html_blocks(soup)
    except RecursionError:
        raise InputError("HTML is nested too deeply to be an article page", path) from None
    except Exception as exc:  # html.parser rejects very little; report what it does reject
        raise InputError(f"cannot parse HTML: {_fold(str(exc))[:200]}", path) from None
    result = _finish(blocks)
    if not result:
        raise InputError(
            "no translatable text in this HTML page (after dropping scripts, navigation, comment "
            "boxes and other page furniture); check that this is the article file",
            path,
        )
    return result


def _html_blocks(soup) -> list[Block]:
    """Blocks of a parsed page, before furniture filtering (see :func:`parse_html`)."""
    title_tag = soup.find("title")
    title = (_fold(title_tag.get_text(" ")), title_tag.sourceline or 1) if title_tag else None
    meta_sections = [
        (_fold(str(m.get("content") or "")), m.sourceline or 1)
        for m in soup.find_all("meta", attrs={"property": "article:section"})
    ]
    # Not <head> itself: html.parser does not close an unclosed <head>, which may hold the body.
    for tag in soup.find_all(["title", "meta", "link", "base"]):
        if not tag.decomposed:
            tag.decompose()
    # An <h1> that is the site name from <title> ("Headline | Diyaruna") is the logo, not the story.
    site_name = _site_name(title[0]) if title else ""
    if site_name:
        for tag in soup.find_all("h1"):
            if _fold(tag.get_text(" ")).casefold() == site_name.casefold():
                tag.decompose()
    page_paragraphs = len(soup.find_all("p"))
    for tag in soup.find_all(True):
        if not tag.decomposed and _is_furniture_tag(tag, page_paragraphs):
            tag.decompose()

    walker = _HtmlWalker()
    articles = soup.find_all("article")
    root = (
        max(articles, key=lambda a: len(walker.text_of(a)))
        if articles
        else soup.find("main") or soup.find("body") or soup
    )
    h1 = root.find("h1")
    outside_h1 = None
    if h1 is None:
        # A headline above the <article>; but a one-word <h1> outside it is usually the site logo.
        candidate = soup.find("h1")
        if candidate is not None and (title is None or _word_count(walker.text_of(candidate)) >= 3):
            h1 = outside_h1 = candidate

    sections = _html_sections(soup, walker, h1.sourceline if h1 is not None else None)
    sections.extend(Block("section", label, line) for label, line in meta_sections if label)
    sections = _dedupe_sections(sections)

    if outside_h1 is not None and not outside_h1.decomposed:
        walker.emit("headline", walker.text_of(outside_h1), outside_h1.sourceline or 1)
        walker.headline_done = True
        outside_h1.decompose()
    walker.walk(root)

    blocks = sections + walker.blocks
    if not any(b.kind == "headline" for b in blocks) and title and title[0]:
        blocks.insert(len(sections), Block("headline", _strip_site_name(title[0]), title[1]))
    return blocks


def _html_sections(soup, walker: _HtmlWalker, headline_line: int | None) -> list[Block]:
    """Section labels from kicker/category elements above the headline (removed once taken).

    Only those above the headline count: a "categories" tag cloud further down is navigation.
    """
    sections: list[Block] = []
    for tag in soup.find_all(True):
        if tag.decomposed or not _SECTION_ATTR.search(_attr_words(tag)):
            continue
        if headline_line is not None and (tag.sourceline or 0) > headline_line:
            continue
        items = tag.find_all("li") or tag.find_all("a")
        for item in items or [tag]:
            label = walker.text_of(item)
            if 0 < _word_count(label) <= 6:
                sections.append(Block("section", label, item.sourceline or 1))
        tag.decompose()
    return sections


def _site_name(title: str) -> str:
    """The site-name part of a title ("Headline | Diyaruna" -> "Diyaruna"), or ""."""
    stripped = _strip_site_name(title)
    return re.sub(r"^\s*[|–—·-]\s*", "", title[len(stripped) :]).strip() if stripped != title else ""


def _strip_site_name(title: str) -> str:
    """Drop a short site name after the last title separator: "Headline | Site" -> "Headline"."""
    seps = list(re.finditer(r"\s+[|–—·-]\s+", title))
    if seps and _word_count(title[seps[-1].end() :]) <= 4 and title[: seps[-1].start()].strip():
        return title[: seps[-1].start()]
    return title


_PARSERS: dict[str, Callable[[str, Path], list[Block]]] = {
    "text": parse_text,
    "markdown": parse_markdown,
    "html": parse_html,
}
