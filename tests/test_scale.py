"""Archive-size runs: articles are streamed, unchanged ones skipped through the run cache, and the
translation memory answered from its SQLite index, with the same PO files as without any of it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import pipeline.catalog.index as index_module
import pipeline.job as job_module
from pipeline.catalog.index import CACHE_DIR
from pipeline.catalog.po import po_path, read_po, write_po
from tests.helpers import ROOT, EchoBackend, msgfmt_check, run_fake

ARTICLE = (
    "Headline {n}\n\nThe council met on day {n} in Mosul. It voted {n} to 2.\n\nA second paragraph {n}.\n"
)


def write_archive(folder: Path, count: int) -> None:
    (folder / "articles").mkdir(exist_ok=True)
    for n in range(count):
        (folder / "articles" / f"story-{n:03d}.txt").write_text(ARTICLE.format(n=n), encoding="utf-8")


def po_bytes(folder: Path) -> dict[str, bytes]:
    locales = folder / "locales"
    return {
        p.relative_to(locales).as_posix(): p.read_bytes()
        for p in sorted(locales.rglob("*"))
        if p.is_file() and CACHE_DIR not in p.parts
    }


@pytest.fixture
def archive(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    write_archive(tmp_path, 12)
    monkeypatch.chdir(tmp_path)
    return tmp_path


class Counter:
    """Wraps a function and counts its calls."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, module: object, name: str) -> None:
        self.calls = 0
        inner = getattr(module, name)

        def counted(*args: object, **kwargs: object) -> object:
            self.calls += 1
            return inner(*args, **kwargs)

        monkeypatch.setattr(module, name, counted)


def test_unchanged_rerun_reads_no_article_and_parses_no_po_file(
    archive: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run_fake(EchoBackend())
    before = po_bytes(archive)
    loads = Counter(monkeypatch, job_module, "load_document")
    existing = Counter(monkeypatch, job_module.catalogs, "read_po")
    indexed = Counter(monkeypatch, index_module, "read_po")
    backend = EchoBackend()
    report = run_fake(backend)
    assert (loads.calls, existing.calls, indexed.calls, backend.calls) == (0, 0, 0, 0)
    assert report.skipped == report.articles == 12 and report.units == report.reused > 0
    assert po_bytes(archive) == before
    assert (archive / "build" / "ar" / "story-000.html").is_file()


def test_a_changed_article_or_po_file_is_not_skipped(archive: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    run_fake(EchoBackend())
    (archive / "articles" / "story-001.txt").write_text(
        ARTICLE.format(n=1) + "\nA new sentence.\n", encoding="utf-8"
    )
    edited = po_path(Path("locales"), "ar", "story-002")
    po = read_po(edited)
    entry = next(e for e in po if e.msgid.startswith("A second paragraph"))
    entry.msgstr, entry.flags = "فقرة ثانية", []
    write_po(po, edited)
    indexed = Counter(monkeypatch, index_module, "read_po")
    backend = EchoBackend()
    report = run_fake(backend)
    assert backend.seen == ["A new sentence."]
    assert report.skipped == 10 and indexed.calls == 1  # only the translator's file is re-indexed
    kept = next(e for e in read_po(edited) if e.msgid.startswith("A second paragraph"))
    assert kept.msgstr == "فقرة ثانية" and not kept.fuzzy  # the translator's work is intact
    msgfmt_check(edited)


def test_a_reviewed_entry_is_offered_by_the_memory_index_on_the_next_run(archive: Path) -> None:
    run_fake(EchoBackend())
    first = po_path(Path("locales"), "ar", "story-000")
    po = read_po(first)
    entry = next(e for e in po if e.msgid == "A second paragraph 0.")
    entry.msgstr, entry.flags = "فقرة", []
    write_po(po, first)
    (archive / "articles" / "story-100.txt").write_text(
        "New one\n\nA second paragraph 0.\n", encoding="utf-8"
    )
    backend = EchoBackend()
    report = run_fake(backend)
    assert backend.seen == ["New one"] and report.remembered == 1
    new = next(
        e for e in read_po(po_path(Path("locales"), "ar", "story-100")) if e.msgid.startswith("A second")
    )
    assert new.msgstr == "فقرة" and "translation memory: ar/LC_MESSAGES/story-000.po" in new.comment
    # files deleted since are forgotten by the index
    first.unlink()
    po_path(Path("locales"), "ar", "story-100").unlink()
    (archive / "articles" / "story-101.txt").write_text("Newer\n\nA second paragraph 0.\n", encoding="utf-8")
    report = run_fake(EchoBackend())
    newer = next(
        e for e in read_po(po_path(Path("locales"), "ar", "story-101")) if e.msgid.startswith("A second")
    )
    assert newer.fuzzy and "translation memory" not in newer.comment


def test_without_the_cache_the_files_are_the_same(archive: Path) -> None:
    run_fake(EchoBackend())
    run_fake(EchoBackend())  # from the cache
    cached = po_bytes(archive)
    shutil.rmtree(archive / "locales" / CACHE_DIR)
    report = run_fake(EchoBackend())  # rebuilt: everything read again
    assert report.skipped == 0 and po_bytes(archive) == cached


def test_no_record_for_a_po_file_that_was_not_written(archive: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A write refused (a translator saved meanwhile) or killed must not be vouched for."""
    real = job_module.catalogs.write_po

    def refuse(po: object, path: Path, **kw: object) -> bool:
        if Path(path).name == "story-003.po":
            raise job_module.fileio.ChangedOnDisk("changed on disk", path)
        return real(po, path, **kw)

    monkeypatch.setattr(job_module.catalogs, "write_po", refuse)
    report = run_fake(EchoBackend())
    assert len(report.errors) == 1
    monkeypatch.setattr(job_module.catalogs, "write_po", real)
    backend = EchoBackend()
    report = run_fake(backend)
    assert report.skipped == 11 and backend.calls > 0
    assert po_path(Path("locales"), "ar", "story-003").is_file()


def test_articles_stream_through_chunks(archive: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The first articles' PO files are on disk before the last article is even read."""
    monkeypatch.setattr(job_module, "CHUNK_ARTICLES", 3)
    real = job_module.load_document
    seen_written: list[bool] = []

    def load(path: Path) -> object:
        if Path(path).name == "story-011.txt":
            seen_written.append(po_path(Path("locales"), "ar", "story-000").is_file())
        return real(path)

    monkeypatch.setattr(job_module, "load_document", load)
    run_fake(EchoBackend())
    assert seen_written == [True]


def test_the_cache_key_is_the_same_in_every_process() -> None:
    """A key that depended on hash randomisation or object addresses would never match again."""
    code = (
        "from pipeline.job import settings_key; from pipeline.names.glossary import load_glossary; "
        f"print(settings_key(load_glossary({str(ROOT / 'glossary')!r}), False))"
    )
    keys = {
        subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
        ).stdout
        for seed in ("1", "2")
    }
    assert len(keys) == 1


def test_folder_flushes_are_batched_and_done_before_the_flush_returns(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each file is still flushed before its rename; its folder once per batch, not once per file."""
    from pipeline import fileio

    synced: list[Path] = []
    monkeypatch.setattr(fileio, "_sync_folder", synced.append)
    fileio.atomic_write_text(tmp_path / "a" / "one.po", "1")
    assert synced == [tmp_path / "a"]  # outside a batch: at once
    synced.clear()
    with fileio.batched_folder_syncs() as flush:
        for n in range(5):
            fileio.atomic_write_text(tmp_path / ("a" if n % 2 else "b") / f"{n}.po", str(n))
        assert synced == []
        flush()
        assert sorted(synced) == [tmp_path / "a", tmp_path / "b"]
        fileio.atomic_write_text(tmp_path / "b" / "late.po", "x")
    assert synced[2:] == [tmp_path / "b"]  # the rest at the end of the batch
