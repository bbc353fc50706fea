"""The bulk path for more passages of claims already in the ledger (one executemany per batch).

Each appearance is already anchored by the caller (quote, offsets, context) and gets its own
``appearance.add`` event, as when an editor links a claim to another article by hand.
"""

from __future__ import annotations

from typing import Any, Iterable

from sqlalchemy import Connection

from ledger.models import Appearance
from ledger.store.bulk import BATCH, _chunks, _lock_and_next_id, _sync_sequence
from ledger.store.events import append_events, now, row_put_new, with_rows

APPEARANCE = Appearance.__table__


def bulk_insert_appearances(conn: Connection, *, appearances: Iterable[dict[str, Any]], actor: str,
                            batch: int = BATCH) -> list[int]:
    """Insert appearances (``claim_id``, ``article_id``, ``quote``, ``start``, ``end``, ``prefix``,
    ``suffix``); returns their ids in order."""
    next_id = _lock_and_next_id(conn, APPEARANCE)
    ids: list[int] = []
    for chunk in _chunks(appearances, batch):
        stamp = now()
        rows, events = [], []
        for a in chunk:
            rows.append(dict(id=next_id, claim_id=a["claim_id"], article_id=a["article_id"], quote=a["quote"],
                             start=a["start"], end=a["end"], prefix=a.get("prefix", ""), suffix=a.get("suffix", ""),
                             orphaned=False, created_at=stamp))
            events.append(dict(actor=actor, action="appearance.add", entity="appearance", entity_id=next_id,
                               claim_id=a["claim_id"], article_id=a["article_id"],
                               payload=with_rows({"quote": a["quote"], "start": a["start"], "end": a["end"]},
                                                 row_put_new("appearance", rows[-1]))))
            ids.append(next_id)
            next_id += 1
        conn.execute(APPEARANCE.insert(), rows)
        append_events(conn, events, at=stamp)
    _sync_sequence(conn, APPEARANCE)
    return ids
