"""``render --watch``: pages regenerate as translators save, until Ctrl-C.

The folders are watched with `watchfiles <https://watchfiles.helpmanual.io/>`_ (Rust ``notify``:
inotify, FSEvents, ReadDirectoryChangesW), which also groups the burst of events one save makes
(an editor writing a temporary file and renaming it over the PO file) into one batch. A batch
re-renders only the articles whose PO files (or layouts) changed, then the indexes of their
languages and the overview from the last good state of every other article. A newsroom template
that changed re-renders everything.

A broken save is one error line and nothing is rewritten: the article's last good page stays,
and so do the indexes (an unreadable file would otherwise vanish from them). The next good save
renders again. Every render error is a :class:`~pipeline.errors.PipelineError`, so the loop
survives it; Ctrl-C ends the watch cleanly.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import watchfiles

from pipeline.catalog.po import po_path
from pipeline.errors import PipelineError
from pipeline.render.localize import LAYOUT_SUFFIX, Policy, article_slugs, languages
from pipeline.render.overview import render_overview
from pipeline.render.pages import ArticlePage, install_fonts, render_article, render_index, web_fonts
from pipeline.render.review_page import render_review

Key = tuple[str, str]  # (language, slug)
#: Everything must render again (a template changed).
EVERYTHING = "*"


@dataclass
class Site:
    """What the watch renders, and the last good page of every article in every language."""

    locales: Path
    out: Path
    langs: list[str] | None = None
    policy: Policy = "machine"
    review: bool = False
    templates: Path | None = None
    pages: dict[Key, ArticlePage] = field(default_factory=dict)
    stamps: dict[Path, int] = field(default_factory=dict)

    def keys(self) -> list[Key]:
        langs = self.langs or (languages(self.locales) if self.locales.is_dir() else [])
        slugs = article_slugs(self.locales)
        return [(lg, s) for lg in langs for s in slugs if po_path(self.locales, lg, s).exists()]

    def render(self, keys: Iterable[Key]) -> tuple[list[ArticlePage], list[PipelineError]]:
        """Render these articles; then, unless one failed, their languages' indexes and the overview."""
        done: list[ArticlePage] = []
        errors: list[PipelineError] = []
        for lang, slug in sorted(set(keys)):
            path = po_path(self.locales, lang, slug)
            self.stamps[path] = _mtime(path)
            if not path.exists():  # removed: its pages are left, the indexes no longer list it
                self.pages.pop((lang, slug), None)
                continue
            try:
                page = render_article(
                    self.locales, self.out, lang, slug, policy=self.policy, templates=self.templates
                )
                if self.review:
                    render_review(
                        self.locales, self.out, lang, slug, policy=self.policy, templates=self.templates
                    )
            except PipelineError as exc:
                errors.append(exc)
                continue
            self.pages[(lang, slug)] = page
            done.append(page)
        if not errors:
            self._indexes({p.lang for p in done})
        return done, errors

    def _indexes(self, langs: set[str]) -> None:
        for lang in sorted(langs):
            pages = [p for (lg, _), p in sorted(self.pages.items()) if lg == lang]
            render_index(self.out, lang, pages, self.templates)
            if web_fonts(lang):
                install_fonts(self.out)
        if langs:
            render_overview(self.locales, self.out, policy=self.policy, templates=self.templates)

    def affected(self, paths: Iterable[str]) -> set[Key] | str:
        """The articles a batch of changed paths touches (or :data:`EVERYTHING`)."""
        locales = self.locales.resolve()
        templates = self.templates.resolve() if self.templates is not None else None
        keys: set[Key] = set()
        for raw in paths:
            path = Path(raw).resolve()
            if templates is not None and path.is_relative_to(templates):
                return EVERYTHING
            if not path.is_relative_to(locales):
                continue
            parts = path.relative_to(locales).parts
            if len(parts) == 3 and parts[1] == "LC_MESSAGES" and parts[2].endswith(".po"):
                keys.add((parts[0], parts[2][: -len(".po")]))
            elif len(parts) == 2 and parts[0] == "templates" and parts[1].endswith(LAYOUT_SUFFIX):
                slug = parts[1][: -len(LAYOUT_SUFFIX)]
                keys.update(k for k in self.keys() if k[1] == slug)
        if self.langs:
            keys = {k for k in keys if k[0] in self.langs}
        return keys

    def missed(self) -> set[Key]:
        """Articles whose PO file changed between the first render and the watch starting."""
        return {
            k
            for k in self.keys()
            if self.stamps.get(po_path(self.locales, *k)) != _mtime(po_path(self.locales, *k))
        }


def _mtime(path: Path) -> int:
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return -1


def _relevant(templates: Path | None) -> Callable[[object, str], bool]:
    """Only PO files, layouts and template files: MO files ``compile`` writes, the lock and the
    editors' temporary files are not."""
    folder = str(templates.resolve()) if templates is not None else None

    def keep(_change: object, path: str) -> bool:
        if folder is not None and str(Path(path).resolve()).startswith(folder):
            return not path.endswith(("~", ".swp", ".tmp"))
        return path.endswith((".po", LAYOUT_SUFFIX))

    return keep


def watch(
    site: Site,
    *,
    rendered: Callable[[list[ArticlePage]], None],
    failed: Callable[[PipelineError], None],
    ready: Callable[[], None],
    stop: threading.Event | None = None,
) -> None:
    """Render everything, then again as files change, until ``stop`` is set or Ctrl-C.

    ``ready`` is called once the folders are being watched (an edit from then on is seen);
    ``rendered`` after each batch that rendered pages, ``failed`` for each bad file.
    """

    def batch(keys: Iterable[Key]) -> None:
        pages, errors = site.render(keys)
        for error in errors:
            failed(error)
        if pages:
            rendered(pages)

    batch(site.keys())
    folders = [site.locales] + ([site.templates] if site.templates is not None else [])
    first = True
    try:
        for changes in watchfiles.watch(
            *folders,
            watch_filter=_relevant(site.templates),
            step=50,
            rust_timeout=500,
            yield_on_timeout=True,
            stop_event=stop,
        ):
            keys = site.affected(path for _change, path in changes)
            if first:
                first = False
                ready()
                if isinstance(keys, set):
                    keys |= site.missed()
            if keys:
                batch(keys if isinstance(keys, set) else site.keys())
    except KeyboardInterrupt:
        return
