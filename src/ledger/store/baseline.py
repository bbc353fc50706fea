"""The replay baseline: the rows a ledger held before its events carried their row changes.

Ledgers written before events listed their ``rows`` (see ``store.events``) cannot be replayed from
their chain alone. Bringing one under replay copies every accountable row, as canonical JSON, into
``row_baseline`` a page at a time, hashing them as it goes, and appends ONE ``ledger.baseline``
event carrying the count per table and the SHA-256 of the whole copy. The event stays small
whatever the ledger's size; the copy is held to it by that digest, and the digest by the chain.
Replay (``services.replay``) reads the copy at the baseline event's place in the chain, as if each
row had been put there.
"""

from __future__ import annotations

import hashlib
from datetime import date
from typing import Any, Iterator

from sqlalchemy import Connection, Table, func, select

from ledger.models import RowBaseline
from ledger.store.events import append_event, canonical

BASELINE = RowBaseline.__table__
BASELINE_ACTION = "ledger.baseline"
PAGE = 2000


def jsonable(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def line(table: str, row_id: int, vals: str) -> bytes:
    """What the baseline digest covers for one row."""
    return f"{table}\t{row_id}\t{vals}\n".encode("utf-8")


def _pages(conn: Connection, table: Table, columns: list[str]) -> Iterator[list[Any]]:
    last = 0
    cols = [table.c.id] + [table.c[c] for c in columns]
    while rows := conn.execute(select(*cols).where(table.c.id > last).order_by(table.c.id).limit(PAGE)).all():
        yield rows
        last = rows[-1][0]


def write_baseline(conn: Connection, tables: dict[str, tuple[Table, list[str]]], *, actor: str) -> str | None:
    """Copy every row of ``tables`` (name → (table, its accountable columns)) into ``row_baseline``
    and append the ``ledger.baseline`` event; returns its digest (None when there was nothing)."""
    digest = hashlib.sha256()
    counts: dict[str, int] = {}
    next_id = (conn.execute(select(func.max(BASELINE.c.id))).scalar() or 0) + 1
    for name in sorted(tables):
        table, columns = tables[name]
        counts[name] = 0
        for rows in _pages(conn, table, columns):
            batch = []
            for r in rows:
                vals = canonical({c: jsonable(v) for c, v in zip(columns, r[1:])})
                digest.update(line(name, r[0], vals))
                batch.append({"id": next_id, "tbl": name, "row_id": r[0], "vals": vals})
                next_id += 1
            conn.execute(BASELINE.insert(), batch)
            counts[name] += len(rows)
    if not any(counts.values()):
        return None
    append_event(conn, actor=actor, action=BASELINE_ACTION, entity="ledger",
                 payload={"baseline": {"rows": counts, "sha256": digest.hexdigest()}})
    return digest.hexdigest()


def baseline_rows(conn: Connection, table: str) -> Iterator[Any]:
    """The baseline copy of ``table``'s rows in id order, a page at a time."""
    last = -1
    while rows := conn.execute(select(BASELINE.c.row_id, BASELINE.c.vals)
                               .where((BASELINE.c.tbl == table) & (BASELINE.c.row_id > last))
                               .order_by(BASELINE.c.row_id).limit(PAGE * 5)).all():
        yield from rows
        last = rows[-1].row_id
