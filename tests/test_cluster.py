"""``translate --executor ray`` on a real local Ray cluster started here: two replicas, the same PO
files as the in-process executor (fakes and the tiny model), and a replica killed mid-batch."""

from __future__ import annotations

import contextlib
import os
import shutil
from pathlib import Path

import pytest

import pipeline
import pipeline.mt.cluster as cluster_module
from pipeline.api import Cluster
from pipeline.testing.faults import ChaosBackend, IdentityFake
from tests.helpers import ROOT, SAMPLE, msgfmt_check

try:
    import ray
except ImportError:  # pragma: no cover - the extra is installed in CI
    if os.environ.get("CI"):
        raise
    pytest.skip("ray is not installed (pip install '.[ray]')", allow_module_level=True)

TWO = Cluster(replicas=2)


@pytest.fixture(scope="module", autouse=True)
def local_cluster():
    ray.init(num_cpus=3, include_dashboard=False, logging_level="ERROR")
    yield
    ray.shutdown()


@pytest.fixture(autouse=True)
def small_batches(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every chunk spread over several batches, so both replicas work and order must be kept."""
    monkeypatch.setattr(cluster_module, "BATCH_SEGMENTS", 7)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")


def make_site(root: Path) -> Path:
    (root / "articles").mkdir(parents=True)
    shutil.copy(SAMPLE, root / "articles" / "sample-article.txt")
    shutil.copy(ROOT / "tests" / "data" / "name_dense.txt", root / "articles" / "names.txt")
    return root


def run(root: Path, **kw: object) -> tuple[pipeline.TranslateResult, dict[str, bytes]]:
    with contextlib.chdir(root):  # the same relative source references in both sites
        result = pipeline.translate("articles", "ar", glossary=ROOT / "glossary", out=None, **kw)
    assert result.ok, result.errors
    files = {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted((root / "locales").rglob("*.po*"))
        if ".newsroom-cache" not in p.parts
    }
    return result, files


def test_fakes_on_two_replicas_write_the_in_process_files(tmp_path: Path) -> None:
    local, expected = run(make_site(tmp_path / "local"), backend=ChaosBackend())
    remote, files = run(make_site(tmp_path / "ray"), backend=ChaosBackend(), executor="ray", cluster=TWO)
    assert files == expected and len(files) == 4
    assert remote.translated == local.translated > 14 and remote.repairs == local.repairs


def small_site(root: Path) -> Path:
    """Eight name-dense sentences: enough for four batches of two, quick on the tiny model."""
    (root / "articles").mkdir(parents=True)
    lines = (ROOT / "tests" / "data" / "name_dense.txt").read_text(encoding="utf-8").splitlines()[:8]
    (root / "articles" / "names.txt").write_text("\n\n".join(lines) + "\n", encoding="utf-8")
    return root


def test_tiny_model_on_two_replicas_writes_the_in_process_files(
    tmp_path: Path, tiny_model_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cluster_module, "BATCH_SEGMENTS", 2)
    kw = {"backend": "transformers", "model": str(tiny_model_dir), "beams": 2}
    local, expected = run(small_site(tmp_path / "local"), **kw)
    remote, files = run(small_site(tmp_path / "ray"), executor="ray", cluster=TWO, **kw)
    assert files == expected and remote.translated == local.translated >= 8
    msgfmt_check(tmp_path / "ray" / "locales" / "ar" / "LC_MESSAGES" / "names.po")


def test_a_replica_killed_mid_batch_loses_and_duplicates_nothing(tmp_path: Path) -> None:
    from pipeline.testing.cluster import DieOnceBackend

    marker = tmp_path / "killed"
    _, expected = run(make_site(tmp_path / "local"), backend=IdentityFake())
    result, files = run(
        make_site(tmp_path / "ray"), backend=DieOnceBackend(marker), executor="ray", cluster=TWO
    )
    assert marker.is_file() and int(marker.read_text()) != os.getpid()  # a replica really died
    assert files == expected and result.translated > 0
