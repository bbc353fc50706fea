"""Sources (evidence) and citations linking claims to them."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Connection, func, select

from ledger.errors import InvalidInput, NotFound
from ledger.models import (RELIABILITY_GRADES, SOURCE_KINDS, STANCES, Citation, Claim, Source,
                           SourceRow)
from ledger.store.events import ROWS, append_event, json_values, now, row_put, with_rows
from ledger.text.dates import from_stored, stored_day, to_edtf
from ledger.store.articles import page_from_nearer_end
from ledger.store.textfilter import filtered

SOURCE = Source.__table__
CITATION = Citation.__table__
CLAIM = Claim.__table__


def check_source_fields(*, kind: str, reliability: str | None) -> tuple[str, str | None]:
    kind = kind.strip().lower()
    if kind not in SOURCE_KINDS:
        raise InvalidInput(f"unknown source kind {kind!r}; valid kinds: {', '.join(SOURCE_KINDS)}")
    if reliability is not None:
        reliability = reliability.strip().upper()
        if reliability not in RELIABILITY_GRADES:
            raise InvalidInput(f"reliability must be a grade A-F (Admiralty scale), not {reliability!r}")
    return kind, reliability


def add_source(conn: Connection, *, title: str, actor: str, kind: str = "document", publisher: str | None = None,
               author: str | None = None, url: str | None = None, published: date | None = None,
               accessed: date | None = None, reliability: str | None = None, sha256: str | None = None,
               file_name: str | None = None, media_type: str | None = None, size: int | None = None,
               capture: dict[str, Any] | None = None) -> int:
    """A new source; ``published`` may be partial (a month, a year). ``capture`` is the first
    capture of a fetched URL (the columns of ``store.captures``), written in the same action."""
    if not title or not title.strip():
        raise InvalidInput("a source needs a title (--title)")
    kind, reliability = check_source_fields(kind=kind, reliability=reliability)
    if not (sha256 or url):
        raise InvalidInput("a source needs an archived file (--file) or a URL (--url)")
    stamp = now()
    values = dict(kind=kind, title=title.strip(), publisher=publisher, author=author, url=url,
                  published=stored_day(published), accessed=accessed, reliability=reliability, sha256=sha256,
                  file_name=file_name, media_type=media_type, size=size, created_at=stamp,
                  published_edtf=to_edtf(published))
    source_id = conn.execute(SOURCE.insert().values(**values)).inserted_primary_key[0]
    payload = {k: v for k, v in values.items() if k not in ("created_at", "published_edtf")}
    payload["published"] = published
    payload[ROWS] = [row_put("source", source_id, json_values(values))]
    if capture is not None:
        from ledger.store.captures import insert_capture

        capture_id, change = insert_capture(conn, source_id=source_id, values=capture, actor=actor)
        payload["capture_id"] = capture_id
        payload[ROWS].append(change)
    append_event(conn, actor=actor, action="source.add", entity="source", entity_id=source_id, at=stamp,
                 payload=payload)
    return source_id



_SOURCE_COLS = [SOURCE.c[c] for c in ("id", "kind", "title", "publisher", "author", "url", "published",
                                      "accessed", "reliability", "sha256", "file_name", "media_type", "size",
                                      "published_edtf")]


def _source_row(r: Any, citation_count: int = 0) -> SourceRow:
    values = {c.name: getattr(r, c.name) for c in _SOURCE_COLS if c.name != "published_edtf"}
    values["published"] = from_stored(values["published"], r.published_edtf)
    return SourceRow(**values, citation_count=citation_count)


def get_source(conn: Connection, *, source_id: int) -> SourceRow:
    r = conn.execute(select(*_SOURCE_COLS).where(SOURCE.c.id == source_id)).first()
    if r is None:
        raise NotFound(f"no source with id {source_id}")
    n = conn.execute(select(func.count(func.distinct(CITATION.c.claim_id)))
                     .where((CITATION.c.source_id == source_id) & CITATION.c.retracted_at.is_(None))).scalar_one()
    return _source_row(r, n)


def list_sources(conn: Connection, *, limit: int = 100, offset: int = 0, text: str | None = None) -> list[SourceRow]:
    """One page of sources with how many claims cite each."""
    q = select(*_SOURCE_COLS)
    if text:
        q = q.where(filtered(conn, text, SOURCE, SOURCE.c.title, SOURCE.c.publisher))
    rows = page_from_nearer_end(conn, q, SOURCE.c.id, descending=False, limit=limit, offset=offset)
    ids = [r.id for r in rows]
    counts: dict[int, int] = {}
    if ids:
        counts = dict(conn.execute(select(CITATION.c.source_id, func.count(func.distinct(CITATION.c.claim_id)))
                                   .where(CITATION.c.source_id.in_(ids) & CITATION.c.retracted_at.is_(None))
                                   .group_by(CITATION.c.source_id)).all())
    return [_source_row(r, counts.get(r.id, 0)) for r in rows]


def add_citation(conn: Connection, *, claim_id: int, source_id: int, stance: str, actor: str,
                 excerpt: str | None = None, locator: str | None = None) -> int:
    stance = stance.strip().lower()
    if stance not in STANCES:
        raise InvalidInput(f"unknown stance {stance!r}; valid stances: {', '.join(STANCES)}")
    if conn.execute(select(CLAIM.c.id).where(CLAIM.c.id == claim_id)).first() is None:
        raise NotFound(f"no claim with id {claim_id}")
    get_source(conn, source_id=source_id)
    stamp = now()
    values = dict(claim_id=claim_id, source_id=source_id, stance=stance, excerpt=excerpt, locator=locator,
                  created_at=stamp)
    citation_id = conn.execute(CITATION.insert().values(**values)).inserted_primary_key[0]
    append_event(conn, actor=actor, action="citation.add", entity="citation", entity_id=citation_id,
                 claim_id=claim_id, at=stamp,
                 payload=with_rows({"source_id": source_id, "stance": stance, "excerpt": excerpt, "locator": locator},
                                   row_put("citation", citation_id, values)))
    return citation_id
