"""``render --review`` and ``render --templates``: the review page an editor signs an article off
from, and the newsroom's own templates, end to end through the CLI on the sample article."""

from __future__ import annotations

from pathlib import Path

import polib
import pytest
from bs4 import BeautifulSoup

from pipeline.catalog.po import read_po
from pipeline.cli import main
from pipeline.render.review import Name, mark_names, notes
from pipeline.render.templating import CONTEXT

from .helpers import ROOT, msgfmt_check
from .review_site import SLUG, review_by_editing, sample_po, translate_sample


def _soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, list[str]]:
    locales, out = translate_sample(tmp_path_factory.mktemp("review"))
    reviewed = review_by_editing(sample_po(locales))
    msgfmt_check(sample_po(locales))  # the edit is what a translator's editor would save
    assert main(["render", "--review", "-q", "--locales", str(locales), "--out", str(out)]) == 0
    return locales, out, reviewed


def test_two_reviewed_sentences_the_rest_machine_repaired_names_marked(
    site: tuple[Path, Path, list[str]],
) -> None:
    locales, out, reviewed = site
    page = _soup(out / "ar" / f"{SLUG}.review.html")
    assert (out / "ar" / f"{SLUG}.html").exists()  # beside the published page
    counts = {li["data-state"]: int(li.b.get_text()) for li in page.select(".counts li")}
    units = [e for e in read_po(sample_po(locales)) if e.msgid and not e.obsolete]
    assert counts["reviewed"] == 2 and counts["machine"] == len(units) - 2 and counts["untranslated"] == 0
    assert counts["total"] == len(units)
    segs = page.select("article .seg")
    assert sorted({s["data-id"] for s in segs if s["data-state"] == "reviewed"}) == sorted(reviewed)
    assert {s["data-state"] for s in segs if s["data-id"] not in reviewed} == {"machine"}
    # Every sentence the job repaired shows which name: the form in its PO entry's glossary note.
    po = {e.msgctxt: e for e in polib.pofile(str(sample_po(locales)))}
    repaired = [s for s in segs if "repaired" in s["class"]]
    assert counts["repaired"] > 0 and repaired
    for seg in repaired:
        entry = po[seg["data-id"]]
        assert "repaired:" in entry.comment and "fuzzy" in entry.flags
        marks = seg.select(".text mark.name.repaired")
        assert marks and all(m.find(class_="sr").get_text() == " (repaired name)" for m in marks)
        assert all(m.contents[0].get_text() in entry.msgstr for m in marks)
    assert counts["repaired"] == sum(
        1 for e in po.values() if e.msgid and "repaired:" in (e.comment or "") and "fuzzy" in e.flags
    )
    # Not by colour alone: a symbol and a sentence for screen readers on each sentence.
    first = segs[0]
    assert (
        first.find(class_="badge").get_text().startswith("✓")
        and "reviewed" in first.find(class_="sr").get_text()
    )


def test_each_sentence_links_to_its_po_entry_and_shows_its_source(site: tuple[Path, Path, list[str]]) -> None:
    locales, out, _ = site
    page = _soup(out / "ar" / f"{SLUG}.review.html")
    po = {e.msgctxt: e for e in polib.pofile(str(sample_po(locales)))}
    text = sample_po(locales).read_text(encoding="utf-8").split("\n")
    for seg in page.select("article .seg"):
        entry = po[seg["data-id"]]
        src = seg.find(class_="src")
        assert (
            src["lang"] == "en"
            and src["dir"] == "ltr"
            and src.get_text().startswith("English: " + entry.msgid[:20])
        )
        link = src.find("a", class_="po")
        line = int(link["data-line"])
        assert link.get_text() == f"{sample_po(locales)}:{line}"
        assert (out / "ar" / link["href"]).resolve() == sample_po(locales).resolve()
        # file:line points at the entry: its comments start there, its msgctxt follows
        block = text[line - 1 : line + 12]
        assert block[0].startswith("#") and f'msgctxt "{entry.msgctxt}"' in block
    # The summary lists every warning and repair, each linking to its sentence.
    ids = {s["id"] for s in page.select("article .seg")}
    flagged = page.select(".flagged li")
    assert flagged and all(li.a["href"][1:] in ids for li in flagged)
    assert page.article["dir"] == "rtl" and page.article["lang"] == "ar"


def test_a_repaired_figure_is_flagged_but_not_marked_as_a_name(tmp_path: Path) -> None:
    """Numbers and dates are protection slots too (issue 16): one the model dropped is put back and
    shown as a repair on the review page, but it is no glossary name."""
    from pipeline.job import translate_articles
    from pipeline.names.glossary import load_glossary

    from .review_site import DroppingArabicBackend

    article = tmp_path / "prices.txt"
    article.write_text("Prices in Mosul\n\nIn Mosul, prices rose 2% last week.\n", encoding="utf-8")
    locales, out = tmp_path / "locales", tmp_path / "build"
    translate_articles(
        [article],
        ["ar"],
        glossary=load_glossary(ROOT / "glossary"),
        locales=locales,
        out=None,
        make_backend=lambda lang: DroppingArabicBackend(),
        model_label="fake",
    )
    assert main(["render", "--review", "-q", "--locales", str(locales), "--out", str(out)]) == 0
    page = _soup(out / "ar" / "prices.review.html")
    (seg,) = [s for s in page.select("article .seg") if "repaired" in s["class"]]
    assert "2%: dropped by the model, inserted" in seg.select_one(".notes").get_text()
    assert seg.select_one(".text").get_text().count("2%") == 1  # put back, once
    assert not seg.select(".text mark.name.repaired")  # Mosul came back by itself: nothing to mark
    assert [m.get_text() for m in seg.select(".text mark.name")] == ["الموصل"]
    assert any("2%" in li.get_text() for li in page.select(".flagged li.repair"))


def test_a_broken_po_file_is_one_error_line_and_no_review_page(
    tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    locales, out = translate_sample(tmp_path)
    po_file = sample_po(locales)
    po_file.write_text(po_file.read_text(encoding="utf-8").replace('msgstr "', 'msgstr "unterminated\n', 1))
    before = po_file.read_bytes()
    assert main(["render", "--review", "--locales", str(locales), "--out", str(out)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith(f"error: {po_file}:") and "malformed PO file" in err[0]
    assert not (out / "ar" / f"{SLUG}.review.html").exists() and po_file.read_bytes() == before


def test_notes_join_lines_polib_wrapped() -> None:
    comment = (
        "block: caption\nglossary: al-Qaim = القائم; Islamic State of Iraq and\nSyria = تنظيم الدولة; al-\n"
        "Baghdadi = البغدادي\nqa: numbers: 4 missing\nrepaired: Syria: dropped by the model, inserted"
    )
    assert notes(comment) == [
        ("block", "caption"),
        (
            "glossary",
            "al-Qaim = القائم; Islamic State of Iraq and Syria = تنظيم الدولة; al-Baghdadi = البغدادي",
        ),
        ("qa", "numbers: 4 missing"),
        ("repaired", "Syria: dropped by the model, inserted"),
    ]


def test_marks_escape_what_a_po_file_holds() -> None:
    names = (Name("Mosul", "الموصل", repaired=True), Name("AFP", "AFP"))
    html = str(mark_names('<script>x</script> والموصل 2,500 "AFP"', names, rtl=True))
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert 'و<mark class="name repaired"' in html and '<bdi dir="ltr" class="num">2,500</bdi>' in html
    assert '<mark class="name" title="AFP"><bdi dir="ltr">AFP</bdi></mark>' in html
    assert "AFPX" in str(mark_names("AFPX", names, rtl=False)) and "<mark" not in str(
        mark_names("AFPX", names, rtl=False)
    )


# --- the newsroom's own templates ------------------------------------------------------------------

ARTICLE = """{% extends "shipped/article.html.j2" %}
{% block masthead %}<header class="masthead">Diyaruna</header>{% endblock %}
{% block colophon %}<p class="house">{{ title }}</p>{% endblock %}
"""
INDEX = """<!doctype html>
<html lang="{{ lang }}" dir="{{ dir }}"><head><title>{{ language }}</title></head>
<body><ul>{% for p in pages %}<li class="house-item">{{ isolate(p.title) }}
{{ p.stats.percent_reviewed }}%</li>{% endfor %}</ul></body></html>
"""


def _render(locales: Path, out: Path, templates: Path, *extra: str) -> int:
    argv = ["render", "-q", "--locales", str(locales), "--out", str(out), "--templates", str(templates)]
    return main([*argv, *extra])


def test_a_custom_template_folder_renders_the_sample(tmp_path: Path) -> None:
    locales, out = translate_sample(tmp_path)
    house = tmp_path / "house"
    house.mkdir()
    (house / "article.html.j2").write_text(ARTICLE, encoding="utf-8")
    (house / "index.html.j2").write_text(INDEX, encoding="utf-8")
    # A translator's msgstr with markup in it stays text, in the newsroom's template too.
    po = polib.pofile(str(sample_po(locales)))
    headline = next(e for e in po if e.msgctxt.startswith("headline:"))
    headline.msgstr = "<script>alert(1)</script> " + headline.msgstr
    po.save(str(sample_po(locales)))
    assert _render(locales, out, house, "--review") == 0
    page = _soup(out / "ar" / f"{SLUG}.html")
    assert page.find(class_="masthead").get_text() == "Diyaruna" and page.h1  # extended, not replaced
    assert page.find(class_="house").get_text().startswith("<script>") and not page.find("script")
    assert "&lt;script&gt;" in (out / "ar" / f"{SLUG}.html").read_text(encoding="utf-8")
    index = _soup(out / "ar" / "index.html")
    assert len(index.select("li.house-item")) == 1 and not index.find(class_="articles")  # replaced
    assert _soup(out / "ar" / f"{SLUG}.review.html").select("article .seg")  # shipped review page


@pytest.mark.parametrize(
    ("source", "line", "message"),
    [
        ("<p>\n{{ title }}\n{{ headline }}</p>", 3, "unknown template variable 'headline'"),
        ("<p>{% if stats.machine %}\n{{ nope.x }}{% endif %}</p>", 2, "unknown template variable 'nope'"),
        (
            "<p>\n\n{{ stats.nope + 1 }}</p>",
            3,
            "template error: 'pipeline.render.localize.Stats object' has no attribute 'nope'",
        ),
        ("<p>{% for b in blocks %}\n{{ b }</p>", 2, "template syntax error"),
    ],
)
def test_a_bad_template_is_one_error_naming_template_and_line(
    tmp_path: Path, capsys: pytest.CaptureFixture, source: str, line: int, message: str
) -> None:
    locales, out = translate_sample(tmp_path)
    house = tmp_path / "house"
    house.mkdir()
    (house / "article.html.j2").write_text(source, encoding="utf-8")
    assert _render(locales, out, house) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1, err
    assert err[0].startswith(f"error: {house / 'article.html.j2'}:{line}: {message}"), err[0]


def test_templates_are_named_like_the_shipped_ones(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    locales, out = translate_sample(tmp_path)
    house = tmp_path / "house"
    house.mkdir()
    (house / "article.html").write_text("<p>{{ title }}</p>", encoding="utf-8")
    assert _render(locales, out, house) == 1
    assert "rename it article.html.j2" in capsys.readouterr().err
    assert _render(locales, out, tmp_path / "missing") == 1
    assert "no such templates folder" in capsys.readouterr().err


def test_every_context_variable_is_documented_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("### Template variables") :]
    for template, variables in CONTEXT.items():
        assert f"`{template}`" in section, template
        for variable in variables:
            assert f"`{variable}`" in section, (template, variable)
