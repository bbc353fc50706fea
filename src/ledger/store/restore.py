"""Restoring rows exactly as exported: same ids, same timestamps, the same event chain.

Used by the JSON import, which rebuilds a whole ledger in an empty workspace. Rows go in with
executemany a batch at a time; when the database refuses a batch (a reference to a row that is
not there, a repeated id) the batch is rolled back to its savepoint and retried row by row, so
each refused row is reported on its own and every other row still goes in. No row is ever
half-written: a row is one INSERT.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError

from ledger.models import Meta
from ledger.store.events import HEAD_KEY

META = Meta.__table__


def _reason(exc: IntegrityError) -> str:
    msg = str(exc.orig if exc.orig is not None else exc).lower()
    if "foreign key" in msg:
        return "refers to a row that is not in the ledger (a missing article, claim or source)"
    if "unique" in msg or "duplicate" in msg:
        return "repeats an id that is already taken"
    if "not null" in msg or "null value" in msg:
        return "lacks a required value"
    return "refused by the database: " + msg.splitlines()[0][:200]


def insert_rows(conn: Connection, table: Any, rows: list[dict[str, Any]]) -> list[tuple[int, str]]:
    """Insert ``rows`` into ``table``; returns ``(index, reason)`` for each row refused."""
    if not rows:
        return []
    try:
        with conn.begin_nested():
            conn.execute(table.insert(), rows)
        return []
    except IntegrityError:
        pass
    failures: list[tuple[int, str]] = []
    for i, row in enumerate(rows):
        try:
            with conn.begin_nested():
                conn.execute(table.insert(), [row])
        except IntegrityError as exc:
            failures.append((i, _reason(exc)))
    return failures


def sync_sequence(conn: Connection, table: Any) -> None:
    """After inserting explicit ids, let PostgreSQL's sequence continue after the largest one."""
    if conn.dialect.name == "postgresql":
        conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                          f"(SELECT coalesce(max(id), 1) FROM {table.name}))"))


def set_chain_head(conn: Connection, value: str) -> None:
    """Record the restored chain's last hash as the ledger's chain head."""
    if conn.dialect.name == "postgresql":
        stmt = postgresql.insert(META).values(key=HEAD_KEY, value=value)
    else:
        stmt = sqlite.insert(META).values(key=HEAD_KEY, value=value)
    conn.execute(stmt.on_conflict_do_update(index_elements=["key"], set_={"value": value}))
