"""Sources (evidence) and citations linking claims to them."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Connection, func, select

from ledger.errors import InvalidInput, NotFound
from ledger.models import (RELIABILITY_GRADES, SOURCE_KINDS, STANCES, Citation, CitationRow, Claim, Source,
                           SourceRow)
from ledger.store.events import append_event, now
from ledger.store.textfilter import matching

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
               file_name: str | None = None, media_type: str | None = None, size: int | None = None) -> int:
    if not title or not title.strip():
        raise InvalidInput("a source needs a title (--title)")
    kind, reliability = check_source_fields(kind=kind, reliability=reliability)
    if not (sha256 or url):
        raise InvalidInput("a source needs an archived file (--file) or a URL (--url)")
    stamp = now()
    values = dict(kind=kind, title=title.strip(), publisher=publisher, author=author, url=url,
                  published=published, accessed=accessed, reliability=reliability, sha256=sha256,
                  file_name=file_name, media_type=media_type, size=size, created_at=stamp)
    source_id = conn.execute(SOURCE.insert().values(**values)).inserted_primary_key[0]
    append_event(conn, actor=actor, action="source.add", entity="source", entity_id=source_id, at=stamp,
                 payload={k: v for k, v in values.items() if k != "created_at"})
    return source_id


_SOURCE_COLS = [SOURCE.c[c] for c in ("id", "kind", "title", "publisher", "author", "url", "published",
                                      "accessed", "reliability", "sha256", "file_name", "media_type", "size")]


def _source_row(r: Any, citation_count: int = 0) -> SourceRow:
    return SourceRow(**{c.name: getattr(r, c.name) for c in _SOURCE_COLS}, citation_count=citation_count)


def get_source(conn: Connection, *, source_id: int) -> SourceRow:
    r = conn.execute(select(*_SOURCE_COLS).where(SOURCE.c.id == source_id)).first()
    if r is None:
        raise NotFound(f"no source with id {source_id}")
    n = conn.execute(select(func.count(func.distinct(CITATION.c.claim_id)))
                     .where((CITATION.c.source_id == source_id) & CITATION.c.retracted_at.is_(None))).scalar_one()
    return _source_row(r, n)


def list_sources(conn: Connection, *, limit: int = 100, offset: int = 0, text: str | None = None) -> list[SourceRow]:
    """One page of sources with how many claims cite each."""
    q = select(*_SOURCE_COLS).order_by(SOURCE.c.id).limit(limit).offset(offset)
    if text:
        q = q.where(matching(conn, text, SOURCE.c.title, SOURCE.c.publisher))
    rows = conn.execute(q).all()
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
    citation_id = conn.execute(CITATION.insert().values(
        claim_id=claim_id, source_id=source_id, stance=stance, excerpt=excerpt, locator=locator, created_at=stamp,
    )).inserted_primary_key[0]
    append_event(conn, actor=actor, action="citation.add", entity="citation", entity_id=citation_id,
                 claim_id=claim_id, at=stamp,
                 payload={"source_id": source_id, "stance": stance, "excerpt": excerpt, "locator": locator})
    return citation_id


def citations_of_claim(conn: Connection, *, claim_id: int) -> list[CitationRow]:
    q = (select(CITATION, SOURCE.c.title, SOURCE.c.publisher, SOURCE.c.kind)
         .join(SOURCE, SOURCE.c.id == CITATION.c.source_id)
         .where(CITATION.c.claim_id == claim_id).order_by(CITATION.c.id))
    return [CitationRow(id=r.id, claim_id=r.claim_id, source_id=r.source_id, stance=r.stance, excerpt=r.excerpt,
                        locator=r.locator, source_title=r.title, source_publisher=r.publisher, source_kind=r.kind,
                        retracted_at=r.retracted_at, retracted_by=r.retracted_by,
                        retraction_note=r.retraction_note, retracted=r.retracted_at is not None)
            for r in conn.execute(q)]
