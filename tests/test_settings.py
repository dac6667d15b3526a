"""Every option of every command is either a project setting (read from newsroom.toml, the flag
overriding it) or listed here as a per-run choice, with the reason: a new flag that is neither fails
the walk over the real argparse parser below, so the project file cannot fall behind the CLI."""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

import polib
import pytest

from pipeline.cli import build_parser, main
from pipeline.mt import marian
from pipeline.project import SECTIONS, TEMPLATE, load_project, parse_project

from .helpers import ROOT

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

#: (command, option dest) → the project file's key: ``table.key``, ``languages.*.key`` for a table
#: per language.
MAPPED: dict[tuple[str, str], str] = {
    ("translate", "to"): "project.languages",
    ("translate", "model"): "languages.*.model",
    ("translate", "backend"): "translate.backend",
    ("translate", "beams"): "translate.beams",
    ("translate", "glossary"): "project.glossary",
    ("translate", "locales"): "project.locales",
    ("translate", "out"): "project.out",
    ("translate", "reviewed_only"): "render.policy",
    ("translate", "render"): "translate.render",
    ("translate", "strict"): "translate.strict",
    ("translate", "keep_going"): "translate.fail_fast",
    ("translate", "no_protect"): "style.no_protect",
    ("translate", "style"): "style.file",
    ("translate", "executor"): "translate.executor",
    ("translate", "ray_address"): "translate.ray_address",
    ("translate", "replicas"): "translate.replicas",
    ("translate", "gpus_per_replica"): "translate.gpus_per_replica",
    ("render", "locales"): "project.locales",
    ("render", "out"): "project.out",
    ("render", "reviewed_only"): "render.policy",
    ("render", "review"): "render.review",
    ("render", "templates"): "render.templates",
    ("status", "locales"): "project.locales",
    ("compile", "locales"): "project.locales",
    ("compile", "use_fuzzy"): "compile.use_fuzzy",
    ("languages", "to"): "project.languages",
    ("languages", "glossary"): "project.glossary",
    ("glossary check", "glossary"): "project.glossary",
    ("glossary suggest", "to"): "project.languages",
    ("glossary suggest", "backend"): "translate.backend",
    ("glossary suggest", "glossary"): "project.glossary",
    ("glossary add", "glossary"): "project.glossary",
    ("glossary score", "to"): "project.languages",
    ("glossary score", "model"): "languages.*.model",
    ("glossary score", "beams"): "translate.beams",
    ("glossary score", "glossary"): "project.glossary",
}

#: Why an option is not a project setting: a closed set.
INPUT = "what this run works on (files named on the command line)"
FILTER = "narrows this run to some languages; the project's languages are what there is"
ACTION = "a one-off action or mode of this run, not a standing policy"
DISPLAY = "how this run prints its result"
GLOBAL = "a global flag of the invocation (--debug, -q, --project: which project file)"
WAIT = "how long this invocation waits for another run's lock: cron or interactive, not the newsroom"

EXCLUDED: dict[tuple[str, str], str] = {
    ("init", "file"): INPUT,
    ("init", "to"): "the languages written into the new project file itself",
    ("languages", "all"): DISPLAY,
    ("translate", "articles"): INPUT,
    ("translate", "migrate_plural_forms"): ACTION,
    ("translate", "wait"): WAIT,
    ("render", "to"): FILTER,
    ("render", "watch"): ACTION,
    ("status", "to"): FILTER,
    ("status", "json"): DISPLAY,
    ("compile", "to"): FILTER,
    ("compile", "wait"): WAIT,
    ("glossary check", "to"): FILTER,
    ("glossary suggest", "articles"): INPUT,
    ("glossary suggest", "output"): INPUT,
    ("glossary suggest", "model"): "switches on the model source of suggestions for this run (loads a model)",
    ("glossary add", "suggestions"): INPUT,
    ("glossary add", "into"): INPUT,
    ("glossary score", "articles"): INPUT,
    ("glossary score", "corpus"): INPUT,
    ("glossary score", "backend"): "which engines to score is what the command is asked",
}

GLOBAL_DESTS = {"debug", "quiet", "project"}

#: Keys only the file has (no flag): what they are for.
FILE_ONLY = {
    "languages.*.tag": "the >>xxx<< code of a multi-target model",
    "models.*.targets": "a multi-target model's languages",
    "models.*.tag_required": "whether its card requires the >>xxx<< token",
    "models.*.card": "its model card",
}


def commands(parser: argparse.ArgumentParser, prefix: str = "") -> dict[str, argparse.ArgumentParser]:
    """Every (sub)command's parser, by its name as typed (``glossary suggest``)."""
    found: dict[str, argparse.ArgumentParser] = {}
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                full = f"{prefix} {name}".strip()
                found[full] = sub
                found.update(commands(sub, full))
    return found


def options() -> set[tuple[str, str]]:
    """(command, dest) of every user-facing option and argument of every leaf command."""
    found: set[tuple[str, str]] = set()
    for name, sub in commands(build_parser()).items():
        for action in sub._actions:
            if isinstance(action, argparse._SubParsersAction | argparse._HelpAction):
                continue
            if action.dest not in GLOBAL_DESTS:
                found.add((name, action.dest))
    return found


def test_every_option_is_a_project_setting_or_excluded_with_a_reason() -> None:
    found = options()
    unclassified = sorted(found - MAPPED.keys() - EXCLUDED.keys())
    assert not unclassified, (
        f"options neither read from newsroom.toml nor excluded: {unclassified}; map each to a project "
        "key in MAPPED (and project.SECTIONS, the template, the README) or add it to EXCLUDED with a reason"
    )
    stale = sorted((MAPPED.keys() | EXCLUDED.keys()) - found)
    assert not stale, f"classified options the parser no longer has: {stale}"
    assert not MAPPED.keys() & EXCLUDED.keys()


def _declared(key: str) -> bool:
    table, *rest = key.split(".")
    section = SECTIONS.get(table)
    if section is None:
        return False
    if section.per_entry:
        return rest[0] == "*" and rest[1] in section.keys
    return rest[0] in section.keys


def test_every_mapped_key_is_declared_templated_and_documented() -> None:
    template = TEMPLATE.read_text(encoding="utf-8")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    readme = readme[readme.index("## The project file") :]
    readme = readme[: readme.index("\n## ", 5)]
    for key in {*MAPPED.values(), *FILE_ONLY}:
        assert _declared(key), f"{key} is mapped but not in project.SECTIONS"
        name = key.rsplit(".", 1)[1]
        assert f"{name} =" in template, f"{key} is not in project_template.toml"
        assert f"{name} =" in readme, f"{key} is not in the README's project file section"
    # The reverse: every key the file takes is some flag's, or documented as file-only.
    for table, section in SECTIONS.items():
        for name in section.keys:
            key = f"{table}.*.{name}" if section.per_entry else f"{table}.{name}"
            assert key in MAPPED.values() or key in FILE_ONLY, f"{key} has no flag and is not FILE_ONLY"


def test_the_template_uncommented_is_every_setting_and_loads(tmp_path: Path) -> None:
    """``init``'s file with each ``# key = value`` line uncommented loads, and sets each key."""
    lines = []
    for line in TEMPLATE.read_text(encoding="utf-8").splitlines():
        stripped = line.removeprefix("# ")
        if "=" in stripped.split("#")[0] or stripped.startswith("["):
            line = stripped
        lines.append(line)
    text = "\n".join(lines) + "\n"
    (tmp_path / "models").mkdir()
    project = parse_project(text, tmp_path / "newsroom.toml")
    data = tomllib.loads(text)
    for table, section in SECTIONS.items():
        if not section.per_entry:
            assert set(data[table]) == set(section.keys), table
    assert project.render and project.templates == tmp_path / "templates"
    assert project.style == tmp_path / "glossary" / "style.toml"


SHORT = (
    "Report from Mosul\n\nIraqi forces entered Mosul on November 4th.\n\n"
    "The army said 1,500 soldiers took part.\n"
)


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "articles").mkdir()
    (tmp_path / "articles" / "short.txt").write_text(SHORT, encoding="utf-8")
    shutil.copytree(ROOT / "glossary", tmp_path / "glossary")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(marian, "_hub_reachable", lambda timeout=0: False)
    return tmp_path


def project(site: Path, extra: str) -> None:
    text = '[project]\nlanguages = ["ar"]\n\n[translate]\nbackend = "identity"\n' + extra
    (site / "newsroom.toml").write_text(text, encoding="utf-8")
    load_project()  # a test's own file must load


def po_text(site: Path) -> str:
    return (site / "locales" / "ar" / "LC_MESSAGES" / "short.po").read_text(encoding="utf-8")


def test_translate_render_strict_and_fail_fast_come_from_the_file(site: Path) -> None:
    project(site, "render = false\nstrict = true\nfail_fast = true\n")
    (site / "articles" / "bare.txt").write_text("Iraqi forces entered Mosul on Monday.\n", encoding="utf-8")
    # strict: the headline-less article is refused; fail_fast: the run stops there (exit 1).
    assert main(["translate", "articles", "-q"]) == 1
    assert main(["translate", "articles", "-q", "--no-strict"]) == 0
    assert po_text(site) and not (site / "build").exists()  # render = false
    assert main(["translate", "articles", "-q", "--render", "--no-strict"]) == 0
    assert (site / "build" / "ar" / "short.html").is_file()
    assert main(["translate", "articles", "-q", "--keep-going"]) == 2  # strict, but go on


def test_style_file_and_no_protect_come_from_the_file(site: Path) -> None:
    (site / "house.toml").write_text('[ar]\nlocale = "ar_EG"\ndigits = "arab"\n', encoding="utf-8")
    project(site, '\n[style]\nfile = "house.toml"\n')
    assert main(["translate", "articles", "-q", "--no-render"]) == 0
    assert "١٬٥٠٠" in po_text(site)  # the project's style: Arabic-Indic digits
    project(site, '\n[style]\nfile = "house.toml"\nno_protect = ["numbers"]\n')
    shutil.rmtree(site / "locales")
    assert main(["translate", "articles", "-q", "--no-render"]) == 0
    text = po_text(site)
    assert "1,500" in text and "١٬٥٠٠" not in text and "٤ نوفمبر" in text  # dates still protected
    shutil.rmtree(site / "locales")
    assert main(["translate", "articles", "-q", "--no-render", "--style", "glossary/style.toml"]) == 0
    assert "تشرين الثاني" in po_text(site)  # the flag's file (ar_IQ months) over the project's


def test_render_review_templates_and_compile_use_fuzzy_come_from_the_file(site: Path) -> None:
    (site / "house").mkdir()
    (site / "house" / "article.html.j2").write_text(
        '{% extends "shipped/article.html.j2" %}{% block masthead %}<header>Diyaruna</header>{% endblock %}',
        encoding="utf-8",
    )
    project(site, '\n[render]\nreview = true\ntemplates = "house"\n\n[compile]\nuse_fuzzy = true\n')
    assert main(["translate", "articles", "-q", "--no-render"]) == 0
    assert main(["render", "-q"]) == 0
    assert "Diyaruna" in (site / "build" / "ar" / "short.html").read_text(encoding="utf-8")
    assert (site / "build" / "ar" / "short.review.html").is_file()
    shutil.rmtree(site / "build")
    assert main(["render", "-q", "--no-review"]) == 0
    assert not (site / "build" / "ar" / "short.review.html").exists()
    mo = site / "locales" / "ar" / "LC_MESSAGES" / "short.mo"
    assert main(["compile", "-q"]) == 0
    fuzzy = len(polib.mofile(str(mo)))
    assert main(["compile", "-q", "--no-use-fuzzy"]) == 0
    assert fuzzy > len(polib.mofile(str(mo))), "use_fuzzy = true put the machine entries in the MO file"


def test_the_glossary_tools_default_to_the_project_language(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (site / "newsroom.toml").write_text('[project]\nlanguages = ["fr"]\n', encoding="utf-8")
    assert main(["glossary", "score", "articles", "--backend", "fake-identity"]) == 0
    assert "fr" in capsys.readouterr().out


def test_a_missing_style_file_is_one_error_naming_it(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A style file the project names is never silently replaced by the defaults (a typo would
    otherwise change every number's digits without a word)."""
    project(site, '\n[style]\nfile = "hous.toml"\n')
    assert main(["translate", "articles", "-q"]) == 1
    assert capsys.readouterr().err.strip() == (
        "error: hous.toml: no such style file (see [style] file in newsroom.toml, --style)"
    )
    assert not (site / "locales" / "ar").exists()


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ('[style]\nno_protect = ["figures"]\n', 2, '[style] no_protect must be a list of "numbers"'),
        ('[style]\nfile = ""\n', 2, "[style] file must be a non-empty string"),
        ('[render]\npolicy = "machine"\nreview = "yes"\n', 3, "[render] review must be true or false"),
        ("[render]\ntemplates = 3\n", 2, "[render] templates must be a non-empty string"),
        ("[compile]\nuse_fuzzy = 1\n", 2, "[compile] use_fuzzy must be true or false"),
        ('[translate]\nstrict = "no"\n', 2, "[translate] strict must be true or false"),
        ("[translate]\nfail-fast = true\n", 2, "unknown key 'fail-fast' in [translate]"),
        ("[compile]\nfuzzy = true\n", 2, "unknown key 'fuzzy' in [compile]; it takes use_fuzzy"),
    ],
)
def test_a_bad_new_setting_is_one_error_naming_file_and_line(
    tmp_path: Path, text: str, line: int, words: str
) -> None:
    from pipeline.project import ProjectError

    path = tmp_path / "newsroom.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ProjectError) as err:
        load_project(path)
    assert err.value.path == str(path) and err.value.line == line, str(err.value)
    assert words in str(err.value)
