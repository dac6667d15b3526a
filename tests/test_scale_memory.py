"""Memory that does not grow with the archive: pages handed over one at a time (the indexes keep a
small entry per article), index pages written as they are made, and the run's tallies of files kept
as text, not ``Path`` objects (``scripts/bench_scale.py`` measures the peak RSS)."""

from __future__ import annotations

import gc
import os
import weakref
from pathlib import Path

import pytest

import pipeline.render.pages as pages_module
from pipeline.compact import BLOCK, PathList, Spool, TextList, path_order
from pipeline.errors import PageTemplateError, PipelineError
from pipeline.fileio import atomic_write_chunks
from pipeline.render.env import environment
from pipeline.render.pages import ArticlePage, IndexEntry, iter_pages
from tests.helpers import EchoBackend, run_fake
from tests.test_scale import write_archive


def test_a_path_list_reads_as_the_list_of_paths_it_keeps() -> None:
    paths = [Path(f"build/ar/story-{i}.html") for i in range(BLOCK * 2 + 7)]
    kept = PathList(paths[:10])
    kept.extend(paths[10:])
    kept.append("locales/ar/LC_MESSAGES/x.po")
    paths.append(Path("locales/ar/LC_MESSAGES/x.po"))
    assert len(kept) == len(paths) and list(kept) == paths and kept == paths
    assert kept[0] == paths[0] and kept[BLOCK] == paths[BLOCK] and kept[-1] == paths[-1]
    assert kept[BLOCK - 2 : BLOCK + 2] == paths[BLOCK - 2 : BLOCK + 2]
    assert Path("build/ar/story-600.html") in kept and "build/ar/story-600.html" in kept
    assert Path("build/ar/nothing.html") not in kept and 3 not in kept
    assert PathList() == [] and PathList() != paths and kept != paths[:-1]
    with pytest.raises(IndexError):
        kept[len(paths)]
    with pytest.raises(ValueError, match="NUL"):
        kept.append("a\0b")


def test_an_archives_paths_take_a_few_bytes_each() -> None:
    paths = [f"/srv/newsroom/build/ar/story-{i:06d}.{ext}" for i in range(20_000) for ext in ("html", "txt")]
    kept = PathList(paths)
    stored = sum(len(b) for b in kept._blocks) + sum(len(t) for t in kept._tail)  # noqa: SLF001
    assert stored < 6 * len(paths)  # ~40 characters each as given
    assert list(kept.texts()) == paths and kept[-1] == Path(paths[-1]) and kept[12345] == Path(paths[12345])


def test_a_text_list_keeps_slugs_as_text_and_odd_names_intact() -> None:
    slugs = ["a", "ديارنا-خبر", "x\udcff-bad-utf8", *[f"s{i}" for i in range(BLOCK + 3)]]
    kept = TextList(slugs)
    assert list(kept) == slugs and kept[2] == slugs[2] and "ديارنا-خبر" in kept and kept == slugs
    assert bool(TextList()) is False and bool(kept) is True


def test_paths_sorted_as_text_come_in_the_order_paths_sort_in() -> None:
    names = ["a", "a-b", "a.b", "a b", "ab", "A", "_", "é", "a0", "z"]
    names += ["a/b", "a-b/c", "a/b-c", "a.b/a", "a/a/a"]
    texts = [f"articles/{n}/x.txt" for n in names] + [f"articles/{n}.txt" for n in names]
    assert sorted(texts, key=path_order) == [str(p) for p in sorted(Path(t) for t in texts)]


def test_a_spool_gives_back_what_it_was_given_in_order_from_disk() -> None:
    rows = [IndexEntry(f"s{i}", "عنوان <x>", pages_module.Stats(3, 1, 2, 0)) for i in range(1000)]
    with Spool(rows[:10]) as spool:
        for row in rows[10:]:
            spool.append(row)
        assert len(spool) == 1000 and bool(spool) and list(spool) == rows and list(spool) == rows  # twice
        spool.append(rows[0])
        assert list(spool)[-1] == rows[0] and len(spool) == 1001
        reading = iter(spool)
        next(reading)
        with pytest.raises(RuntimeError, match="one reader"):
            next(iter(spool))
        with pytest.raises(RuntimeError, match="cannot append"):
            spool.append(rows[1])
        assert len(list(reading)) == 1000  # the first reader is undisturbed
    assert not Spool()


def test_chunks_are_written_atomically_and_an_unchanged_file_is_left_alone(tmp_path: Path) -> None:
    target = tmp_path / "out" / "index.html"
    assert atomic_write_chunks(target, iter(["<p>", "سلام", "</p>\n"])) is True
    assert target.read_text(encoding="utf-8") == "<p>سلام</p>\n"
    before = os.stat(target)
    assert atomic_write_chunks(target, ["<p>سلام", "</p>\n"]) is False
    assert os.stat(target).st_ino == before.st_ino  # not even replaced
    assert atomic_write_chunks(target, ["<p>", "سلام</p>\r\n"]) is True  # newlines kept as given
    assert target.read_bytes() == "<p>سلام</p>\r\n".encode()

    def failing() -> object:
        yield "<p>half"
        raise PageTemplateError("template error: boom", "index.html.j2", 3)

    with pytest.raises(PageTemplateError):
        atomic_write_chunks(target, failing())  # type: ignore[arg-type]
    assert target.read_bytes() == "<p>سلام</p>\r\n".encode()
    assert sorted(p.name for p in target.parent.iterdir()) == ["index.html"]  # no temporary left


def test_a_streamed_template_is_the_rendered_one() -> None:
    from pipeline.render.templating import render_template, stream_template

    env = environment("ar", None)
    entries = [IndexEntry("a&b", "عنوان <x>", pages_module.Stats(3, 1, 2, 0))]
    context = {
        "lang": "ar",
        "dir": "rtl",
        "pages": entries,
        "language": "Arabic",
        "fonts": [],
        "isolate": pages_module.isolate_latin,
    }
    assert "".join(stream_template(env, "index.html.j2", **context)) == render_template(
        env, "index.html.j2", **context
    )


def test_pages_are_handed_over_one_at_a_time_and_the_index_keeps_small_entries(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_archive(tmp_path, 5)
    monkeypatch.chdir(tmp_path)
    run_fake(EchoBackend())
    listed: list[list[object]] = []
    index = pages_module.render_index

    def spy(out: Path, lang: str, pages: list[object], templates: Path | None = None) -> tuple[Path, bool]:
        listed.append(list(pages))
        return index(out, lang, pages, templates)  # type: ignore[arg-type]

    monkeypatch.setattr(pages_module, "render_index", spy)
    alive: list[weakref.ref[ArticlePage]] = []
    for page in iter_pages(Path("locales"), Path("build"), ["ar"]):
        gc.collect()
        assert sum(ref() is not None for ref in alive) == 0  # the pages before this one are gone
        alive.append(weakref.ref(page))
        del page
    assert len(alive) == 5 and [type(e) for e in listed[0]] == [IndexEntry] * 5
    assert (tmp_path / "build" / "ar" / "index.html").is_file() and (
        tmp_path / "build" / "index.html"
    ).is_file()


def test_walking_an_archive_folder_never_uses_rglob(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``Path.rglob`` keeps a set of every path it yielded: the largest allocation of a 20,000-article
    run (16 MB; ~770 bytes a file at the peak against ~250 for the walk, measured with tracemalloc,
    which in a test is at the mercy of the interpreter's interned-string table resizing)."""
    from pipeline.ingest import expand_inputs

    folder = tmp_path / "articles" / "desk"
    folder.mkdir(parents=True)
    for i in range(300):
        (folder / f"story-{i:05d}.txt").touch()
    (folder / "notes.odt").touch()

    def refused(*args: object, **kwargs: object) -> None:
        raise AssertionError("rglob/glob over an archive folder")

    monkeypatch.setattr(Path, "rglob", refused)
    monkeypatch.setattr(Path, "glob", refused)
    found = expand_inputs([tmp_path / "articles"])
    assert len(found) == 300 and found[0].name == "story-00000.txt" and found[-1].name == "story-00299.txt"
    assert list(found) == sorted(found)


def test_folder_scans_stream_and_keep_the_order_of_the_layout_files(tmp_path: Path) -> None:
    """The stale-temporary sweep and the list of articles read a folder entry by entry (a listing of
    a 20,000-article pages folder was 19 MB at the peak), in the order the layout files sort in."""
    import tracemalloc

    from pipeline.fileio import iter_files
    from pipeline.locking import remove_stale_temporaries
    from pipeline.render.localize import article_slugs

    templates = tmp_path / "locales" / "templates"
    templates.mkdir(parents=True)
    for slug in ["a", "a-b", "a0", "b", "Bad_Name"]:
        (templates / f"{slug}.layout.json").touch()
    (templates / ".a.layout.json.abcdefgh.tmp").touch()
    pages = tmp_path / "build" / "ar"
    pages.mkdir(parents=True)
    for i in range(3000):
        (pages / f"story-{i}.html").touch()
    (tmp_path / "build" / "linked").symlink_to(tmp_path / "locales", target_is_directory=True)
    errors: list[PipelineError] = []
    assert article_slugs(tmp_path / "locales", errors) == ["a-b", "a", "a0", "b"]  # as the files sort
    assert len(errors) == 1 and "Bad_Name.layout.json" in str(errors[0])
    assert not any("templates" in e.path for e in iter_files(tmp_path / "build"))  # links not walked
    tracemalloc.start()
    try:
        assert remove_stale_temporaries(tmp_path / "build", older_than=60) == []
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 50_000, peak  # a listing of the 3,000 files would be ~1 MB
    assert remove_stale_temporaries(tmp_path / "locales") == [templates / ".a.layout.json.abcdefgh.tmp"]
