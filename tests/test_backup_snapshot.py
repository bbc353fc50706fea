"""A SQLite backup is copied and its chain re-hashed from one snapshot: what it reports (chain head,
counts) is the state in the file it wrote, even while an editor writes or inside an atomic batch,
and a ledger whose chain does not verify is not backed up at all."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from tests.test_backup import busy_editor, filled  # noqa: F401 - the fixture


@pytest.fixture
def sqlite_only(ledger_db):  # noqa: ANN001
    if "://" in ledger_db:
        pytest.skip("a PostgreSQL ledger is backed up as its JSON export")


def _copy_state(path: Path) -> tuple[str, int, int]:
    conn = sqlite3.connect(path)
    try:
        head = conn.execute("SELECT value FROM ledger_meta WHERE key = 'chain_head'").fetchone()[0]
        return head, conn.execute("SELECT count(*) FROM event").fetchone()[0], \
            conn.execute("SELECT count(*) FROM claim").fetchone()[0]
    finally:
        conn.close()


def test_the_reported_head_and_counts_are_those_of_the_copy_while_an_editor_writes(sqlite_only, filled, ledger_db,
                                                                                  run, tmp_path):
    with busy_editor(ledger_db):
        for i in range(3):
            r = run(["backup", str(tmp_path / f"b{i}.db"), "--json"])
            assert r.code == 0, r.err
            out = r.json()
            assert _copy_state(Path(out["path"])) == (out["head"], out["counts"]["events"], out["counts"]["claims"])
    assert run(["restore", str(tmp_path / "b2.db"), "--force"]).code == 0  # restore's full check passes


def test_a_ledger_whose_chain_does_not_verify_is_not_backed_up(sqlite_only, filled, ledger_db, run, tmp_path):
    conn = sqlite3.connect(ledger_db)
    conn.execute("UPDATE event SET actor = 'someone else' WHERE id = 2")
    conn.commit()
    conn.close()
    r = run(["backup", str(tmp_path / "b.db")])
    assert r.code == 1 and "does not verify" in r.err, r.err
    assert list(tmp_path.glob("b.db*")) == []


def test_a_backup_inside_an_atomic_batch_copies_what_is_committed(sqlite_only, filled, ledger_db, run, tmp_path):
    before = _copy_state(Path(ledger_db))
    commands = tmp_path / "commands.jsonl"
    commands.write_text("\n".join(json.dumps(c) for c in (
        {"command": ["status", "2", "in_progress", "--note", "in the batch"]},
        {"command": ["backup", str(tmp_path / "b.db"), "--json"]},
    )) + "\n", encoding="utf-8")
    r = run(["batch", str(commands), "--atomic"])
    assert r.code == 0, r.out + r.err
    assert _copy_state(tmp_path / "b.db") == before
    assert _copy_state(Path(ledger_db))[1] == before[1] + 1
