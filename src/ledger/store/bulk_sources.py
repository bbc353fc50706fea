"""The bulk path for evidence: many sources and citations in a few executemany calls.

Importers use it beside ``store.bulk`` (articles and claims). Each source and each citation gets
its own chained event, exactly as when a fact-checker adds one by hand.
"""

from __future__ import annotations

from typing import Any, Iterable

from sqlalchemy import Connection

from ledger.models import Citation, Source
from ledger.store.bulk import BATCH, _chunks, _lock_and_next_id, _sync_sequence
from ledger.store.events import append_events, json_values, now, row_put_new, with_rows
from ledger.text.dates import stored_day, to_edtf

SOURCE = Source.__table__
CITATION = Citation.__table__

_SOURCE_FIELDS = ("kind", "title", "publisher", "author", "url", "published", "accessed", "reliability",
                  "sha256", "file_name", "media_type", "size")


def bulk_insert_sources(conn: Connection, *, sources: Iterable[dict[str, Any]], actor: str,
                        batch: int = BATCH) -> list[int]:
    """Insert sources (dicts with at least ``title``); returns their ids in order."""
    next_id = _lock_and_next_id(conn, SOURCE)
    ids: list[int] = []
    for chunk in _chunks(sources, batch):
        stamp = now()
        rows, events = [], []
        for s in chunk:
            row = {f: s.get(f) for f in _SOURCE_FIELDS}
            row["kind"] = row["kind"] or "document"
            published = row["published"]  # a day, or a month or year as written
            row["published"], row["published_edtf"] = stored_day(published), to_edtf(published)
            rows.append(dict(row, id=next_id, created_at=stamp))
            events.append(dict(actor=actor, action="source.add", entity="source", entity_id=next_id,
                               payload=with_rows(dict(row, published=published),
                                                 row_put_new("source", json_values(rows[-1])))))
            ids.append(next_id)
            next_id += 1
        conn.execute(SOURCE.insert(), rows)
        append_events(conn, events, at=stamp)
    _sync_sequence(conn, SOURCE)
    return ids


def bulk_insert_citations(conn: Connection, *, citations: Iterable[dict[str, Any]], actor: str,
                          batch: int = BATCH) -> list[int]:
    """Insert citations (``claim_id``, ``source_id``, ``stance``, optional ``excerpt`` and
    ``locator``); returns their ids in order."""
    next_id = _lock_and_next_id(conn, CITATION)
    ids: list[int] = []
    for chunk in _chunks(citations, batch):
        stamp = now()
        rows, events = [], []
        for c in chunk:
            rows.append(dict(id=next_id, claim_id=c["claim_id"], source_id=c["source_id"], stance=c["stance"],
                             excerpt=c.get("excerpt"), locator=c.get("locator"), created_at=stamp))
            events.append(dict(actor=actor, action="citation.add", entity="citation", entity_id=next_id,
                               claim_id=c["claim_id"],
                               payload=with_rows({"source_id": c["source_id"], "stance": c["stance"],
                                                  "excerpt": c.get("excerpt"), "locator": c.get("locator")},
                                                 row_put_new("citation", rows[-1]))))
            ids.append(next_id)
            next_id += 1
        conn.execute(CITATION.insert(), rows)
        append_events(conn, events, at=stamp)
    _sync_sequence(conn, CITATION)
    return ids
