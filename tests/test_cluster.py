"""``translate --executor ray`` on a real local Ray cluster started here: two replicas, the same PO
files as the in-process executor (fakes and the tiny model), and a replica killed mid-batch."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import time
from pathlib import Path

import pytest

import pipeline
import pipeline.mt.cluster as cluster_module
from pipeline.api import Cluster
from pipeline.cli import main
from pipeline.errors import ModelError
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


def free_port() -> int:
    """A port nothing listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_an_unreachable_ray_address_fails_in_seconds_with_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site = make_site(tmp_path / "site")
    address = f"127.0.0.1:{free_port()}"
    started = time.monotonic()
    with contextlib.chdir(site):
        code = main(
            [
                "translate",
                "articles",
                "--to",
                "ar",
                "--backend",
                "identity",
                "--glossary",
                str(ROOT / "glossary"),
            ]
            + ["--executor", "ray", "--ray-address", address]
        )
    assert time.monotonic() - started < 15  # Ray alone retries for minutes
    assert code == 1
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: cannot reach the Ray cluster at " + address)
    assert "ray start --head" in lines[0] and "firewall" in lines[0]
    assert not (site / "locales" / "ar").exists()  # nothing was written


def test_an_address_that_never_answers_times_out(monkeypatch: pytest.MonkeyPatch) -> None:
    def silent(address: tuple[str, int], timeout: float) -> socket.socket:
        raise TimeoutError("timed out")

    monkeypatch.setattr(socket, "create_connection", silent)
    with pytest.raises(ModelError, match=r"at 10\.0\.0\.9:6379 \(no answer within 5 s\)"):
        cluster_module.probe("10.0.0.9:6379")
    with pytest.raises(ModelError, match=r"at head:10001 \(no answer"):
        cluster_module.probe("ray://head")  # the Ray Client port when none is given
    with pytest.raises(ModelError, match="is not HOST:PORT"):
        cluster_module.probe("head:port")


def test_gpus_per_replica_on_a_cluster_without_gpus_is_refused(tmp_path: Path) -> None:
    assert not ray.cluster_resources().get("GPU")  # the test's local cluster
    site = make_site(tmp_path / "site")
    for cluster, message in [
        (Cluster(replicas=1, gpus_per_replica=1), r"--gpus-per-replica 1: the local Ray cluster has no GPUs"),
        (Cluster(replicas=9), r"9 replica\(s\) need one CPU each; the local Ray cluster has 3"),
    ]:
        with contextlib.chdir(site), pytest.raises(ModelError, match=message):
            pipeline.translate(
                "articles",
                "ar",
                backend="identity",
                glossary=ROOT / "glossary",
                executor="ray",
                cluster=cluster,
            )
    assert not (site / "locales" / "ar").exists()


def test_a_pool_bigger_than_the_gpus_is_refused() -> None:
    resources = {"CPU": 16.0, "GPU": 2.0}
    cluster_module.fits(4, 0.5, resources, "head:6379")  # four half-GPU replicas fit on two
    with pytest.raises(
        ModelError, match=r"3 replica\(s\) × 1 GPU need 3 GPUs; the Ray cluster at head:6379 has 2"
    ):
        cluster_module.fits(3, 1.0, resources, "head:6379")
