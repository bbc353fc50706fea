"""A bulk import killed with SIGKILL half-way: the ledger still opens, its hash chain verifies,
and the import is wholly absent (it never committed) — then, run to the end, wholly present."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from ledger import store
from tests.chain import assert_chain_intact

TOTAL = 60_000
MARK = 30_000

IMPORTER = """
    import sys
    from ledger import store
    from ledger.services.ledger import open_ledger

    db, article_id, total, mark = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    quote = "Le traité prévoit une assistance mutuelle"

    def claims():
        for i in range(total):
            if i == mark:
                print("half-way", flush=True)
            yield {"text": f"Imported claim number {i}: the treaty provides for mutual assistance",
                   "status": "unverified",
                   "appearances": [{"article_id": article_id, "quote": quote, "start": 0, "end": len(quote)}]}

    lg = open_ledger(db, actor="importer")
    with lg.db.write() as conn:
        written = store.bulk_insert_claims(conn, claims=claims(), actor="importer", batch=2000)
    print("committed", len(written), flush=True)
"""


def start_import(db: str, article_id: int, total: int, mark: int) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", textwrap.dedent(IMPORTER), db, str(article_id), str(total),
                             str(mark)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            stdin=subprocess.DEVNULL)


def counts(lg) -> tuple[int, int, int]:  # noqa: ANN001
    from sqlalchemy import func, select

    from ledger.models import Appearance, Event

    with lg.db.read() as conn:
        return (store.count_claims(conn), conn.execute(select(func.count()).select_from(Appearance)).scalar_one(),
                conn.execute(select(func.count()).select_from(Event)).scalar_one())


def test_import_killed_half_way_leaves_nothing_and_a_sound_ledger(lg, ledger_db, article_files):
    from ledger.services.ledger import open_ledger

    article_id = lg.add_article(title="Le traité", body="Le traité prévoit une assistance mutuelle en cas d’agression.")
    lg.add_claim(article_id=article_id, quote="assistance mutuelle")
    before = counts(lg)
    events_before = assert_chain_intact(lg)
    lg.close()

    proc = start_import(ledger_db, article_id, TOTAL, MARK)
    assert proc.stdout.readline().strip() == "half-way", proc.stderr.read()
    time.sleep(0.05)  # let it get on with the next batches: killed in the middle of writing
    wal = Path(ledger_db + "-wal") if "://" not in ledger_db else None
    wal_size = wal.stat().st_size if wal is not None and wal.exists() else 0
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    if wal is not None:
        assert wal_size > 1_000_000  # uncommitted pages had reached the disk when it died

    reopened = open_ledger(ledger_db, actor="tester")
    try:
        assert counts(reopened) == before  # wholly absent
        assert assert_chain_intact(reopened) == events_before
        if "://" not in ledger_db:
            check = sqlite3.connect(ledger_db)
            assert check.execute("PRAGMA integrity_check").fetchone() == ("ok",)
            check.close()
        # the ledger takes writes again (on PostgreSQL, once the server has reaped the dead session)
        claim_id = reopened.add_claim(article_id=article_id, quote="en cas d’agression")
        assert reopened.claim(claim_id).claim.text == "en cas d’agression"
        after_kill = counts(reopened)
    finally:
        reopened.close()

    # the same import run to the end is wholly present
    proc = start_import(ledger_db, article_id, 5_000, 2_500)
    out, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err
    assert out.splitlines()[-1] == "committed 5000"
    final = open_ledger(ledger_db, actor="tester")
    try:
        assert counts(final) == (after_kill[0] + 5_000, after_kill[1] + 5_000, after_kill[2] + 5_000)
        assert_chain_intact(final)
        with final.db.read() as conn:
            assert [c.id for c in store.list_claims(conn, limit=1, after_id=after_kill[0])] == [after_kill[0] + 1]
    finally:
        final.close()


def _wait_until_writing(db: str, proc: subprocess.Popen, timeout: float = 120) -> None:
    """Until the importer is visibly in the middle of writing claims (uncommitted)."""
    deadline = time.monotonic() + timeout
    if "://" in db:
        import psycopg

        from tests.pg import admin_url

        name = db.rsplit("/", 1)[1]
        with psycopg.connect(admin_url(db), autocommit=True) as conn:
            while time.monotonic() < deadline and proc.poll() is None:
                held = conn.execute(
                    "SELECT count(*) FROM pg_locks l JOIN pg_database d ON d.oid = l.database "
                    "JOIN pg_stat_activity a ON a.pid = l.pid "
                    "WHERE d.datname = %s AND l.mode = 'RowExclusiveLock' AND a.query ILIKE '%%INSERT INTO%%claim%%'",
                    (name,)).fetchone()[0]
                if held:
                    return
                time.sleep(0.01)
    else:
        wal = Path(db + "-wal")
        while time.monotonic() < deadline and proc.poll() is None:
            if wal.exists() and wal.stat().st_size > 2_000_000:
                return
            time.sleep(0.01)
    raise AssertionError(f"the import never got going (exit {proc.poll()}): {proc.stderr.read() if proc.stderr else ''}")


def test_cli_json_import_killed_half_way_is_wholly_absent(ledger_db, tmp_path):
    """``ledger import FILE --format json`` (a whole ledger into an empty one) killed with SIGKILL
    in the middle of writing: the ledger opens, is still empty, verifies, and takes the same
    import again in full."""
    from ledger.services.ledger import open_ledger

    from tests.desk import bulk_ledger

    source = tmp_path / "big" / "ledger.db"
    source.parent.mkdir()
    bulk_ledger(source, 15_000)
    export = tmp_path / "big.json"
    env = {**os.environ, "LEDGER_DB": str(source)}
    cli = [sys.executable, "-c", "from ledger.cli import main; main()"]
    assert subprocess.run([*cli, "export", "--all", "--format", "json", "-o", str(export)], env=env,
                          capture_output=True, timeout=300).returncode == 0

    env["LEDGER_DB"] = ledger_db
    proc = subprocess.Popen([*cli, "import", str(export), "--format", "json"], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True)
    _wait_until_writing(ledger_db, proc)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL

    lg = open_ledger(ledger_db, actor="tester")
    try:
        assert counts(lg) == (0, 0, 0)
        assert assert_chain_intact(lg) == 0
    finally:
        lg.close()
    done = subprocess.run([*cli, "import", str(export), "--format", "json"], env=env, capture_output=True,
                          text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    lg = open_ledger(ledger_db, actor="tester")
    try:
        assert counts(lg) == (15_000, 15_000, 15_001)
        assert_chain_intact(lg)
    finally:
        lg.close()
