"""Every fenced code block of the README is accounted for, so the README cannot drift from the code.

The line before each opening fence is a marker (documented in the README's Development section):

- ``<!-- test -->`` (shell): run with ``bash -e`` as written, in a temporary copy of ``articles/``,
  ``glossary/``, ``scripts/`` and ``tests/data/``, offline (``HF_HUB_OFFLINE=1``), with the current
  interpreter first on ``PATH``. Substitutions, because no real model can be downloaded here:
  ``hf download ID --local-dir DIR`` copies the session's tiny test model into DIR, and a block
  naming ``models/tiny-en-ar`` finds the tiny model there (what the quick start builds);
- ``<!-- test: identity -->`` (shell): the same, every ``translate`` with ``--backend identity``;
- ``<!-- test: quickstart -->`` (shell): the same, less the set-up CI's ``.ci/run`` does itself
  (``python3 -m venv``, ``. .venv/bin/activate``, ``pip install``) and ``python -m pytest``, which
  is this very run: what is left (building the tiny model, translating) runs as written;
- ``<!-- test: python -->``: executed in such a copy (the current folder);
- ``<!-- test: project -->`` / ``<!-- test: style -->`` (TOML): loaded by the real loaders
  (``newsroom.toml``'s, ``style.toml``'s), as written and with every commented ``key =`` line and
  table uncommented; both must be accepted;
- ``<!-- test: po -->``: each ``msgid`` is what ``translate`` writes for the sentence as HTML;
- ``<!-- test: template -->`` (Jinja2): used as the house ``article.html.j2``, it renders;
- ``<!-- synopsis -->``: a command summary (``...``, ``[OPTIONAL]``, placeholders), not run;
- ``<!-- not run: REASON -->``: cannot run here, REASON one of :data:`NOT_RUN`.

Every ``python -m pipeline`` and ``python scripts/...`` line in any block (and in inline code in the
text) is checked too: its subcommand and each ``--flag`` must exist in the real argparse parser (or
the script); and every flag of every command must be documented somewhere in the README.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import polib
import pytest

from pipeline.cli import build_parser
from pipeline.project import Project

from .helpers import ROOT, msgfmt_check

README = (ROOT / "README.md").read_text(encoding="utf-8")

#: ``<!-- test: KIND -->`` kinds, and the fence languages each takes.
KINDS = {
    "": ("sh", "bash"),
    "identity": ("sh", "bash"),
    "quickstart": ("sh", "bash"),
    "python": ("python",),
    "project": ("toml",),
    "style": ("toml",),
    "po": ("po",),
    "template": ("jinja",),
}
SHELL = ("", "identity", "quickstart")
#: Why a block cannot run here: a closed set.
NOT_RUN = {
    "network": "downloads (git clone, pip install, the hub)",
    "cluster": "needs several machines (ray start on a head and workers)",
    "gpu": "needs a GPU",
    "long": "a benchmark that runs minutes to hours at its documented sizes",
    "real model": "needs pretrained weights or evaluation data this repository does not hold",
}
MARKER = re.compile(
    r"<!-- (?:test(?:: (?P<kind>[a-z ]+))?|(?P<synopsis>synopsis)|not run: (?P<reason>[a-z ]+)) -->"
)
FENCE = re.compile(r"^```(?P<lang>\w*)\n(?P<body>.*?)^```$", re.M | re.S)


@dataclass(frozen=True)
class Block:
    line: int
    lang: str
    body: str
    marker: str  # the marker line, or "" when there is none

    @property
    def kind(self) -> str | None:
        """The ``test`` kind, or None for synopsis / not-run / unmarked blocks."""
        match = MARKER.fullmatch(self.marker)
        if match is None or match["synopsis"] or match["reason"]:
            return None
        return match["kind"] or ""

    def __str__(self) -> str:
        return f"README.md:{self.line} ({self.lang or 'no language'} block)"


def blocks(text: str = README) -> list[Block]:
    found = []
    for match in FENCE.finditer(text):
        before = text[: match.start()].rstrip("\n").rsplit("\n", 1)[-1]
        line = text.count("\n", 0, match.start()) + 1
        found.append(Block(line, match["lang"], match["body"], before.strip()))
    return found


def of_kind(*kinds: str) -> list[Block]:
    return [b for b in blocks() if b.kind in kinds]


def test_every_block_carries_a_marker_of_the_closed_set() -> None:
    problems = []
    for block in blocks():
        match = MARKER.fullmatch(block.marker)
        if match is None:
            problems.append(f"{block}: no marker line before it (see the README's Development section)")
        elif match["reason"] is not None and match["reason"] not in NOT_RUN:
            problems.append(
                f"{block}: 'not run: {match['reason']}': the reason must be one of {list(NOT_RUN)}"
            )
        elif block.kind is not None and block.kind not in KINDS:
            problems.append(f"{block}: unknown kind 'test: {block.kind}'; kinds: {list(KINDS)}")
        elif block.kind is not None and block.lang not in KINDS[block.kind]:
            problems.append(f"{block}: 'test: {block.kind}' takes {KINDS[block.kind]} blocks")
    assert not problems, "\n".join(problems)
    assert len(blocks()) >= 15 and of_kind(*SHELL) and of_kind("python")


# ----------------------------------------------------------------------------------------------
# Shell blocks, run as written (with the substitutions above)

HF_DOWNLOAD = re.compile(r"^hf download \S+ --local-dir (\S+).*$", re.M)
#: What CI's .ci/run does before the tests (and the test run itself): left out of the quick start.
SETUP = re.compile(r"^(python3? -m venv |\. \.venv/bin/activate$|pip install |python -m pytest)")


def substitute(body: str, kind: str, tiny: Path) -> str:
    body = HF_DOWNLOAD.sub(lambda m: f"mkdir -p {m.group(1)} && cp -r {tiny}/. {m.group(1)}/", body)
    if kind == "identity":
        body = re.sub(
            r"^(python -m pipeline translate .*?)(\s+#.*)?$", r"\1 --backend identity", body, flags=re.M
        )
    if kind == "quickstart":
        lines = []
        for line in body.splitlines():
            kept = [part for part in line.split(" && ") if not SETUP.match(part.strip())]
            lines.append(" && ".join(kept))
        body = "\n".join(lines) + "\n"
    return body


def _copy_site(tmp_path: Path) -> None:
    for folder in ("articles", "glossary", "scripts", "tests/data"):
        shutil.copytree(ROOT / folder, tmp_path / folder, ignore=shutil.ignore_patterns("__pycache__"))


def _no_notice(site: Path, lang: str) -> None:
    page = (site / "build" / lang / "sample-article.html").read_text(encoding="utf-8")
    assert 'class="notice"' not in page, "a --reviewed-only page carries the machine notice"


def _pos_pass_msgfmt(site: Path) -> None:
    for po in (site / "locales").rglob("*.po"):
        msgfmt_check(po)


def _scores_perfect(site: Path, out: str) -> None:
    scores = re.findall(r"^.*?(\d+)/(\d+) glossary occurrences", out, re.M)
    assert scores and all(a == b for a, b in scores), out


#: The claims the text around a block makes, checked after it runs: the block is found by a
#: string it contains (a claim whose block is gone fails, see below).
CLAIMS: dict[str, tuple[list[str], list[Callable[[Path, str], None]]]] = {
    "make_tiny_model.py models/tiny-en-ar": (
        [
            "locales/ar/LC_MESSAGES/sample-article.po",
            "build/ar/sample-article.html",
            "build/ar/sample-article.txt",
            "build/ar/sample-article.md",
            "models/tiny-en-ar/config.json",
        ],
        [lambda site, out: _pos_pass_msgfmt(site)],
    ),
    "--local-dir models/opus-mt-en-ar": (
        ["models/opus-mt-en-ar/config.json", "build/ar/sample-article.html", "build/index.html"],
        [lambda site, out: _pos_pass_msgfmt(site)],
    ),
    "[languages.nl]": (
        ["newsroom.toml", "locales/nl/LC_MESSAGES/sample-article.po", "build/nl/sample-article.html"],
        [lambda site, out: _no_notice(site, "nl"), lambda site, out: _pos_pass_msgfmt(site)],
    ),
    "glossary score articles/sample-article.txt": ([], [_scores_perfect]),
}


def test_every_claim_belongs_to_a_block() -> None:
    bodies = [b.body for b in of_kind(*SHELL)]
    stale = [key for key in CLAIMS if not any(key in body for body in bodies)]
    assert not stale, f"claims whose README block is gone or no longer run: {stale}"


@pytest.mark.parametrize("block", of_kind(*SHELL), ids=str)
def test_readme_shell_block_runs(block: Block, tmp_path: Path, tiny_model_dir: Path) -> None:
    _copy_site(tmp_path)
    if "models/tiny-en-ar" in block.body and block.kind != "quickstart":  # what the quick start built
        shutil.copytree(tiny_model_dir, tmp_path / "models" / "tiny-en-ar")
    env = {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        "PYTHONPATH": str(ROOT),
        "HF_HUB_OFFLINE": "1",
    }
    script = "set -e\n" + substitute(block.body, block.kind or "", tiny_model_dir)
    done = subprocess.run(
        ["bash", "-c", script], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, f"{block} failed:\n{script}\n{done.stdout}\n{done.stderr}"
    for key, (files, checks) in CLAIMS.items():
        if key in block.body:
            missing = [f for f in files if not (tmp_path / f).is_file()]
            assert not missing, f"{block}: the README says these are written: {missing}"
            for check in checks:
                check(tmp_path, done.stdout)


# ----------------------------------------------------------------------------------------------
# Python, TOML, PO and template blocks


@pytest.mark.parametrize("block", of_kind("python"), ids=str)
def test_readme_python_block_runs(
    block: Block, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _copy_site(tmp_path)
    monkeypatch.chdir(tmp_path)
    exec(compile(block.body, str(block), "exec"), {"__name__": "__readme__"})
    out = capsys.readouterr().out
    assert "wrote locales/ar/LC_MESSAGES/sample-article.po" in out and "% reviewed" in out, out


def uncommented(text: str) -> str:
    """Every ``# key = value`` and ``# [table]`` line as a setting (the text's "uncomment")."""
    return re.sub(r"^# (?=\[|[\w\"]+\s*=)", "", text, flags=re.M)


@pytest.mark.parametrize("block", of_kind("project"), ids=str)
def test_readme_project_file_loads(block: Block, tmp_path: Path) -> None:
    from pipeline.project import parse_project

    for text in (block.body, uncommented(block.body)):
        project = parse_project(text, tmp_path / "newsroom.toml")
        assert project.languages, "the README's project file names its languages"
    full = parse_project(uncommented(block.body), tmp_path / "newsroom.toml")
    assert full.executor == "ray" and full.templates is not None  # the commented lines were read


@pytest.mark.parametrize("block", of_kind("style"), ids=str)
def test_readme_style_file_loads(block: Block) -> None:
    from pipeline.names.style import parse_style

    parse_style(block.body, "README style.toml")
    style = parse_style(uncommented(block.body), "README style.toml (uncommented)")
    assert style is not None


def _as_html(msgid: str) -> str:
    """The msgid's sentence as HTML: ``<strong1>`` → ``<strong>``, ``<a1>`` → a link."""
    html = re.sub(r"<a\d+>", '<a href="https://example.org/mosul">', msgid)
    return re.sub(r"<(/?)([a-z]+)\d+>", r"<\1\2>", html)


@pytest.mark.parametrize("block", of_kind("po"), ids=str)
def test_readme_po_excerpt_is_what_translate_writes(block: Block, tmp_path: Path) -> None:
    import pipeline

    msgids = re.findall(r'^msgid "(.+)"$', block.body, re.M)
    assert msgids
    paragraphs = "".join(f"<p>{_as_html(m)}</p>\n" for m in msgids)
    (tmp_path / "a.html").write_text(
        f"<html><body><article><h1>Islamic State loses ground</h1>\n{paragraphs}</article></body></html>\n",
        encoding="utf-8",
    )
    shutil.copytree(ROOT / "glossary", tmp_path / "glossary")
    pipeline.translate(
        tmp_path / "a.html",
        to="ar",
        backend="identity",
        glossary=tmp_path / "glossary",
        locales=tmp_path / "locales",
        out=None,
        project=Project(),
    )
    po = polib.pofile(str(tmp_path / "locales" / "ar" / "LC_MESSAGES" / "a.po"))
    written = [entry.msgid for entry in po]
    for msgid in msgids:  # the README shows each on one line; the file wraps long ones
        assert msgid in written, written


@pytest.mark.parametrize("block", of_kind("template"), ids=str)
def test_readme_template_renders(block: Block, tmp_path: Path) -> None:
    import pipeline.api as api

    (tmp_path / "house").mkdir()
    (tmp_path / "house" / "article.html.j2").write_text(block.body, encoding="utf-8")
    api.translate(
        ROOT / "articles" / "sample-article.txt",
        to="ar",
        backend="identity",
        glossary=ROOT / "glossary",
        locales=tmp_path / "locales",
        out=None,
        project=Project(),
    )
    api.render(tmp_path / "locales", tmp_path / "build", templates=tmp_path / "house", project=Project())
    page = (tmp_path / "build" / "ar" / "sample-article.html").read_text(encoding="utf-8")
    for literal in re.findall(r"%}(<[^{]+?)\{%", block.body):
        assert literal in page, f"{block}: {literal!r} is not on the page"


# ----------------------------------------------------------------------------------------------
# Command lines: each names real subcommands and flags; every flag is documented

#: A command's words run to the end of the line, its comment included, or to the next ``&&``.
COMMAND = re.compile(r"python -m pipeline\s+(?P<args>(?:(?!&&)[^`\n])*)")
SCRIPT = re.compile(r"python (?P<script>scripts/[\w.-]+\.py)(?P<args>(?:(?!&&)[^`\n])*)")
FLAG = re.compile(r"(?<![\w-])(--?[A-Za-z][\w-]*)")


def _subparsers(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def _command_lines() -> list[tuple[str, str]]:
    """(where, command line) of every ``python -m pipeline`` line in blocks and inline code."""
    found = []
    for block in blocks():
        for match in COMMAND.finditer(block.body):
            found.append((str(block), match["args"]))
    commands = " ".join(_subparsers(build_parser()))
    for span in re.findall(r"`([^`\n]+)`", README):
        for match in COMMAND.finditer(span):
            found.append(("README.md inline code", match["args"]))
        # `render --reviewed-only`, `translate ... --no-render`: a command named with a flag
        first = span.split(" ", 1)[0]
        if first in commands.split() and FLAG.search(span) and "python -m pipeline" not in span:
            found.append(("README.md inline code", span))
    return found


def _check_line(args: str, root: argparse.ArgumentParser) -> list[str]:
    words = [w.strip("[]") for w in args.split()]
    parser, path = root, []
    for word in words:
        if word.startswith("#"):
            break
        subs = _subparsers(parser)
        if not subs:
            break
        if word.startswith("-"):
            continue
        if word not in subs:
            return [f"no command '{' '.join([*path, word])}' (commands: {', '.join(subs)})"]
        parser, path = subs[word], [*path, word]
    known = {s for a in parser._actions for s in a.option_strings}
    flags = [f.split("=")[0] for f in FLAG.findall(args) if not re.match(r"--?\d", f)]
    return [f"'{' '.join(path)}' has no {flag}" for flag in flags if flag not in known]


def test_every_command_line_names_real_commands_and_flags() -> None:
    root = build_parser()
    problems = [
        f"{where}: {p} (in: python -m pipeline {args})"
        for where, args in _command_lines()
        for p in _check_line(args, root)
    ]
    assert not problems, "\n".join(problems)


def test_every_script_line_names_a_real_script_and_its_flags() -> None:
    spans = [b.body for b in blocks()] + re.findall(r"`([^`\n]+)`", README)
    problems = []
    for span in spans:
        for match in SCRIPT.finditer(span):
            script = ROOT / match["script"]
            if not script.is_file():
                problems.append(f"no {match['script']}")
                continue
            source = script.read_text(encoding="utf-8")
            for flag in FLAG.findall(match["args"]):
                if not re.match(r"--?\d", flag) and f'"{flag}"' not in source:
                    problems.append(f"{match['script']} takes no {flag}")
    assert not problems, "\n".join(sorted(set(problems)))


def test_every_flag_of_every_command_is_documented() -> None:
    undocumented = []

    def walk(parser: argparse.ArgumentParser, path: str) -> None:
        for action in parser._actions:
            if isinstance(action, argparse._HelpAction) or not action.option_strings:
                continue
            # One spelling suffices: -o for --output, --fail-fast for --no-keep-going.
            if not any(
                re.search(rf"(?<![\w-]){re.escape(o)}(?![\w-])", README) for o in action.option_strings
            ):
                undocumented.append(f"{path or 'python -m pipeline'} {'/'.join(action.option_strings)}")
        for name, sub in _subparsers(parser).items():
            walk(sub, f"{path} {name}".strip())

    walk(build_parser(), "")
    assert not undocumented, f"flags the README never mentions: {undocumented}"


def test_the_python_api_section_names_real_functions_arguments_and_fields() -> None:
    """The prose around the API block: each ``name=`` is a parameter of some ``pipeline.api``
    function, each ``pipeline.x`` / ``pipeline.api.x`` exists, and ``TranslateResult``'s fields
    named there are its fields."""
    import dataclasses
    import inspect

    import pipeline
    import pipeline.api as api
    from pipeline.results import TranslateResult

    section = README[README.index("## Python API") :]
    section = section[: section.index("\n## ", 5)]
    functions = [f for f in vars(api).values() if inspect.isfunction(f)]
    parameters = {p for f in functions for p in inspect.signature(f).parameters}
    named = set(re.findall(r"`(\w+)=", section))
    assert named and not named - parameters, f"no pipeline.api function takes {sorted(named - parameters)}"
    for dotted in re.findall(r"`(pipeline(?:\.\w+)+)", section):
        target: object = pipeline
        for part in dotted.split(".")[1:]:
            target = getattr(target, part, None)
            assert target is not None, f"{dotted} does not exist"
    fields = {f.name for f in dataclasses.fields(TranslateResult)} | set(dir(TranslateResult))
    listed = re.search(r"`TranslateResult` also has\s+(.*?`done`)", section, re.S)
    assert listed is not None
    names = set(re.findall(r"`(\w+)`", listed.group(1)))
    assert names and not names - fields, f"TranslateResult has no {sorted(names - fields)}"
