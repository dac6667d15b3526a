"""Real processes: a batch SIGKILLed mid-way, SIGKILLed mid-write, and two batches at once.

Each run is ``python -m pipeline translate`` in a subprocess, through a small driver that makes
the identity backend slow (so there is a "mid-way" to kill in) and logs every segment it is asked
to translate (so a re-run can be shown to skip finished work). Optionally the driver SIGKILLs its
own process at the N-th ``fsync`` or ``rename`` of a PO file: the worst moments for a crash.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from pipeline.catalog.po import read_po
from pipeline.locking import LOCK_NAME

from .helpers import ROOT

N_ARTICLES = 8

DRIVER = r"""
import json, os, signal, sys, time

import pipeline.mt.base as base
import pipeline.job as runner

runner.CHUNK_SEGMENTS = 3  # each small article fills a chunk: one commit per article
LOG, DELAY = os.environ["CRASH_LOG"], float(os.environ.get("CRASH_DELAY", "0"))


def translate(self, texts, *, lang):
    with open(LOG, "a", encoding="utf-8") as log:
        log.writelines(json.dumps(t) + "\n" for t in texts)
    time.sleep(DELAY)
    self.calls += len(texts)
    return [f"[{lang}] {t}" for t in texts]


base.IdentityBackend.translate = translate

if os.environ.get("CRASH_KILL_AT"):  # "fsync:3": SIGKILL this process at the 3rd fsync of a PO file
    what, nth = os.environ["CRASH_KILL_AT"].split(":")
    real, seen = getattr(os, what), [0]

    def deadly(*args):
        name = os.readlink(f"/proc/self/fd/{args[0]}") if what == "fsync" else str(args[1])
        if name.endswith(".po") or ".po." in os.path.basename(name):  # the file or its temporary
            seen[0] += 1
            if seen[0] == int(nth):
                os.kill(os.getpid(), signal.SIGKILL)
        return real(*args)

    setattr(os, what, deadly)

from pipeline.cli import main

sys.exit(main(sys.argv[1:]))
"""


def article(i: int, extra: str = "") -> str:
    body = f"Iraqi forces said on day {i} that the road was open. It rained {i}.{extra}"
    return f"Dispatch {i} from Mosul\n\n{body}\n"


@pytest.fixture
def site(tmp_path: Path) -> Path:
    (tmp_path / "in").mkdir()
    for i in range(N_ARTICLES):
        (tmp_path / "in" / f"a{i}.txt").write_text(article(i), encoding="utf-8")
    (tmp_path / "driver.py").write_text(DRIVER, encoding="utf-8")
    return tmp_path


def start(site: Path, log: str, *extra: str, delay: float = 0.0, kill_at: str = "") -> subprocess.Popen[str]:
    env = dict(os.environ, CRASH_LOG=str(site / log), CRASH_DELAY=str(delay), CRASH_KILL_AT=kill_at)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    argv = ["translate", "in", "--to", "ar", "--backend", "identity", "--no-render", "-q", *extra]
    argv += ["--glossary", str(ROOT / "glossary")]
    # The log tells articles apart by the numbers the model is sent: leave them unmasked.
    argv += ["--no-protect", "numbers", "--no-protect", "dates"]
    return subprocess.Popen(
        [sys.executable, str(site / "driver.py"), *argv],
        cwd=site,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def finish(proc: subprocess.Popen[str], timeout: float = 120) -> tuple[int, str]:
    _, err = proc.communicate(timeout=timeout)
    assert "Traceback" not in err, err
    return proc.returncode, err


def po_files(site: Path) -> dict[str, Path]:
    folder = site / "locales" / "ar" / "LC_MESSAGES"
    return {p.stem: p for p in sorted(folder.glob("*.po"))} if folder.is_dir() else {}


def logged(site: Path, log: str) -> list[str]:
    path = site / log
    return (
        [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()] if path.exists() else []
    )


def wait_for(condition, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def test_sigkill_mid_batch_then_rerun_finishes_only_the_rest(site: Path) -> None:
    proc = start(site, "first.log", delay=0.4)
    wait_for(lambda: len(po_files(site)) >= 2 or proc.poll() is not None)
    proc.send_signal(signal.SIGKILL)
    proc.wait()  # reaped: a zombie would still look alive to the stale-lock check
    assert proc.returncode == -signal.SIGKILL
    done = po_files(site)
    assert 2 <= len(done) < N_ARTICLES
    for path in done.values():  # every file on disk is complete
        entries = read_po(path)
        assert len(entries) == 3 and all(e.msgstr.startswith("[ar] ") for e in entries)
    assert (site / "locales" / LOCK_NAME).exists()  # a killed run cannot clean up its lock
    kept = {slug: path.read_bytes() for slug, path in done.items()}

    code, err = finish(start(site, "second.log"))
    assert code == 0
    assert f"took over the lock of a run that is no longer running (pid {proc.pid}, started " in err
    resent = Counter(int(n) for text in logged(site, "second.log") for n in re.findall(r"\b\d+\b", text))
    unfinished = {i for i in range(N_ARTICLES) if f"a{i}" not in done}
    assert resent == {i: 3 for i in unfinished}  # all of the rest, none of the finished articles
    assert len(po_files(site)) == N_ARTICLES and not (site / "locales" / LOCK_NAME).exists()
    assert {slug: po_files(site)[slug].read_bytes() for slug in kept} == kept  # finished files untouched


@pytest.mark.parametrize("kill_at", ["fsync:3", "replace:3"])
def test_sigkill_while_writing_leaves_old_or_new_files(site: Path, kill_at: str) -> None:
    code, _ = finish(start(site, "setup.log"))
    assert code == 0
    old = {slug: path.read_bytes() for slug, path in po_files(site).items()}
    for i in range(N_ARTICLES):  # every article changes, so every PO file is rewritten
        (site / "in" / f"a{i}.txt").write_text(article(i, " Then it stopped."), encoding="utf-8")

    proc = start(site, "killed.log", kill_at=kill_at)
    proc.communicate(timeout=120)
    assert proc.returncode == -signal.SIGKILL
    states = {}
    for slug, path in po_files(site).items():
        data = path.read_bytes()
        if data == old[slug]:
            states[slug] = "old"
        else:
            assert any("Then it stopped." in e.msgid and e.msgstr for e in read_po(path))
            states[slug] = "new"
    assert list(states.values()) == ["new", "new", "old", "old", "old", "old", "old", "old"]
    leftovers = list((site / "locales").rglob("*.tmp"))
    assert len(leftovers) == 1  # the third file's temporary copy, never renamed over the original

    code, err = finish(start(site, "rerun.log"))
    assert code == 0 and "removed 1 unfinished temporary file(s)" in err
    assert not list((site / "locales").rglob("*.tmp"))
    assert len(logged(site, "rerun.log")) == N_ARTICLES - 2  # one new sentence per unfinished article


def test_two_batches_on_one_locales_folder(site: Path) -> None:
    """The second fails at once with a clear message; with --wait it queues, then finds nothing to do."""
    first = start(site, "first.log", delay=0.3)
    wait_for(lambda: (site / "locales" / LOCK_NAME).exists() or first.poll() is not None)
    assert first.poll() is None

    code, err = finish(start(site, "second.log"))
    assert code == 1
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(
        f"error: locales/.newsroom-pipeline.lock: another translate run is using this locales folder "
        f"(pid {first.pid}, started "
    )
    assert lines[0].endswith("wait for it to finish, or pass --wait SECONDS")
    assert not logged(site, "second.log")

    waiting = start(site, "third.log", "--wait", "120")
    assert finish(first)[0] == 0
    code, err = finish(waiting)
    assert code == 0 and not err
    assert not logged(site, "third.log")  # everything was already translated by the first run
    assert len(po_files(site)) == N_ARTICLES
