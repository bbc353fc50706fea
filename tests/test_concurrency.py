"""Two editors at once, on both backends, with real separate processes.

* Optimistic version check: of two saves made from the same version of a claim, the second is
  refused and names who changed the claim and when; nothing is silently overwritten.
* A writer that finds the ledger locked by another process waits (up to the busy timeout),
  then either goes through or is refused with one clear line; it never crashes, never writes half.
"""

from __future__ import annotations

import multiprocessing
import os
import re
import subprocess
import sys
import textwrap
import time

import pytest

from ledger.services.ledger import open_ledger
from ledger.store.claims import ConflictError, readable_time
from tests.chain import assert_chain_intact
from tests.conftest import snapshot_tables

CLI = [sys.executable, "-c", "from ledger.cli import main; main()"]


def cli_process(db: str, *args: str, by: str, env: dict[str, str] | None = None) -> subprocess.Popen:
    environment = {**os.environ, "LEDGER_DB": db, "LEDGER_USER": by, **(env or {})}
    return subprocess.Popen([*CLI, *args], env=environment, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            stdin=subprocess.DEVNULL, text=True)


@pytest.fixture
def claim_id(lg, article_files) -> int:
    article_id = lg.add_article(title="Visite", file=article_files["fr"])
    return lg.add_claim(article_id=article_id, quote="les premiers missiles nord-coréens ont frappé Kharkiv")


# ------------------------------------------------------------ optimistic check
def test_second_of_two_cli_saves_is_refused_with_who_and_when(lg, ledger_db, claim_id):
    version = lg.claim(claim_id).claim.version
    before = snapshot_tables(lg)
    editors = {
        "alice": cli_process(ledger_db, "status", str(claim_id), "in_progress", "--note", "calling the ministry",
                             "--expect-version", str(version), by="alice"),
        "bob": cli_process(ledger_db, "status", str(claim_id), "disputed", "--note", "two accounts differ",
                           "--expect-version", str(version), by="bob"),
    }
    results = {who: (p.wait(timeout=60), *p.communicate()) for who, p in editors.items()}
    winners = [who for who, (code, _, _) in results.items() if code == 0]
    assert len(winners) == 1, results
    winner = winners[0]
    loser = "bob" if winner == "alice" else "alice"
    code, out, err = results[loser]
    assert code == 1 and out == ""
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1, err

    claim = lg.claim(claim_id)
    assert claim.claim.updated_by == winner
    assert claim.claim.version == version + 1
    assert err.strip() == (f"error: claim {claim_id} was changed by {winner} at {readable_time(claim.claim.updated_at)} "
                           "since you opened it; reload it and try again")
    statuses = [e for e in claim.history if e.action == "claim.status"]
    assert [(e.actor, e.payload["to"]) for e in statuses] == [
        (winner, "in_progress" if winner == "alice" else "disputed")]
    after = snapshot_tables(lg)
    assert len(after["event"]) == len(before["event"]) + 1
    assert_chain_intact(lg)

    # the loser reloads and saves again: accepted, on top of the winner's change
    code = cli_process(ledger_db, "status", str(claim_id), "unverifiable", "--note", "no second source",
                       "--expect-version", str(version + 1), by=loser).wait(timeout=60)
    assert code == 0
    assert lg.claim(claim_id).claim.updated_by == loser


def _racer(db: str, who: str, claim_id: int, status: str, barrier, results) -> None:  # noqa: ANN001
    lg = open_ledger(db, actor=who)
    try:
        version = lg.claim(claim_id).claim.version  # the editor opens the claim ...
        barrier.wait(timeout=60)                     # ... and both press save at the same moment
        try:
            row = lg.set_status(claim_id=claim_id, status=status, note=f"{who} saw it", expected_version=version)
            results.put((who, "saved", row.version))
        except ConflictError as exc:
            results.put((who, "refused", str(exc)))
    finally:
        lg.close()


def test_simultaneous_saves_one_wins_each_round(lg, ledger_db, claim_id):
    """Two processes read the same version and save at the same instant, several rounds: each
    round exactly one save lands and the other is refused naming the winner."""
    ctx = multiprocessing.get_context("spawn")
    for round_no, (a_status, b_status) in enumerate([("in_progress", "disputed"), ("unverifiable", "in_progress"),
                                                     ("disputed", "unverifiable")]):
        barrier, results = ctx.Barrier(2), ctx.Queue()
        procs = [ctx.Process(target=_racer, args=(ledger_db, who, claim_id, st, barrier, results))
                 for who, st in (("alice", a_status), ("bob", b_status))]
        for p in procs:
            p.start()
        outcome = {}
        for _ in procs:
            who, kind, detail = results.get(timeout=90)
            outcome[who] = (kind, detail)
        for p in procs:
            p.join(timeout=30)
            assert p.exitcode == 0
        kinds = sorted(k for k, _ in outcome.values())
        assert kinds == ["refused", "saved"], outcome
        winner = next(w for w, (k, _) in outcome.items() if k == "saved")
        loser_message = next(d for k, d in outcome.values() if k == "refused")
        assert f"was changed by {winner} at " in loser_message
        assert re.search(r"at \d{4}-\d\d-\d\d \d\d:\d\d UTC", loser_message)
        claim = lg.claim(claim_id).claim
        assert claim.updated_by == winner and claim.version == round_no + 2
    history = [e for e in lg.claim(claim_id).history if e.action == "claim.status"]
    assert len(history) == 3
    assert_chain_intact(lg)


def _plain_saver(db: str, who: str, claim_id: int, rounds: int, barrier, results) -> None:  # noqa: ANN001
    lg = open_ledger(db, actor=who)
    refused = []
    try:
        barrier.wait(timeout=60)
        for n in range(rounds):
            status = ("in_progress", "disputed", "unverifiable")[n % 3]
            try:
                lg.set_status(claim_id=claim_id, status=status, note=f"{who} round {n}")  # no expected version
            except ConflictError as exc:
                refused.append(str(exc))
    finally:
        lg.close()
        results.put((who, refused))


def test_status_change_without_expected_version_is_never_refused_under_contention(lg, ledger_db, claim_id):
    """Two processes change the same claim's status as fast as they can, without --expect-version:
    every change lands (on PostgreSQL the read takes the row lock, so the version read is the one
    written over); the version counts every one of them and the chain holds."""
    ctx = multiprocessing.get_context("spawn")
    rounds = 60
    barrier, results = ctx.Barrier(2), ctx.Queue()
    procs = [ctx.Process(target=_plain_saver, args=(ledger_db, who, claim_id, rounds, barrier, results))
             for who in ("alice", "bob")]
    for p in procs:
        p.start()
    try:
        outcome = dict(results.get(timeout=120) for _ in procs)
    finally:
        for p in procs:
            p.join(timeout=30)
            if p.is_alive():
                p.kill()
    assert outcome == {"alice": [], "bob": []}, {w: (len(r), r[:1]) for w, r in outcome.items()}
    assert all(p.exitcode == 0 for p in procs)
    claim = lg.claim(claim_id)
    assert claim.claim.version == 1 + 2 * rounds
    assert len([e for e in claim.history if e.action == "claim.status"]) == 2 * rounds
    assert_chain_intact(lg)


# ------------------------------------------------------------ busy / locked
HOLDER = {
    "sqlite": """
        import sqlite3, sys, time
        conn = sqlite3.connect(sys.argv[1], isolation_level=None)
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("UPDATE claim SET priority = priority WHERE id = 1")
        print("locked", flush=True)
        sys.stdin.readline() if float(sys.argv[2]) < 0 else time.sleep(float(sys.argv[2]))
        conn.execute("ROLLBACK")
    """,
    "postgresql": """
        import sys, time, psycopg
        conn = psycopg.connect(sys.argv[1])
        conn.execute("SELECT value FROM ledger_meta WHERE key = 'chain_head' FOR UPDATE")
        conn.execute("SELECT id FROM claim WHERE id = 1 FOR UPDATE")
        print("locked", flush=True)
        sys.stdin.readline() if float(sys.argv[2]) < 0 else time.sleep(float(sys.argv[2]))
        conn.rollback()
    """,
}


def hold_write_lock(db: str, seconds: float) -> subprocess.Popen:
    """Another process holding the ledger's write lock for ``seconds`` (until stdin closes if < 0)."""
    backend = "postgresql" if "://" in db else "sqlite"
    proc = subprocess.Popen([sys.executable, "-c", textwrap.dedent(HOLDER[backend]), db, str(seconds)],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "locked"
    return proc


@pytest.mark.parametrize("args", [
    ["status", "1", "in_progress", "--note", "checking"],
    ["claim", "add", "--article", "1", "--quote", "Le traité prévoit une assistance mutuelle"],
])
def test_locked_ledger_refused_after_timeout_with_a_clear_line(lg, ledger_db, claim_id, run, monkeypatch, args):
    monkeypatch.setenv("LEDGER_BUSY_TIMEOUT_MS", "400")
    before = snapshot_tables(lg)
    holder = hold_write_lock(ledger_db, -1)
    try:
        started = time.monotonic()
        r = run(args)
        waited = time.monotonic() - started
        # readers are not blocked by a writer
        assert run("claim list --json").code == 0
    finally:
        holder.communicate("", timeout=30)
    assert r.code == 1, (r.out, r.err)
    assert r.err.startswith("error: the ledger ") and "is busy (another editor is writing)" in r.err
    assert "nothing was changed" in r.err and len(r.err.strip().splitlines()) == 1
    assert waited >= 0.35  # it waited for the lock before giving up
    assert snapshot_tables(lg) == before
    assert_chain_intact(lg)


def test_locked_ledger_write_goes_through_once_released(lg, ledger_db, claim_id, run, monkeypatch):
    monkeypatch.setenv("LEDGER_BUSY_TIMEOUT_MS", "30000")
    holder = hold_write_lock(ledger_db, 0.8)
    try:
        r = run(["status", str(claim_id), "in_progress", "--note", "after the wait"])
    finally:
        holder.wait(timeout=30)
    assert r.code == 0, r.err
    assert lg.claim(claim_id).claim.status == "in_progress"
    assert_chain_intact(lg)


def test_bad_busy_timeout_setting_is_one_line(run, monkeypatch, ledger_db):
    open_ledger(ledger_db).close()  # an existing ledger: read commands do not create one
    monkeypatch.setenv("LEDGER_BUSY_TIMEOUT_MS", "soon")
    r = run("claim list")
    assert r.code == 1 and r.err.strip() == "error: LEDGER_BUSY_TIMEOUT_MS must be a number of milliseconds, not 'soon'"
