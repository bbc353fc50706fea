"""The bulk path for evidence: many sources and citations in a few executemany calls.

Importers use it beside ``store.bulk`` (articles and claims). Each source and each citation gets
its own chained event, exactly as when a fact-checker adds one by hand.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Iterable

from sqlalchemy import Connection

from ledger.models import Citation, Source
from ledger.store.bulk import BATCH, Listed, _chunks, listed, _lock_and_next_id, _sync_sequence
from ledger.store.events import ROWS, JsonObject, append_chained, now, row_put_json
from ledger.store.executemany import write_rows
from ledger.text.dates import stored_day, to_edtf

SOURCE = Source.__table__
CITATION = Citation.__table__

_SOURCE_FIELDS = ("kind", "title", "publisher", "author", "url", "published", "accessed", "reliability",
                  "sha256", "file_name", "media_type", "size")
SOURCE_COLUMNS = ("id",) + _SOURCE_FIELDS + ("published_edtf", "created_at")
CITATION_COLUMNS = ("id", "claim_id", "source_id", "stance", "excerpt", "locator", "created_at")
_SOURCE_SET = JsonObject(SOURCE_COLUMNS[1:])
_SOURCE_PAYLOAD = JsonObject(_SOURCE_FIELDS + ("published_edtf", ROWS), encoded=(ROWS,))
_CITATION_SET = JsonObject(CITATION_COLUMNS[1:])
_CITATION_PAYLOAD = JsonObject(("source_id", "stance", "excerpt", "locator", ROWS), encoded=(ROWS,))
_PUBLISHED, _ACCESSED = _SOURCE_FIELDS.index("published"), _SOURCE_FIELDS.index("accessed")


def _day(value: Any) -> Any:
    """A date as a row change carries it (``json_values``): its day; anything else as is."""
    return date(value.year, value.month, value.day) if isinstance(value, date) else value


def _source_row(s: dict[str, Any], sid: int, stamp: str) -> tuple[tuple[Any, ...], list[Any], Any, str]:
    """A new source's row, its fields as given, its EDTF date, and the encoded ``row_put`` of the row."""
    given = [s.get(f) for f in _SOURCE_FIELDS]
    given[0] = given[0] or "document"
    published = given[_PUBLISHED]  # a day, or a month or year as written
    stored = list(given)
    stored[_PUBLISHED] = stored_day(published)
    edtf = to_edtf(published)
    row = (sid, *stored, edtf, stamp)
    shown = list(row[1:])
    shown[_PUBLISHED], shown[_ACCESSED] = _day(shown[_PUBLISHED]), _day(shown[_ACCESSED])
    return row, given, edtf, row_put_json("source", sid, _SOURCE_SET(shown))


def _citation_row(c: dict[str, Any], cid: int, stamp: str) -> tuple[tuple[Any, ...], str]:
    row = (cid, c["claim_id"], c["source_id"], c["stance"], c.get("excerpt"), c.get("locator"), stamp)
    return row, row_put_json("citation", cid, _CITATION_SET(row[1:]))


def bulk_insert_sources(conn: Connection, *, sources: Iterable[dict[str, Any]], actor: str,
                        batch: int = BATCH) -> list[int]:
    """Insert sources (dicts with at least ``title``); returns their ids in order.

    Each gets a ``source.add`` event whose payload (the source's fields, its date as given, and
    ``row_put`` of the row) is filled into pre-built templates of its canonical JSON."""
    next_id = _lock_and_next_id(conn, SOURCE)
    ids: list[int] = []
    for chunk in _chunks(sources, batch):
        stamp = now()
        rows, events = [], []
        for s in chunk:
            row, given, edtf, change = _source_row(s, next_id, stamp)
            rows.append(row)
            events.append((stamp, actor, "source.add", "source", next_id, None, None,
                           _SOURCE_PAYLOAD((*given, edtf, f"[{change}]"))))
            ids.append(next_id)
            next_id += 1
        write_rows(conn, SOURCE, SOURCE_COLUMNS, rows)
        append_chained(conn, events, described=True)
    _sync_sequence(conn, SOURCE)
    return ids


def listed_sources(conn: Connection, *, sources: list[dict[str, Any]]) -> Listed:
    """New sources as ``bulk_insert_sources`` makes them, whose creation the events of the claims
    citing them list (``store.bulk.Listed``) instead of a ``source.add`` each."""
    return listed(conn, SOURCE, SOURCE_COLUMNS, sources, _source_row)


def listed_citations(conn: Connection, *, citations: list[dict[str, Any]]) -> Listed:
    """Citations as ``bulk_insert_citations`` makes them, listed by their claims' events."""
    return listed(conn, CITATION, CITATION_COLUMNS, citations, _citation_row)


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
            row, change = _citation_row(c, next_id, stamp)
            rows.append(row)
            events.append((stamp, actor, "citation.add", "citation", next_id, row[1], None,
                           _CITATION_PAYLOAD((*row[2:6], f"[{change}]"))))
            ids.append(next_id)
            next_id += 1
        write_rows(conn, CITATION, CITATION_COLUMNS, rows)
        append_chained(conn, events, described=True)
    _sync_sequence(conn, CITATION)
    return ids
