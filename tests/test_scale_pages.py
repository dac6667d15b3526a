"""An unchanged re-run *with* pages: no page rendered again and no PO file parsed for it, while
any change to what a page is made of (its PO file, its layout, the templates, the package, the
other languages) or to the page itself (edited, deleted) brings it back."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import pipeline.render.cached as cached_module
import pipeline.render.overview as overview_module
import pipeline.render.pages as pages_module
from pipeline.catalog.index import RunCache
from pipeline.catalog.po import po_path, read_po, write_po
from pipeline.render.cached import PageCache
from pipeline.render.pages import render_all
from tests.helpers import EchoBackend, run_fake
from tests.test_scale import Counter, write_archive


def pages(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


@pytest.fixture
def archive(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    write_archive(tmp_path, 6)
    monkeypatch.chdir(tmp_path)
    run_fake(EchoBackend())
    return tmp_path


@pytest.fixture
def renders(monkeypatch: pytest.MonkeyPatch) -> tuple[Counter, Counter]:
    """Pages rendered, and PO files parsed by the renderer (pages and overview)."""
    rendered = Counter(monkeypatch, cached_module, "render_article")
    parsed = Counter(monkeypatch, pages_module, "read_po")
    listed = Counter(monkeypatch, overview_module, "read_po")
    parsed.also = listed  # type: ignore[attr-defined]
    return rendered, parsed


def parsed_count(parsed: Counter) -> int:
    return parsed.calls + parsed.also.calls  # type: ignore[attr-defined]


def test_an_unchanged_rerun_renders_no_page_and_parses_no_po_file(
    archive: Path, renders: tuple[Counter, Counter]
) -> None:
    before = pages(archive / "build")
    report = run_fake(EchoBackend())
    rendered, parsed = renders
    assert (rendered.calls, parsed_count(parsed)) == (0, 0)
    assert report.written == [] and len(report.pages) == 6
    assert pages(archive / "build") == before  # the indexes too (made again, from the records)


def test_a_po_file_edited_by_hand_renders_its_page_again(
    archive: Path, renders: tuple[Counter, Counter]
) -> None:
    edited = po_path(Path("locales"), "ar", "story-002")
    po = read_po(edited)
    entry = next(e for e in po if e.msgid.startswith("A second paragraph"))
    entry.msgstr, entry.flags = "فقرة ثانية منقحة", []
    write_po(po, edited)
    run_fake(EchoBackend())
    rendered, parsed = renders
    assert rendered.calls == 1 and parsed_count(parsed) == 2  # its page, and its row of the overview
    assert "فقرة ثانية منقحة" in (archive / "build" / "ar" / "story-002.html").read_text(encoding="utf-8")
    overview = (archive / "build" / "index.html").read_text(encoding="utf-8")
    assert "story-002" in overview


def test_a_deleted_or_edited_page_is_written_again(archive: Path, renders: tuple[Counter, Counter]) -> None:
    page = archive / "build" / "ar" / "story-001.html"
    good = page.read_bytes()
    page.unlink()
    (archive / "build" / "ar" / "story-003.md").write_text("scribbled over\n", encoding="utf-8")
    report = run_fake(EchoBackend())
    assert renders[0].calls == 2
    assert (
        page.read_bytes() == good
        and "scribbled" not in (archive / "build" / "ar" / "story-003.md").read_text()
    )
    assert Path("build/ar/story-001.html") in report.written


def test_a_changed_template_renders_every_page_again(
    archive: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, renders: tuple[Counter, Counter]
) -> None:
    """The shipped templates (a package upgrade, a developer's edit) and a newsroom's own."""
    shipped = tmp_path / "shipped"
    shutil.copytree(Path(cached_module.__file__).parent / "templates", shipped)
    monkeypatch.setattr(cached_module, "SHIPPED", shipped)
    run_fake(EchoBackend())  # the records now key on the copy
    renders[0].calls = 0
    run_fake(EchoBackend())
    assert renders[0].calls == 0
    (shipped / "article.html.j2").write_text("changed\n", encoding="utf-8")
    run_fake(EchoBackend())
    assert renders[0].calls == 6

    house = tmp_path / "house"
    house.mkdir()
    template = house / "article.html.j2"
    template.write_text('<html lang="{{ lang }}"><h1>{{ title }}</h1>first</html>\n', encoding="utf-8")
    locales, out = Path("locales"), Path("build")
    cache = RunCache(locales)
    try:
        render_all(locales, out, ["ar"], templates=house, render=PageCache(cache).article)
        renders[0].calls = 0
        render_all(locales, out, ["ar"], templates=house, render=PageCache(cache).article)
        assert renders[0].calls == 0
        template.write_text('<html lang="{{ lang }}"><h1>{{ title }}</h1>house</html>\n', encoding="utf-8")
        render_all(locales, out, ["ar"], templates=house, render=PageCache(cache).article)
    finally:
        cache.close()
    assert renders[0].calls == 6
    assert (out / "ar" / "story-000.html").read_text(encoding="utf-8").endswith("house</html>\n")


def test_a_new_language_renders_the_other_languages_pages_again(
    archive: Path, renders: tuple[Counter, Counter]
) -> None:
    """Each page links to the article's other languages."""
    from pipeline.job import translate_articles
    from pipeline.names.glossary import load_glossary
    from tests.helpers import ROOT

    translate_articles(
        ["articles"],
        ["ar", "fr"],
        glossary=load_glossary(ROOT / "glossary"),
        locales=Path("locales"),
        out=Path("build"),
        make_backend=lambda lang: EchoBackend(),
        model_label="echo",
    )
    assert renders[0].calls == 12  # six French pages, and the six Arabic ones with their new link
    assert "../fr/story-000.html" in (archive / "build" / "ar" / "story-000.html").read_text(encoding="utf-8")


def test_a_page_skipped_through_the_cache_still_reports_its_warnings(
    archive: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An in-place page's blocks that could not be placed are warned about on every run, not only
    on the run that rendered it."""
    from pipeline.errors import PipelineWarning

    real = cached_module.render_article

    def warned(*args: object, **kwargs: object) -> pages_module.ArticlePage:
        page = real(*args, **kwargs)  # type: ignore[arg-type]
        page.warnings.append(PipelineWarning("1 of 9 block(s) not placed", "articles/x.html", 3))
        return page

    shutil.rmtree(archive / "build")
    monkeypatch.setattr(cached_module, "render_article", warned)
    first = run_fake(EchoBackend())
    monkeypatch.setattr(cached_module, "render_article", real)
    again = run_fake(EchoBackend())
    expected = PipelineWarning("1 of 9 block(s) not placed", "articles/x.html", 3)
    assert first.warnings.count(expected) == 6
    assert again.warnings.count(expected) == 6  # from the records: nothing was rendered again
