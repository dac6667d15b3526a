import gettext
import json
import re
from pathlib import Path

import polib
import pytest
from babel import Locale

from pipeline.catalog.layout import (
    LAYOUT_VERSION,
    Layout,
    LayoutBlock,
    LayoutSegment,
    read_layout,
    write_layout,
)
from pipeline.catalog.merge import Message, build_catalog
from pipeline.catalog.plurals import plural_forms
from pipeline.catalog.po import read_po, write_po
from pipeline.errors import CatalogError

from .helpers import msgfmt_check

CLDR_ORDER = ["zero", "one", "two", "few", "many", "other"]


def rule(lang: str):
    header = plural_forms(lang)
    nplurals = int(re.search(r"nplurals=(\d+)", header).group(1))
    return nplurals, gettext.c2py(re.search(r"plural=(.*);$", header).group(1))


def test_arabic_plural_rule_is_gettexts_and_matches_cldr() -> None:
    assert plural_forms("ar") == (
        "nplurals=6; plural=n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 : n%100>=11 ? 4 : 5;"
    )
    nplurals, plural = rule("ar")
    assert nplurals == 6
    arabic = Locale("ar")
    for n in range(1000):
        assert CLDR_ORDER[plural(n)] == arabic.plural_form(n), n


@pytest.mark.parametrize(
    ("lang", "n", "expected"), [("fr", 0, 0), ("fr", 1, 0), ("fr", 2, 1), ("he", 1, 0), ("he", 2, 1)]
)
def test_other_languages(lang: str, n: int, expected: int) -> None:
    assert rule(lang)[1](n) == expected


def test_unknown_language() -> None:
    with pytest.raises(CatalogError, match="unknown language"):
        plural_forms("xx-notalang")


def messages(translation: str = "ترجمة") -> list[Message]:
    return [
        Message("headline:1", "A headline", "headline", [("a.txt", 1)], ["ISIS = داعش"], translation),
        Message(
            "paragraph:2",
            'He said "no".',
            "paragraph",
            [("a.txt", 3), ("a.txt", 5)],
            [],
            translation,
            ["repaired: ISIS: dropped by the model, inserted"],
        ),
    ]


def test_po_entries_carry_context_references_comments_and_fuzzy(tmp_path: Path) -> None:
    po = build_catalog(
        messages(), lang="ar", slug="a", source="a.txt", model="m", date="2026-01-01 00:00+0000"
    )
    path = tmp_path / "a.po"
    write_po(po, path)
    msgfmt_check(path)
    back = read_po(path)
    assert back.metadata["Language"] == "ar"
    assert back.metadata["Content-Type"] == "text/plain; charset=UTF-8"
    assert back.metadata["Plural-Forms"].startswith("nplurals=6;")
    entry = back.find('He said "no".', msgctxt="paragraph:2")
    assert entry.occurrences == [("a.txt", "3"), ("a.txt", "5")]
    assert "block: paragraph" in entry.comment and "repaired:" in entry.comment
    assert entry.fuzzy


def test_reviewed_entries_survive_a_rebuild(tmp_path: Path) -> None:
    po = build_catalog(
        messages(), lang="ar", slug="a", source="a.txt", model="m", date="2026-01-01 00:00+0000"
    )
    reviewed = po.find("A headline", msgctxt="headline:1")
    reviewed.msgstr = "عنوان راجعه مترجم"
    reviewed.flags.remove("fuzzy")
    reviewed.tcomment = "checked with the desk"
    again = build_catalog(
        messages(translation="")[:1],
        lang="ar",
        slug="a",
        source="a.txt",
        model="m",
        date="2026-02-02 00:00+0000",
        existing=po,
    )
    kept = again.find("A headline", msgctxt="headline:1")
    assert kept.msgstr == "عنوان راجعه مترجم" and not kept.fuzzy and kept.tcomment == "checked with the desk"
    gone = [e for e in again if e.obsolete]
    assert [e.msgid for e in gone] == ['He said "no".']  # removed sentence kept as #~, not lost
    assert again.metadata["PO-Revision-Date"] == "2026-02-02 00:00+0000"


def test_unchanged_rebuild_keeps_header_dates(tmp_path: Path) -> None:
    po = build_catalog(
        messages(), lang="ar", slug="a", source="a.txt", model="m", date="2026-01-01 00:00+0000"
    )
    again = build_catalog(
        messages(translation=""),
        lang="ar",
        slug="a",
        source="a.txt",
        model="m",
        date="2030-01-01 00:00+0000",
        existing=po,
    )
    assert again.__unicode__() == po.__unicode__()


def test_malformed_po_is_reported_with_line_and_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "bad.po"
    text = 'msgid ""\nmsgstr ""\n"Language: ar\\n"\n\nmsgid "a"\nmsgstr "b\n\nmsgid "c"\nmsgstr "d"\n'
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CatalogError) as err:
        read_po(path)
    assert err.value.line is not None and "left untouched" in str(err.value)
    assert path.read_text(encoding="utf-8") == text


def test_reader_accepts_other_wrapping(tmp_path: Path) -> None:
    po = build_catalog(
        messages(), lang="ar", slug="a", source="a.txt", model="m", date="2026-01-01 00:00+0000"
    )
    path = tmp_path / "a.po"
    po.wrapwidth = 20
    path.write_text(po.__unicode__(), encoding="utf-8")
    assert [e.msgid for e in read_po(path)] == [e.msgid for e in po]
    assert isinstance(read_po(path), polib.POFile)


def test_existing_po_keeps_its_plural_forms_across_an_upgrade(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A dependency upgrade that changes the rule table (Babel moved Catalan from 2 forms to 3)
    must not rewrite the header of a file translators already work on; ``status`` says the rule
    moved, and only ``--migrate-plural-forms`` adopts the new one."""
    import shutil

    from pipeline.catalog import plurals
    from pipeline.cli import main

    from .helpers import ROOT, SAMPLE

    monkeypatch.chdir(tmp_path)
    shutil.copy(SAMPLE, tmp_path / "a.txt")
    args = ["translate", "a.txt", "--to", "ar", "--backend", "identity", "--no-render", "-q"]
    args += ["--glossary", str(ROOT / "glossary")]
    assert main(args) == 0
    po_file = tmp_path / "locales" / "ar" / "LC_MESSAGES" / "a.po"
    written = po_file.read_bytes()
    original = read_po(po_file).metadata["Plural-Forms"]
    assert original == plural_forms("ar")

    upgraded = "nplurals=3; plural=(n==1 ? 0 : n==2 ? 1 : 2);"
    monkeypatch.setattr(plurals, "plural_forms", lambda lang: upgraded)
    (tmp_path / "a.txt").write_text(SAMPLE.read_text(encoding="utf-8").replace("oblivion", "collapse"))
    assert main(args) == 0  # content changed, so the file is rewritten ...
    assert po_file.read_bytes() != written
    assert read_po(po_file).metadata["Plural-Forms"] == original  # ... with the rule it was made with
    capsys.readouterr()

    assert main(["status"]) == 0
    err = capsys.readouterr().err
    assert "a.po: Plural-Forms differs from the current rule for 'ar'" in err and upgraded in err
    assert "--migrate-plural-forms" in err

    assert main([*args, "--migrate-plural-forms"]) == 0
    assert read_po(po_file).metadata["Plural-Forms"] == upgraded
    assert main(["status"]) == 0
    assert "Plural-Forms differs" not in capsys.readouterr().err


def test_a_file_without_plural_forms_gets_the_current_rule() -> None:
    existing = build_catalog(messages(), lang="ar", slug="a", source="a.txt", model="m", date="2026-01-01")
    del existing.metadata["Plural-Forms"]
    again = build_catalog(
        messages(), lang="ar", slug="a", source="a.txt", model="m", date="2026-01-02", existing=existing
    )
    assert again.metadata["Plural-Forms"] == plural_forms("ar")


# --- the layout contract between the translate job (writer) and the renderer (reader) ----------

LAYOUT = Layout(
    "a",
    "articles/a.txt",
    "text",
    (LayoutBlock("headline", 1, (LayoutSegment("headline:1", "Hi.", "\n"),)),),
)


def test_layout_round_trips_and_is_written_byte_stably(tmp_path: Path) -> None:
    path = tmp_path / "a.layout.json"
    assert write_layout(path, LAYOUT)
    assert read_layout(path) == LAYOUT
    assert json.loads(path.read_text(encoding="utf-8"))["version"] == LAYOUT_VERSION
    assert not write_layout(path, LAYOUT)  # same bytes: the file is left alone


def test_a_layout_without_a_version_is_version_one(tmp_path: Path) -> None:
    """Every layout written before the version key was added is version 1."""
    data = LAYOUT.to_json()
    del data["version"]
    del data["blocks"][0]["segments"][0]["sep"]  # the reader has always defaulted it to a space
    path = tmp_path / "a.layout.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    layout = read_layout(path)
    assert layout.version == 1 and layout.blocks[0].segments[0].sep == " "


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (lambda d: d.update(version=3), "unknown layout version 3"),
        (lambda d: d.pop("source"), "layout has no 'source'"),
        (lambda d: d["blocks"][0].update(line="1"), r"blocks\[0\]\.line is not an integer"),
        (lambda d: d["blocks"][0]["segments"][0].pop("id"), r"blocks\[0\]\.segments\[0\] has no 'id'"),
    ],
)
def test_a_malformed_layout_is_a_catalog_error_naming_the_file(tmp_path: Path, change, reason: str) -> None:
    data = LAYOUT.to_json()
    change(data)
    path = tmp_path / "a.layout.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(CatalogError, match=reason) as caught:
        read_layout(path)
    assert caught.value.path == str(path)
