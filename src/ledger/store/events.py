"""The append-only, hash-chained event log.

Every change to the ledger appends an event (who, when, what, why). Each event's hash covers the
previous event's hash and a canonical encoding of the event, so editing or deleting a row with
raw SQL breaks the chain where it happened; the chain head kept in ``ledger_meta`` catches a
removed tail. Appending takes the head under the write transaction's lock, so concurrent writers
extend the chain one after the other.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date, datetime, timezone
from json.encoder import encode_basestring
from operator import itemgetter

import orjson
from typing import Any, Iterable, Iterator, Sequence

from sqlalchemy import Connection, select, update

from ledger.models import Event, EventRow, Meta
from ledger.storable import check_parameters
from ledger.store.executemany import insert_many, write_rows

GENESIS = "0" * 64
HEAD_KEY = "chain_head"
EVENT = Event.__table__
META = Meta.__table__


def now() -> str:
    """UTC timestamp with microseconds, ISO 8601, as stored on every row and event."""
    return datetime.now(timezone.utc).isoformat(timespec="microseconds").replace("+00:00", "Z")


def canonical(payload: dict[str, Any]) -> str:
    return json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)


def js(value: Any) -> str:
    """``canonical()`` of one value, with quick paths for what rows hold (text, integers, null,
    true/false, days); anything else through ``json.dumps`` with the same options."""
    kind = type(value)
    if kind is str:
        return encode_basestring(value)
    if value is None:
        return "null"
    if kind is int:
        return int.__repr__(value)
    if value is True:
        return "true"
    if value is False:
        return "false"
    if kind is date:
        return f'"{value.isoformat()}"'
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)


# dates and dataclasses through ``default=str`` as json.dumps does, keys sorted by code point
_ORJSON = orjson.OPT_SORT_KEYS | orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS
_PLAIN = frozenset((str, int, bool, type(None), date))  # written by orjson exactly as canonical() writes them


class JsonObject:
    """A pre-built template of ``canonical()`` for dicts with the same keys: ``template(values)``
    with the values in ``keys`` order gives the same text as ``canonical(dict(zip(keys, values)))``.
    The values of the keys named in ``encoded`` are given already encoded (a nested template's
    output) and spliced in. The bulk paths use it so each row costs a few C calls, not a walk of
    nested dicts: the values are put in key order by one ``itemgetter``, encoded by one orjson
    call, and each encoded value replaces a marker string that stands in its place (a marker
    holds NUL characters, which no stored text can hold: they are refused before any write)."""

    def __init__(self, keys: tuple[str, ...] | list[str], encoded: tuple[str, ...] = ()):
        self.keys = tuple(keys)
        self.order = tuple(sorted(range(len(self.keys)), key=lambda i: self.keys[i]))
        self.encoded = frozenset(self.keys.index(k) for k in encoded)
        fields = [encode_basestring(self.keys[i]).replace("%", "%%") + ":%s" for i in self.order]
        self.format = "{" + ",".join(fields) + "}"
        self.sorted_keys = tuple(self.keys[i] for i in self.order)
        self.pick = itemgetter(*self.order) if len(self.order) > 1 else (lambda v: (v[self.order[0]],))
        # (place in key order, marker, the marker as orjson writes it) of each encoded value
        self.markers = tuple((self.order.index(i), f"\x00{n}\x00", f'"\\u0000{n}\\u0000"')
                             for n, i in enumerate(sorted(self.encoded)))

    def __call__(self, values: tuple[Any, ...] | list[Any]) -> str:
        kinds = set(map(type, values))
        if float not in kinds:  # orjson writes floats unlike json.dumps (exponents, NaN)
            try:
                # plain values (no nested dict to sort, no datetime to write as ``str`` does):
                # orjson's own writing of them is canonical's, days included
                return self._fast(values, 0 if kinds <= _PLAIN else _ORJSON)
            except (TypeError, orjson.JSONEncodeError):  # beyond 64 bits, lone surrogates: the exact path
                pass
        enc = self.encoded
        return self.format % tuple(values[i] if i in enc else js(values[i]) for i in self.order)

    def _fast(self, values: tuple[Any, ...] | list[Any], option: int) -> str:
        picked = self.pick(values)
        if not self.markers:
            return orjson.dumps(dict(zip(self.sorted_keys, picked)), option=option, default=str).decode()
        picked = list(picked)
        for place, marker, _ in self.markers:
            if picked[place].__class__ is not str:
                raise TypeError("an encoded value is not text")
            picked[place] = marker
        out = orjson.dumps(dict(zip(self.sorted_keys, picked)), option=option, default=str).decode()
        for place, _, written in self.markers:
            out = out.replace(written, values[self.order[place]], 1)
        return out


def row_put_json(table: str, row_id: int, values_json: str) -> str:
    """``canonical(row_put(table, row_id, values))`` from the values already encoded."""
    return '{"id":' + js(row_id) + ',"set":' + values_json + ',"t":' + encode_basestring(table) + "}"


# ---------------------------------------------------------------- row changes
# Every event that changes a state table says exactly what it changed, so the state can be
# replayed from the chain alone and every row held to account (``ledger verify``). The changes
# ride in the event's payload under ``ROWS``, a list built with ``row_put`` and ``row_delete``:
#
#   payload = {..., "rows": [row_put("claim", 7, {"text": "…", "status": "unverified", …}),
#                            row_put("claim", 7, {"status": "verified"}),   # an update: changed columns
#                            row_delete("citation", 3)]}
#
# ``row_put`` on a new row carries every column but the id; on an existing row, the columns that
# changed. Values are stored as JSON (dates as ISO strings, booleans as true/false).
ROWS = "rows"


def row_put(table: str, row_id: int, values: dict[str, Any]) -> dict[str, Any]:
    """A row created, or some of its columns set, by this event."""
    return {"t": table, "id": row_id, "set": values}


def json_values(values: dict[str, Any]) -> dict[str, Any]:
    """Column values as a row change carries them: dates as ISO strings (first day of a partial
    date, as the date column stores it), everything else as is."""
    from datetime import date

    return {k: (date(v.year, v.month, v.day).isoformat() if isinstance(v, date) else v) for k, v in values.items()}


def row_delete(table: str, row_id: int) -> dict[str, Any]:
    """A row removed by this event."""
    return {"t": table, "id": row_id, "del": True}


def row_put_tuple(table: str, columns: tuple[str, ...] | list[str], row: tuple[Any, ...] | list[Any]) -> dict[str, Any]:
    """``row_put`` for a new row given as a tuple whose first column is the id (the bulk paths)."""
    return {"t": table, "id": row[0], "set": dict(zip(columns[1:], row[1:]))}


def row_put_new(table: str, row: dict[str, Any]) -> dict[str, Any]:
    """``row_put`` for a new row given as a dict holding its ``id``."""
    return {"t": table, "id": row["id"], "set": {k: v for k, v in row.items() if k != "id"}}


def with_rows(payload: dict[str, Any] | None, *changes: dict[str, Any]) -> dict[str, Any]:
    """``payload`` with its row changes listed under ``ROWS``."""
    out = dict(payload or {})
    out[ROWS] = list(changes)
    return out


HASHED = ("at", "actor", "action", "entity", "entity_id", "claim_id", "article_id", "payload")
COLUMNS = HASHED + ("prev_hash", "hash")
_encode_fields = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def event_hash(prev_hash: str, *, at: str, actor: str, action: str, entity: str,
               entity_id: int | None, claim_id: int | None, article_id: int | None,
               payload: str) -> str:
    """SHA-256 over the previous hash and the event's fields encoded as one JSON array."""
    body = _encode_fields([at, actor, action, entity, entity_id, claim_id, article_id, payload])
    return hashlib.sha256((prev_hash + "\n" + body).encode("utf-8")).hexdigest()


def _head(conn: Connection) -> str:
    """The chain head, locked for the rest of the transaction."""
    stmt = select(META.c.value).where(META.c.key == HEAD_KEY)
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects import postgresql  # each dialect's module only on its own backend

        # the row may not exist yet: create it first so FOR UPDATE has something to lock
        conn.execute(postgresql.insert(META).values(key=HEAD_KEY, value=GENESIS).on_conflict_do_nothing())
        stmt = stmt.with_for_update()
    value = conn.execute(stmt).scalar()
    return value or GENESIS


def _set_head(conn: Connection, value: str) -> None:
    if conn.dialect.name == "postgresql":
        conn.execute(update(META).where(META.c.key == HEAD_KEY).values(value=value))
    else:
        from sqlalchemy.dialects import sqlite

        conn.execute(sqlite.insert(META).values(key=HEAD_KEY, value=value)
                     .on_conflict_do_update(index_elements=["key"], set_={"value": value}))


def chain(prev: str, events: Iterable[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """Event tuples (the ``HASHED`` fields, payload already encoded) with ``prev_hash`` and
    ``hash`` appended, following ``prev``: the hash chain with one encode and one SHA-256 per row."""
    return list(chained(prev, events))


def chained(prev: str, events: Iterable[tuple[Any, ...]]) -> Iterator[tuple[Any, ...]]:
    """``chain``, one row at a time (for rows streamed to the database as they are hashed)."""
    sha, body = hashlib.sha256, hashed_body
    for ev in events:
        digest = sha(prev.encode("ascii") + b"\n" + body(ev)).hexdigest()
        yield (*ev, prev, digest)
        prev = digest


def hashed_body(fields: Sequence[Any]) -> bytes:
    """The bytes an event's hash covers after its ``prev_hash`` line: the ``HASHED`` fields as the
    JSON encoder writes them (``event_hash``), through orjson -- the same bytes for text, integers
    and null, at C speed -- unless a value needs the encoder itself."""
    try:
        if float not in set(map(type, fields)):
            return orjson.dumps(fields)
    except (TypeError, orjson.JSONEncodeError):  # beyond 64 bits, lone surrogates: as before
        pass
    return _encode_fields(fields).encode("utf-8")


def locked_head(conn: Connection) -> str:
    """The chain head, locked for the rest of the transaction (for a writer that hashes its events
    itself and then calls ``set_head``)."""
    return _head(conn)


def set_head(conn: Connection, value: str) -> None:
    _set_head(conn, value)


def append_chained(conn: Connection, events: list[tuple[Any, ...]], *, described: bool = False) -> str:
    """Append event tuples (``HASHED`` order, payload encoded), in one executemany on SQLite or one
    COPY on PostgreSQL that hashes each row as it is sent; the new head.

    ``described``: every text and number in the payloads comes from rows the caller writes
    through the store's checked paths in the same transaction -- before these events, or, for the
    rows a claim's ``claim.import`` lists (``store.bulk.Listed``), right after them, so that a
    refused row rolls the events back with it -- and only the actors are checked here, not the
    payloads again."""
    head = _head(conn)
    if not events:
        return head
    if described:
        check_parameters([(actor,) for actor in {ev[1] for ev in events}], executemany=True)
    last: list[str] = [head]

    def rows() -> Iterator[tuple[Any, ...]]:
        for row in chained(head, events):
            last[0] = row[-1]
            yield row

    write_rows(conn, EVENT, COLUMNS, rows(), checked=described)
    _set_head(conn, last[0])
    return last[0]


def chain_rows(prev: str, events: Iterable[dict[str, Any]], *, at: str | None = None) -> Iterator[dict[str, Any]]:
    """Complete event dicts (payload encoded, hashes filled in) following ``prev``."""
    stamp = at or now()
    for ev in events:
        row = {
            "at": ev.get("at") or stamp,
            "actor": ev["actor"],
            "action": ev["action"],
            "entity": ev["entity"],
            "entity_id": ev.get("entity_id"),
            "claim_id": ev.get("claim_id"),
            "article_id": ev.get("article_id"),
            "payload": canonical(ev.get("payload") or {}),
        }
        row["prev_hash"] = prev
        row["hash"] = prev = event_hash(prev, **{k: row[k] for k in HASHED})
        yield row


def append_events(conn: Connection, events: list[dict[str, Any]], *, at: str | None = None) -> str:
    """Append many events in one executemany; returns the new chain head."""
    if not events:
        return _head(conn)
    rows = [tuple(r[c] for c in COLUMNS) for r in chain_rows(_head(conn), events, at=at)]
    insert_many(conn, EVENT, COLUMNS, rows)
    _set_head(conn, rows[-1][-1])
    return rows[-1][-1]


def append_event(conn: Connection, *, actor: str, action: str, entity: str, entity_id: int | None = None,
                 claim_id: int | None = None, article_id: int | None = None,
                 payload: dict[str, Any] | None = None, at: str | None = None) -> str:
    return append_events(conn, [{
        "actor": actor, "action": action, "entity": entity, "entity_id": entity_id,
        "claim_id": claim_id, "article_id": article_id, "payload": payload or {}, "at": at,
    }])


def to_row(r: Any) -> EventRow:
    return EventRow(id=r.id, at=r.at, actor=r.actor, action=r.action, entity=r.entity,
                    entity_id=r.entity_id, claim_id=r.claim_id, article_id=r.article_id,
                    payload=json.loads(r.payload), prev_hash=r.prev_hash, hash=r.hash)


def article_history(conn: Connection, *, article_id: int) -> list[EventRow]:
    rows = conn.execute(select(EVENT).where(EVENT.c.article_id == article_id).order_by(EVENT.c.id))
    return [to_row(r) for r in rows]


def iter_events(conn: Connection, *, batch: int = 5000) -> Iterator[Any]:
    """All events in chain order, fetched a page at a time."""
    last = 0
    while True:
        rows = conn.execute(select(EVENT).where(EVENT.c.id > last).order_by(EVENT.c.id).limit(batch)).all()
        if not rows:
            return
        yield from rows
        last = rows[-1].id


CHAIN_COLUMNS = ("id", "prev_hash", "hash") + HASHED


def iter_event_tuples(conn: Connection, *, batch: int = 5000) -> Iterator[tuple[Any, ...]]:
    """All events in chain order as plain tuples (``CHAIN_COLUMNS``), from one streamed DBAPI
    cursor in the connection's transaction (a server-side cursor on PostgreSQL): what a walk of
    the whole chain needs, without building a SQLAlchemy row per event."""
    raw = conn.connection.driver_connection
    cursor = raw.cursor(name="chain_walk") if conn.dialect.name == "postgresql" else raw.cursor()
    try:
        cursor.execute(f'SELECT {", ".join(chr(34) + c + chr(34) for c in CHAIN_COLUMNS)} FROM event ORDER BY id')
        while rows := cursor.fetchmany(batch):
            yield from rows
    finally:
        cursor.close()


def chain_head(conn: Connection) -> str:
    return conn.execute(select(META.c.value).where(META.c.key == HEAD_KEY)).scalar() or GENESIS
