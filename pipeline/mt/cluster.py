"""``translate --executor ray``: the model runs as a pool of replicas on a Ray cluster.

Design: the driver (the ``translate`` process) keeps everything it does in process (ingest,
segmentation, name protection, the locales lock, merging and writing PO files chunk by chunk) and
sees the pool as one more :class:`~pipeline.mt.base.Backend`. Each ``translate`` call (the masked
segments of one chunk) is cut into batches that go to whichever replica is free; so only masked
segments and their translations travel, and no shared filesystem is needed: a model given as a
local folder is shipped once through Ray's object store and unpacked on each replica's node.

Actors rather than Ray Data: a replica must load its model once and keep it for the run (an actor
does, a Data ``map_batches`` pool does too but brings a streaming executor whose output order and
retries we would have to undo to merge back into one chunk), and a chunk is a few hundred segments,
which a dozen lines of scheduling spread over replicas as well.

Faults: a replica that dies mid-batch (its process killed, its node lost) raises
``RayActorError`` for that batch only; the replica is replaced and the batch queued again, to the
next free replica. Results are kept by batch index, so a batch is counted once: nothing is lost or
duplicated. A batch that kills ``MAX_ATTEMPTS`` replicas in a row is reported, not retried forever.
"""

from __future__ import annotations

import logging
import os
import socket
import tempfile
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.errors import ModelError, PipelineError
from pipeline.fileio import atomic_write_bytes
from pipeline.mt.base import Backend

#: Segments per batch sent to one replica: small enough to spread a chunk (384) over replicas,
#: big enough for the replica's own token-budget batching to fill its batches.
BATCH_SEGMENTS = 96
#: Replicas one batch may take down before the run stops with an error.
MAX_ATTEMPTS = 3
#: Replicas when the cluster has no GPU and none were asked for.
CPU_REPLICAS = 2

#: Seconds to wait for a cluster's address to answer before saying it cannot be reached: Ray
#: itself retries an unreachable address for minutes, with no word of what is wrong.
PROBE_SECONDS = 5.0
#: Where ``ray start --head`` listens unless told otherwise (``ray://`` is the Ray Client server's).
DEFAULT_PORTS = {"": 6379, "ray": 10001}

Factory = Callable[[], Backend]


def probe(address: str, timeout: float | None = None) -> None:
    """Fail in seconds, with what to check, when nothing answers at ``address`` (``HOST:PORT`` or
    ``ray://HOST:PORT``; ``auto`` and ``local`` are Ray's to find). Only whether a connection is
    accepted is checked: a cluster that answers is then Ray's to join."""
    if address in ("auto", "local"):
        return
    scheme, sep, rest = address.partition("://")
    if not sep:
        scheme, rest = "", address
    host, colon, port_text = rest.rstrip("/").rpartition(":")
    if not colon:
        host, port_text = rest.rstrip("/"), str(DEFAULT_PORTS.get(scheme, 6379))
    host = host.strip("[]")
    if scheme not in DEFAULT_PORTS or not host or not port_text.isdigit():
        raise ModelError(f"--ray-address '{address}' is not HOST:PORT (as 'ray start --head' prints it)")
    wait = PROBE_SECONDS if timeout is None else timeout
    try:
        with socket.create_connection((host, int(port_text)), timeout=wait):
            pass
    except OSError as exc:
        why = "no answer" if isinstance(exc, TimeoutError) else (exc.strerror or str(exc)).lower()
        raise ModelError(
            f"cannot reach the Ray cluster at {host}:{port_text} ({why} within {wait:g} s): check that "
            "'ray start --head' runs there, that the address is the one it printed, and that no "
            "firewall blocks the port from this machine"
        ) from None


def connect(address: str | None) -> Any:
    """The ``ray`` module, connected: to ``address`` (``ray start --head`` prints it; ``auto`` finds a
    local one), or to a cluster started here for this run when ``address`` is None."""
    try:
        import ray
    except ImportError:
        raise ModelError("--executor ray needs Ray: pip install 'newsroom-pipeline[ray]'") from None
    if address is not None:
        probe(address)
    if not ray.is_initialized():
        try:
            ray.init(address=address, include_dashboard=False, logging_level=logging.ERROR)
        except Exception as exc:  # Ray raises a dozen kinds here (RPC, timeouts, bad addresses): one line
            where = address or "a local cluster"
            raise ModelError(f"cannot start or join the Ray cluster ({where}): {exc}") from None
    return ray


@dataclass
class ShippedModel:
    """A picklable factory: builds the engine on the replica, from files shipped with it when the
    model is a local folder (the replica's node need not have it)."""

    engine: str
    model: str | None
    lang: str
    options: dict[str, Any] = field(default_factory=dict)
    files: dict[str, bytes] | None = None

    @classmethod
    def of(cls, engine: str, model: str | None, lang: str, **options: Any) -> ShippedModel:
        folder = Path(model).expanduser() if model else None
        files = None
        if folder is not None and folder.is_dir():
            files = {
                p.relative_to(folder).as_posix(): p.read_bytes()
                for p in sorted(folder.rglob("*"))
                if p.is_file()
            }
        return cls(engine, model, lang, options, files)

    def __call__(self) -> Backend:
        from pipeline.mt.factory import load_backend

        model = self.model
        if self.files is not None:
            folder = Path(tempfile.mkdtemp(prefix="newsroom-model-"))
            for name, data in self.files.items():
                atomic_write_bytes(folder / name, data)
            model = str(folder)
        return load_backend(self.engine, model, self.lang, **self.options)


def fits(replicas: int, gpus_per_replica: float, resources: dict[str, float], address: str | None) -> None:
    """Refuse a pool the cluster cannot hold: Ray would wait for the missing GPUs or CPUs forever."""
    where = f"the Ray cluster at {address}" if address else "the local Ray cluster"
    gpus, cpus = float(resources.get("GPU", 0)), float(resources.get("CPU", 0))
    if replicas < 1:
        raise ModelError(f"--replicas must be at least 1 (got {replicas})")
    if gpus_per_replica < 0:
        raise ModelError(f"--gpus-per-replica must not be negative (got {gpus_per_replica:g})")
    if gpus_per_replica and not gpus:
        raise ModelError(
            f"--gpus-per-replica {gpus_per_replica:g}: {where} has no GPUs ('ray status' lists its "
            "resources); leave the option out to run the replicas on CPUs, or start workers on GPU "
            "machines ('ray start --address=HEAD:6379 --num-gpus=N')"
        )
    if replicas * gpus_per_replica > gpus + 1e-9:
        raise ModelError(
            f"{replicas} replica(s) × {gpus_per_replica:g} GPU need {replicas * gpus_per_replica:g} GPUs; "
            f"{where} has {gpus:g}: lower --replicas or --gpus-per-replica"
        )
    if replicas > cpus:
        raise ModelError(f"{replicas} replica(s) need one CPU each; {where} has {cpus:g}: lower --replicas")


class Replica:
    """One model replica (a Ray actor): loads its model once, then translates batch after batch."""

    def __init__(self, factory: Factory) -> None:
        self.backend = factory()

    def translate(self, texts: list[str], lang: str) -> list[str]:
        return self.backend.translate(texts, lang=lang)

    def pid(self) -> int:
        return os.getpid()


class RayBackend:
    """A :class:`~pipeline.mt.base.Backend` over a pool of :class:`Replica` actors."""

    def __init__(
        self,
        factory: Factory,
        *,
        name: str,
        replicas: int | None = None,
        address: str | None = None,
        gpus_per_replica: float | None = None,
        batch_segments: int | None = None,
    ) -> None:
        self.ray = connect(address)
        self.name = name
        self.calls = 0
        self.batch_segments = batch_segments or BATCH_SEGMENTS
        resources = self.ray.cluster_resources()
        gpus = float(resources.get("GPU", 0))
        if gpus_per_replica is None:
            gpus_per_replica = 1.0 if gpus else 0.0
        if replicas is None:
            replicas = max(1, int(gpus // gpus_per_replica)) if gpus_per_replica else CPU_REPLICAS
        fits(replicas, gpus_per_replica, resources, address)
        self.actor_class = self.ray.remote(num_cpus=1, num_gpus=gpus_per_replica, max_restarts=0)(Replica)
        self.factory = self.ray.put(factory)  # shipped once, whatever the number of replicas
        self.replicas = [self.actor_class.remote(self.factory) for _ in range(replicas)]

    def translate(self, texts: Sequence[str], *, lang: str) -> list[str]:
        size = self.batch_segments
        batches = [list(texts[i : i + size]) for i in range(0, len(texts), size)]
        results: list[list[str] | None] = [None] * len(batches)
        queue = deque(range(len(batches)))
        attempts = [0] * len(batches)
        running: dict[Any, tuple[int, Any]] = {}
        idle = list(self.replicas)
        while queue or running:
            while queue and idle:
                index, replica = queue.popleft(), idle.pop()
                running[replica.translate.remote(batches[index], lang)] = (index, replica)
            (ref,), _ = self.ray.wait(list(running), num_returns=1)
            index, replica = running.pop(ref)
            output = self.collect(ref, index, attempts)
            if output is None:  # the replica died: a new one takes its place, the batch goes again
                self.replicas.remove(replica)
                fresh = self.actor_class.remote(self.factory)
                self.replicas.append(fresh)
                idle.append(fresh)
                queue.appendleft(index)
                continue
            if len(output) != len(batches[index]):
                raise ModelError(f"a replica returned {len(output)} translations for {len(batches[index])}")
            results[index] = output
            idle.append(replica)
        self.calls += len(texts)
        return [text for batch in results for text in batch or []]

    def collect(self, ref: Any, index: int, attempts: list[int]) -> list[str] | None:
        """The batch's translations, or None when its replica died and it may be tried again."""
        from ray.exceptions import RayActorError, RayTaskError

        try:
            output: list[str] = self.ray.get(ref)
            return output
        except RayActorError as exc:
            attempts[index] += 1
            if attempts[index] >= MAX_ATTEMPTS:
                raise ModelError(
                    f"a batch of segments took down {MAX_ATTEMPTS} model replicas in a row; last: {exc}"
                ) from None
            return None
        except RayTaskError as exc:  # the engine itself failed: the same error as in process
            cause = exc.cause if isinstance(exc.cause, PipelineError) else None
            if cause is not None:
                raise cause from None
            raise ModelError(f"a model replica failed: {exc.cause or exc}") from None
