"""The last cracks in bad-input handling: each one a clear line on stderr and exit 1, never a
traceback, a hang or gigabytes of memory, and nothing changed.

JSON nested too deep, a ``sources`` that is a file or read-only, a full or closed standard output,
a FIFO or device as ``--db``, an unreadable ledger, a 0-byte file given to ``verify``, an endless
JSON Lines line, a file-size limit reached mid-import, and the scratch files a killed command
leaves behind.
"""

from __future__ import annotations

import json
import os
import resource
import signal
import stat
import subprocess
import sys
import tempfile
import time
import tracemalloc
from contextlib import contextmanager
from pathlib import Path

import pytest

from ledger.services.ledger import open_ledger
from tests.conftest import snapshot_tables
from tests.desk import bulk_ledger

CLI = [sys.executable, "-c", "from ledger.cli import main; main()"]
NOBODY = 65534


def one_line_refusal(r, code: int = 1) -> str:  # noqa: ANN001 - a conftest Result or a CompletedProcess
    err = r.err if hasattr(r, "err") else r.stderr
    returncode = r.code if hasattr(r, "code") else r.returncode
    assert returncode == code, (returncode, err)
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1, err
    return err.strip()


@contextmanager
def as_nobody():
    """Run the block as an unprivileged user: root reads and writes whatever the mode says."""
    if os.geteuid() != 0:
        yield
        return
    os.setegid(NOBODY)
    os.seteuid(NOBODY)
    try:
        yield
    finally:
        os.seteuid(0)
        os.setegid(0)


@pytest.fixture
def shared_dir():
    """A folder outside pytest's private temporary tree, which an unprivileged user can reach."""
    path = Path(tempfile.mkdtemp(prefix="ledger-hostile-"))
    path.chmod(0o777)
    yield path
    subprocess.run(["chmod", "-R", "u+rwx", str(path)], check=False)
    subprocess.run(["rm", "-rf", str(path)], check=False)


# ------------------------------------------------------------------ deep JSON
DEEP = {
    "arrays": "[" * 5000 + "]" * 5000,
    "objects": '{"a":' * 5000 + "1" + "}" * 5000,
    "a deep review": json.dumps({"@type": "ClaimReview", "claimReviewed": "x"})[:-1] + ', "x":'
                     + "[" * 3000 + "]" * 3000 + "}",
}


@pytest.mark.parametrize("fmt", ["json", "claimreview"])
@pytest.mark.parametrize("shape", list(DEEP))
def test_json_nested_too_deep_is_one_line(run, lg, tmp_path, fmt, shape):
    before = snapshot_tables(lg)
    path = tmp_path / "deep.json"
    path.write_text(DEEP[shape])
    err = one_line_refusal(run(f"import {path} --format {fmt}"))
    assert "nested too deeply" in err or "not valid JSON" in err, err
    assert snapshot_tables(lg) == before


def test_deep_json_lines_record_is_reported_and_the_others_go_in(run, lg, tmp_path):
    good = {"@type": "ClaimReview", "claimReviewed": "The treaty provides mutual assistance",
            "url": "https://example.org/check/1", "reviewRating": {"alternateName": "True"}}
    path = tmp_path / "feed.jsonl"
    path.write_text(json.dumps(good) + "\n" + "[" * 5000 + "]" * 5000 + "\n"
                    + json.dumps({**good, "url": "https://example.org/check/2"}) + "\n")
    r = run(f"import {path} --format claimreview --json")
    assert r.code == 3, r  # imported, with records refused
    report = r.json()
    assert report["imported"]["claims"] == 2
    assert "nested too deeply" in json.dumps(report)


# ------------------------------------------------------------------ the sources/ archive
def test_sources_being_a_file_is_one_line(run, lg, workspace, article_files):
    (workspace / "sources").write_text("not a folder")
    before = snapshot_tables(lg)
    err = one_line_refusal(run(f"source add --title Briefing --file {article_files['evidence']}"))
    assert "is not a folder" in err
    assert snapshot_tables(lg) == before and (workspace / "sources").read_text() == "not a folder"


def test_read_only_sources_is_one_line(run, ledger_db, shared_dir, monkeypatch):
    monkeypatch.chdir(shared_dir)
    db = str(shared_dir / "ledger.db") if "://" not in ledger_db else ledger_db
    monkeypatch.setenv("LEDGER_DB", db)
    monkeypatch.setenv("LEDGER_HOME", str(shared_dir))
    evidence = shared_dir / "briefing.txt"
    evidence.write_text("The first missiles hit Kharkiv in January.\n")
    lg = open_ledger(db, actor="tester")
    try:
        lg.add_article(title="Visite", body="Kharkiv was hit.\n")
    finally:
        lg.close()
    for p in shared_dir.glob("ledger.db*"):
        p.chmod(0o666)
    sources = shared_dir / "sources"
    sources.mkdir(mode=0o555)
    sources.chmod(0o555)
    with as_nobody():
        r = run(f"source add --title Briefing --file {evidence}")
    err = one_line_refusal(r)
    assert "cannot write to the archive" in err and "ermission denied" in err, err
    assert list(sources.iterdir()) == []


# ------------------------------------------------------------------ standard output
def _cli(db: str, *args: str, **kwargs) -> subprocess.CompletedProcess:  # noqa: ANN003
    env = {**os.environ, "LEDGER_DB": db, "LEDGER_USER": "tester"}
    return subprocess.run([*CLI, *args], env=env, stdin=subprocess.DEVNULL, text=True, timeout=120, **kwargs)


@pytest.mark.parametrize("args", [["claim", "list"], ["claim", "list", "--json"],
                                  ["export", "--all", "--format", "json"], ["export", "--all", "--format", "md"]])
def test_full_standard_output_is_one_line(lg, ledger_db, article_files, args):
    article_id = lg.add_article(title="Visite", file=article_files["fr"])
    lg.add_claim(article_id=article_id, quote="Le traité prévoit une assistance mutuelle")
    with open("/dev/full", "w") as full:
        r = _cli(ledger_db, *args, stdout=full, stderr=subprocess.PIPE)
    assert one_line_refusal(r) == "error: could not write: No space left on device"


@pytest.mark.parametrize("args", [["claim", "list", "--json"], ["export", "--all", "--format", "csv"]])
def test_closed_standard_output_is_no_traceback(lg, ledger_db, article_files, args):
    article_id = lg.add_article(title="Visite", file=article_files["fr"])
    lg.add_claim(article_id=article_id, quote="Le traité prévoit une assistance mutuelle")
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader is gone before the first byte (`ledger … | head` that has had enough)
    try:
        r = _cli(ledger_db, *args, stdout=write_end, stderr=subprocess.PIPE)
    finally:
        os.close(write_end)
    assert (r.returncode, r.stderr) == (1, "")  # exit 1, quietly (as Click and most tools do on a broken pipe)


# ------------------------------------------------------------------ opening
def test_fifo_or_device_as_db_is_refused_at_once(tmp_path):
    fifo = tmp_path / "ledger.fifo"
    os.mkfifo(fifo)
    targets = [fifo]
    device = tmp_path / "ledger.dev"
    try:
        os.mknod(device, stat.S_IFCHR | 0o666, os.makedev(1, 5))  # the same node as /dev/zero
        targets.append(device)
    except OSError:
        pass
    for target in targets:
        for args in (["claim", "list"], ["article", "add", "-", "--title", "T"], ["verify"]):
            started = time.monotonic()
            r = _cli(str(target), *args, capture_output=True)
            assert time.monotonic() - started < 60
            assert "is not a regular file" in one_line_refusal(r)
        assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_unreadable_ledger_is_not_called_not_a_ledger(run, shared_dir):
    db = shared_dir / "ledger.db"
    open_ledger(str(db), actor="tester").close()
    db.chmod(0o600)
    with as_nobody():
        r = run(["--db", str(db), "claim", "list"])
    err = one_line_refusal(r)
    assert "permission denied" in err and "not a ledger" not in err, err


def test_verify_never_writes_into_an_empty_file(run, tmp_path):
    empty = tmp_path / "empty.db"
    empty.touch()
    for args in (["verify"], ["claim", "list"], ["export", "--all", "--format", "json"], ["audit", "1"]):
        err = one_line_refusal(run(["--db", str(empty), *args]))
        assert "empty file (0 bytes), not a ledger" in err
        assert empty.stat().st_size == 0
    assert sorted(p.name for p in tmp_path.glob("empty.db*")) == ["empty.db"]


# ------------------------------------------------------------------ JSON Lines, bounded
def _memory_peak(fn) -> int:  # noqa: ANN001
    tracemalloc.start()
    try:
        fn()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def _long_line(path: Path, size: int, *, before: str = "", after: str = "") -> None:
    """A file whose middle is one JSON Lines line of ``size`` characters, written in pieces."""
    with path.open("w") as f:
        f.write(before)
        f.write('{"@type": "ClaimReview", "claimReviewed": "')
        chunk = "x" * (1 << 20)
        for _ in range(size // len(chunk)):
            f.write(chunk)
        f.write('"}\n')
        f.write(after)


def test_a_single_endless_json_lines_line_fails_fast_with_bounded_memory(lg, tmp_path, monkeypatch):
    from ledger.errors import LedgerError
    from ledger.services.importing import import_file

    monkeypatch.setenv("LEDGER_MAX_JSON_LINE", str(256 * 1024))  # the 16 MiB default, scaled down
    path = tmp_path / "one-line.jsonl"
    _long_line(path, 24 << 20)
    before = snapshot_tables(lg)

    def attempt() -> None:
        with pytest.raises(LedgerError, match="longer than 262,144 characters"):
            import_file(lg, path, "claimreview")

    assert _memory_peak(attempt) < 8 << 20  # a few times the cap, not the 24 MiB line
    assert snapshot_tables(lg) == before


def test_an_overlong_json_lines_line_is_reported_and_the_others_go_in(run, lg, tmp_path, monkeypatch):
    monkeypatch.setenv("LEDGER_MAX_JSON_LINE", str(256 * 1024))
    good = {"@type": "ClaimReview", "claimReviewed": "The treaty provides mutual assistance",
            "url": "https://example.org/check/1", "reviewRating": {"alternateName": "True"}}
    path = tmp_path / "feed.jsonl"
    _long_line(path, 8 << 20, before=json.dumps(good) + "\n",
               after=json.dumps({**good, "url": "https://example.org/check/2"}) + "\n")
    r = run(f"import {path} --format claimreview --json")
    assert r.code == 3, r  # imported, with records refused
    report = r.json()
    assert report["imported"]["claims"] == 2
    assert "line 2" in json.dumps(report) and "the limit of one JSON Lines line" in json.dumps(report)
    one_line_refusal(run(f"import {path} --format claimreview --strict"))
    monkeypatch.setenv("LEDGER_MAX_JSON_LINE", "lots")
    assert "LEDGER_MAX_JSON_LINE" in one_line_refusal(run(f"import {path} --format claimreview"))


# ------------------------------------------------------------------ file-size limit
def test_file_size_limit_mid_import_is_named_honestly(tmp_path):
    source = tmp_path / "big.db"
    bulk_ledger(source, 6000)
    export = tmp_path / "big.json"
    big = open_ledger(str(source), actor="archivist")
    try:
        with export.open("w", encoding="utf-8") as out:
            big.export("json", out)
    finally:
        big.close()
    target = tmp_path / "new.db"

    def limit() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # the write fails with EFBIG instead of killing
        resource.setrlimit(resource.RLIMIT_FSIZE, (1_000_000, 1_000_000))

    r = subprocess.run([*CLI, "--db", str(target), "import", str(export), "--format", "json"], preexec_fn=limit,
                       capture_output=True, text=True, timeout=300, env={**os.environ, "LEDGER_USER": "tester"})
    err = one_line_refusal(r)
    assert "savepoint" not in err and "a limit on file size was reached" in err and "nothing was changed" in err, err
    assert not target.exists()  # the refused first import leaves no ledger behind


# ------------------------------------------------------------------ what a killed command leaves
KILLED = """
import os, sys, tempfile, time
from pathlib import Path
from ledger.services import archive, leftovers
sources, root = Path(sys.argv[1]), Path(sys.argv[2])
fd, staged = archive.new_staging_file(sources)   # what `source add` streams into
os.write(fd, b"half a file")
scratch = tempfile.mkdtemp(prefix=leftovers.prefix(leftovers.RESTORE), dir=root)  # what `restore` checks in
Path(scratch, "restore.db").write_bytes(b"half a copy")
print(staged, scratch, flush=True)
time.sleep(600)
"""


def test_scratch_files_of_a_killed_command_are_cleared_on_the_next_open(run, lg, workspace, ledger_db):
    sources = workspace / "sources"
    sources.mkdir()
    root = Path(ledger_db).parent if "://" not in ledger_db else workspace
    old = sources / ".staging-abc123"  # an older version's name, in the archive itself: swept once an hour old
    old.write_bytes(b"x")
    os.utime(old, (time.time() - 7200,) * 2)
    recent = sources / ".staging-def456"
    recent.write_bytes(b"y")
    evidence = workspace / "evidence.txt"
    evidence.write_text("The first missiles hit Kharkiv in January.\n")
    assert run(f"source add --title Briefing --file {evidence}").code == 0  # the first file staged sweeps them
    assert not old.exists() and recent.exists()
    assert not (sources / ".staging").exists()  # the staging folder is there only while something waits in it

    def start() -> tuple[subprocess.Popen, list[Path]]:
        proc = subprocess.Popen([sys.executable, "-c", KILLED, str(sources), str(root)], stdout=subprocess.PIPE,
                                text=True)
        return proc, [Path(p) for p in proc.stdout.readline().split()]

    killed, (staged, scratch) = start()
    live, (live_staged, live_scratch) = start()
    try:
        os.kill(killed.pid, signal.SIGKILL)
        killed.wait(timeout=30)
        assert staged.exists() and scratch.exists()
        assert run("claim list").code == 0  # the next open
        assert not staged.exists() and not scratch.exists()
        assert live_staged.exists() and live_scratch.exists() and recent.exists()  # a live command's are kept
    finally:
        live.kill()
        live.wait(timeout=30)
        killed.stdout.close()
        live.stdout.close()
