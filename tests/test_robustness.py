"""Bad input and a hostile environment never cost a translator's work.

Every error case goes through the CLI (in-process, identity backend) on a folder that already
holds a translated article with a translator's edit, and checks: one line ``error: FILE[:LINE]:``,
no traceback, a non-zero exit, and every file under ``locales/`` byte-identical afterwards.
"""

from __future__ import annotations

import errno
import os
import re
import shutil
import socket
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import pytest

import pipeline.cli as cli
from pipeline import fileio
from pipeline import job as runner
from pipeline.catalog.po import po_path, read_po, write_po
from pipeline.errors import PipelineError
from pipeline.job import translate_articles
from pipeline.locking import LOCK_NAME, LockedError, run_lock
from pipeline.mt.marian import MarianBackend
from pipeline.names.glossary import load_glossary

from .helpers import ROOT, SAMPLE, EchoBackend, msgfmt_check, run_fake

REVIEWED = "مع تزايد الخسائر، عناصر داعش تفقد الرغبة في القتال"
PO = Path("locales/ar/LC_MESSAGES/sample-article.po")


def snapshot(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def translate(*args: str) -> list[str]:
    return [
        "translate",
        *args,
        "--to",
        "ar",
        "--backend",
        "identity",
        "-q",
        "--glossary",
        str(ROOT / "glossary"),
    ]


@pytest.fixture(scope="module")
def translated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A working folder after one run, with a translator's reviewed headline in the PO file."""
    base = tmp_path_factory.mktemp("translated")
    (base / "articles").mkdir()
    shutil.copy(SAMPLE, base / "articles" / "sample-article.txt")
    cwd = os.getcwd()
    os.chdir(base)
    try:
        assert cli.main(translate("articles")) == 0
        po = read_po(PO)
        entry = next(e for e in po if e.msgctxt.startswith("headline:"))
        entry.msgstr, entry.flags = REVIEWED, []
        write_po(po, PO)
    finally:
        os.chdir(cwd)
    return base


@pytest.fixture
def work(translated: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "w"
    shutil.copytree(translated, folder)
    monkeypatch.chdir(folder)
    return folder


def run_cli(argv: Sequence[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, list[str]]:
    code = cli.main(list(argv))
    err = capsys.readouterr().err
    assert "Traceback" not in err
    return code, [line for line in err.splitlines() if line.strip()]


def edit_article() -> None:
    """Change a sentence, so a run has something for the model and PO files to rewrite."""
    path = Path("articles/sample-article.txt")
    text = path.read_text(encoding="utf-8")
    assert "But no longer, it seems." in text
    path.write_text(text.replace("But no longer, it seems.", "But no longer, it seems, they added."), "utf-8")


# --------------------------------------------------------------------------------------------------
# Bad articles and bad settings: one line, exit != 0, nothing under locales/ changes
# --------------------------------------------------------------------------------------------------

ARTICLE_CASES = {
    "missing": (None, r"error: articles/bad\.txt: file not found"),
    "invalid-utf8": (
        b"Headline\n\nFirst line.\nSecond \xff line.\n",
        r"error: articles/bad\.txt:4: invalid UTF-8",
    ),
    "binary": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", r"error: articles/bad\.txt:3: file looks binary"),
    "empty": (b"  \n\n", r"error: articles/bad\.txt: article is empty"),
    "utf16": ("Headline\n".encode("utf-16"), r"error: articles/bad\.txt:1: file is UTF-16"),
}


@pytest.mark.parametrize("case", sorted(ARTICLE_CASES))
def test_bad_article_is_one_line_and_changes_nothing(
    case: str, work: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    content, pattern = ARTICLE_CASES[case]
    if content is not None:
        Path("articles/bad.txt").write_bytes(content)
    before = snapshot(work / "locales")
    code, lines = run_cli(translate("articles/bad.txt"), capsys)
    assert code == 1
    assert len(lines) == 1 and re.match(pattern, lines[0]), lines
    assert snapshot(work / "locales") == before


@pytest.mark.parametrize(
    ("name", "content", "pattern"),
    [
        ("page.html", "<html><head><script>x()</script></head><body><nav>Home</nav></body></html>", "HTML"),
        ("page.html", "<div>" * 1000 + "deep", "nested too deeply|no translatable"),
        ("notes.md", "<!-- only a comment -->\n\n---\n", "no translatable"),
        ("share.md", "Share this article\n\nComments\n", "no translatable"),
    ],
)
def test_html_or_markdown_without_an_article(
    name: str, content: str, pattern: str, work: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    Path("articles", name).write_text(content, encoding="utf-8")
    before = snapshot(work / "locales")
    code, lines = run_cli(translate(f"articles/{name}"), capsys)
    assert code == 1 and len(lines) == 1, lines
    assert lines[0].startswith(f"error: articles/{name}") and re.search(pattern, lines[0]), lines
    assert snapshot(work / "locales") == before


def test_unreadable_article(
    work: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Simulated, because the tests may run as root, which reads a chmod 000 file anyway."""
    real = Path.read_bytes

    def read_bytes(self: Path) -> bytes:
        if self.name == "sample-article.txt":
            raise PermissionError(errno.EACCES, "Permission denied")
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    before = snapshot(work / "locales")
    code, lines = run_cli(translate("articles/sample-article.txt"), capsys)
    assert code == 1 and lines == [
        "error: articles/sample-article.txt: permission denied: cannot read the file; check its permissions"
    ]
    assert snapshot(work / "locales") == before


def test_malformed_po_file_is_left_byte_identical(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = PO.read_text(encoding="utf-8").split("\n")
    number = next(i for i, line in enumerate(text) if line.startswith("msgstr") and REVIEWED in line)
    text[number] = text[number].rstrip('"')  # the translator's typo: an unterminated string
    PO.write_text("\n".join(text), encoding="utf-8")
    before = snapshot(work / "locales")
    edit_article()  # the run would otherwise rewrite this PO file
    code, lines = run_cli(translate("articles"), capsys)
    assert code != 0
    assert lines == [
        f"error: {PO}:{number + 1}: malformed PO file (unterminated or badly quoted string); "
        "the file was left untouched"
    ]
    assert (
        snapshot(work / "locales")[str(PO.relative_to("locales"))] == before[str(PO.relative_to("locales"))]
    )


def test_invalid_glossary(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    Path("gl").mkdir()
    Path("gl/names.tsv").write_text("en\tar\nDiyaruna\tديارنا\nMosul\n", encoding="utf-8")
    before = snapshot(work / "locales")
    code, lines = run_cli([*translate("articles"), "--glossary", "gl"], capsys)
    assert code == 1 and len(lines) == 1 and lines[0].startswith("error: gl/names.tsv:3: "), lines
    assert snapshot(work / "locales") == before


def test_unknown_target_language(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = snapshot(work / "locales")
    code, lines = run_cli(["translate", "articles", "--to", "ar,xx", "--backend", "identity"], capsys)
    assert code == 1 and len(lines) == 1 and "unknown target language 'xx'" in lines[0], lines
    assert snapshot(work / "locales") == before


def test_model_that_cannot_be_loaded(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    edit_article()
    before = snapshot(work / "locales")
    code, lines = run_cli(
        [
            "translate",
            "articles",
            "--to",
            "ar",
            "--model",
            str(work / "no-model"),
            "--glossary",
            str(ROOT / "glossary"),
        ],
        capsys,
    )
    errors = [line for line in lines if line.startswith("error:")]  # besides the "loading …" progress line
    assert code == 1 and len(errors) == 1, lines
    assert errors[0].startswith(
        f"error: 'ar' not translated: cannot load translation model '{work / 'no-model'}': no such folder"
    )
    assert (
        snapshot(work / "locales")[str(PO.relative_to("locales"))] == before[str(PO.relative_to("locales"))]
    )


@pytest.mark.parametrize("fails", ["replace", "fsync", "write"])
def test_full_disk_keeps_the_old_file(
    fails: str, work: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """ENOSPC at any step of writing a PO file: the old file stays whole and no temporary is left."""
    edit_article()
    old = PO.read_bytes()
    enospc = OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
    if fails == "replace":
        real_replace = os.replace

        def replace(src, dst, *a, **kw):
            if str(dst).endswith(".po"):
                raise enospc
            return real_replace(src, dst, *a, **kw)

        monkeypatch.setattr(os, "replace", replace)
    elif fails == "fsync":
        real_fsync = os.fsync

        def fsync(fd):
            if os.readlink(f"/proc/self/fd/{fd}").endswith(".tmp") and ".po." in os.readlink(
                f"/proc/self/fd/{fd}"
            ):
                raise enospc
            return real_fsync(fd)

        monkeypatch.setattr(os, "fsync", fsync)
    else:
        real_fdopen = os.fdopen

        class Full:
            def __init__(self, handle):
                self.handle = handle

            def __enter__(self):
                return self

            def __exit__(self, *exc):
                self.handle.close()

            def write(self, data):
                self.handle.write(data[: len(data) // 2])  # half of it reaches the disk, then ENOSPC
                raise enospc

            def __getattr__(self, name):
                return getattr(self.handle, name)

        monkeypatch.setattr(fileio.os, "fdopen", lambda fd, *a, **kw: Full(real_fdopen(fd, *a, **kw)))
    code, lines = run_cli(translate("articles", "--no-render"), capsys)
    if fails == "write":  # every write fails, so the first one (the article's layout) reports it
        assert len(lines) == 1 and "No space left on device" in lines[0], lines
    else:
        assert lines == [
            f"error: {PO}: cannot write (No space left on device); the previous file is left as it was"
        ]
    assert code == 1
    assert PO.read_bytes() == old
    assert not list(work.rglob("*.tmp"))


def test_debug_shows_the_traceback(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["--debug", *translate("articles/nope.txt")]) == 1  # a batch error: printed in full
    err = capsys.readouterr().err
    assert "Traceback" in err and "error: articles/nope.txt: file not found" in err
    with pytest.raises(PipelineError, match="unknown target language"):  # a fatal one: raised
        cli.main(["--debug", "translate", "articles", "--to", "xx"])


# --------------------------------------------------------------------------------------------------
# Batches: bad files are reported, good ones finished (exit 2); --fail-fast stops at the first
# --------------------------------------------------------------------------------------------------


def small_article(i: int) -> str:
    return (
        f"Report number {i} from Mosul\n\nIraqi forces said on day {i} that the road was open. It rained.\n"
    )


@pytest.fixture
def batch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(3):
        (folder / f"a{i}.txt").write_text(small_article(i), encoding="utf-8")
    (folder / "b-binary.txt").write_bytes(b"\x00\x01")
    (folder / "b-empty.md").write_text("\n", encoding="utf-8")
    return tmp_path


def test_batch_keeps_going_and_exits_2(batch: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, lines = run_cli(translate("in"), capsys)
    assert code == 2
    assert [line.split(":")[1].strip() for line in lines] == ["in/b-binary.txt", "in/b-empty.md"]
    assert sorted(p.name for p in (batch / "locales/ar/LC_MESSAGES").glob("*.po")) == [
        "a0.po",
        "a1.po",
        "a2.po",
    ]


def test_batch_fail_fast_stops_before_writing(batch: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, lines = run_cli([*translate("in"), "--fail-fast"], capsys)
    assert code == 1 and lines == [
        "error: in/b-binary.txt:1: file looks binary (NUL byte at byte offset 0); expected a UTF-8 text, "
        "Markdown or HTML article"
    ]
    assert not (batch / "locales/ar").exists()


def test_batch_with_a_broken_po_finishes_the_others(batch: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(translate("in/a0.txt", "in/a1.txt", "in/a2.txt")) == 0
    broken = batch / "locales/ar/LC_MESSAGES/a1.po"
    broken.write_text(broken.read_text(encoding="utf-8") + '\nmsgid "dangling\n', encoding="utf-8")
    before = broken.read_bytes()
    for i in range(3):  # every article changes, so every PO file would be rewritten
        (batch / f"in/a{i}.txt").write_text(small_article(i) + "\nOne more line.\n", encoding="utf-8")
    capsys.readouterr()
    code, lines = run_cli(translate("in/a0.txt", "in/a1.txt", "in/a2.txt"), capsys)
    assert code == 2 and len(lines) == 1 and lines[0].startswith(f"error: {broken.relative_to(batch)}:")
    assert broken.read_bytes() == before
    for name in ("a0.po", "a2.po"):
        assert "One more line." in (batch / "locales/ar/LC_MESSAGES" / name).read_text(encoding="utf-8")


def test_interrupted_batch_commits_finished_chunks(batch: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """In-process version of the SIGKILL test: the backend dies on the second chunk."""
    monkeypatch.setattr(runner, "CHUNK_SEGMENTS", 2)
    glossary = load_glossary(ROOT / "glossary")

    class Dying(EchoBackend):
        def translate(self, texts, *, lang):
            if self.calls:
                raise KeyboardInterrupt
            return super().translate(texts, lang=lang)

    def run(backend):
        return translate_articles(
            [f"in/a{i}.txt" for i in range(3)],
            ["ar"],
            glossary=glossary,
            locales=Path("locales"),
            out=None,
            make_backend=lambda lang: backend,
            model_label="echo",
        )

    dying = Dying()
    with pytest.raises(KeyboardInterrupt):
        run(dying)
    done = sorted(p.name for p in (batch / "locales/ar/LC_MESSAGES").glob("*.po"))
    assert done == ["a0.po"]
    assert all(e.msgstr for e in read_po(batch / "locales/ar/LC_MESSAGES/a0.po"))
    again = EchoBackend()
    report = run(again)
    assert report.reused == dying.calls and report.translated == again.calls > 0
    assert not any("day 0" in text for text in again.seen)


def test_translator_saving_during_a_run_keeps_their_version(batch: Path) -> None:
    """A translator (or a ``git pull``) saves a PO file while the model works on its article: the run
    must not replace that newer file with a merge of the older one."""
    glossary = load_glossary(ROOT / "glossary")
    inputs = [f"in/a{i}.txt" for i in range(3)]

    def run(backend):
        return translate_articles(
            inputs,
            ["ar"],
            glossary=glossary,
            locales=Path("locales"),
            out=None,
            make_backend=lambda lang: backend,
            model_label="echo",
        )

    run(EchoBackend())
    for i in range(3):
        (batch / f"in/a{i}.txt").write_text(small_article(i) + "\nOne more line.\n", encoding="utf-8")
    target = batch / "locales/ar/LC_MESSAGES/a1.po"

    class TranslatorSaves(EchoBackend):
        def translate(self, texts, *, lang):
            po = read_po(target)
            entry = next(e for e in po if e.msgctxt.startswith("headline:"))
            entry.msgstr, entry.flags = "تقرير مراجع", []
            write_po(po, target)
            return super().translate(texts, lang=lang)

    report = run(TranslatorSaves())
    assert [str(e) for e in report.errors] == [
        f"{Path('locales/ar/LC_MESSAGES/a1.po')}: changed on disk while this run was working on it "
        "(a translator's save or a pull?); the newer file was kept: re-run to merge into it"
    ]
    assert "One more line." not in target.read_text(encoding="utf-8")
    assert "تقرير مراجع" in target.read_text(encoding="utf-8")
    for name in ("a0.po", "a2.po"):
        assert "One more line." in (batch / "locales/ar/LC_MESSAGES" / name).read_text(encoding="utf-8")
    again = run(EchoBackend())  # the re-run merges into the translator's version
    assert not again.errors
    text = target.read_text(encoding="utf-8")
    assert "One more line." in text and "تقرير مراجع" in text


# --------------------------------------------------------------------------------------------------
# Writes
# --------------------------------------------------------------------------------------------------


def test_atomic_write_unchanged_failed_and_mode(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "x.po"
    assert fileio.atomic_write_text(target, "one")
    target.chmod(0o600)
    stamp = target.stat().st_mtime_ns
    assert not fileio.atomic_write_text(target, "one") and target.stat().st_mtime_ns == stamp
    assert fileio.atomic_write_text(target, "two") and target.stat().st_mode & 0o777 == 0o600

    def full(*_a, **_kw):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "replace", full)
    with pytest.raises(PipelineError) as info:
        fileio.atomic_write_text(target, "three")
    assert (
        str(info.value)
        == f"{target}: cannot write (No space left on device); the previous file is left as it was"
    )
    assert target.read_text() == "two" and [p.name for p in tmp_path.iterdir()] == ["x.po"]


#: Calls that write a file in place. Only fileio may use them (and the tiny model builder, which
#: writes a fresh model folder, no one's work); everything else goes through fileio's atomic writes.
NON_ATOMIC = re.compile(
    r"\.write_text\(|\.write_bytes\(|\bopen\([^)]*['\"][wax]b?\+?['\"]|\.save\(|save_as_mofile|save_pretrained"
    r"|shutil\.copy|os\.fdopen"
)
ALLOWED = {"fileio.py", "tiny_model.py"}


def test_every_write_in_the_package_is_atomic() -> None:
    offenders = []
    for path in sorted((ROOT / "pipeline").rglob("*.py")):
        if path.name in ALLOWED:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if NON_ATOMIC.search(line.split("#")[0]):
                offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert not offenders, "write through pipeline.fileio instead:\n" + "\n".join(offenders)


# --------------------------------------------------------------------------------------------------
# One run at a time per locales folder
# --------------------------------------------------------------------------------------------------


def dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_second_run_on_the_same_locales_fails_clearly(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    edit_article()
    before = snapshot(work / "locales")
    with run_lock("locales"):
        code, lines = run_cli(translate("articles"), capsys)
    assert code == 1 and len(lines) == 1, lines
    assert re.match(
        rf"error: locales/{LOCK_NAME}: another translate run is using this locales folder "
        rf"\(pid {os.getpid()}, "
        r"started \d{4}-\d\d-\d\d \d\d:\d\d:\d\d\); wait for it to finish, or pass --wait SECONDS$",
        lines[0],
    ), lines
    before.pop(LOCK_NAME, None)
    assert snapshot(work / "locales") == before
    assert not (work / "locales" / LOCK_NAME).exists()  # released on the way out
    assert run_cli(translate("articles"), capsys)[0] == 0


def test_stale_lock_from_a_dead_process_is_taken_over(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pid = dead_pid()
    (work / "locales" / LOCK_NAME).write_text(f"{pid}\n{socket.gethostname()}\n")
    leftover = PO.parent / f".{PO.name}.abc123_z.tmp"  # tempfile's pattern, as fileio writes them
    own = PO.parent / "notes.tmp"  # not ours: left alone
    leftover.write_text("half a file")
    own.write_text("a translator's file")
    code, lines = run_cli(translate("articles"), capsys)
    assert code == 0
    assert lines[0].startswith(
        f"note: took over the lock of a run that is no longer running (pid {pid}, started "
    )
    assert lines[1] == "note: removed 1 unfinished temporary file(s) left by an interrupted run"
    assert not leftover.exists() and not (work / "locales" / LOCK_NAME).exists()
    assert own.read_text() == "a translator's file"


def test_lock_from_another_host_is_never_presumed_dead(tmp_path: Path) -> None:
    (tmp_path / LOCK_NAME).write_text("4242\nnewsroom-batch-2\n")
    with pytest.raises(LockedError) as info, run_lock(tmp_path):
        pass
    assert "pid 4242 on host newsroom-batch-2" in str(info.value)
    assert f"if that run is gone, delete {tmp_path / LOCK_NAME}" in str(info.value)


# --------------------------------------------------------------------------------------------------
# Text that breaks naive tools, end to end
# --------------------------------------------------------------------------------------------------


def test_tricky_unicode_article_end_to_end(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """RTL marks, zero-width characters, emoji, U+2028 in the model's output: the PO file passes
    msgfmt, reads back (str.splitlines() used to split a PO line at U+2028), and a re-run reuses it."""
    monkeypatch.chdir(tmp_path)
    Path("tricky.txt").write_text(
        "Diyaruna\u200f report: \u2067ديارنا\u2069 in Mosul 👩\u200d👩\u200d👧\n\n"
        "Iraqi forces\u2028held the line\x85near al-Qaim\u200b today. Zero\u200dwidth \ufeffjoins 🇮🇶.\n\n"
        'Tabs\tand\x0bcontrol \x1c characters stay \\ "quoted".\n',
        encoding="utf-8",
    )

    def run(backend):
        return run_fake(backend, "tricky.txt")

    class Separating(EchoBackend):  # a model that ends its output lines with U+2028
        def translate(self, texts, *, lang):
            return [t.replace(" ", "\u2028", 1) for t in super().translate(texts, lang=lang)]

    first = run(Separating())
    assert not first.errors and first.translated == first.units > 0
    po_file = po_path(Path("locales"), "ar", "tricky")
    msgfmt_check(po_file)
    entries = read_po(po_file)
    assert any("\u200d" in e.msgid for e in entries) and all("\u2028" in e.msgstr for e in entries)
    again = EchoBackend()
    second = run(again)
    assert not second.errors and again.calls == 0 and second.reused == first.units
    assert "ديارنا" in Path("build/ar/tricky.html").read_text(encoding="utf-8")


# --------------------------------------------------------------------------------------------------
# Long input through the runner with the tiny model
# --------------------------------------------------------------------------------------------------


def test_paragraph_longer_than_the_model_limit_is_translated_whole(
    tiny_model_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    words = " ".join(f"word{i % 97} and the forces" for i in range(180))
    paragraph = f"Opening clause {words} closing clause finale"  # no sentence break anywhere
    Path("long.txt").write_text(f"A short headline\n\n{paragraph}\n", encoding="utf-8")
    backend = MarianBackend(tiny_model_dir, lang="ar", num_beams=1, progress=False)
    assert backend.max_positions == 512
    generated: list[tuple[list[str], int, int]] = []  # (sources, max_new_tokens, output tokens)
    real_generate = backend.model.generate
    sources_seen: list[list[str]] = []
    real_batch = backend._generate

    def spy_batch(sources):
        sources_seen.append(list(sources))
        return real_batch(sources)

    def spy_generate(**kw):
        out = real_generate(**kw)
        generated.append((kw["input_ids"].shape[1], kw["max_new_tokens"], out.shape[1]))
        return out

    monkeypatch.setattr(backend, "_generate", spy_batch)
    monkeypatch.setattr(backend.model, "generate", spy_generate)
    report = translate_articles(
        ["long.txt"],
        ["ar"],
        glossary=load_glossary(ROOT / "glossary"),
        locales=Path("locales"),
        out=None,
        make_backend=lambda lang: backend,
        model_label="tiny",
    )
    assert not report.errors and report.translated == 2
    source_tokens = len(backend.tokenizer(paragraph)["input_ids"])
    assert source_tokens > 512
    pieces = [s for batch in sources_seen for s in batch if "word" in s]
    assert len(pieces) >= 2  # split at safe points, all of it sent: first and last words included
    assert pieces[0].split(maxsplit=1)[1].startswith("Opening clause") and pieces[-1].endswith("finale")
    assert all(len(backend.tokenizer(p)["input_ids"]) <= 512 for p in pieces)
    # the generation limit grows with the input (the random model never stops early, so it runs to it)
    limits = sorted((src, limit) for src, limit, _ in generated)
    assert limits[0][1] < limits[-1][1] and limits[-1][1] >= min(511, limits[-1][0])
    entry = next(e for e in read_po(po_path(Path("locales"), "ar", "long")) if e.msgid == paragraph)
    assert len(backend.tokenizer(text_target=entry.msgstr)["input_ids"]) > 512


def test_compile_refuses_while_translate_holds_the_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """MO files are written into the translators' folder: compile must not race a translate run."""
    locales = tmp_path / "locales"
    po = _reviewed_catalog()
    write_po(po, po_path(locales, "ar", "a"))
    with run_lock(locales):
        assert cli.main(["compile", "--locales", str(locales)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "another translate run is using this locales folder" in err
    assert not (locales / "ar" / "LC_MESSAGES" / "a.mo").exists()
    assert cli.main(["compile", "--locales", str(locales), "--use-fuzzy", "-q"]) == 0
    assert (locales / "ar" / "LC_MESSAGES" / "a.mo").exists()


def _reviewed_catalog():  # noqa: ANN202 - a tiny reviewed catalog
    import polib

    po = polib.POFile()
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": "ar"}
    po.append(polib.POEntry(msgctxt="paragraph:1", msgid="Hello.", msgstr="مرحبا."))
    return po
