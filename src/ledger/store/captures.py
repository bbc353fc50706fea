"""Captures: each fetch of a URL source, kept as a new version beside the earlier ones.

A capture names its WARC file in ``sources/`` (request, response headers and body, fetch time)
and keeps the page's readable text, against which excerpts are checked. The source row points
at its latest capture (``file_name``/``sha256`` are the WARC's, ``accessed`` the fetch day), so
the archive checks and the stale-evidence rule see the fresh copy; older captures stay, and
``ledger verify`` re-hashes them all.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Connection, func, select, update

from ledger.errors import NotFound
from ledger.models import Capture, CaptureRow, Source
from ledger.store.events import ROWS, append_event, json_values, now, row_put

CAPTURE = Capture.__table__
SOURCE = Source.__table__
COLUMNS = ("url", "final_url", "status", "fetched_at", "media_type", "size", "body_sha256", "warc_file",
           "warc_sha256", "text", "text_sha256")
_ROW_COLS = [CAPTURE.c[c] for c in ("id", "source_id", "version", "url", "final_url", "status", "fetched_at",
                                    "media_type", "size", "body_sha256", "warc_file", "warc_sha256",
                                    "text_sha256", "actor")]


def insert_capture(conn: Connection, *, source_id: int, values: dict[str, Any], actor: str) -> tuple[int, dict]:
    """Insert the next capture of ``source_id``; returns its id and the row change for the event."""
    version = (conn.execute(select(func.max(CAPTURE.c.version)).where(CAPTURE.c.source_id == source_id))
               .scalar() or 0) + 1
    row = {"source_id": source_id, "version": version, **{k: values.get(k) for k in COLUMNS}, "actor": actor}
    capture_id = conn.execute(CAPTURE.insert().values(**row)).inserted_primary_key[0]
    return capture_id, row_put("capture", capture_id, row)


def add_capture(conn: Connection, *, source_id: int, values: dict[str, Any], actor: str,
                source_changes: dict[str, Any], summary: dict[str, Any] | None = None) -> int:
    """A new capture of an existing source (a refresh), the source pointed at it, one event."""
    if conn.execute(select(SOURCE.c.id).where(SOURCE.c.id == source_id)).first() is None:
        raise NotFound(f"no source with id {source_id}")
    stamp = now()
    capture_id, change = insert_capture(conn, source_id=source_id, values=values, actor=actor)
    conn.execute(update(SOURCE).where(SOURCE.c.id == source_id).values(**source_changes))
    payload = {"capture_id": capture_id, "final_url": values.get("final_url"), "status": values.get("status"),
               "warc_file": values.get("warc_file"), **(summary or {}),
               ROWS: [change, row_put("source", source_id, json_values(source_changes))]}
    append_event(conn, actor=actor, action="source.capture", entity="source", entity_id=source_id, at=stamp,
                 payload=payload)
    return capture_id


def to_capture_row(r: Any) -> CaptureRow:
    return CaptureRow(**{c.name: getattr(r, c.name) for c in _ROW_COLS})


def list_captures(conn: Connection, *, source_id: int) -> list[CaptureRow]:
    rows = conn.execute(select(*_ROW_COLS).where(CAPTURE.c.source_id == source_id).order_by(CAPTURE.c.version))
    return [to_capture_row(r) for r in rows]


def latest_capture(conn: Connection, *, source_id: int) -> tuple[CaptureRow, str | None] | None:
    """The source's latest capture and its text, or None for a source never fetched."""
    r = conn.execute(select(*_ROW_COLS, CAPTURE.c.text).where(CAPTURE.c.source_id == source_id)
                     .order_by(CAPTURE.c.version.desc()).limit(1)).first()
    return None if r is None else (to_capture_row(r), r.text)


def capture_before(conn: Connection, *, source_id: int, at: str) -> CaptureRow | None:
    """The latest capture of the source fetched at or before ``at`` (an event time)."""
    r = conn.execute(select(*_ROW_COLS).where((CAPTURE.c.source_id == source_id) & (CAPTURE.c.fetched_at <= at))
                     .order_by(CAPTURE.c.version.desc()).limit(1)).first()
    return None if r is None else to_capture_row(r)


def iter_warc_files(conn: Connection, *, after: int = 0, limit: int = 1000) -> list[Any]:
    """A page of the earlier captures (id, source id, WARC name and hash) after capture id
    ``after``: those whose WARC the source row no longer names (the latest is checked with it)."""
    current = func.coalesce(SOURCE.c.file_name, "") == CAPTURE.c.warc_file
    return conn.execute(select(CAPTURE.c.id, CAPTURE.c.source_id, CAPTURE.c.warc_file, CAPTURE.c.warc_sha256)
                        .join(SOURCE, SOURCE.c.id == CAPTURE.c.source_id)
                        .where((CAPTURE.c.id > after) & ~current).order_by(CAPTURE.c.id).limit(limit)).all()


def fetched_day(stamp: str) -> date:
    return date.fromisoformat(stamp[:10])


VERDICT_ACTIONS = ("claim.add", "claim.import", "claim.status")


def citing_claims(conn: Connection, *, source_id: int) -> list[Any]:
    """The citations of a source with their claim and when that claim was last judged
    (citation id, claim id, excerpt, verdict time)."""
    from ledger.models import Citation, Event

    citation, event = Citation.__table__, Event.__table__
    verdict = (select(event.c.claim_id, func.max(event.c.at).label("at"))
               .where(event.c.action.in_(VERDICT_ACTIONS)).group_by(event.c.claim_id).subquery("verdict"))
    return conn.execute(select(citation.c.id, citation.c.claim_id, citation.c.excerpt, verdict.c.at)
                        .join(verdict, verdict.c.claim_id == citation.c.claim_id, isouter=True)
                        .where(citation.c.source_id == source_id).order_by(citation.c.id)).all()
