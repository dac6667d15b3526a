"""The model registry (pipeline/mt/models.toml), --model parsing and one backend per distinct model."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.cli import main
from pipeline.errors import ModelError
from pipeline.mt import factory
from pipeline.mt import registry as views
from pipeline.mt.registry import (
    REGISTRY_PATH,
    SharedBackends,
    load_registry,
    parse_model_specs,
    parse_registry,
    plan_models,
)

from .helpers import ROOT, SAMPLE

# Pinned from the model cards on huggingface.co (see the `card` lines in models.toml).
CARDS = {
    "ar": ("Helsinki-NLP/opus-mt-en-ar", ">>ara<<"),  # "a sentence initial language token is required"
    "fa": ("Helsinki-NLP/opus-mt-en-iir", ">>pes<<"),  # Indo-Iranian group model, token required
    "fr": ("Helsinki-NLP/opus-mt-en-fr", None),  # en → fr only
    "he": ("Helsinki-NLP/opus-mt-en-he", None),  # en → he only
    "de": ("Helsinki-NLP/opus-mt-en-de", None),
    "es": ("Helsinki-NLP/opus-mt-en-es", None),  # eng → spa only
    "ur": ("Helsinki-NLP/opus-mt-en-ur", None),  # eng → urd only
    "tr": ("Helsinki-NLP/opus-mt-tc-big-en-tr", None),
}


def test_registry_entries_match_the_model_cards() -> None:
    registry = load_registry()
    assert set(registry.languages) == set(CARDS)
    for lang, (model, token) in CARDS.items():
        assert registry.default_model(lang) == model
        assert registry.required_token(model, lang) == token, lang
    # Multi-target group models need a tag for every language they serve.
    assert registry.token("fr") == ">>fra<<" and registry.token("he") == ">>heb<<"
    sem, mul = registry.models["Helsinki-NLP/opus-mt-en-sem"], registry.models["Helsinki-NLP/opus-mt-en-mul"]
    assert sem.tag_required and set(sem.targets) == {"ar", "he"}
    assert mul.tag_required and {"ar", "fr", "he"} <= set(mul.targets)
    assert registry.required_token("Helsinki-NLP/opus-mt-en-mul", "he") == ">>heb<<"
    assert all(m.card == f"https://huggingface.co/{m.id}" for m in registry.models.values())


def test_regional_codes_use_the_base_language() -> None:
    registry = load_registry()
    assert registry.default_model("ar_EG") == "Helsinki-NLP/opus-mt-en-ar"
    assert registry.token("fr-CA") == ">>fra<<"


def test_backends_views_follow_the_registry() -> None:
    registry = load_registry()
    assert registry.default_models() == views.DEFAULT_MODELS
    assert views.TARGET_TOKENS["ar"] == "ara" and registry.tags() == views.TARGET_TOKENS


def test_language_without_model_says_how_to_add_one() -> None:
    with pytest.raises(ModelError) as err:
        load_registry().default_model("it")
    message = str(err.value)
    assert "'it'" in message and "[languages.it]" in message and "--model it=" in message
    # Never the installed package file (a pip upgrade would wipe the edit): the project file.
    assert str(REGISTRY_PATH) not in message and "newsroom.toml" in message


def test_bad_registry_entries_are_reported() -> None:
    with pytest.raises(ModelError, match=r"\[languages.fr\] tag"):
        parse_registry({"languages": {"fr": {"model": "m", "tag": ">>fra<<"}}})
    with pytest.raises(ModelError, match="takes only"):
        parse_registry({"languages": {"fr": {"model": "m", "token": "fra"}}})
    with pytest.raises(ModelError, match="have no .languages. tag"):
        parse_registry({"languages": {"fr": {"model": "m"}}, "models": {"x/y": {"targets": ["fr"]}}})
    with pytest.raises(ModelError, match="unknown table"):
        parse_registry({"language": {}})


def test_invalid_toml_names_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "models.toml"
    bad.write_text('[languages.ar]\nmodel = "x"\ntag = \n', encoding="utf-8")
    with pytest.raises(ModelError) as err:
        load_registry(bad)
    assert err.value.path == str(bad) or str(bad) in str(err.value)
    assert ":3:" in str(err.value)
    extra = tmp_path / "extra.toml"
    extra.write_text('[languages.it]\nmodel = "models/it"\ntag = "ita"\n', encoding="utf-8")
    assert load_registry(extra).default_model("it") == "models/it"


def test_model_specs() -> None:
    assert parse_model_specs([]) == (None, {})
    assert parse_model_specs(["models/m"]) == ("models/m", {})
    assert parse_model_specs(["ar=models/ar", "fr=Helsinki-NLP/opus-mt-en-fr", "m"]) == (
        "m",
        {"ar": "models/ar", "fr": "Helsinki-NLP/opus-mt-en-fr"},
    )
    assert parse_model_specs(["pt_BR=x"]) == (None, {"pt_BR": "x"})
    with pytest.raises(ModelError, match="two models for language 'ar'"):
        parse_model_specs(["ar=a", "ar=b"])
    with pytest.raises(ModelError, match="LANG=MODEL"):
        parse_model_specs(["a", "b"])


def test_plan_models_order_of_precedence() -> None:
    langs = ["ar", "fr", "he"]
    assert plan_models(langs, []) == {
        "ar": "Helsinki-NLP/opus-mt-en-ar",
        "fr": "Helsinki-NLP/opus-mt-en-fr",
        "he": "Helsinki-NLP/opus-mt-en-he",
    }
    assert plan_models(langs, ["tiny"]) == dict.fromkeys(langs, "tiny")
    assert plan_models(langs, ["tiny", "fr=Helsinki-NLP/opus-mt-en-fr"])["fr"] == "Helsinki-NLP/opus-mt-en-fr"
    assert plan_models(["ar", "it"], ["it=models/it"]) == {
        "ar": "Helsinki-NLP/opus-mt-en-ar",
        "it": "models/it",
    }
    with pytest.raises(ModelError, match="no translation model for language 'it'"):
        plan_models(["ar", "it"], [])
    with pytest.raises(ModelError, match="not among --to"):
        plan_models(["ar"], ["fr=x"])


class FakeBackend:
    def __init__(self, model: str, lang: str, serves: set[str]) -> None:
        self.model, self.lang, self.serves, self.checked = model, lang, serves, []

    def prefix(self, lang: str) -> str:
        self.checked.append(lang)
        if lang not in self.serves:
            raise ModelError(f"model {self.model!r} has no target tag for language {lang!r}")
        return f">>{lang}<< "


def test_one_backend_per_distinct_model(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "multi").mkdir()
    monkeypatch.chdir(tmp_path)
    loads: list[tuple[str, str]] = []

    def factory(model: str, lang: str) -> FakeBackend:
        loads.append((model, lang))
        return FakeBackend(model, lang, {"ar", "he", "fr"})

    # The same folder spelled two ways is one model; a hub id is another.
    plan = {"ar": "multi", "he": "./multi/", "fr": "Helsinki-NLP/opus-mt-en-fr"}
    pool = SharedBackends(plan, factory)
    assert pool("ar") is pool("he")
    assert pool("fr") is not pool("ar")
    assert loads == [("multi", "ar"), ("Helsinki-NLP/opus-mt-en-fr", "fr")]
    assert pool("ar").checked == ["ar", "he"]  # each language of the shared model, once, when first asked
    assert pool.labels() == plan


def test_shared_model_that_lacks_a_language_fails_for_that_language_alone() -> None:
    pool = SharedBackends({"ar": "m", "de": "m"}, lambda model, lang: FakeBackend(model, lang, {"ar"}))
    assert pool("ar").model == "m"
    with pytest.raises(ModelError, match="'de'"):
        pool("de")


def test_a_model_that_failed_to_load_is_not_tried_again() -> None:
    calls: list[str] = []

    def factory(model: str, lang: str) -> FakeBackend:
        calls.append(lang)
        raise ModelError(f"cannot load translation model {model!r}")

    pool = SharedBackends({"ar": "m", "he": "m"}, factory)
    for lang in ("ar", "he"):
        with pytest.raises(ModelError, match="'m'"):
            pool(lang)
    assert calls == ["ar"]


def test_cli_language_without_model_is_one_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(
        [
            "translate",
            str(SAMPLE),
            "--to",
            "ar,it",
            "--model",
            "ar=models/none",
            "--glossary",
            str(ROOT / "glossary"),
            "--locales",
            str(tmp_path / "locales"),
            "--out",
            str(tmp_path / "build"),
        ]
    )
    err = [line for line in capsys.readouterr().err.strip().splitlines() if line.startswith("error:")]
    # Each language fails on its own, with its own model named; nothing was done, so exit 1.
    assert code == 1 and len(err) == 2
    assert "'ar' not translated: cannot load translation model 'models/none'" in err[0]
    assert "no translation model for language 'it'" in err[1] and "--model it=" in err[1]
    assert not (tmp_path / "locales" / "ar").exists()


def test_cli_model_pairs_reach_the_backend_factory(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from .helpers import EchoBackend

    loaded: list[tuple[str, str | None, str]] = []

    def fake_load(name: str, model: str | None, lang: str, **kw: object) -> EchoBackend:
        loaded.append((name, model, lang))
        return EchoBackend()

    monkeypatch.setattr(factory, "load_backend", fake_load)
    code = main(
        [
            "translate",
            str(SAMPLE),
            "--to",
            "ar,fr",
            "--to",
            "he",
            "--model",
            "ar=models/ar",
            "--model",
            "fr=Helsinki-NLP/opus-mt-en-fr",
            "--model",
            "he=models/ar",
            "--glossary",
            str(ROOT / "glossary"),
            "--locales",
            str(tmp_path / "locales"),
            "--no-render",
            "-q",
        ]
    )
    assert code == 0
    assert loaded == [
        ("transformers", "models/ar", "ar"),
        ("transformers", "Helsinki-NLP/opus-mt-en-fr", "fr"),
    ]  # he shares ar's model: loaded once
    header = (tmp_path / "locales" / "fr" / "LC_MESSAGES" / "sample-article.po").read_text(encoding="utf-8")
    assert '"X-Machine-Translation: Helsinki-NLP/opus-mt-en-fr\\n"' in header


def test_every_registry_language_has_a_checked_plural_rule() -> None:
    from pipeline.catalog.plurals import GETTEXT_PLURALS

    assert set(load_registry().languages) <= set(GETTEXT_PLURALS)
