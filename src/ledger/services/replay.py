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

try:  # a JSON parser several times faster than the standard library's, when installed
    from orjson import loads
except ImportError:  # pragma: no cover
    from json import loads
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
        self.db.execute("CREATE TABLE p (ev INTEGER PRIMARY KEY, payload TEXT NOT NULL)")
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
        """Take the row changes of one event (a row of the event table). The payload is kept as
        it is; SQLite's JSON functions take the changes out of it in one statement (``_extract``)."""
        payload = event.payload
        if event.action == BASELINE_ACTION:
            try:
                data = json.loads(payload)
            except ValueError:
                data = None
            if isinstance(data, dict) and isinstance(data.get("baseline"), dict):
                self._flush()
                self._baseline(conn, event.id, data["baseline"])
        if _MARK in payload:
            self._buf.append((event.id, payload))
            if len(self._buf) >= FLUSH:
                self._flush()

    def _flush(self) -> None:
        if self._buf:
            self.db.executemany("INSERT INTO p VALUES (?, ?)", self._buf)
            self.changes += len(self._buf)
            self._buf = []

    def _extract(self) -> None:
        """Every row change of every event kept, as (table, id, event, position, values or NULL)."""
        select = ("SELECT j.value ->> '$.t', j.value ->> '$.id', p.ev, j.key, "
                  "CASE WHEN j.value ->> '$.del' THEN NULL ELSE coalesce(j.value -> '$.set', '{}') END "
                  "FROM p, json_each(p.payload, '$.rows') AS j WHERE j.type = 'object'")
        try:
            self.db.execute("SAVEPOINT extract")
            self.db.execute("INSERT INTO ch " + select)
            self.db.execute("RELEASE extract")
        except sqlite3.OperationalError:  # a payload that is not JSON, or rows that are no list
            self.db.execute("ROLLBACK TO extract")
            self.db.execute("RELEASE extract")
            for (ev,) in self.db.execute("SELECT ev FROM p WHERE NOT json_valid(payload) "
                                         "OR json_type(payload, '$.rows') != 'array'").fetchall():
                self._problem(RowProblem("event", ev, "history", found="lists row changes replay cannot read"))
            self.db.execute("INSERT INTO ch " + select.replace(
                "WHERE", "WHERE json_valid(p.payload) AND json_type(p.payload, '$.rows') = 'array' AND"))
        names = ", ".join(f"'{n}'" for n in TABLES)
        for t, row_id, ev in self.db.execute(
                f"SELECT t, id, ev FROM ch WHERE t IS NULL OR t NOT IN ({names}) OR typeof(id) != 'integer' "
                f"OR (v IS NOT NULL AND json_type(v) != 'object') LIMIT {MAX_REPORTED}"):
            self._problem(RowProblem("event", ev, "history",
                                     found=f"lists a row change replay cannot read (table {t!r}, id {row_id!r})"))
        self.db.execute("DELETE FROM p")

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
        self._extract()
        self.db.execute("CREATE INDEX ch_order ON ch (t, id, ev, k, v)")
        self.db.execute("COMMIT")
        checked = 0
        for name, spec in _SPECS.items():
            checked += self._compare_table(conn, spec)
        return checked

    def _expected(self, spec: _Table) -> Iterator[tuple[int, tuple[Any, ...] | None, int]]:
        """(id, expected values or None when deleted, the last event that changed it) per row."""
        cur = self.db.execute("SELECT id, ev, v FROM ch WHERE t = ? ORDER BY id, ev, k", (spec.name,))
        defaults = dict(zip(spec.columns, spec.defaults))
        row_id, state, last_ev = None, None, 0
        for rid, ev, v in cur:
            if rid != row_id:
                if row_id is not None:
                    yield row_id, None if state is None else spec.normal([state[c] for c in spec.columns]), last_ev
                row_id, state = rid, None
            last_ev = ev
            if v is None:
                state = None
            else:
                put = loads(v)
                if state is None:
                    state = dict(defaults)
                state.update((k, put[k]) for k in put if k in defaults)
        if row_id is not None:
            yield row_id, None if state is None else spec.normal([state[c] for c in spec.columns]), last_ev

    def _found(self, conn: Connection, spec: _Table) -> Iterator[tuple[int, tuple[Any, ...]]]:
        cols = [spec.table.c.id] + [spec.table.c[c] for c in spec.columns]
        last = None
        while True:
            q = select(*cols).order_by(spec.table.c.id).limit(PAGE)
            if last is not None:
                q = q.where(spec.table.c.id > last)
            rows = conn.execute(q).all()
            for r in rows:
                yield r[0], spec.normal(list(r[1:]))
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
