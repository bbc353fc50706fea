"""The schema is built by Alembic migrations from empty, and re-opening is a no-op."""

import sqlite3

from sqlalchemy import inspect

from ledger.db import Database, head_revision
from ledger.services.ledger import open_ledger
from ledger.workspace import resolve_workspace

TABLES = {"article", "article_revision", "claim", "appearance", "source", "citation", "event", "ledger_meta",
          "alembic_version"}


def test_migrates_an_empty_ledger_to_head(ledger_db):
    lg = open_ledger(ledger_db)
    try:
        assert lg.db.current_revision() == head_revision()
        with lg.db.read() as conn:
            assert TABLES <= set(inspect(conn).get_table_names())
    finally:
        lg.close()


def test_sqlite_pragmas_and_search_index(tmp_path):
    path = tmp_path / "ledger.db"
    db = Database(resolve_workspace(str(path)))
    with db.read() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000
    db.dispose()
    names = {r[0] for r in sqlite3.connect(path).execute("SELECT name FROM sqlite_master")}
    assert {"claim_fts", "appearance_fts", "article_fts", "claim_fts_ai"} <= names


def test_reopening_does_not_migrate_or_back_up_again(tmp_path):
    path = tmp_path / "ledger.db"
    Database(resolve_workspace(str(path))).dispose()
    before = sorted(p.name for p in tmp_path.iterdir())
    Database(resolve_workspace(str(path))).dispose()
    assert sorted(p.name for p in tmp_path.iterdir()) == before
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".bak")]
