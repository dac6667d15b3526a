"""Shared test utilities: fake backends and GNU gettext checks."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path

import pytest

from pipeline.testing.faults import FaultBackend

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "articles" / "sample-article.txt"


class EchoBackend(FaultBackend):
    """A well-behaved fake: 'translates' by prefixing, keeping placeholders intact."""

    name = "echo"

    def translate(self, texts: Sequence[str], *, lang: str) -> list[str]:
        return [f"[{lang}] {t}" for t in super().translate(texts, lang=lang)]


def run_fake(backend: object, articles: str = "articles", policy: str = "machine"):
    """The translate job in the current folder with a fake backend and the shipped glossary."""
    from pipeline.job import translate_articles
    from pipeline.names.glossary import load_glossary

    return translate_articles(
        [articles],
        ["ar"],
        glossary=load_glossary(ROOT / "glossary"),
        locales=Path("locales"),
        out=Path("build"),
        make_backend=lambda lang: backend,
        model_label="echo",
        policy=policy,
    )


def msgfmt_check(path: Path) -> None:
    """Fail unless GNU msgfmt accepts the file (skips only outside CI when gettext is missing)."""
    if shutil.which("msgfmt") is None:
        if os.environ.get("CI"):
            pytest.fail("msgfmt (GNU gettext) is required in CI; .ci/run installs it")
        pytest.skip("GNU gettext's msgfmt is not installed (apt-get install gettext)")
    result = subprocess.run(
        ["msgfmt", "--check", "-o", os.devnull, str(path)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
