"""``glossary add``: reviewed suggestions into the glossary, end to end through the CLI."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from pipeline.cli import main
from pipeline.names.glossary import load_glossary

from .helpers import ROOT

ARTICLE = (
    "Residents of Tikrit met Yasser Arafat's envoy.\n\n"
    "The envoy later travelled to Tikrit and to Baiji with officials of the National Bank of Kuwait.\n"
)


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copytree(ROOT / "glossary", tmp_path / "glossary")
    (tmp_path / "glossary" / "names.tsv").write_text(
        (tmp_path / "glossary" / "names.tsv").read_text(encoding="utf-8")
        + "# places added by the desk\n\nFallujah\tالفلوجة\tplace\t\t\n",
        encoding="utf-8",
    )
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _review(path: Path, accept: dict[str, str] | None = None, drop: tuple[str, ...] = ()) -> None:
    """What an editor does: fix forms, delete the UNREVIEWED mark, delete rejected rows."""
    lines = path.read_text(encoding="utf-8").splitlines()
    out = [lines[0]]
    for line in lines[1:]:
        cells = line.split("\t")
        if cells[0] in drop:
            continue
        if accept and cells[0] in accept:
            cells[1] = accept[cells[0]]
        cells[4] = cells[4].replace("UNREVIEWED suggestion", "reviewed")
        out.append("\t".join(cells))
    path.write_text("\n".join(out) + "\n", encoding="utf-8")


def test_suggest_review_add_end_to_end(site: Path, capsys) -> None:
    before = (site / "glossary" / "names.tsv").read_text(encoding="utf-8")
    assert main(["glossary", "suggest", "a.txt", "-o", "s.tsv"]) == 0
    names = [line.split("\t")[0] for line in (site / "s.tsv").read_text("utf-8").splitlines()[1:]]
    assert "Yasser Arafat" in names and "National Bank of Kuwait" in names and "Tikrit" in names

    # Not reviewed yet: refused, with the file and line of every such row; nothing written.
    capsys.readouterr()
    assert main(["glossary", "add", "s.tsv"]) == 1
    err = capsys.readouterr().err
    assert err.count("is still marked 'UNREVIEWED suggestion'") == len(names)
    assert "error: s.tsv:2: " in err
    assert (site / "glossary" / "names.tsv").read_text(encoding="utf-8") == before

    _review(site / "s.tsv", accept={"Tikrit": "تكريت"})
    assert main(["glossary", "add", "s.tsv"]) == 0
    out = capsys.readouterr().out
    assert f"{len(names)} name(s) added to glossary/names.tsv, 0 already there" in out
    after = (site / "glossary" / "names.tsv").read_text(encoding="utf-8")
    assert after.startswith(before)  # order, comments and blank lines kept byte for byte
    glossary = load_glossary(site / "glossary")
    assert glossary.lookup("Tikrit").target("ar") == "تكريت"  # type: ignore[union-attr]
    assert glossary.lookup("Yasser Arafat").target("ar") == "ياسر عرفات"  # type: ignore[union-attr]
    assert main(["glossary", "check"]) == 0

    # Twice is harmless: every row is already there with the same forms.
    assert main(["glossary", "add", "s.tsv"]) == 0
    assert "0 name(s) added to glossary/names.tsv, " in capsys.readouterr().out
    assert (site / "glossary" / "names.tsv").read_text(encoding="utf-8") == after
    # The name is now protected: suggest no longer lists it.
    assert main(["glossary", "suggest", "a.txt"]) == 0
    assert "Tikrit" not in capsys.readouterr().out


def test_conflicts_are_reported_with_both_places_and_nothing_is_written(site: Path, capsys) -> None:
    before = (site / "glossary" / "names.tsv").read_text(encoding="utf-8")
    (site / "s.tsv").write_text(
        "en\tar\tkind\tvariants\tnote\n"
        "Baiji\tبيجي\tplace\t\treviewed\n"
        "Fallujah\tفلوجة\tplace\t\treviewed\n"  # the glossary writes الفلوجة
        "Ramadi\tالرمادي\tplace\t\treviewed\n"  # same form as the glossary's: skipped
        "Samarra\t\tplace\t\treviewed\n",  # no form
        encoding="utf-8",
    )
    assert main(["glossary", "add", "s.tsv"]) == 1
    err = capsys.readouterr().err
    fallujah_line = before.count("\n")  # the last line of the fixture
    assert (
        f"error: s.tsv:3: 'Fallujah' conflicts with glossary/names.tsv:{fallujah_line} "
        "('Fallujah': ar 'الفلوجة'): keep one form" in err
    )
    assert "error: s.tsv:5: 'Samarra' has no target form" in err
    assert (site / "glossary" / "names.tsv").read_text(encoding="utf-8") == before


def test_a_language_the_glossary_has_no_column_for_and_an_ambiguous_target(site: Path, capsys) -> None:
    (site / "s.tsv").write_text("en\tar\tfr\tnote\nBaiji\tبيجي\tBaïji\t\n", encoding="utf-8")
    assert main(["glossary", "add", "s.tsv"]) == 1
    err = capsys.readouterr().err
    assert "s.tsv:2: 'Baiji' has a form for fr, which glossary/names.tsv has no column" in err
    (site / "glossary" / "orgs.tsv").write_text("en\tar\nUN\tالأمم المتحدة\n", encoding="utf-8")
    (site / "s.tsv").write_text("en\tar\nBaiji\tبيجي\n", encoding="utf-8")
    assert main(["glossary", "add", "s.tsv"]) == 1
    assert "2 glossary files (names.tsv, orgs.tsv): say which with --into FILE" in capsys.readouterr().err
    assert main(["glossary", "add", "s.tsv", "--into", "glossary/orgs.tsv"]) == 0
    assert (site / "glossary" / "orgs.tsv").read_text("utf-8") == "en\tar\nUN\tالأمم المتحدة\nBaiji\tبيجي\n"
