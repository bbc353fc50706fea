"""Plain DBAPI executemany for the bulk paths: rows as tuples, no per-row ORM or Core work.

Values are adapted once per dialect: SQLite stores dates as ISO text (as SQLAlchemy's Date
type does) and booleans as integers; PostgreSQL takes them as they are.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Iterable, Sequence

from sqlalchemy import Connection, Table


CHECKED = {"ledger_checked": True}  # execution option: the caller has checked these parameters (``ledger.db``)


def insert_many(conn: Connection, table: Table, columns: Sequence[str], rows: Sequence[Sequence[Any]], *,
                checked: bool = False) -> None:
    """One executemany of ``rows`` (tuples in ``columns`` order); ``checked`` when the caller has
    already refused what a ledger cannot store in them (``ledger.storable``), so the engine's
    guard passes them over."""
    if not rows:
        return
    mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
    cols = ", ".join(f'"{c}"' for c in columns)
    sql = f'INSERT INTO "{table.name}" ({cols}) VALUES ({", ".join([mark] * len(columns))})'
    if conn.dialect.name == "sqlite":
        dated = [i for i, c in enumerate(columns) if _is_date(table, c)]
        if len(dated) == 1:  # one date column (most tables): each row rebuilt only when it holds a date
            p = dated[0]
            rows = [(*r[:p], r[p].isoformat(), *r[p + 1:]) if isinstance(r[p], date) else r for r in rows]
        elif dated:
            rows = [_iso(r, dated) for r in rows]
    conn.exec_driver_sql(sql, list(rows) if not isinstance(rows, list) else rows,
                         execution_options=CHECKED if checked else None)


def _is_date(table: Table, column: str) -> bool:
    try:
        return table.c[column].type.python_type is date
    except NotImplementedError:
        return False


def _iso(row: Sequence[Any], positions: list[int]) -> Sequence[Any]:
    for i in positions:
        if isinstance(row[i], date):
            out = list(row)
            for j in positions:
                v = out[j]
                if isinstance(v, date):
                    out[j] = v.isoformat()
            return tuple(out)
    return row  # no date to write (most rows leave their dates empty): as it is


def write_rows(conn: Connection, table: Table, columns: Sequence[str], rows: Iterable[Sequence[Any]], *,
               checked: bool = False) -> None:
    """Many rows into ``table``: ``COPY`` on PostgreSQL (``store.copy``; an iterator of rows is
    streamed, ``checked`` when the caller has refused NUL text itself), one executemany on SQLite
    (its full-text indexes filled once for the batch, ``store.fts_batch``; ``checked`` when the
    caller has refused everything ``ledger.storable`` refuses)."""
    if conn.dialect.name == "postgresql":
        from ledger.store.copy import copy_rows

        copy_rows(conn, table.name, columns, rows, checked=checked)
        return
    rows = rows if isinstance(rows, list) else list(rows)
    if columns and columns[0] == "id":
        from ledger.store.fts_batch import filled_after

        filled_after(conn, table.name, rows, lambda: insert_many(conn, table, columns, rows, checked=checked))
    else:
        insert_many(conn, table, columns, rows, checked=checked)
