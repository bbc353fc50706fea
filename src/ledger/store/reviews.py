"""Reviews by other fact-checkers (imported ClaimReview), kept as published.

One ``review`` row per imported claim: who published it (publisher organisation, author), where
and when (URL, date and time as given), the rating on its own scale, its language, headline,
claimant (with ``sameAs``), the URLs where the claim appeared, its stable key (the ``@id``) and how
the claim's status was read from it (``read_as``). Rows are written many at a time, each with its
own chained event carrying the row (``row_put``), so the table can be replayed from the chain.
"""

from __future__ import annotations

import json
from typing import Any, Iterable

from sqlalchemy import Connection, select

from ledger.models import Review
from ledger.rows import REVIEW_FIELDS as FIELDS, REVIEW_LIST_FIELDS as LIST_FIELDS, ReviewRow
from ledger.store.bulk import BATCH, Listed, _chunks, listed, _lock_and_next_id, _sync_sequence
from ledger.store import claim_reads
from ledger.store.events import ROWS, JsonObject, append_chained, now, row_put_json
from ledger.store.executemany import write_rows
from ledger.store.plain import on_connection

REVIEW = Review.__table__
LOOKUP_BATCH = 900  # keys per IN (...) query: under SQLite's bound-parameter limit


def to_review_row(r: Any) -> ReviewRow:
    m = r._mapping
    values = {f: m[f] for f in ("id",) + FIELDS}
    for f in LIST_FIELDS:
        values[f] = json.loads(values[f]) if values[f] else []
    return ReviewRow(**values)


COLUMNS = ("id",) + FIELDS + ("created_at",)
_REVIEW_SET = JsonObject(COLUMNS[1:])
_REVIEW_PAYLOAD = JsonObject(("review_key", "url", ROWS), encoded=(ROWS,))
_KEY, _URL = FIELDS.index("review_key") + 1, FIELDS.index("url") + 1
_LISTS = tuple(FIELDS.index(f) for f in LIST_FIELDS)


def _review_row(review: dict[str, Any], rid: int, stamp: str) -> tuple[tuple[Any, ...], str]:
    """A review's row (list fields as JSON text) and the encoded ``row_put`` of it."""
    values = [review.get(f) for f in FIELDS]
    for i in _LISTS:
        values[i] = json.dumps(list(values[i]), ensure_ascii=False) if values[i] else None
    row = (rid, *values, stamp)
    return row, row_put_json("review", rid, _REVIEW_SET(row[1:]))


def insert_reviews(conn: Connection, *, reviews: Iterable[dict[str, Any]], actor: str,
                   batch: int = BATCH) -> list[int]:
    """Insert review rows (dicts of ``FIELDS``; list fields as lists); returns their ids.

    Each gets a ``review.import`` event (its key, URL and ``row_put`` of the row), filled into
    pre-built templates of its canonical JSON."""
    next_id = _lock_and_next_id(conn, REVIEW)
    ids: list[int] = []
    for chunk in _chunks(reviews, batch):
        stamp = now()
        rows, events = [], []
        for review in chunk:
            row, change = _review_row(review, next_id, stamp)
            rows.append(row)
            events.append((stamp, actor, "review.import", "review", next_id, row[1], None,
                           _REVIEW_PAYLOAD((row[_KEY], row[_URL], f"[{change}]"))))
            ids.append(next_id)
            next_id += 1
        write_rows(conn, REVIEW, COLUMNS, rows)
        append_chained(conn, events, described=True)
    _sync_sequence(conn, REVIEW)
    return ids


def listed_reviews(conn: Connection, *, reviews: list[dict[str, Any]]) -> Listed:
    """Review rows as ``insert_reviews`` makes them, whose creation their claims' events list
    (``store.bulk.Listed``) instead of a ``review.import`` each."""
    return listed(conn, REVIEW, COLUMNS, reviews, _review_row)


def existing_keys(conn: Connection, keys: Iterable[str]) -> set[str]:
    """Which of ``keys`` are already review keys in the ledger (an index probe per key)."""
    found: set[str] = set()
    for chunk in _chunks(sorted(set(keys)), LOOKUP_BATCH):
        found.update(conn.execute(keys_query(chunk)).scalars())
    return found


def keys_query(keys: list[str]) -> Any:
    """Which of these review keys the ledger holds (ix_review_review_key)."""
    return select(REVIEW.c.review_key).where(REVIEW.c.review_key.in_(keys))


def review_of_claim(conn: Connection, *, claim_id: int) -> ReviewRow | None:
    return claim_reads.review_of_claim(on_connection(conn), claim_id)


def reviews_of_claims(conn: Connection, claim_ids: list[int]) -> dict[int, ReviewRow]:
    out: dict[int, ReviewRow] = {}
    for chunk in _chunks(claim_ids, LOOKUP_BATCH):
        for r in conn.execute(select(REVIEW).where(REVIEW.c.claim_id.in_(chunk)).order_by(REVIEW.c.id)):
            out.setdefault(r.claim_id, to_review_row(r))
    return out


def ledger_iri(conn: Connection) -> str | None:
    """This ledger's name in the ``@id`` of the reviews it exports of its own claims: its first
    event's hash, which no later change can alter (None for a ledger with no history yet)."""
    from ledger.models import Event

    first = conn.execute(select(Event.__table__.c.hash).order_by(Event.__table__.c.id).limit(1)).scalar()
    return f"urn:claim-ledger:{first[:16]}" if first else None


def own_review_id(iri: str, claim_id: int) -> str:
    return f"{iri}:claim:{claim_id}"
