"""Model registry: which translation model serves each target language, and with which ``>>tag<<``.

The table is data (``pipeline/mt/models.toml``), so a newsroom adds a language by adding an entry, not by
changing code. This module also turns the CLI's ``--model`` options into one model per language and
shares one loaded backend between the languages of a multi-target model: a 300 MB model loaded three
times for ``--to ar,fr,he`` would triple memory and start-up time for nothing.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from pipeline.errors import ModelError
from pipeline.language import base_language
from pipeline.mt.base import Backend

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

REGISTRY_PATH = Path(__file__).with_name("models.toml")

#: ``LANG=MODEL`` in a ``--model`` value; anything else is one model for every target.
_PAIR = re.compile(r"^([a-z]{2,3}(?:[_-][A-Za-z0-9]{2,8})?)=(.+)$")
_TAG = re.compile(r"^[a-z]{2,3}(?:_[A-Z][a-z]{3})?$")


@dataclass(frozen=True)
class LanguageEntry:
    code: str
    model: str | None = None
    tag: str | None = None  # the xxx of ``>>xxx<<`` in multi-target OPUS-MT models


@dataclass(frozen=True)
class ModelEntry:
    id: str
    targets: tuple[str, ...] = ()
    tag_required: bool = False
    card: str = ""


@dataclass(frozen=True)
class Registry:
    languages: Mapping[str, LanguageEntry] = field(default_factory=dict)
    models: Mapping[str, ModelEntry] = field(default_factory=dict)
    path: str = str(REGISTRY_PATH)

    def entry(self, lang: str) -> LanguageEntry | None:
        """The entry for ``lang``, or for its base language (``pt_BR`` → ``pt``)."""
        return self.languages.get(lang) or self.languages.get(base_language(lang))

    def tag(self, lang: str) -> str | None:
        entry = self.entry(lang)
        return entry.tag if entry else None

    def token(self, lang: str) -> str | None:
        """``">>ara<<"`` for ``ar``: what a multi-target model needs at the start of each source."""
        tag = self.tag(lang)
        return f">>{tag}<<" if tag else None

    def required_token(self, model: str, lang: str) -> str | None:
        """The token the model card says ``model`` needs for ``lang``; None when it needs none or
        the model is not in the registry (a local folder: its vocabulary decides at load time)."""
        entry = self.models.get(model)
        return self.token(lang) if entry is not None and entry.tag_required else None

    def default_model(self, lang: str) -> str:
        entry = self.entry(lang)
        if entry is None or not entry.model:
            raise ModelError(no_model_message(lang, self.path))
        return entry.model

    def default_models(self) -> dict[str, str]:
        return {code: e.model for code, e in self.languages.items() if e.model}

    def tags(self) -> dict[str, str]:
        return {code: e.tag for code, e in self.languages.items() if e.tag}


def no_model_message(lang: str, path: str | Path = REGISTRY_PATH) -> str:
    """Where to add a model: the newsroom's own project file, never the installed package's."""
    where = "newsroom.toml" if Path(path) == REGISTRY_PATH else str(path)
    create = " (`python -m pipeline init` writes one)" if Path(path) == REGISTRY_PATH else ""
    return (
        f"no translation model for language '{lang}': add [languages.{lang}] with "
        f'model = "<hub id or folder>" to {where}{create}, or pass --model {lang}=MODEL '
        "(a local Marian folder or a Hugging Face hub id)"
    )


def parse_registry(data: Mapping[str, Any], path: str = str(REGISTRY_PATH)) -> Registry:
    """Check and convert the TOML tables; a bad entry is a ModelError naming the file and entry."""

    def fail(message: str) -> ModelError:
        return ModelError(f"model registry: {message}", path)

    unknown = set(data) - {"languages", "models"}
    if unknown:
        raise fail(f"unknown table(s) {', '.join(sorted(unknown))}; use [languages.*] and [models.*]")
    languages: dict[str, LanguageEntry] = {}
    for code, table in data.get("languages", {}).items():
        if not isinstance(table, dict) or set(table) - {"model", "tag"}:
            raise fail(f"[languages.{code}] takes only 'model' and 'tag'")
        tag = table.get("tag")
        if tag is not None and not (isinstance(tag, str) and _TAG.match(tag)):
            raise fail(f"[languages.{code}] tag {tag!r} is not a language code such as 'ara'")
        model = table.get("model")
        if model is not None and not (isinstance(model, str) and model.strip()):
            raise fail(f"[languages.{code}] model must be a hub id or a folder")
        languages[code] = LanguageEntry(code, model, tag)
    models: dict[str, ModelEntry] = {}
    for model_id, table in data.get("models", {}).items():
        if not isinstance(table, dict) or set(table) - {"targets", "tag_required", "card"}:
            raise fail(f'[models."{model_id}"] takes only targets, tag_required and card')
        targets = tuple(table.get("targets", ()))
        missing = [t for t in targets if t not in languages or not languages[t].tag]
        if missing:
            raise fail(f'[models."{model_id}"] targets {", ".join(missing)} have no [languages] tag')
        models[model_id] = ModelEntry(
            model_id, targets, bool(table.get("tag_required", False)), str(table.get("card", ""))
        )
    return Registry(languages, models, path)


@lru_cache(maxsize=4)
def load_registry(path: str | Path = REGISTRY_PATH) -> Registry:
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ModelError(f"cannot read model registry: {exc.strerror}", path) from None
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"line (\d+)", str(exc))
        raise ModelError(
            f"model registry is not valid TOML ({exc})", path, int(match.group(1)) if match else None
        ) from None
    return parse_registry(data, str(path))


#: Model used for a target language when ``--model`` is not given, and language code -> the code
#: inside the ``>>xxx<<`` tag multi-target opus-mt models expect: views of the shipped registry, for
#: code that wants a plain table (the tiny-model builder's known targets).
DEFAULT_MODELS: dict[str, str] = load_registry().default_models()
TARGET_TOKENS: dict[str, str] = load_registry().tags()


def parse_model_specs(specs: Sequence[str]) -> tuple[str | None, dict[str, str]]:
    """``--model`` values → (one model for every target or None, {lang: model})."""
    default: str | None = None
    pairs: dict[str, str] = {}
    for spec in specs:
        spec = spec.strip()
        match = _PAIR.match(spec)
        if match:
            lang, model = match.group(1), match.group(2).strip()
            if lang in pairs and pairs[lang] != model:
                raise ModelError(f"two models for language '{lang}': {pairs[lang]} and {model}")
            pairs[lang] = model
        elif spec:
            if default is not None and default != spec:
                raise ModelError(
                    f"two models for every language ({default} and {spec}); "
                    "use LANG=MODEL to give a language its own model"
                )
            default = spec
    return default, pairs


def plan_models(
    langs: Sequence[str],
    specs: Sequence[str],
    registry: Registry | None = None,
    *,
    missing: dict[str, ModelError] | None = None,
) -> dict[str, str]:
    """The model for each language: ``LANG=MODEL`` first, then a bare ``--model``, then the registry
    (the shipped one with the project file's entries over it).

    Every language is resolved before anything is loaded. A language with no model raises at once,
    or, given ``missing``, is left out of the plan and its error put there, so that the other
    languages are still translated.
    """
    registry = registry or load_registry()
    default, pairs = parse_model_specs(specs)
    stray = [lang for lang in pairs if lang not in langs]
    if stray:
        raise ModelError(f"--model given for {', '.join(stray)}, which is not among --to {','.join(langs)}")
    plan: dict[str, str] = {}
    for lang in langs:
        try:
            plan[lang] = pairs.get(lang) or default or registry.default_model(lang)
        except ModelError as exc:
            if missing is None:
                raise
            missing[lang] = exc
    return plan


def model_key(model: str) -> str:
    """One key per model: a folder by its resolved path (``m/`` and ``./m`` are one model)."""
    path = Path(model).expanduser()
    return str(path.resolve()) if path.exists() else model


class SharedBackends:
    """``make_backend(lang)`` for the runner: loads each distinct model once, on first use.

    Each language is checked against the model it shares (``prefix``: does the model have a tag for
    it, or is it that model's only language?) before it gets the backend, so a model that cannot
    produce a language fails for that language alone, before anything of it is written. A model that
    failed to load is not tried again for the next language that names it. ``missing``: languages
    the plan has no model for, raised when asked for. ``on_load(model, langs)`` is told before a
    model loads (seconds, for a real one), so a progress line can say so.
    """

    def __init__(
        self,
        plan: Mapping[str, str],
        factory: Callable[[str, str], Backend],
        *,
        missing: Mapping[str, ModelError] | None = None,
        on_load: Callable[[str, list[str]], None] | None = None,
    ) -> None:
        self.plan = dict(plan)
        self.factory = factory
        self.missing = dict(missing or {})
        self.on_load = on_load
        self.loaded: dict[str, Backend] = {}
        self.failed: dict[str, ModelError] = {}
        self.checked: set[str] = set()

    def __call__(self, lang: str) -> Backend:
        if lang in self.missing:
            raise self.missing[lang]
        key = model_key(self.plan[lang])
        if key in self.failed:
            raise self.failed[key]
        if key not in self.loaded:
            if self.on_load is not None:
                self.on_load(self.plan[lang], [o for o in self.plan if model_key(self.plan[o]) == key])
            try:
                self.loaded[key] = self.factory(self.plan[lang], lang)
            except ModelError as exc:
                self.failed[key] = exc
                raise
        backend = self.loaded[key]
        check = getattr(backend, "prefix", None)
        if check is not None and lang not in self.checked:
            check(lang)
            self.checked.add(lang)
        return backend

    def labels(self) -> dict[str, str]:
        """Model name per language, for the PO header's ``X-Machine-Translation``."""
        return dict(self.plan)
