"""The README's marked shell blocks, run as written, so the README cannot drift from the code.

A block runs when the line before its opening fence is ``<!-- test -->`` or ``<!-- test: identity -->``.
It runs with ``bash -e`` in a temporary copy of ``articles/`` and ``glossary/``, with no network.
Substitutions (documented in the README's Development section), because no real model can be
downloaded here: ``hf download ID --local-dir DIR`` copies the tiny test model into DIR; under
``test: identity`` every ``translate`` also gets ``--backend identity``.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .helpers import ROOT

MARK = re.compile(r"^<!-- test(?:: (identity))? -->\n```(?:sh|bash)\n(.*?)^```", re.M | re.S)
HF_DOWNLOAD = re.compile(r"^hf download \S+ --local-dir (\S+).*$", re.M)


def blocks(text: str) -> list[tuple[str, str]]:
    return [(mode or "", body) for mode, body in MARK.findall(text)]


def substitute(body: str, mode: str, tiny: Path) -> str:
    body = HF_DOWNLOAD.sub(lambda m: f"mkdir -p {m.group(1)} && cp -r {tiny}/. {m.group(1)}/", body)
    if mode == "identity":
        body = re.sub(
            r"^(python -m pipeline translate .*?)(\s+#.*)?$", r"\1 --backend identity", body, flags=re.M
        )
    return body


def test_the_readme_marks_its_runnable_blocks() -> None:
    found = blocks((ROOT / "README.md").read_text(encoding="utf-8"))
    assert found, "no <!-- test --> block in the README"
    assert any("newsroom.toml" in body for _, body in found)


@pytest.mark.parametrize("index", range(len(blocks((ROOT / "README.md").read_text(encoding="utf-8")))))
def test_readme_block_runs(index: int, tmp_path: Path, tiny_model_dir: Path) -> None:
    mode, body = blocks((ROOT / "README.md").read_text(encoding="utf-8"))[index]
    for folder in ("articles", "glossary"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    env = {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        "PYTHONPATH": str(ROOT),
        "HF_HUB_OFFLINE": "1",
    }
    script = "set -e\n" + substitute(body, mode, tiny_model_dir)
    done = subprocess.run(
        ["bash", "-c", script], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, f"README block {index} failed:\n{script}\n{done.stdout}\n{done.stderr}"
