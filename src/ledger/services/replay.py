"""Replay: the state tables rebuilt from the event chain alone and compared with what is stored.

Every event lists the rows it created, changed or deleted (``store.events``: ``row_put``,
``row_delete``). A row's expected value is its table's column defaults overlaid with every put
for it in chain order; a delete removes it (a later put starts it again from the defaults).
Ledgers brought under replay by migration 0003 start from the ``row_baseline`` copy, read at the
``ledger.baseline`` event's place in the chain and checked against the digest that event holds.

Memory stays bounded whatever the ledger's size: the row changes are streamed, while the chain is
re-hashed in the same single pass over the events, into a scratch SQLite file, then sorted by
(table, id, order) — SQLite sorts them on disk — and each state table is then read in id order a
page at a time and merged with the sorted changes. Each difference is named (table, id, field,
expected, found): an edited row, a deleted row, a row no event created.
"""

from __future__ import annotations

import hashlib
import json

try:  # a JSON library several times faster than the standard library's, when installed
    from orjson import dumps, loads
except ImportError:  # pragma: no cover
    from json import loads

    def dumps(value: Any) -> str:
        return json.dumps(value)
import sqlite3
import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Iterator

from pydantic_core import PydanticUndefined
from sqlalchemy import Boolean, Connection, Date, select

from ledger.models import Appearance, Article, ArticleRevision, Capture, Citation, Claim, MatchRejection, Review, Source
from ledger.store.baseline import BASELINE_ACTION, baseline_rows, line
from ledger.store.events import ROWS

MODELS = (Article, ArticleRevision, Claim, Appearance, Source, Capture, Citation, Review, MatchRejection)
TABLES = {m.__table__.name: m for m in MODELS}
PAGE = 5000
FLUSH = 20000
MAX_REPORTED = 100
_MARK = f'"{ROWS}":'


@dataclass(frozen=True)
class RowProblem:
    table: str
    row_id: int
    problem: str  # "edited" | "deleted" | "unrecorded" | "history"
    field: str | None = None
    expected: Any = None
    found: Any = None
    event_id: int | None = None  # the last event that changed the row

    def describe(self) -> str:
        where = f"{self.table} {self.row_id}"
        if self.problem == "edited":
            since = f" (event {self.event_id})" if self.event_id else ""
            return (f"{where}: {self.field} is {_show(self.found)} but its history{since} says "
                    f"{_show(self.expected)}: the row was edited outside the ledger")
        if self.problem == "deleted":
            return f"{where} is missing, yet its history (event {self.event_id}) has it: the row was deleted outside the ledger"
        if self.problem == "unrecorded":
            return f"{where} is in the ledger but no event created it: the row was inserted outside the ledger"
        return f"{where}: {self.found}"

    def record(self) -> dict[str, Any]:
        return {"table": self.table, "id": self.row_id, "problem": self.problem, "field": self.field,
                "expected": self.expected, "found": self.found, "event_id": self.event_id,
                "message": self.describe()}


def _show(value: Any, limit: int = 80) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[:limit - 1] + "…'"


@dataclass(frozen=True)
class _Table:
    name: str
    table: Any
    columns: tuple[str, ...]
    defaults: tuple[Any, ...]
    dates: tuple[int, ...]
    bools: tuple[int, ...]

    @classmethod
    def of(cls, model: Any) -> _Table:
        table = model.__table__
        columns = tuple(c.name for c in table.columns if c.name != "id")
        defaults = []
        for c in columns:
            d = model.model_fields[c].default
            defaults.append(None if d is PydanticUndefined else d)
        dates = tuple(i for i, c in enumerate(columns) if isinstance(table.c[c].type, Date))
        bools = tuple(i for i, c in enumerate(columns) if isinstance(table.c[c].type, Boolean))
        return cls(table.name, table, columns, tuple(defaults), dates, bools)

    def normal(self, values: list[Any]) -> tuple[Any, ...]:
        """Values as JSON holds them: dates as ISO text, booleans as booleans."""
        for i in self.dates:
            v = values[i]
            if isinstance(v, date):
                values[i] = v.isoformat()
        for i in self.bools:
            v = values[i]
            if v is not None:
                values[i] = bool(v)
        return tuple(values)


_SPECS = {name: _Table.of(model) for name, model in TABLES.items()}


class Replay:
    """Collects the row changes of the events fed to it (in chain order), then compares."""

    def __init__(self) -> None:
        self._dir = tempfile.TemporaryDirectory(prefix="ledger-replay-")
        self.db = sqlite3.connect(Path(self._dir.name) / "replay.db", isolation_level=None)
        for pragma in ("journal_mode=OFF", "synchronous=OFF", "cache_size=-32768", "temp_store=FILE"):
            self.db.execute(f"PRAGMA {pragma}")
        # appended in chain order, sorted once by an index built after the last change is in
        self.db.execute("CREATE TABLE ch (t TEXT, id, ev INTEGER NOT NULL, k INTEGER NOT NULL, v TEXT)")
        self.db.execute("BEGIN")
        self._buf: list[tuple[Any, ...]] = []
        self.changes = 0
        self.problems: list[RowProblem] = []
        self.problem_count = 0

    def close(self) -> None:
        self.db.close()
        self._dir.cleanup()

    def __enter__(self) -> Replay:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def _problem(self, p: RowProblem) -> None:
        self.problem_count += 1
        if len(self.problems) < MAX_REPORTED:
            self.problems.append(p)

    # ------------------------------------------------------------------ collecting
    def feed(self, conn: Connection, event: Any) -> None:
        """Take the row changes of one event (a row of the event table)."""
        payload = event.payload
        if _MARK not in payload and event.action != BASELINE_ACTION:
            return
        try:
            data = loads(payload)
        except ValueError:
            return  # not JSON: the chain check has the final word on the event itself
        if not isinstance(data, dict):
            return
        if event.action == BASELINE_ACTION and isinstance(data.get("baseline"), dict):
            self._flush()
            self._baseline(conn, event.id, data["baseline"])
        changes = data.get(ROWS)
        if not isinstance(changes, list):
            return
        buf = self._buf
        for k, ch in enumerate(changes):
            t = ch.get("t") if isinstance(ch, dict) else None
            row_id = ch.get("id") if isinstance(ch, dict) else None
            values = ch.get("set", {}) if isinstance(ch, dict) else None
            if t not in TABLES or not isinstance(row_id, int) or not isinstance(values, dict):
                self._problem(RowProblem("event", event.id, "history",
                                         found=f"lists a row change replay cannot read: {_show(ch)}"))
                continue
            buf.append((t, row_id, event.id, k, None if ch.get("del") else dumps(values)))
        if len(buf) >= FLUSH:
            self._flush()

    def _flush(self) -> None:
        if self._buf:
            self.db.executemany("INSERT INTO ch VALUES (?, ?, ?, ?, ?)", self._buf)
            self.changes += len(self._buf)
            self._buf = []

    def _baseline(self, conn: Connection, event_id: int, recorded: dict[str, Any]) -> None:
        digest = hashlib.sha256()
        counts: dict[str, int] = {}
        for name in sorted(TABLES):
            n = 0
            batch = []
            for r in baseline_rows(conn, name):
                digest.update(line(name, r.row_id, r.vals))
                batch.append((name, r.row_id, event_id, -1, r.vals))
                n += 1
                if len(batch) >= FLUSH:
                    self.db.executemany("INSERT INTO ch VALUES (?, ?, ?, ?, ?)", batch)
                    batch = []
            self.db.executemany("INSERT INTO ch VALUES (?, ?, ?, ?, ?)", batch)
            if n:
                counts[name] = n
        want = {k: v for k, v in (recorded.get("rows") or {}).items() if v}
        if digest.hexdigest() != recorded.get("sha256") or counts != want:
            self._problem(RowProblem("row_baseline", event_id, "history",
                                     found=f"the baseline copy no longer matches the digest its event {event_id} "
                                           "recorded: a baseline row was edited, added or removed"))

    # ------------------------------------------------------------------ comparing
    def compare(self, conn: Connection) -> int:
        """Compare every state table with the replay; returns the number of rows checked."""
        self._flush()
        self.db.execute("CREATE INDEX ch_order ON ch (t, id, ev, k, v)")
        self.db.execute("COMMIT")
        checked = 0
        for name, spec in _SPECS.items():
            checked += self._compare_table(conn, spec)
        return checked

    def _expected(self, spec: _Table) -> Iterator[tuple[int, tuple[Any, ...] | None, int]]:
        """(id, expected values or None when deleted, the last event that changed it) per row."""
        cur = self.db.execute("SELECT id, ev, v FROM ch WHERE t = ? ORDER BY id, ev, k", (spec.name,))
        pairs = tuple(zip(spec.columns, spec.defaults))
        normal = spec.normal

        def finish(state: dict[str, Any] | None) -> tuple[Any, ...] | None:
            return None if state is None else normal([state.get(c, d) for c, d in pairs])

        row_id, state, last_ev = None, None, 0
        for rid, ev, v in cur:
            if rid != row_id:
                if row_id is not None:
                    yield row_id, finish(state), last_ev
                row_id, state = rid, None
            last_ev = ev
            if v is None:
                state = None
            elif state is None:
                state = loads(v)  # a new row (or one put again after a delete): defaults fill the rest
            else:
                state.update(loads(v))
        if row_id is not None:
            yield row_id, finish(state), last_ev

    def _found(self, conn: Connection, spec: _Table) -> Iterator[tuple[int, tuple[Any, ...]]]:
        """The stored rows in id order, a page at a time, as the driver gives them (``normal``
        evens out dates and booleans between SQLite and PostgreSQL)."""
        cols = ", ".join(f'"{c}"' for c in ("id",) + spec.columns)
        last = -(2 ** 62)
        normal = spec.normal
        while True:
            rows = conn.exec_driver_sql(f'SELECT {cols} FROM "{spec.name}" WHERE "id" > {int(last)} '
                                        f'ORDER BY "id" LIMIT {PAGE}').fetchall()
            for r in rows:
                yield r[0], normal(list(r[1:]))
            if len(rows) < PAGE:
                return
            last = rows[-1][0]

    def _compare_table(self, conn: Connection, spec: _Table) -> int:
        expected = self._expected(spec)
        found = self._found(conn, spec)
        e = next(expected, None)
        f = next(found, None)
        checked = 0
        while e is not None or f is not None:
            if f is None or (e is not None and e[0] < f[0]):
                if e[1] is not None:
                    self._problem(RowProblem(spec.name, e[0], "deleted", event_id=e[2]))
                e = next(expected, None)
                continue
            checked += 1
            if e is None or f[0] < e[0]:
                self._problem(RowProblem(spec.name, f[0], "unrecorded"))
                f = next(found, None)
                continue
            want, have = e[1], f[1]
            if want is None:
                self._problem(RowProblem(spec.name, f[0], "unrecorded",
                                         found=f"its history deleted it (event {e[2]})", event_id=e[2]))
            elif want != have:
                for c, w, h in zip(spec.columns, want, have):
                    if w != h:
                        self._problem(RowProblem(spec.name, f[0], "edited", field=c, expected=w, found=h,
                                                 event_id=e[2]))
            e = next(expected, None)
            f = next(found, None)
        return checked
