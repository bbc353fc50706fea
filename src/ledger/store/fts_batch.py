"""SQLite's full-text indexes filled once per batch of bulk-inserted rows, not once per row.

The ``*_fts`` tables are kept in step by ``AFTER INSERT`` triggers (``INSERT INTO x_fts(rowid, a,
b) VALUES (new.id, new.a, new.b)``). Fired row by row inside an executemany, they cost several
times the insert itself; one ``INSERT INTO x_fts(rowid, a, b) SELECT id, a, b FROM x WHERE id
BETWEEN …`` after the batch indexes the same text for a fraction of that. ``filled_after`` does
this inside the caller's transaction: it drops the table's insert triggers of that exact form,
runs the insert, fills the indexes from the new rows and creates the triggers again from their
stored text. SQLite's DDL is transactional, so other connections never see the ledger without
its triggers, and a failure puts them back before the error goes on. Triggers of any other form
are left alone and fire as usual.
"""

from __future__ import annotations

import re
from typing import Any, Callable

from sqlalchemy import Connection

_INSERT_TRIGGER = re.compile(
    r"CREATE TRIGGER (?:IF NOT EXISTS )?(?P<name>\w+) AFTER INSERT ON (?P<table>\w+) BEGIN "
    r"INSERT INTO (?P<fts>\w+)\s*\(rowid, (?P<cols>\w+(?:, \w+)*)\) VALUES \(new\.id, (?P<vals>new\.\w+(?:, new\.\w+)*)\);"
    r" END", re.IGNORECASE)
_IF_MISSING = re.compile(r"^\s*CREATE\s+TRIGGER\s+(?!IF\s+NOT\s+EXISTS\s)", re.IGNORECASE)
MIN_ROWS = 64  # below this the triggers are cheaper than dropping and creating them


def fill_statement(sql: str | None, table: str) -> str | None:
    """The statement that does for a run of ids what the trigger stored as ``sql`` does for one
    row of ``table`` (``WHERE id BETWEEN ? AND ?``); None for a trigger of any other form."""
    m = _INSERT_TRIGGER.fullmatch(" ".join((sql or "").split()))
    if not m or m["table"] != table:
        return None
    cols = [c.strip() for c in m["cols"].split(",")]
    if [v.strip() for v in m["vals"].split(",")] != [f"new.{c}" for c in cols]:
        return None
    listed = ", ".join(cols)
    return f'INSERT INTO "{m["fts"]}"(rowid, {listed}) SELECT id, {listed} FROM "{table}" WHERE id BETWEEN ? AND ?'


def _fill_triggers(conn: Connection, table: str) -> list[tuple[str, str, str]]:
    """(name, stored SQL, fill statement) of ``table``'s full-text insert triggers."""
    out = []
    for name, sql in conn.exec_driver_sql(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ?", (table,)):
        fill = fill_statement(sql, table)
        if fill is not None:
            out.append((name, sql, fill))
    return out


def filled_after(conn: Connection, table: str, rows: list[tuple[Any, ...]], insert: Callable[[], None]) -> None:
    """Run ``insert`` (which writes ``rows``, ids first, into ``table``) with the table's full-text
    insert triggers replaced by one fill per batch; just run it when that cannot be done exactly
    (few rows, ids not one consecutive run, not SQLite)."""
    triggers: list[tuple[str, str, str]] = []
    if conn.dialect.name == "sqlite" and len(rows) >= MIN_ROWS:
        ids = [r[0] for r in rows]
        if all(type(i) is int for i in ids[:1]):
            lo, hi = min(ids), max(ids)
            if hi - lo + 1 == len(ids):  # distinct (the primary key) and consecutive: exactly this batch
                triggers = _fill_triggers(conn, table)
    if not triggers:
        insert()
        return
    for name, _, _ in triggers:
        conn.exec_driver_sql(f'DROP TRIGGER "{name}"')
    try:
        insert()
        for _, _, fill in triggers:
            conn.exec_driver_sql(fill, (lo, hi))
    except BaseException:
        for _, sql, _ in triggers:  # the transaction may go on (a savepoint rolled back): put them back
            try:
                conn.exec_driver_sql(_IF_MISSING.sub("CREATE TRIGGER IF NOT EXISTS ", sql, count=1))
            except Exception:  # noqa: BLE001 - the transaction is gone, and the triggers with its rollback
                pass
        raise
    for _, sql, _ in triggers:
        conn.exec_driver_sql(sql)
