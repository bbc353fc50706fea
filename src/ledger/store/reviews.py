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
from ledger.store.bulk import BATCH, _chunks, _lock_and_next_id, _sync_sequence
from ledger.store import claim_reads
from ledger.store.events import ROWS, append_events, now, row_put
from ledger.store.plain import on_connection
from ledger.store.executemany import insert_many

REVIEW = Review.__table__
LOOKUP_BATCH = 900  # keys per IN (...) query: under SQLite's bound-parameter limit


def _encode(review: dict[str, Any]) -> dict[str, Any]:
    out = {f: review.get(f) for f in FIELDS}
    for f in LIST_FIELDS:
        out[f] = json.dumps(list(out[f] or []), ensure_ascii=False) if out[f] else None
    return out


def to_review_row(r: Any) -> ReviewRow:
    m = r._mapping
    values = {f: m[f] for f in ("id",) + FIELDS}
    for f in LIST_FIELDS:
        values[f] = json.loads(values[f]) if values[f] else []
    return ReviewRow(**values)


def insert_reviews(conn: Connection, *, reviews: Iterable[dict[str, Any]], actor: str,
                   batch: int = BATCH) -> list[int]:
    """Insert review rows (dicts of ``FIELDS``; list fields as lists); returns their ids."""
    next_id = _lock_and_next_id(conn, REVIEW)
    ids: list[int] = []
    columns = ("id",) + FIELDS + ("created_at",)
    for chunk in _chunks(reviews, batch):
        stamp = now()
        rows, events = [], []
        for review in chunk:
            values = dict(_encode(review), created_at=stamp)
            rows.append((next_id,) + tuple(values[c] for c in columns[1:]))
            events.append(dict(actor=actor, action="review.import", entity="review", entity_id=next_id,
                               claim_id=values["claim_id"],
                               payload={"review_key": values["review_key"], "url": values["url"],
                                        ROWS: [row_put("review", next_id, values)]}))
            ids.append(next_id)
            next_id += 1
        insert_many(conn, REVIEW, columns, rows)
        append_events(conn, events, at=stamp)
    _sync_sequence(conn, REVIEW)
    return ids


def existing_keys(conn: Connection, keys: Iterable[str]) -> set[str]:
    """Which of ``keys`` are already review keys in the ledger (an index probe per key)."""
    found: set[str] = set()
    for chunk in _chunks(sorted(set(keys)), LOOKUP_BATCH):
        found.update(conn.execute(select(REVIEW.c.review_key).where(REVIEW.c.review_key.in_(chunk))).scalars())
    return found


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
