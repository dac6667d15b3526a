"""The run cache: a SQLite file that lets a run over a big archive skip what has not changed.

It holds two things, both derived from files the pipeline reads anyway and never the source of
truth (deleting ``locales/.newsroom-cache/`` only costs the next run time):

- **article records**: for each source file and language, a key (the source's bytes hash and the
  settings that shape the output) and the stamps of the PO file, template and layout the last run
  wrote. When the key and all stamps still match, the article is skipped without being segmented
  or its PO file parsed. A record is written only *after* the article's PO file is on disk, so a
  run killed at any point leaves no record that would make the next run skip unfinished work;
- **rendered pages**: for each page (and each row of the overview), a key over the stamps of the
  files it was made from and of the files written, with what the index pages need of it (title,
  counts), so an unchanged page is neither rendered nor its PO file parsed
  (:mod:`pipeline.render.cached`);
- **the translation-memory index**: the reviewed entries of every PO file of a language, with the
  file's stamp. A file is re-read only when its stamp changed (a translator's save, a pull), instead
  of every PO file of the language on every run.

The PO files a run writes are recorded as it goes, but their rows are *born* in the run's
generation and are visible only from the next run: within one run, the memory is what was on disk
when the run started, as when the memory was read from every file at the start.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

import polib

from pipeline import fileio
from pipeline.catalog.layout import original_path
from pipeline.catalog.memory import NOTE, Hit
from pipeline.catalog.po import is_reviewed, layout_path, po_path, read_po, template_path
from pipeline.errors import PipelineError
from pipeline.segment import normalize

if TYPE_CHECKING:
    from pipeline.names.glossary import Glossary

CACHE_DIR = ".newsroom-cache"
#: Bumped whenever what a record means changes: every older record is then ignored.
#: 2: records keep the article's ingest warnings (re-reported, or refused under --strict, when skipped).
SCHEMA = 2

_TABLES = """
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS articles (
    source TEXT NOT NULL, lang TEXT NOT NULL, key TEXT NOT NULL, slug TEXT NOT NULL,
    units INTEGER NOT NULL, stamps TEXT NOT NULL, warnings TEXT NOT NULL, PRIMARY KEY (source, lang));
CREATE TABLE IF NOT EXISTS tm_files (lang TEXT NOT NULL, origin TEXT NOT NULL, stamp TEXT NOT NULL,
    PRIMARY KEY (lang, origin));
CREATE TABLE IF NOT EXISTS tm (lang TEXT NOT NULL, source TEXT NOT NULL, msgctxt TEXT NOT NULL,
    translation TEXT NOT NULL, origin TEXT NOT NULL, born INTEGER NOT NULL, dead INTEGER);
CREATE INDEX IF NOT EXISTS tm_source ON tm (lang, source);
CREATE INDEX IF NOT EXISTS tm_origin ON tm (lang, origin);
CREATE TABLE IF NOT EXISTS rendered (name TEXT PRIMARY KEY, key TEXT NOT NULL, data TEXT NOT NULL);
"""


@dataclass(frozen=True)
class Record:
    """What the last run wrote for one source file and language."""

    key: str
    slug: str
    units: int
    stamps: str
    #: Ingest's doubts about the article ("little text for the page"): a skipped article still has them.
    warnings: tuple[str, ...] = ()


def stamps_text(paths: Sequence[Path]) -> str:
    """The files' stamps as one comparable string (a missing file stamps as ``None``)."""
    return repr([fileio.stamp(p) for p in paths])


def output_files(locales: Path, lang: str, slug: str) -> list[Path]:
    """The files a cache record vouches for: the article's PO file, template and layout, and the
    copy of an HTML article's page (missing for other formats, which stamps the same every run; a
    layout written before the copy existed is re-done once, so its in-place page can be)."""
    layout = layout_path(locales, slug)
    return [po_path(locales, lang, slug), template_path(locales, slug), layout, original_path(layout)]


def settings_key(glossary: Glossary, migrate: bool) -> str:
    """What, besides the source and the model, shapes an article's PO files: the cache keys on it.

    The glossary's own terms by content (they also keep names whole in sentence splitting); the
    built-in CLDR names by the Babel release they come from (their forms are looked up lazily, and
    the same release gives the same forms)."""
    import babel

    from pipeline import __version__

    digest = hashlib.sha256(f"{__version__}\n{migrate}\n{babel.__version__}\n".encode())
    for term in glossary.terms:
        forms = "" if term.builtin else repr(sorted(term.forms.items()))
        digest.update(
            repr((term.en, term.kind, term.variants, term.builtin, term.case_sensitive, forms)).encode()
        )
    return digest.hexdigest()


class RunCache:
    """One open cache file; each run is a new generation (see the module docstring)."""

    def __init__(self, locales: Path) -> None:
        folder = Path(locales) / CACHE_DIR
        folder.mkdir(parents=True, exist_ok=True)
        ignore = folder / ".gitignore"
        if not ignore.exists():  # the translators' repository must not commit the cache
            fileio.atomic_write_text(ignore, "# newsroom-pipeline's run cache: safe to delete\n*\n")
        self.path = folder / f"index-v{SCHEMA}.sqlite"
        self.db = sqlite3.connect(self.path, isolation_level=None)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.executescript(_TABLES)
        self.db.execute("DELETE FROM tm WHERE dead IS NOT NULL")  # replaced during an earlier run
        row = self.db.execute("SELECT value FROM meta WHERE name = 'generation'").fetchone()
        self.generation = (row[0] if row else 0) + 1
        self.db.execute("INSERT OR REPLACE INTO meta VALUES ('generation', ?)", (self.generation,))
        self.db.execute("BEGIN")

    def commit(self) -> None:
        """Make what was recorded so far durable (one transaction per chunk of articles)."""
        self.db.execute("COMMIT")
        self.db.execute("BEGIN")

    def close(self) -> None:
        self.db.execute("COMMIT")
        self.db.close()

    # -- article records -----------------------------------------------------------------------

    def record(self, source: str, lang: str) -> Record | None:
        row = self.db.execute(
            "SELECT key, slug, units, stamps, warnings FROM articles WHERE source = ? AND lang = ?",
            (source, lang),
        ).fetchone()
        if not row:
            return None
        key, slug, count, stamps, warnings = row
        return Record(key, slug, count, stamps, tuple(warnings.split("\n")) if warnings else ())

    def remember(self, source: str, lang: str, record: Record) -> None:
        self.db.execute(
            "INSERT OR REPLACE INTO articles VALUES (?, ?, ?, ?, ?, ?, ?)",
            (source, lang, record.key, record.slug, record.units, record.stamps, "\n".join(record.warnings)),
        )

    def forget(self, source: str, lang: str) -> None:
        self.db.execute("DELETE FROM articles WHERE source = ? AND lang = ?", (source, lang))

    # -- rendered pages ------------------------------------------------------------------------

    def rendered(self, name: str) -> tuple[str, str] | None:
        """The key and what was kept of the output ``name`` when it was last made; None if never."""
        row = self.db.execute("SELECT key, data FROM rendered WHERE name = ?", (name,)).fetchone()
        return (row[0], row[1]) if row else None

    def remember_rendered(self, name: str, key: str, data: str) -> None:
        self.db.execute("INSERT OR REPLACE INTO rendered VALUES (?, ?, ?)", (name, key, data))

    # -- translation memory --------------------------------------------------------------------

    def memory(self, locales: Path, lang: str) -> IndexedMemory:
        """The language's memory, after re-reading the PO files whose stamps changed."""
        memory = IndexedMemory(self, lang)
        memory.sync(Path(locales))
        return memory


class IndexedMemory:
    """Exact-source lookups over reviewed entries, as :class:`~pipeline.catalog.memory.TranslationMemory`
    (the first file in path order wins a tie), answered from the index."""

    def __init__(self, cache: RunCache, lang: str) -> None:
        self.cache = cache
        self.lang = lang
        self.db = cache.db

    def sync(self, locales: Path) -> None:
        """Re-read the language's PO files whose stamps changed, forget those deleted. Looked up
        file by file, and walked an entry at a time (:func:`~pipeline.fileio.iter_files`), so an
        archive's list of files and stamps is never held at once (``Path.rglob`` alone keeps a set of
        every path it yields). The walk's order does not matter: lookups order rows by file."""
        found = (Path(e.path) for e in fileio.iter_files(locales / self.lang) if e.name.endswith(".po"))
        for path in found:
            origin = path.relative_to(locales).as_posix()
            stamp = stamps_text([path])
            row = self.db.execute(
                "SELECT stamp FROM tm_files WHERE lang = ? AND origin = ?", (self.lang, origin)
            ).fetchone()
            if row is not None and row[0] == stamp:
                continue
            try:
                po = read_po(path)
            except PipelineError:  # the run that owns it reports it; its entries cannot be trusted
                po = None
            self.replace(origin, po, stamp, born=0)
        origins = self.db.execute("SELECT origin FROM tm_files WHERE lang = ?", (self.lang,))
        for origin in [o for (o,) in origins if not (locales / o).is_file()]:  # deleted since
            self.replace(origin, None, None, born=0)

    def replace(self, origin: str, po: polib.POFile | None, stamp: str | None, *, born: int) -> None:
        """The file's rows, replaced: at once (``born=0``) or, for a file this run wrote, from the
        next run on (``born`` = this generation; the old rows stay visible until then)."""
        key = (self.lang, origin)
        if born:
            self.db.execute(
                "UPDATE tm SET dead = ? WHERE lang = ? AND origin = ? AND born < ?", (born, *key, born)
            )
        else:
            self.db.execute("DELETE FROM tm WHERE lang = ? AND origin = ?", key)
        self.db.execute("DELETE FROM tm_files WHERE lang = ? AND origin = ?", key)
        if stamp is not None:
            self.db.execute("INSERT INTO tm_files VALUES (?, ?, ?)", (*key, stamp))
        self.db.executemany(
            "INSERT INTO tm VALUES (?, ?, ?, ?, ?, ?, NULL)",
            [(self.lang, normalize(e.msgid), e.msgctxt or "", e.msgstr, origin, born) for e in _reviewed(po)],
        )

    def written(self, path: Path, locales: Path, po: polib.POFile) -> None:
        """Index a PO file this run has just written (visible from the next run)."""
        self.replace(
            path.relative_to(locales).as_posix(), po, stamps_text([path]), born=self.cache.generation
        )

    def lookup(self, msgctxt: str, source: str) -> Hit | None:
        rows = self.db.execute(
            "SELECT msgctxt, translation, origin FROM tm WHERE lang = ? AND source = ? AND born < ? "
            "ORDER BY rowid",
            (self.lang, normalize(source), self.cache.generation),
        ).fetchall()
        if not rows:
            return None
        rows.sort(key=lambda r: PurePosixPath(r[2]))  # stable: a file's own order is kept
        same = next((r for r in rows if r[0] == msgctxt), None)
        best = same or rows[0]
        note = NOTE + best[2] + ("" if same else f" (as {best[0] or 'no context'})")
        return Hit(best[1], fuzzy=same is None, note=note)


def _reviewed(po: polib.POFile | None) -> Iterable[polib.POEntry]:
    if po is None:
        return []
    return [e for e in po if e.msgid and not e.msgid_plural and is_reviewed(e)]
