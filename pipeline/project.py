"""The newsroom's project file, ``newsroom.toml``: its languages, models, folders and policies.

Why a file of its own at the project root rather than ``[tool.newsroom-pipeline]`` in a
``pyproject.toml``: a newsroom's translation folder is rarely a Python project, and po4a
(``po4a.cfg``) and Babel (``babel.cfg`` mapping files) both keep their settings in a file of their
own beside the documents, so a translation team finds, diffs and reviews it on its own. Every
command looks for it in the current folder (or takes ``--project FILE``); flags override it; with
no file, the shipped defaults apply.

The shipped model registry (``pipeline/mt/models.toml``) stays the defaults: the project's
``[languages.<code>]`` and ``[models."<id>"]`` tables are laid over it, so adding a language never
touches package files and a ``pip upgrade`` never wipes it.

Sections are declared in :data:`SECTIONS` (each key with its checker); an unknown section or key is
an error naming the file and line, so a typo is never silently ignored. A new settings table (a
``[style]`` table, say) is one more :class:`Section` there, plus its documentation in
:data:`TEMPLATE`.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.errors import PipelineError
from pipeline.language import base_language, code_problem
from pipeline.mt.factory import ENGINES, EXECUTORS
from pipeline.mt.registry import REGISTRY_PATH, LanguageEntry, ModelEntry, Registry, load_registry

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

PROJECT_FILE = "newsroom.toml"

_TAG = re.compile(r"^[a-z]{2,3}(?:_[A-Z][a-z]{3})?$")


class ProjectError(PipelineError):
    """A project file that cannot be read or holds an unknown or malformed setting."""


#: A checker returns an error message for a bad value, or None.
Check = Callable[[Any], "str | None"]


def _text(value: Any) -> str | None:
    return None if isinstance(value, str) and value.strip() else "must be a non-empty string"


def _flag(value: Any) -> str | None:
    return None if isinstance(value, bool) else "must be true or false"


def _codes(value: Any) -> str | None:
    # The same check as --to (pipeline.language.code_problem): ar, ar-EG and ar_EG are all accepted.
    if not isinstance(value, list) or not all(isinstance(v, str) and code_problem(v) is None for v in value):
        return 'must be a list of language codes, such as ["ar", "fr"]'
    return None


def _engine(value: Any) -> str | None:
    return None if value in ENGINES else f"must be one of {', '.join(ENGINES)}"


def _executor(value: Any) -> str | None:
    return None if value in EXECUTORS else f"must be one of {', '.join(EXECUTORS)}"


def _replicas(value: Any) -> str | None:
    ok = isinstance(value, int) and not isinstance(value, bool) and value >= 1
    return None if ok else "must be a whole number, 1 or more"


def _gpus(value: Any) -> str | None:
    ok = isinstance(value, int | float) and not isinstance(value, bool) and value >= 0
    return None if ok else "must be a number, 0 or more (0.5: two replicas share a GPU)"


def _beams(value: Any) -> str | None:
    ok = isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 32
    return None if ok else "must be a whole number from 1 to 32"


def _policy(value: Any) -> str | None:
    return None if value in ("machine", "reviewed") else 'must be "machine" or "reviewed"'


def _tag(value: Any) -> str | None:
    return None if isinstance(value, str) and _TAG.match(value) else "must be a code such as 'ara'"


def _targets(value: Any) -> str | None:
    return _codes(value)


#: The quantity kinds whose protection a project (or ``--no-protect``) can switch off.
UNPROTECTABLE = ("numbers", "dates")


def _unprotected(value: Any) -> str | None:
    ok = isinstance(value, list) and all(v in UNPROTECTABLE for v in value)
    return None if ok else 'must be a list of "numbers" and/or "dates", such as ["numbers"]'


@dataclass(frozen=True)
class Section:
    """One table of the project file: its keys and their checks. ``per_entry``: a table of tables
    (``[languages.nl]``), each entry taking these keys."""

    keys: Mapping[str, Check]
    per_entry: bool = False
    doc: str = ""


#: Every table the project file may hold. Add a section here (and to TEMPLATE, and the README).
SECTIONS: dict[str, Section] = {
    "project": Section(
        {"languages": _codes, "glossary": _text, "locales": _text, "out": _text},
        doc="target languages and folders",
    ),
    "translate": Section(
        {
            "backend": _engine,
            "beams": _beams,
            "executor": _executor,
            "ray_address": _text,
            "replicas": _replicas,
            "gpus_per_replica": _gpus,
            "render": _flag,
            "strict": _flag,
            "fail_fast": _flag,
        },
        doc="engine settings, where the model runs, and what a run does with doubtful articles",
    ),
    "style": Section(
        {"file": _text, "no_protect": _unprotected}, doc="how numbers and dates are written and protected"
    ),
    "render": Section(
        {"policy": _policy, "review": _flag, "templates": _text},
        doc="which translations pages show, review pages, the newsroom's templates",
    ),
    "compile": Section({"use_fuzzy": _flag}, doc="what MO files hold"),
    "languages": Section({"model": _text, "tag": _tag}, per_entry=True, doc="model per language"),
    "models": Section(
        {"targets": _targets, "tag_required": _flag, "card": _text},
        per_entry=True,
        doc="multi-target models",
    ),
}


@dataclass(frozen=True)
class Project:
    """Settings for one run: the project file's, or the defaults when there is none (``path`` None)."""

    path: Path | None = None
    languages: tuple[str, ...] = ()
    glossary: Path = Path("glossary")
    locales: Path = Path("locales")
    out: Path = Path("build")
    backend: str = "transformers"
    beams: int = 4
    #: ``--executor``, and the Ray cluster's (``--ray-address``, ``--replicas``, ``--gpus-per-replica``).
    executor: str = "in-process"
    ray_address: str | None = None
    replicas: int | None = None
    gpus_per_replica: float | None = None
    #: ``--no-render``, ``--strict``, ``--fail-fast``.
    render: bool = True
    strict: bool = False
    fail_fast: bool = False
    #: ``--style FILE`` (None: ``style.toml`` in the glossary folder) and ``--no-protect``.
    style: Path | None = None
    no_protect: tuple[str, ...] = ()
    policy: str = "machine"
    #: ``render --review`` and ``render --templates DIR``.
    review: bool = False
    templates: Path | None = None
    #: ``compile --use-fuzzy``.
    use_fuzzy: bool = False
    #: The shipped registry with the project's [languages] and [models] laid over it.
    registry: Registry = field(default_factory=load_registry)
    #: Languages whose model the project file sets (the others take the shipped default).
    own_models: frozenset[str] = frozenset()

    @property
    def root(self) -> Path:
        """The folder relative paths in the file are taken from."""
        return self.path.parent if self.path is not None else Path(".")

    def source_of(self, lang: str) -> str:
        """Where ``lang``'s model setting comes from, for messages."""
        if lang in self.own_models and self.path is not None:
            return str(self.path)
        return f"the shipped registry ({REGISTRY_PATH})"


def find_project(explicit: str | Path | None = None, folder: str | Path = ".") -> Path | None:
    """``explicit`` (which must exist), else ``newsroom.toml`` in ``folder`` if there is one."""
    if explicit is not None:
        path = Path(explicit)
        if not path.is_file():
            raise ProjectError("no such project file" if not path.exists() else "not a file", path)
        return path
    candidate = Path(folder) / PROJECT_FILE
    if folder == ".":
        candidate = Path(PROJECT_FILE)
    return candidate if candidate.is_file() else None


def load_project(explicit: str | Path | None = None, folder: str | Path = ".") -> Project:
    """The project found by :func:`find_project`, checked; the defaults when there is none."""
    path = find_project(explicit, folder)
    if path is None:
        return Project()
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else "not UTF-8 text"
        raise ProjectError(f"cannot read project file: {reason}", path) from None
    return parse_project(text, path)


def parse_project(text: str, path: Path) -> Project:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise _toml_error(exc, path) from None
    lines = key_lines(text)
    _check(data, lines, path)
    settings = data.get("project", {})
    root = path.parent

    def folder(key: str, default: str) -> Path:
        return root / settings.get(key, default)

    def optional(table: Mapping[str, Any], key: str) -> Path | None:
        return root / table[key] if key in table else None

    registry, own = _registry(data, root, path)
    engine = data.get("translate", {})
    style = data.get("style", {})
    render = data.get("render", {})
    return Project(
        path=path,
        languages=tuple(settings.get("languages", ())),
        glossary=folder("glossary", "glossary"),
        locales=folder("locales", "locales"),
        out=folder("out", "build"),
        backend=engine.get("backend", "transformers"),
        beams=engine.get("beams", 4),
        executor=engine.get("executor", "in-process"),
        ray_address=engine.get("ray_address"),
        replicas=engine.get("replicas"),
        gpus_per_replica=engine.get("gpus_per_replica"),
        render=engine.get("render", True),
        strict=engine.get("strict", False),
        fail_fast=engine.get("fail_fast", False),
        style=optional(style, "file"),
        no_protect=tuple(style.get("no_protect", ())),
        policy=render.get("policy", "machine"),
        review=render.get("review", False),
        templates=optional(render, "templates"),
        use_fuzzy=data.get("compile", {}).get("use_fuzzy", False),
        registry=registry,
        own_models=own,
    )


def _toml_error(exc: tomllib.TOMLDecodeError, path: Path) -> ProjectError:
    message = str(exc)
    match = re.search(r"\(at line (\d+), column \d+\)", message)
    line = int(match.group(1)) if match else None
    reason = message[: match.start()].strip() if match else message
    twice = re.match(r"Cannot declare \((.*)\) twice", reason)
    if twice:
        parts = [p.strip().strip("'\"") for p in twice.group(1).split(",") if p.strip()]
        reason = f"[{'.'.join(parts)}] is declared twice in this file; keep one"
    return ProjectError(f"not valid TOML: {reason}", path, line)


def _check(data: Mapping[str, Any], lines: Mapping[tuple[str, ...], int], path: Path) -> None:
    """Every table and key known and well-formed, or one error naming its line."""

    def fail(where: tuple[str, ...], message: str) -> ProjectError:
        for depth in range(len(where), 0, -1):  # the key's own line, else its table's
            if where[:depth] in lines:
                return ProjectError(message, path, lines[where[:depth]])
        return ProjectError(message, path)

    for name, table in data.items():
        section = SECTIONS.get(name)
        if section is None:
            known = ", ".join(f"[{s}]" for s in SECTIONS)
            raise fail((name,), f"unknown table [{name}]; a project file has {known}")
        if not isinstance(table, dict):
            raise fail((name,), f"'{name}' must be a table, [{name}]")
        entries: list[tuple[tuple[str, ...], str, Any]] = (
            [((name, str(e)), f'[{name}."{e}"]', v) for e, v in table.items()]
            if section.per_entry
            else [((name,), f"[{name}]", table)]
        )
        for prefix, label, values in entries:
            if not isinstance(values, dict):
                raise fail(prefix, f"{label} must be a table")
            _check_keys(values, section, prefix, label, fail)
        if name == "languages":
            for code in table:
                problem = code_problem(code)
                if problem is not None:
                    raise fail(
                        (name, code), f"[languages.{code}]: '{code}' is not a language code ({problem})"
                    )


def _check_keys(
    values: Mapping[str, Any],
    section: Section,
    prefix: tuple[str, ...],
    label: str,
    fail: Callable[[tuple[str, ...], str], ProjectError],
) -> None:
    for key, value in values.items():
        check = section.keys.get(key)
        if check is None:
            raise fail((*prefix, key), f"unknown key '{key}' in {label}; it takes {', '.join(section.keys)}")
        problem = check(value)
        if problem:
            raise fail((*prefix, key), f"{label} {key} {problem}")


def _registry(data: Mapping[str, Any], root: Path, path: Path) -> tuple[Registry, frozenset[str]]:
    """The shipped registry with the project's entries laid over it (a project entry wins)."""
    shipped = load_registry()
    languages = dict(shipped.languages)
    own: set[str] = set()
    for code, table in data.get("languages", {}).items():
        model = table.get("model")
        if model is not None:
            own.add(code)
            model = resolve_model(model, root)
        previous = shipped.languages.get(code) or shipped.languages.get(base_language(code))
        tag = table.get("tag", previous.tag if previous else None)  # a language's code, whatever the model
        languages[code] = LanguageEntry(code, model or (previous.model if previous else None), tag)
    models = dict(shipped.models)
    for model_id, table in data.get("models", {}).items():
        targets = tuple(table.get("targets", ()))
        untagged = [t for t in targets if t not in languages or not languages[t].tag]
        if untagged:
            raise ProjectError(
                f'[models."{model_id}"] targets {", ".join(untagged)} have no [languages] tag',
                path,
                key_lines_of(path).get(("models", model_id)),
            )
        models[model_id] = ModelEntry(
            model_id, targets, bool(table.get("tag_required", False)), str(table.get("card", ""))
        )
    return Registry(languages, models, str(path)), frozenset(own)


def resolve_model(model: str, root: Path) -> str:
    """A folder relative to the project file, as a path from here; anything else is a hub id."""
    candidate = root / Path(model).expanduser()
    if candidate.exists() or model.startswith((".", "/", "~")):
        # "./" keeps a relative folder recognisable as one even before it exists (not a hub id).
        text = str(candidate)
        return text if candidate.is_absolute() or text.startswith(".") else f"./{text}"
    return model


def key_lines_of(path: Path) -> dict[tuple[str, ...], int]:
    try:
        return key_lines(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError):
        return {}


_PART = r'(?:"(?:[^"\\]|\\.)*"|\'[^\']*\'|[A-Za-z0-9_-]+)'
_DOTTED = rf"{_PART}(?:\s*\.\s*{_PART})*"
_HEADER = re.compile(rf"^\s*\[\[?\s*({_DOTTED})\s*\]\]?")
_KEY = re.compile(rf"^\s*({_DOTTED})\s*=")


def _parts(dotted: str) -> tuple[str, ...]:
    return tuple(p.strip().strip("\"'") for p in re.findall(_PART, dotted))


def key_lines(text: str) -> dict[tuple[str, ...], int]:
    """Where each table and key is written (1-based), for errors: TOML parsers give values, not lines.

    A line scanner, enough for error positions: it reads ``[a."b"]`` headers and ``key =`` lines
    and skips the inside of multi-line arrays and strings only as far as their lines start with
    neither; a key it cannot place falls back to its table's line.
    """
    lines: dict[tuple[str, ...], int] = {}
    table: tuple[str, ...] = ()
    for number, line in enumerate(text.splitlines(), start=1):
        header = _HEADER.match(line)
        if header:
            table = _parts(header.group(1))
            for depth in range(1, len(table) + 1):
                lines.setdefault(table[:depth], number)
            continue
        key = _KEY.match(line)
        if key:
            lines.setdefault((*table, *_parts(key.group(1))), number)
    return lines


TEMPLATE = Path(__file__).with_name("project_template.toml")


def write_template(path: Path, languages: list[str]) -> Path:
    """A commented project file at ``path``; an existing file is never overwritten."""
    text = TEMPLATE.read_text(encoding="utf-8")
    if languages:
        listed = ", ".join(f'"{lang}"' for lang in languages)
        text = text.replace('languages = ["ar"]  ', f"languages = [{listed}]", 1)
    parse_project(text, path)  # what we write must load
    from pipeline.fileio import create_text

    try:
        create_text(path, text)
    except FileExistsError:
        raise ProjectError("already exists; edit it, or delete it first to start again", path) from None
    except OSError as exc:
        raise ProjectError(f"cannot write project file: {exc.strerror}", path) from None
    return path
