"""The quality harness: test-set reading, sacrebleu scores with signatures, and the script end to end."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path
from types import ModuleType

import pytest

from pipeline.errors import InputError
from pipeline.evaluation import corpus_scores, evaluate, format_report, read_testset
from pipeline.names.glossary import load_glossary

from .helpers import ROOT, EchoBackend

FLORES = ROOT.parent / "shared" / "eval" / "flores200-devtest.eng-arb.tsv"
SIGNATURE = re.compile(r"signature: nrefs:1\|case:mixed\|eff:no\|tok:13a\|smooth:exp\|version:\d")


def _script() -> ModuleType:
    """scripts/evaluate.py as a module, under a name no installed package can shadow."""
    spec = importlib.util.spec_from_file_location("evaluate_script", ROOT / "scripts" / "evaluate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _tsv(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "set.tsv"
    path.write_text(text, encoding="utf-8")
    return path


def test_read_testset_takes_named_columns_verbatim(tmp_path: Path) -> None:
    path = _tsv(
        tmp_path,
        'id\ten\tar\n1\t"Quoted," he said.\t"مقتبس"، قال.\n2\tSecond.\tالثاني.\n3\tThird.\tالثالث.\n',
    )
    testset = read_testset(path, limit=2)
    assert testset.sources == ['"Quoted," he said.', "Second."]
    assert testset.references == ['"مقتبس"، قال.', "الثاني."]


@pytest.mark.parametrize(
    "text, message",
    [
        ("id\ten\tfr\n1\ta\tb\n", "header must name the 'en' and 'ar' columns"),
        ("en\tar\nonly one column\n", "1 columns but the header has 2"),
        ("en\tar\n", "no sentences"),
    ],
)
def test_read_testset_errors_name_file_and_line(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(InputError, match=message) as info:
        read_testset(_tsv(tmp_path, text))
    assert str(tmp_path / "set.tsv") in str(info.value)
    if "columns but" in message:
        assert ":2:" in str(info.value)


def test_corpus_scores_are_sacrebleu_with_signatures() -> None:
    refs = ["قال الخبراء إن التنظيم فقد الإرادة.", "فر المقاتلون من الموصل."]
    perfect = corpus_scores(refs, refs)
    assert [s.name for s in perfect] == ["BLEU", "chrF2"]
    assert all(s.score == pytest.approx(100) for s in perfect)
    assert perfect[0].signature.startswith("nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:")
    assert "nc:6|nw:0" in perfect[1].signature
    wrong = corpus_scores(["كلام آخر تماما.", "لا علاقة."], refs)
    assert all(s.score < 20 for s in wrong)


def test_evaluate_counts_glossary_names_and_qa(tmp_path: Path) -> None:
    """With a fake model, names still come out in glossary form; the English echo trips the Latin check."""
    path = _tsv(tmp_path, "en\tar\nISIS fled Mosul in 2017.\tفر داعش من الموصل عام 2017.\n")
    names = tmp_path / "names.txt"
    names.write_text("Diyaruna and AFP reported from Anbar.\n\nAl-Qaim fell.\n", encoding="utf-8")
    glossary = load_glossary(ROOT / "glossary")
    result = evaluate(read_testset(path), EchoBackend(), glossary, "ar", names)
    assert result.outputs == ["[ar] داعش fled الموصل in 2017."]
    assert result.names is not None and (result.names.count.found, result.names.count.expected) == (4, 4)
    assert result.qa.checked == 1 and result.qa.counts["latin"] == 1 and not result.qa.counts["numbers"]
    report = format_report(result, model="echo", testset=path)
    assert "glossary accuracy: 100.0% over 2 segments: " in report
    assert f"{names}: echo → ar: 4/4 glossary occurrences" in report
    assert "QA warnings on 1 test-set translations: latin 1 (100%)" in report


def test_evaluate_script_with_the_tiny_model(
    tiny_model_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The command anyone with the real model runs, on 3 FLORES lines with the tiny model."""
    if not FLORES.is_file():
        pytest.skip(f"shared evaluation data not found: {FLORES}")
    script = _script()
    names = tmp_path / "names.txt"  # a tiny name-dense article: the tiny model is slow on long ones
    names.write_text(
        "Hashem al-Hashemi told Diyaruna that ISIS lost Mosul.\n\nAFP photographed al-Qaim in Anbar.\n",
        encoding="utf-8",
    )
    code = script.main(
        ["--model", str(tiny_model_dir), "--testset", str(FLORES), "--limit", "3", "--names", str(names)]
        + ["--beams", "2"]
    )
    out = capsys.readouterr().out
    assert code == 0, out
    assert "(3 sentences" in out
    assert re.search(r"^BLEU = \d+\.\d+ ", out, re.M) and SIGNATURE.search(out), out
    assert re.search(r"^chrF2 = \d+\.\d+", out, re.M) and "nc:6|nw:0|space:no|version:" in out
    assert "glossary accuracy: 100.0% over 2 segments: " in out, out
    assert "7/7 glossary occurrences" in out  # protection holds whatever the model writes


def test_evaluate_script_reports_bad_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    script = _script()
    code = script.main(["--backend", "identity", "--testset", str(tmp_path / "missing.tsv")])
    assert code == 1
    assert capsys.readouterr().err.strip() == f"error: {tmp_path / 'missing.tsv'}: test set not found"
