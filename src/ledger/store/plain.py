"""Plain SQL through the driver's own cursor, for reads that build read models directly.

A query is written once, with ``?`` placeholders, and run by a ``Run``: on a SQLAlchemy
connection (either backend: PostgreSQL's driver takes ``%s``) or on a bare ``sqlite3``
connection, which is how read commands on an up-to-date SQLite ledger avoid loading SQLAlchemy
at all (``services.reading``). Rows come back as plain tuples.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from ledger.storable import check_parameters

Run = Callable[..., list[tuple]]  # run(sql, params=()) -> rows


def on_connection(conn: Any) -> Run:
    """Queries on a SQLAlchemy connection, in its transaction (its engine hooks still apply)."""
    postgres = conn.dialect.name == "postgresql"

    def run(sql: str, params: Sequence[Any] = ()) -> list[tuple]:
        return [tuple(r) for r in conn.exec_driver_sql(sql.replace("?", "%s") if postgres else sql, tuple(params))]

    return run


def on_sqlite(conn: Any) -> Run:
    """Queries on a ``sqlite3`` connection, with the same checks of parameters as the engine's."""

    def run(sql: str, params: Sequence[Any] = ()) -> list[tuple]:
        check_parameters(params)
        return conn.execute(sql, params).fetchall()

    return run
