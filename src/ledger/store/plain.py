"""Plain SQL through the driver's own cursor, for reads that build read models directly.

A query is written once, with ``?`` placeholders, and run by a ``Run``: on a SQLAlchemy
connection (either backend: PostgreSQL's driver takes ``%s``) or on a bare ``sqlite3``
or ``psycopg`` connection, which is how read commands on an up-to-date ledger avoid loading
SQLAlchemy at all (``services.reading``). Rows come back as plain tuples; ``run.dialect`` names the backend
for the queries that differ.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ledger.storable import check_parameters


class Run:
    """``run(sql, params=())``: the rows of one query, in the connection's transaction."""

    def __init__(self, dialect: str, execute: Any, do: Any = None):
        self.dialect = dialect
        self._execute = execute
        self._do = do

    def __call__(self, sql: str, params: Sequence[Any] = ()) -> list[tuple]:
        return self._execute(sql, tuple(params))

    def do(self, sql: str) -> None:
        """Run one statement that returns no rows (no parameters)."""
        self._do(sql)


def on_connection(conn: Any) -> Run:
    """Queries on a SQLAlchemy connection (its engine hooks still apply)."""
    if conn.dialect.name == "postgresql":
        return Run("postgresql", lambda sql, params: [tuple(r) for r in conn.exec_driver_sql(sql.replace("?", "%s"),
                                                                                              params)])
    return Run(conn.dialect.name, lambda sql, params: [tuple(r) for r in conn.exec_driver_sql(sql, params)],
               conn.exec_driver_sql)


def on_sqlite(conn: Any) -> Run:
    """Queries on a ``sqlite3`` connection, with the same checks of parameters as the engine's."""

    def execute(sql: str, params: tuple) -> list[tuple]:
        check_parameters(params)
        return conn.execute(sql, params).fetchall()

    return Run("sqlite", execute, conn.execute)


def on_psycopg(conn: Any) -> Run:
    """Queries on a bare ``psycopg`` connection (a PostgreSQL ledger read without the database
    layer), written with ``?`` as everywhere else and checked as the engine checks them."""

    def execute(sql: str, params: tuple) -> list[tuple]:
        check_parameters(params)
        with conn.cursor() as cur:
            cur.execute(sql.replace("?", "%s"), params)
            return cur.fetchall() if cur.description is not None else []

    return Run("postgresql", execute, conn.execute)
