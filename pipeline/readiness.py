"""What each language needs before ``translate`` can serve it, and what it still lacks.

``python -m pipeline languages`` prints this: per language, the model (and whether it can be reached
from here: a local folder that exists with a model's files, a hub id in the local Hugging Face cache,
or a hub id that is not cached, which cannot be checked offline), the plural rule the PO files will
carry, and the glossary column. Nothing here loads a model or touches the network.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pipeline.errors import PipelineError
from pipeline.language import english_name
from pipeline.project import Project

ModelState = Literal["folder", "incomplete", "missing", "cached", "not-cached", "none"]


@dataclass(frozen=True)
class Readiness:
    lang: str
    name: str  # English name, from CLDR ("" when unknown)
    configured: bool  # in the project's languages (or --to)
    model: str | None
    model_from: str  # the file the model setting comes from
    model_state: ModelState
    model_detail: str
    plural: str | None  # the Plural-Forms value, or None
    plural_problem: str
    glossary_column: bool
    forms: int  # the project's own terms with a form in this language
    terms: int  # the project's own terms

    @property
    def lacks(self) -> list[str]:
        """What stops or weakens a run, in words; empty when the language is ready."""
        missing = []
        if self.model_state in ("none", "missing", "incomplete"):
            missing.append(f"model: {self.model_detail}")
        elif self.model_state == "not-cached":
            missing.append(f"model download: {self.model_detail}")
        if self.plural is None:
            missing.append(f"plural rule: {self.plural_problem}")
        if not self.glossary_column:
            missing.append(f"glossary column: none for '{self.lang}' (names stay in English)")
        return missing

    @property
    def ready(self) -> bool:
        return self.model_state in ("folder", "cached") and self.plural is not None


def download_hint(model: str, lang: str) -> str:
    """How to get a hub model onto this machine, and how to point this language at it."""
    folder = f"models/{model.rstrip('/').rsplit('/', 1)[-1]}"
    return (
        f"`hf download {model} --local-dir {folder}` on a connected machine, then "
        f'set model = "{folder}" under [languages.{lang}] in newsroom.toml (or --model {lang}={folder})'
    )


def model_state(model: str | None, lang: str) -> tuple[ModelState, str]:
    """Whether ``model`` can be loaded from here, without loading it or using the network."""
    from pipeline.mt.marian import MARIAN_FILES, WEIGHT_FILES

    if model is None:
        return "none", f'no model: add [languages.{lang}] model = "<hub id or folder>" to newsroom.toml'
    path = Path(model).expanduser()
    if path.exists() or model.startswith((".", "/", "~")):
        if not path.is_dir():
            return "missing", f"no folder {model}"
        lacking = [f for f in MARIAN_FILES if not (path / f).is_file()]
        if not any((path / f).is_file() for f in WEIGHT_FILES):
            lacking.append("model.safetensors")
        if lacking:
            return "incomplete", f"folder {model} lacks {', '.join(lacking)}"
        return "folder", f"local folder {model}"
    if _cached(model):
        return "cached", f"hub id {model}, in the local Hugging Face cache"
    hint = download_hint(model, lang)
    return "not-cached", f"hub id {model} is not cached here (not checkable offline): {hint}"


def _cached(model: str) -> bool:
    try:
        from huggingface_hub import try_to_load_from_cache
    except ImportError:  # pragma: no cover - installed with transformers
        return False
    try:
        found = try_to_load_from_cache(model, "config.json")
    except Exception:  # an id the hub library rejects is simply not cached
        return False
    return isinstance(found, str)


def readiness(project: Project, langs: list[str], glossary_location: Path | None = None) -> list[Readiness]:
    """One row per language: the asked ones first, then the other languages the project or the
    shipped registry knows a model for."""
    from pipeline.catalog.plurals import plural_forms
    from pipeline.names.glossary import Glossary, load_glossary, missing_forms

    try:
        glossary = load_glossary(glossary_location or project.glossary, strict=False, builtin=False)
    except PipelineError:
        glossary = Glossary()
    own = [t for t in glossary.terms if not t.builtin]
    rows = []
    for lang in [*langs, *(code for code in project.registry.languages if code not in langs)]:
        entry = project.registry.entry(lang)
        model = entry.model if entry else None
        state, detail = model_state(model, lang)
        try:
            plural, problem = plural_forms(lang), ""
        except PipelineError as exc:
            plural, problem = None, exc.message
        lacking = missing_forms(glossary, lang)
        rows.append(
            Readiness(
                lang,
                english_name(lang),
                lang in langs,
                model,
                project.source_of(lang),
                state,
                detail,
                plural,
                problem,
                len(lacking) < len(own),
                len(own) - len(lacking),
                len(own),
            )
        )
    return rows
