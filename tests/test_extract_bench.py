"""The benchmark's like-for-like rule (``scripts/bench_extract.py``): each tool is scored on the
fields the suite's gold text holds, and the strict rows are printed too."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "bench_extract.py"

BODY = " ".join(
    [
        "The city council voted on Tuesday to rebuild the old bridge across the river after years of delay.",
        "Engineers said the work would take three years and cost more than the first estimate had suggested.",
        "Residents who crossed the bridge every day to reach the market welcomed the decision.",
        "Opponents argued that the money should go to schools instead, and promised to keep up the campaign.",
    ]
)


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("bench_extract", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_extract"] = module
    spec.loader.exec_module(module)
    return module


def test_only_the_kinds_the_gold_holds_are_compared(bench):
    units = [("section", "News"), ("headline", "Bridge"), ("byline", "By Jane Doe"), ("paragraph", "Text.")]
    assert bench.like_for_like(units, bench.SCRAPINGHUB_KINDS) == ["Text."]
    assert bench.like_for_like(units, bench.READABILITY_KINDS) == ["Bridge", "By Jane Doe", "Text."]
    theirs = [("paragraph", "Text."), ("title", "Bridge"), ("author", "Jane Doe")]
    assert bench.like_for_like(theirs, ("paragraph", "title", "author")) == ["Text.", "Bridge", "Jane Doe"]
    assert bench.like_for_like(theirs, ("paragraph",)) == ["Text."]


def test_a_metadata_title_the_body_already_has_is_not_counted_twice(bench):
    fields = ["Bridge to open", "Jane Doe"]
    assert bench.metadata_text("Bridge to open. More text here.", fields) == "Jane Doe"
    assert bench.metadata_text("Other text.", ["Bridge to open", ""]) == "Bridge to open"


def test_a_readability_folder_prints_both_row_sets_and_the_verdict(bench, tmp_path, capsys):
    case = tmp_path / "town-news"
    case.mkdir()
    title = "Council votes to rebuild the old bridge"
    page = (
        f"<html><head><title>{title} | Town News</title></head><body><nav><a href='/'>Home</a></nav>"
        f"<article><h1>{title}</h1><p class='byline'>By Jane Doe</p><p>{BODY}</p><p>{BODY}</p></article>"
        "</body></html>"
    )
    (case / "source.html").write_text(page + " " * 20_000, encoding="utf-8")
    (case / "expected.html").write_text(f"<div><p>{BODY}</p><p>{BODY}</p></div>", encoding="utf-8")
    meta = {"title": title, "byline": "Jane Doe"}
    (case / "expected-metadata.json").write_text(json.dumps(meta), encoding="utf-8")
    assert bench.main([str(tmp_path), "--show"]) == 0
    out = capsys.readouterr().out
    assert "1 pages from 1 sites" in out
    for row in ("like for like: this project", "like for like: trafilatura", "strict: this project, every"):
        assert row in out
    assert "body + its title/author" in out
    assert "done-criterion (like for like): F1 " in out
    assert "town-news: ours P" in out
