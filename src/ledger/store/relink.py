"""Relinking an appearance by hand: an editor shows where an orphaned (or misplaced) passage now
stands in the article, and the appearance is anchored there again.

The move is an ``appearance.reanchor`` event with method ``manual``, carrying the old and new
anchors, like the automatic moves a revision records.
"""

from __future__ import annotations

from sqlalchemy import Connection, delete, select

from ledger.errors import InvalidInput, NotFound
from ledger.models import Appearance
from ledger.text.anchoring import locate
from ledger.store.articles import article_body
from ledger.store.editorial import write_anchors
from ledger.store.events import append_event, now, row_delete, with_rows

APPEARANCE = Appearance.__table__


def relink_appearance(conn: Connection, *, appearance_id: int, quote: str, actor: str,
                      occurrence: int | None = None) -> int:
    """Anchor appearance ``appearance_id`` on ``quote`` in its article; returns its claim id."""
    row = conn.execute(select(APPEARANCE).where(APPEARANCE.c.id == appearance_id)).first()
    if row is None:
        raise NotFound(f"no appearance with id {appearance_id}")
    body = article_body(conn, article_id=row.article_id)
    anchor = locate(body, quote, occurrence=occurrence, where=f"article {row.article_id}")
    clash = conn.execute(select(APPEARANCE.c.id).where(
        (APPEARANCE.c.claim_id == row.claim_id) & (APPEARANCE.c.article_id == row.article_id)
        & (APPEARANCE.c.start == anchor.start) & (APPEARANCE.c.end == anchor.end)
        & (APPEARANCE.c.id != appearance_id))).first()
    if clash is not None:
        raise InvalidInput(f"claim {row.claim_id} is already anchored at that passage of article {row.article_id}")
    changes = write_anchors(conn, [{"id": appearance_id, "quote": anchor.quote, "start": anchor.start, "end": anchor.end,
                          "prefix": anchor.prefix, "suffix": anchor.suffix, "orphaned": False}])
    append_event(conn, actor=actor, action="appearance.reanchor", entity="appearance", entity_id=appearance_id,
                 claim_id=row.claim_id, article_id=row.article_id, at=now(),
                 payload=with_rows({"method": "manual", "score": None,
                                    "from": {"start": row.start, "end": row.end, "quote": row.quote,
                                             "orphaned": bool(row.orphaned)},
                                    "to": {"start": anchor.start, "end": anchor.end, "quote": anchor.quote}},
                                   *changes))
    return row.claim_id


def orphaned_appearance(conn: Connection, *, claim_id: int, article_id: int) -> int | None:
    """The id of the first orphaned appearance of ``claim_id`` in ``article_id``, if any."""
    return conn.execute(select(APPEARANCE.c.id).where(
        (APPEARANCE.c.claim_id == claim_id) & (APPEARANCE.c.article_id == article_id)
        & APPEARANCE.c.orphaned.is_(True)).order_by(APPEARANCE.c.id).limit(1)).scalar()


def unlink_appearance(conn: Connection, *, appearance_id: int, note: str, actor: str) -> int:
    """Drop appearance ``appearance_id`` deliberately: the claim no longer stands in that article (or
    not at that passage). The row goes; the ``appearance.remove`` event keeps what it was and why.
    Returns the claim id."""
    if not note or not note.strip():
        raise InvalidInput("dropping an appearance needs a note saying why (--note)")
    row = conn.execute(select(APPEARANCE).where(APPEARANCE.c.id == appearance_id)).first()
    if row is None:
        raise NotFound(f"no appearance with id {appearance_id}")
    conn.execute(delete(APPEARANCE).where(APPEARANCE.c.id == appearance_id))
    append_event(conn, actor=actor, action="appearance.remove", entity="appearance", entity_id=appearance_id,
                 claim_id=row.claim_id, article_id=row.article_id, at=now(),
                 payload=with_rows({"note": note.strip(), "quote": row.quote, "start": row.start, "end": row.end,
                                    "prefix": row.prefix, "suffix": row.suffix, "orphaned": bool(row.orphaned)},
                                   row_delete("appearance", appearance_id)))
    return row.claim_id
