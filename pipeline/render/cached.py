"""Pages through the run cache: a page whose inputs are unchanged is neither rendered again nor
its PO file parsed, so an unchanged re-run over an archive costs a stat per file, not a parse.

A page is made from its PO file and layout, which languages have a version of the article (the
language links), the templates (the shipped ones and a newsroom's own folder), the package that
renders them and the policy; its record in the run cache (:class:`~pipeline.catalog.index.RunCache`)
is keyed on all of these, by the files' stamps, and on the stamps of the files it wrote, so a page
edited or deleted by hand is written again. What the indexes need of a skipped page (its title and
counts) is kept in the record, and so are its warnings (blocks an in-place page could not place), so an
unchanged re-run still reports them. The overview's rows (``<out>/index.html``: every article × every
language) are kept the same way, keyed on the layout, each language's PO file and page.

Stamps are taken before the files are read (as :mod:`pipeline.fileio` asks): a translator's save
during the render makes the record stale, never a stale page look current.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict
from pathlib import Path

from pipeline import __version__
from pipeline.catalog.index import RunCache, stamps_text
from pipeline.catalog.layout import original_path
from pipeline.catalog.po import layout_path, po_path
from pipeline.errors import PipelineWarning
from pipeline.fileio import stamp
from pipeline.render.localize import Policy, Stats, languages
from pipeline.render.overview import Row, Version, row_of
from pipeline.render.pages import ArticlePage, render_article, web_fonts

#: The shipped templates, page-string catalogs and renderer code: a change renders every page again.
SHIPPED = Path(__file__).resolve().parent


def folder_stamps(folder: Path | None) -> str:
    """Every file under ``folder`` with its stamp (a template added, edited or removed shows)."""
    if folder is None or not folder.is_dir():
        return repr(folder)
    files = sorted(p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    return repr([(p.relative_to(folder).as_posix(), stamp(p)) for p in files])


class PageCache:
    """:func:`~pipeline.render.pages.render_all`'s ``render`` and ``rows_from``, over the run cache."""

    def __init__(self, cache: RunCache) -> None:
        self.cache = cache
        self.shipped = f"{__version__}\n{folder_stamps(SHIPPED)}"
        self.settings: dict[Path | None, str] = {}
        self.langs: dict[Path, list[str]] = {}

    def key(self, templates: Path | None, *parts: str) -> str:
        if templates not in self.settings:  # once per run: a folder listing, not one per page
            self.settings[templates] = f"{self.shipped}\n{folder_stamps(templates)}"
        text = "\n".join([self.settings[templates], *parts])
        return hashlib.sha256(text.encode()).hexdigest()

    def languages(self, locales: Path) -> list[str]:
        if locales not in self.langs:
            self.langs[locales] = languages(locales)
        return self.langs[locales]

    def inputs(self, locales: Path, slug: str) -> list[Path]:
        """The article's files a page is made of besides its PO file: the layout and the copy of the
        original page (missing for a text article, which stamps the same every run). Named, not
        listed: a listing of ``templates/`` held for the run grew memory with the archive, and a
        file there that no page reads (the ``.pot``) has no say in whether a page is current."""
        layout = layout_path(locales, slug)
        return [layout, original_path(layout)]

    def article(
        self, locales: Path, out: Path, lang: str, slug: str, *, policy: Policy, templates: Path | None
    ) -> ArticlePage:
        """The article's page in ``lang``, from the record when nothing it is made of changed."""
        locales, out = Path(locales), Path(out)
        others = [lg for lg in self.languages(locales) if lg != lang and po_path(locales, lg, slug).exists()]
        made_of = [  # stamped before anything is read
            policy,
            repr(others),
            repr(bool(web_fonts(lang))),
            stamps_text([po_path(locales, lang, slug), *self.inputs(locales, slug)]),
        ]
        name = f"page\n{out.resolve()}\n{lang}\n{slug}"
        record = self.cache.rendered(name)
        if record is not None:
            key, text = record
            data = json.loads(text)
            paths = [Path(p) for p in data["paths"]]
            if key == self.key(templates, *made_of, stamps_text(paths)):
                notes = [PipelineWarning(**w) for w in data.get("warnings", [])]
                return ArticlePage(slug, lang, data["title"], Stats(**data["stats"]), paths, warnings=notes)
        page = render_article(locales, out, lang, slug, policy=policy, templates=templates)
        kept = {
            "title": page.title,
            "stats": asdict(page.stats),
            "paths": [str(p) for p in page.paths],
            "warnings": [asdict(w) for w in page.warnings],  # a skipped page still reports them
        }
        key = self.key(templates, *made_of, stamps_text(page.paths))
        self.cache.remember_rendered(name, key, json.dumps(kept, ensure_ascii=False))
        return page

    def row(self, locales: Path, out: Path, policy: Policy, slug: str, langs: list[str]) -> Row | None:
        """The overview's row for the article, from the record when its files did not change."""
        locales, out = Path(locales), Path(out)
        files = [*self.inputs(locales, slug)]
        files += [f for lg in langs for f in (po_path(locales, lg, slug), out / lg / f"{slug}.html")]
        name = f"row\n{out.resolve()}\n{slug}"
        key = self.key(None, policy, repr(langs), stamps_text(files))
        record = self.cache.rendered(name)
        if record is not None and record[0] == key:
            data = json.loads(record[1])
            versions = {lg: Version(**v) for lg, v in data.pop("versions").items()}
            return Row(**data, versions=versions)
        row = row_of(locales, out, policy, slug, langs)
        if row is not None:
            self.cache.remember_rendered(name, key, json.dumps(asdict(row), ensure_ascii=False))
        return row
