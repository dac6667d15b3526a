"""Render: localized pages (HTML, text, Markdown) from PO files and the article layout alone.

Rendering never loads a model, so pages can be regenerated the moment a translator saves a PO
file. Which translations appear is a policy: ``machine`` (reviewed first, then machine
translations, the default) or ``reviewed`` (reviewed only; other sentences stay in English,
marked ``lang="en"``), since po4a-style tools silently drop fuzzy entries and newsrooms need
to choose.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import polib
from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup, escape

from pipeline.catalog.po import (
    is_reviewed,
    language_name,
    layout_path,
    po_path,
    read_layout,
    read_po,
    translations,
)
from pipeline.errors import PipelineError
from pipeline.fileio import atomic_write_bytes, atomic_write_text

POLICIES = ("machine", "reviewed")

#: Interface strings of the page itself, per language; English where a language has none.
UI = {
    "en": {
        "original": "Read the original in English",
        "status": "Translation status",
        "reviewed": "reviewed",
        "machine": "machine translation, not yet reviewed",
        "index": "Articles",
        "notice": "This page was translated by machine from English and may contain errors.",
    },
    "ar": {
        "original": "اقرأ النص الأصلي بالإنجليزية",
        "status": "حالة الترجمة",
        "reviewed": "مراجَعة",
        "machine": "ترجمة آلية لم تُراجَع بعد",
        "index": "المقالات",
        "notice": "تُرجمت هذه الصفحة آليًا من الإنجليزية وقد تحتوي على أخطاء.",
    },
    "fr": {
        "original": "Lire l’original en anglais",
        "status": "État de la traduction",
        "reviewed": "relu",
        "machine": "traduction automatique non relue",
        "index": "Articles",
        "notice": "Cette page a été traduite automatiquement de l’anglais et peut contenir des erreurs.",
    },
    "he": {
        "original": "לקריאת המקור באנגלית",
        "status": "מצב התרגום",
        "reviewed": "נבדק",
        "machine": "תרגום מכונה שטרם נבדק",
        "index": "כתבות",
        "notice": "דף זה תורגם בתרגום מכונה מאנגלית ועשוי להכיל שגיאות.",
    },
}


def ui(lang: str) -> dict[str, str]:
    return {**UI["en"], **UI.get(lang.split("_")[0].split("-")[0], {})}


def text_direction(lang: str) -> str:
    """``rtl`` or ``ltr`` from Babel's CLDR data."""
    from babel import Locale

    try:
        return Locale.parse(lang.replace("-", "_")).text_direction
    except (ValueError, LookupError):
        return "ltr"


@dataclass
class Piece:
    text: str
    status: str  # "reviewed" | "machine" | "source"


@dataclass
class LocalBlock:
    kind: str
    pieces: list[Piece] = field(default_factory=list)
    seps: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "".join(p.text + s for p, s in zip(self.pieces, self.seps, strict=True)).strip()


@dataclass
class Stats:
    total: int = 0
    reviewed: int = 0
    machine: int = 0
    source: int = 0

    @property
    def percent_reviewed(self) -> int:
        return round(100 * self.reviewed / self.total) if self.total else 0


def localize(
    layout: Mapping, entries: Mapping[str, polib.POEntry], policy: str = "machine"
) -> list[LocalBlock]:
    """The article's blocks with each sentence replaced by its translation, as the policy allows."""
    if policy not in POLICIES:
        raise ValueError(f"unknown policy {policy!r}")
    blocks: list[LocalBlock] = []
    for block in layout["blocks"]:
        local = LocalBlock(block["kind"])
        for seg in block["segments"]:
            entry = entries.get(seg["id"])
            if entry is not None and entry.msgstr and is_reviewed(entry):
                piece = Piece(entry.msgstr, "reviewed")
            elif entry is not None and entry.msgstr and policy == "machine":
                piece = Piece(entry.msgstr, "machine")
            else:
                piece = Piece(seg["text"], "source")
            local.pieces.append(piece)
            local.seps.append(seg.get("sep", " "))
        blocks.append(local)
    return blocks


def unit_stats(layout: Mapping, entries: Mapping[str, polib.POEntry]) -> Stats:
    stats = Stats()
    seen: set[str] = set()
    for block in layout["blocks"]:
        for seg in block["segments"]:
            if seg["id"] in seen:
                continue
            seen.add(seg["id"])
            stats.total += 1
            entry = entries.get(seg["id"])
            if entry is not None and is_reviewed(entry):
                stats.reviewed += 1
            elif entry is not None and entry.msgstr:
                stats.machine += 1
            else:
                stats.source += 1
    return stats


_LATIN_RUN = re.compile(
    r"[A-Za-z\u00C0-\u024F][A-Za-z\u00C0-\u024F0-9.'’&/\-]*(?:\s+[A-Za-z\u00C0-\u024F0-9][A-Za-z\u00C0-\u024F0-9.'’&/\-]*)*"
)
# A number with its separators and sign ("2017", "1,500", "04/11/2017", "2%"): in a right-to-left
# paragraph the bidi algorithm can reorder the groups of a date or a range, so it is isolated too.
# A sign counts only where it starts a word: the hyphen of "كوفيد-19" stays with the word.
_NUMBER_RUN = re.compile(r"(?:(?<!\w)[+\-−])?[0-9]+(?:[.,:/\-–][0-9]+)*%?")
_ISOLATE = re.compile(f"{_LATIN_RUN.pattern}|{_NUMBER_RUN.pattern}")


def isolate_latin(text: str) -> Markup:
    """Escape ``text``; isolate Latin-script runs and numbers in ``<bdi>`` so they read correctly in RTL."""
    out: list[str] = []
    cursor = 0
    for match in _ISOLATE.finditer(text):
        out.append(str(escape(text[cursor : match.start()])))
        out.append(f'<bdi dir="ltr">{escape(match.group(0))}</bdi>')
        cursor = match.end()
    out.append(str(escape(text[cursor:])))
    return Markup("".join(out))


#: Languages written in Arabic script: their pages ship the Amiri web font (SIL OFL, from the
#: ``fontpkg-amiri`` wheel) so they look the same on a reader's machine without Arabic fonts.
ARABIC_SCRIPT = frozenset({"ar", "arz", "apc", "acm", "ary", "fa", "ur", "ps", "ckb", "ug", "sd"})
FONTS_DIR = "fonts"
#: (file in the wheel, CSS weight); the bold face serves headlines, so none is synthesized.
_FONT_FILES = (("Amiri-Regular.ttf", 400), ("Amiri-Bold.ttf", 700))


def _font_source() -> Path | None:
    try:
        import fontpkg_amiri
    except ImportError:  # pragma: no cover - a runtime dependency; pages fall back to system fonts
        return None
    return Path(fontpkg_amiri.ROOT)


def web_fonts(lang: str) -> list[dict[str, object]]:
    """The ``@font-face`` rules a page in ``lang`` uses; none for scripts we ship no font for."""
    if lang.replace("-", "_").split("_")[0] not in ARABIC_SCRIPT or _font_source() is None:
        return []
    return [
        {"family": "Amiri", "local": "Amiri", "url": f"../{FONTS_DIR}/{name}", "weight": weight}
        for name, weight in _FONT_FILES
    ]


def install_fonts(out: Path) -> list[Path]:
    """Copy the web fonts and their licence next to the pages (``<out>/fonts/``), once."""
    root = _font_source()
    if root is None:  # pragma: no cover
        return []
    written = []
    for name, source in [(n, root / "files" / n) for n, _ in _FONT_FILES] + [("OFL.txt", root / "LICENSE")]:
        target = Path(out) / FONTS_DIR / name
        if atomic_write_bytes(target, source.read_bytes()):
            written.append(target)
    return written


@lru_cache(maxsize=1)
def _env() -> Environment:
    env = Environment(
        loader=PackageLoader("pipeline.render", "templates"),
        autoescape=select_autoescape(["html", "j2"], default_for_string=False),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    return env


def _piece_html(piece: Piece, rtl: bool) -> Markup:
    if piece.status == "source":
        return Markup('<span lang="en" dir="ltr" class="untranslated">{}</span>').format(piece.text)
    body = isolate_latin(piece.text) if rtl else escape(piece.text)
    if piece.status == "machine":
        return Markup('<span class="mt">{}</span>').format(body)
    return Markup(body)


def block_html(block: LocalBlock, rtl: bool) -> Markup:
    parts = [str(_piece_html(p, rtl)) + str(escape(s)) for p, s in zip(block.pieces, block.seps, strict=True)]
    return Markup("".join(parts).strip())


def render_html(
    layout: Mapping,
    blocks: list[LocalBlock],
    lang: str,
    *,
    original: str,
    stats: Stats,
    alternates: Mapping[str, str] | None = None,
) -> str:
    direction = text_direction(lang)
    rtl = direction == "rtl"
    headline = next((b.text for b in blocks if b.kind == "headline"), layout.get("slug", ""))
    return (
        _env()
        .get_template("article.html.j2")
        .render(
            lang=lang,
            dir=direction,
            title=headline,
            blocks=blocks,
            html=lambda b: block_html(b, rtl),
            original=original,
            ui=ui(lang),
            stats=stats,
            alternates=alternates or {},
            language=language_name(lang),
            fonts=web_fonts(lang),
        )
    )


def render_text(blocks: list[LocalBlock]) -> str:
    return "\n\n".join(b.text for b in blocks if b.text) + "\n"


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|])")


def render_markdown(blocks: list[LocalBlock]) -> str:
    out = []
    for block in blocks:
        text = _MD_SPECIAL.sub(r"\\\1", block.text)
        if not text:
            continue
        prefix = {"headline": "# ", "subheading": "## ", "quote": "> "}.get(block.kind, "")
        if block.kind == "caption":
            text = f"*{text}*"
        elif block.kind == "section":
            text = f"**{text}**"
        out.append(prefix + text)
    return "\n\n".join(out) + "\n"


@dataclass
class ArticlePage:
    slug: str
    lang: str
    title: str
    stats: Stats
    paths: list[Path]  # every output of the article
    changed: list[Path] = field(default_factory=list)  # those whose bytes this render changed


def _articles(locales: Path) -> list[str]:
    return sorted(p.name[: -len(".layout.json")] for p in (locales / "templates").glob("*.layout.json"))


def languages(locales: Path) -> list[str]:
    return sorted(p.name for p in Path(locales).iterdir() if p.is_dir() and (p / "LC_MESSAGES").is_dir())


def render_article(
    locales: Path,
    out: Path,
    lang: str,
    slug: str,
    *,
    policy: str = "machine",
    formats: tuple[str, ...] = ("html", "txt", "md"),
) -> ArticlePage:
    """Write ``<out>/<lang>/<slug>.{html,txt,md}`` from the PO file and layout."""
    layout = read_layout(layout_path(locales, slug))
    po_file = po_path(locales, lang, slug)
    entries = translations(read_po(po_file)) if po_file.exists() else {}
    blocks = localize(layout, entries, policy)
    stats = unit_stats(layout, entries)
    folder = Path(out) / lang
    source = Path(layout["source"])
    original = (
        os.path.relpath(source.resolve(), folder.resolve()) if not source.is_absolute() else source.as_uri()
    )
    others = [lg for lg in languages(locales) if lg != lang and po_path(locales, lg, slug).exists()]
    alternates = {lg: f"../{lg}/{slug}.html" for lg in others}
    renderers = {
        "html": lambda: render_html(
            layout, blocks, lang, original=original, stats=stats, alternates=alternates
        ),
        "txt": lambda: render_text(blocks),
        "md": lambda: render_markdown(blocks),
    }
    paths: list[Path] = []
    changed: list[Path] = []
    for fmt in formats:
        path = folder / f"{slug}.{fmt}"
        paths.append(path)
        if atomic_write_text(path, renderers[fmt]()):
            changed.append(path)
    title = next((b.text for b in blocks if b.kind == "headline"), slug)
    return ArticlePage(slug, lang, title, stats, paths, changed)


def render_index(out: Path, lang: str, pages: list[ArticlePage]) -> Path:
    path = Path(out) / lang / "index.html"
    html = (
        _env()
        .get_template("index.html.j2")
        .render(
            lang=lang,
            dir=text_direction(lang),
            pages=pages,
            ui=ui(lang),
            language=language_name(lang),
            fonts=web_fonts(lang),
            isolate=isolate_latin if text_direction(lang) == "rtl" else escape,
        )
    )
    atomic_write_text(path, html)
    return path


def render_all(
    locales: Path,
    out: Path,
    langs: list[str] | None = None,
    *,
    policy: str = "machine",
    slugs: list[str] | None = None,
    errors: list[PipelineError] | None = None,
) -> list[ArticlePage]:
    """Render every article in every language; with ``errors``, a bad file is reported there
    and the other pages still render (a batch must not stop on one translator's typo)."""
    locales, out = Path(locales), Path(out)
    pages: list[ArticlePage] = []
    for lang in langs or languages(locales):
        lang_pages = []
        for slug in slugs or _articles(locales):
            if not po_path(locales, lang, slug).exists():
                continue
            try:
                lang_pages.append(render_article(locales, out, lang, slug, policy=policy))
            except PipelineError as exc:
                if errors is None:
                    raise
                if not any(str(e) == str(exc) for e in errors):
                    errors.append(exc)
        if lang_pages:
            render_index(out, lang, lang_pages)
            if web_fonts(lang):
                install_fonts(out)
        pages.extend(lang_pages)
    if pages:
        from pipeline.render.overview import render_overview

        render_overview(locales, out, policy=policy)  # <out>/index.html: every article, every language
    return pages
