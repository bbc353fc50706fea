"""Replay: the state tables rebuilt from the event chain alone and compared with what is stored.

Every event lists the rows it created, changed or deleted (``store.events``: ``row_put``,
``row_delete``). A row's expected value is its table's column defaults overlaid with every put
for it in chain order; a delete removes it (a later put starts it again from the defaults).
Ledgers brought under replay by migration 0003 start from the ``row_baseline`` copy, read at the
``ledger.baseline`` event's place in the chain and checked against the digest that event holds.

Memory stays bounded whatever the ledger's size, and the chain is re-hashed in the same single
pass over the events. A row created once and never changed (most rows) costs a digest of its
expected values, kept in id order in arrays spilled to scratch files; every other change goes
to a scratch SQLite table, sorted on disk. Each state table is then read in id order a page at a
time and merged with both: digests settle the common case, and the rest are replayed in full
from their events. Each difference is named (table, id, field, expected, found): an edited row,
a deleted row, a row no event created.
"""

from __future__ import annotations

import gc
import hashlib
import json
from contextlib import contextmanager

import sqlite3
import tempfile
from array import array
from dataclasses import dataclass
from datetime import date
from operator import itemgetter
from pathlib import Path
from typing import Any, Iterator

from pydantic_core import PydanticUndefined
from sqlalchemy import Boolean, Connection, Date

from ledger.models import Appearance, Article, ArticleRevision, Capture, Citation, Claim, MatchRejection, Review, Source
from ledger.store.baseline import BASELINE_ACTION, baseline_rows, line
from ledger.store.events import CHAIN_COLUMNS, ROWS

try:  # a JSON library several times faster than the standard library's, when installed
    from orjson import dumps, loads
except ImportError:  # pragma: no cover
    from json import loads

    def dumps(value: Any) -> str:
        return json.dumps(value)

MODELS = (Article, ArticleRevision, Claim, Appearance, Source, Capture, Citation, Review, MatchRejection)
TABLES = {m.__table__.name: m for m in MODELS}
PAGE = 5000
FLUSH = 20000
SPILL = 1 << 18  # created rows held in memory (all tables) before they go to scratch files
CHUNK = 1 << 20  # 64-bit numbers read back at a time (a multiple of four: whole rows)
MAX_REPORTED = 100
_MARK = f'"{ROWS}":'
_ID, _ACTION, _PAYLOAD = (CHAIN_COLUMNS.index(c) for c in ("id", "action", "payload"))


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
    pairs: tuple[tuple[str, Any], ...]  # (column, default) in column order
    pick: Any  # operator.itemgetter of the columns: a dict's values as a tuple in column order
    default_map: dict[str, Any]  # column → default

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
        return cls(table.name, table, columns, tuple(defaults), dates, bools, tuple(zip(columns, defaults)),
                   itemgetter(*columns) if len(columns) > 1 else (lambda d: (d[columns[0]],)),
                   dict(zip(columns, defaults)))

    def laid_out(self, values: dict[str, Any]) -> tuple[Any, ...]:
        """A new row's change as its values in column order, defaults filling what it omits
        (columns added after the event was written): two C calls, no loop in Python."""
        return self.pick({**self.default_map, **values})

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
_LOWEST = -(2 ** 63)


@contextmanager
def quiet_collector() -> Iterator[None]:
    """Python's cyclic garbage collector paused for a long streamed pass over the ledger. The
    pass makes no reference cycles, so reference counting frees everything as it goes; but it
    keeps tens of thousands of young tuples alive in its buffers, which the collector would
    otherwise re-scan again and again."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def _digest(values: tuple[Any, ...]) -> int:
    """A row's values as one number, equal for equal values (Python's hash agrees with ``==``:
    ``1 == 1.0 == True``), so the common case compares numbers instead of decoding JSON. Only ever
    compared within one run; values no hash takes give 0, which sends the row to the full
    comparison."""
    try:
        return hash(values)
    except TypeError:
        return 0


class _Created:
    """One table's rows created in id order, as (id, digest, event id, place in the event): four
    64-bit integers a row, kept in an array and spilled to a scratch file (``Replay`` holds at
    most ``SPILL`` rows), so memory stays bounded and no row costs a database write. Read back in
    id order."""

    __slots__ = ("nums", "path", "spilled")

    def __init__(self, path: Path) -> None:
        self.nums = array("q")
        self.path = path
        self.spilled = False

    def spill(self) -> None:
        with open(self.path, "ab") as f:
            self.nums.tofile(f)
        self.spilled = True
        del self.nums[:]  # emptied in place: the feed holds this very array

    def __iter__(self) -> Iterator[tuple[int, int, int, int]]:
        if self.spilled:
            with open(self.path, "rb") as f:
                while True:
                    chunk = array("q")
                    try:
                        chunk.fromfile(f, CHUNK)
                    except EOFError:  # the last, shorter chunk is read all the same
                        pass
                    if not chunk:
                        break
                    yield from zip(*[iter(chunk)] * 4)
        yield from zip(*[iter(self.nums)] * 4)


class Replay:
    """Collects the row changes of the events fed to it (in chain order), then compares.

    Most changes create a row whose id is above every id its table has seen so far (ids are
    handed out in order): for those only the digest of the row's expected values is kept, with
    the event that holds them (``_Created``), already in id order. Everything else (later
    changes of a row, deletions, rows created out of id order, the baseline copy) goes to one
    scratch change table, sorted once at the end. Comparing reads each state table a page at a
    time: a row created once and never changed is settled by its digest; for the others (changed
    later, or not matching) the creating events are read back from the ledger, a batch per page,
    and the row replayed in full."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn  # the ledger being verified
        self._dir = tempfile.TemporaryDirectory(prefix="ledger-replay-")
        here = Path(self._dir.name)
        self.db = sqlite3.connect(here / "replay.db", isolation_level=None)
        for pragma in ("journal_mode=OFF", "synchronous=OFF", "cache_size=-32768", "temp_store=FILE"):
            self.db.execute(f"PRAGMA {pragma}")
        # appended in chain order, sorted once by an index built after the last change is in
        self.db.execute("CREATE TABLE ch (t TEXT, id, ev INTEGER NOT NULL, k INTEGER NOT NULL, v TEXT)")
        self.db.execute("BEGIN")
        self._buf: list[tuple[Any, ...]] = []
        self._created = {name: _Created(here / f"new_{name}.bin") for name in TABLES}
        self._nums = {name: c.nums for name, c in self._created.items()}
        self._held = 0  # created rows in memory
        self._top = dict.fromkeys(TABLES, _LOWEST)  # the highest id created so far, per table
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
    def feed(self, event: tuple[Any, ...]) -> None:
        """Take the row changes of one event (its ``store.events.CHAIN_COLUMNS`` tuple)."""
        payload = event[_PAYLOAD]
        if _MARK not in payload and event[_ACTION] != BASELINE_ACTION:
            return
        try:
            data = loads(payload)
        except ValueError:
            return  # not JSON: the chain check has the final word on the event itself
        if not isinstance(data, dict):
            return
        if event[_ACTION] == BASELINE_ACTION and isinstance(data.get("baseline"), dict):
            self._flush()
            self._baseline(event[_ID], data["baseline"])
        changes = data.get(ROWS)
        if not isinstance(changes, list):
            return
        ev, buf, nums, top, specs, held = event[_ID], self._buf, self._nums, self._top, _SPECS, self._held
        for k, ch in enumerate(changes):
            if type(ch) is dict:
                t, row_id, values = ch.get("t"), ch.get("id"), ch.get("set", {})
                spec = specs.get(t) if isinstance(t, str) else None
            else:
                spec = None
            if spec is None or not isinstance(row_id, int) or not isinstance(values, dict):
                self._problem(RowProblem("event", ev, "history",
                                         found=f"lists a row change replay cannot read: {_show(ch)}"))
                continue
            if ch.get("del"):
                buf.append((t, row_id, ev, k, None))
            elif row_id > top[t] and -_LOWEST > row_id:  # the row's first change, in id order
                top[t] = row_id
                try:  # spec.laid_out and _digest, written out: this runs for nearly every row
                    h = hash(spec.pick({**spec.default_map, **values}))
                except TypeError:
                    h = 0
                nums[t].extend((row_id, h, ev, k))
                held += 1
            else:
                buf.append((t, row_id, ev, k, dumps(values)))
        self._held = held
        if len(buf) >= FLUSH or held >= SPILL:
            self._flush()

    def _flush(self) -> None:
        if self._buf:
            self.db.executemany("INSERT INTO ch VALUES (?, ?, ?, ?, ?)", self._buf)
            self.changes += len(self._buf)
            self._buf = []
        if self._held >= SPILL:
            for created in self._created.values():
                if created.nums:
                    self.changes += len(created.nums) // 4
                    created.spill()
            self._held = 0

    def _baseline(self, event_id: int, recorded: dict[str, Any]) -> None:
        digest = hashlib.sha256()
        counts: dict[str, int] = {}
        for name in sorted(TABLES):
            n = 0
            batch = []
            for r in baseline_rows(self.conn, name):
                digest.update(line(name, r.row_id, r.vals))
                batch.append((name, r.row_id, event_id, -1, r.vals))
                self._top[name] = max(self._top[name], r.row_id)  # later puts of these ids change them
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
    def compare(self) -> int:
        """Compare every state table with the replay; returns the number of rows checked."""
        self._flush()
        self.changes += sum(len(c.nums) // 4 for c in self._created.values())
        self.db.execute("CREATE INDEX ch_order ON ch (t, id, ev, k, v)")
        self.db.execute("COMMIT")
        raw = self.conn.connection.dbapi_connection  # plain cursors: no result processing per row
        checked = 0
        for name, spec in _SPECS.items():
            checked += self._compare_table(raw, spec)
        return checked

    def _later(self, spec: _Table) -> Iterator[tuple[int, list[tuple[Any, ...]]]]:
        """The change table's entries for ``spec``, grouped by row id: (id, [(ev, k, v, False)])."""
        cur = self.db.execute("SELECT id, ev, k, v FROM ch WHERE t = ? ORDER BY id, ev, k", (spec.name,))
        row_id, group = None, []
        for rid, ev, k, v in cur:
            if rid != row_id:
                if row_id is not None:
                    yield row_id, group
                row_id, group = rid, []
            group.append((ev, k, v, False))
        if row_id is not None:
            yield row_id, group

    def _expected(self, spec: _Table) -> Iterator[tuple[Any, ...]]:
        """(id, digest, creating event, place in it, later changes) per row, in id order: the
        first four from ``_Created`` (None when the row was not created in id order), the last
        from the change table (None when there were none)."""
        created = iter(self._created[spec.name])
        later = self._later(spec)
        c, g = next(created, None), next(later, None)
        while c is not None or g is not None:
            if g is None or (c is not None and c[0] < g[0]):
                yield c + (None,)
                c = next(created, None)
            elif c is None or g[0] < c[0]:
                yield g[0], None, None, None, g[1]
                g = next(later, None)
            else:
                yield c + (g[1],)
                c, g = next(created, None), next(later, None)

    def _pages(self, raw: Any, spec: _Table) -> Iterator[list[tuple[Any, ...]]]:
        """The stored rows (id first) in id order, a page at a time, as the driver gives them."""
        cols = ", ".join(f'"{c}"' for c in ("id",) + spec.columns)
        last = _LOWEST
        cur = raw.cursor()
        try:
            while True:
                cur.execute(f'SELECT {cols} FROM "{spec.name}" WHERE "id" > {int(last)} '
                            f'ORDER BY "id" LIMIT {PAGE}')
                rows = cur.fetchall()
                yield rows
                if len(rows) < PAGE:
                    return
                last = rows[-1][0]
        finally:
            cur.close()

    def _creations(self, raw: Any, spec: _Table, wanted: list[tuple[int, int]]) -> dict[tuple[int, int], tuple]:
        """(event id, place) → the row values that change laid out, read back from the ledger's
        events (checked by the chain walk in this same read)."""
        out: dict[tuple[int, int], tuple] = {}
        ids = sorted({ev for ev, _ in wanted})
        cur = raw.cursor()
        try:
            for i in range(0, len(ids), 500):
                cur.execute("SELECT id, payload FROM event WHERE id IN (%s)" % ", ".join(map(str, ids[i:i + 500])))
                payloads = dict(cur.fetchall())
                for ev, k in wanted:
                    if ev in payloads:
                        out[(ev, k)] = spec.laid_out(loads(payloads[ev])[ROWS][k]["set"])
        finally:
            cur.close()
        return out

    def _compare_table(self, raw: Any, spec: _Table) -> int:
        expected = self._expected(spec)
        e = next(expected, None)
        checked = 0
        # SQLite gives dates as the ISO text the events hold (and 0/1, which hash as False/True);
        # PostgreSQL gives date objects, evened out before the digest
        as_given = not spec.dates or self.conn.dialect.name == "sqlite"
        for page in self._pages(raw, spec):
            last = page[-1][0] if len(page) == PAGE else -_LOWEST  # the last page takes what is left
            slow: list[tuple[Any, ...]] = []  # (expected, found or None) needing the full replay
            i, n = 0, len(page)
            while e is not None and e[0] <= last or i < n:
                f = page[i] if i < n else None
                if f is None or (e is not None and e[0] < f[0]):
                    if e[4] is not None:
                        slow.append((e, None))  # a history ending in a delete is no problem
                    elif e[1] is not None:
                        self._problem(RowProblem(spec.name, e[0], "deleted", event_id=e[2]))
                    e = next(expected, None)
                    continue
                checked += 1
                i += 1
                if e is None or f[0] < e[0]:
                    self._problem(RowProblem(spec.name, f[0], "unrecorded"))
                    continue
                if e[4] is None and e[1] and _digest(f[1:] if as_given else spec.normal(list(f[1:]))) == e[1]:
                    # created once, never changed, and the digests agree: the common case, settled
                    # (equal digests mean equal values; ``normal`` keeps equal values equal)
                    e = next(expected, None)
                    continue
                slow.append((e, f))
                e = next(expected, None)
            if slow:
                self._settle(raw, spec, slow)
        return checked

    def _settle(self, raw: Any, spec: _Table, slow: list[tuple[Any, ...]]) -> None:
        """Replay in full the rows the digests could not settle, and name what differs."""
        made = self._creations(raw, spec, [(e[2], e[3]) for e, _ in slow if e[2] is not None])
        for e, f in slow:
            entries = list(e[4] or ())
            if e[2] is not None:
                entries.append((e[2], e[3], made.get((e[2], e[3])), True))
            want = self._replayed(spec, entries)
            last_ev = max(x[0] for x in entries)
            if f is None:
                if want is not None:
                    self._problem(RowProblem(spec.name, e[0], "deleted", event_id=last_ev))
                continue
            if want is None:
                self._problem(RowProblem(spec.name, f[0], "unrecorded",
                                         found=f"its history deleted it (event {last_ev})", event_id=last_ev))
                continue
            have = spec.normal(list(f[1:]))  # dates and booleans evened out between backends
            if want != have:
                for c, w, h in zip(spec.columns, want, have):
                    if w != h:
                        self._problem(RowProblem(spec.name, f[0], "edited", field=c, expected=w, found=h,
                                                 event_id=last_ev))

    def _replayed(self, spec: _Table, entries: list[tuple[Any, ...]]) -> tuple[Any, ...] | None:
        """A row's expected values from all its changes (ev, k, v, v-is-a-laid-out-row), or None
        when its history ends deleted. A delete ends the row; a put after it starts again from the
        column defaults."""
        state: dict[str, Any] | None = None
        for _ev, _k, v, full in sorted(entries, key=lambda x: (x[0], x[1])):
            if v is None:
                state = None
            elif full:
                state = dict(zip(spec.columns, v))
            elif state is None:
                state = loads(v)
            else:
                state.update(loads(v))
        return None if state is None else spec.normal([state.get(c, d) for c, d in spec.pairs])
