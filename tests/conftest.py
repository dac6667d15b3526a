"""Shared fixtures.

The tiny MarianMT model is built once per test session (about a second after imports): tests that need
a real model folder get one without any download.
"""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def tiny_model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A random-weight Marian model folder with ``>>ara<<``, ``>>fra<<`` and ``>>heb<<`` target tags.

    Its output is deterministic Arabic-script nonsense that depends on the source; treat the folder
    as read-only (it is shared by the whole session).
    """
    from pipeline.testing.tiny_model import build_marian_model

    return build_marian_model(tmp_path_factory.mktemp("tiny-en-ar"), targets=("ar", "fr", "he"), seed=0)
