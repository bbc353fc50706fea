"""Claims carrying a published verdict label: counted by label, and read again when a label's
mapping changes (``ledger verdicts map``).

A re-read is a status change like any other: the claim's row moves to the new status (version
bumped, who and when recorded), the review's ``read_as`` and the review source's citation stance
follow, and one ``claim.status`` event per claim carries the note and every row change, so the
chain replays to the same state. The claim keeps its published label.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterator

from sqlalchemy import Connection, bindparam, func, select, update

from ledger.models import Citation, Claim, Review, Source
from ledger.store.bulk import _chunks
from ledger.store.events import ROWS, append_events, now, row_put

CLAIM = Claim.__table__
REVIEW = Review.__table__
CITATION = Citation.__table__
SOURCE = Source.__table__
PAGE = 1000


def label_counts(conn: Connection) -> list[tuple[str, str, str | None, int]]:
    """(label, status, read_as, claims) for every published label claims carry."""
    q = (select(CLAIM.c.status_label, CLAIM.c.status, REVIEW.c.read_as, func.count())
         .select_from(CLAIM.outerjoin(REVIEW, REVIEW.c.claim_id == CLAIM.c.id))
         .where(CLAIM.c.status_label.is_not(None))
         .group_by(CLAIM.c.status_label, CLAIM.c.status, REVIEW.c.read_as))
    return [(label, status, read_as, n) for label, status, read_as, n in conn.execute(q)]


@dataclass(frozen=True)
class Carrier:
    """A claim carrying a label, with what its re-reading needs."""

    claim_id: int
    status: str
    version: int
    label: str
    review_id: int | None
    read_as: str | None
    rating_value: str | None
    best_rating: str | None
    worst_rating: str | None
    citation_id: int | None  # the citation of the review's own page, when the review had a URL
    stance: str | None
    other_stances: frozenset[str]  # stances of the claim's other citations


def carriers(conn: Connection, labels: list[str]) -> Iterator[Carrier]:
    """The claims carrying any of ``labels``, a page at a time."""
    for part in _chunks(sorted(set(labels)), 500):
        last = 0
        while True:
            rows = conn.execute(
                select(CLAIM.c.id, CLAIM.c.status, CLAIM.c.version, CLAIM.c.status_label)
                .where(CLAIM.c.status_label.in_(part) & (CLAIM.c.id > last)).order_by(CLAIM.c.id).limit(PAGE)).all()
            if not rows:
                break
            last = rows[-1].id
            ids = [r.id for r in rows]
            reviews = {r.claim_id: r for r in conn.execute(select(REVIEW).where(REVIEW.c.claim_id.in_(ids))
                                                           .order_by(REVIEW.c.id.desc()))}
            cites: dict[int, list[Any]] = {}
            for c in conn.execute(select(CITATION.c.id, CITATION.c.claim_id, CITATION.c.stance, SOURCE.c.url)
                                  .join(SOURCE, SOURCE.c.id == CITATION.c.source_id)
                                  .where(CITATION.c.claim_id.in_(ids)).order_by(CITATION.c.id)):
                cites.setdefault(c.claim_id, []).append(c)
            for r in rows:
                rv = reviews.get(r.id)
                own = next((c for c in cites.get(r.id, []) if rv is not None and rv.url and c.url == rv.url), None)
                others = frozenset(c.stance for c in cites.get(r.id, []) if c is not own)
                yield Carrier(claim_id=r.id, status=r.status, version=r.version, label=r.status_label,
                              review_id=rv.id if rv is not None else None, read_as=rv.read_as if rv is not None else None,
                              rating_value=rv.rating_value if rv is not None else None,
                              best_rating=rv.best_rating if rv is not None else None,
                              worst_rating=rv.worst_rating if rv is not None else None,
                              citation_id=own.id if own is not None else None,
                              stance=own.stance if own is not None else None, other_stances=others)
            if len(rows) < PAGE:
                break


@dataclass(frozen=True)
class Reread:
    carrier: Carrier
    status: str
    category: str
    read_as: str | None
    stance: str | None  # the review citation's new stance (None: unchanged or no such citation)


def write_rereads(conn: Connection, changes: list[Reread], *, actor: str, note: str) -> int:
    """Apply re-readings, one ``claim.status`` event each; returns how many claims changed."""
    done = 0
    for chunk in _chunks(changes, PAGE):
        stamp = now()
        claims, reviews, citations, events = [], [], [], []
        for ch in chunk:
            c = ch.carrier
            rows = []
            if ch.status != c.status:
                claims.append({"b_id": c.claim_id, "b_status": ch.status, "b_at": stamp, "b_by": actor,
                               "b_version": c.version + 1, "b_old": c.version})
                rows.append(row_put("claim", c.claim_id, {"status": ch.status, "updated_at": stamp,
                                                          "updated_by": actor, "version": c.version + 1}))
            if c.review_id is not None and ch.read_as != c.read_as:
                reviews.append({"b_id": c.review_id, "b_read_as": ch.read_as})
                rows.append(row_put("review", c.review_id, {"read_as": ch.read_as}))
            if c.citation_id is not None and ch.stance is not None and ch.stance != c.stance:
                citations.append({"b_id": c.citation_id, "b_stance": ch.stance})
                rows.append(row_put("citation", c.citation_id, {"stance": ch.stance}))
            if not rows:
                continue
            events.append({"actor": actor, "action": "claim.status", "entity": "claim", "entity_id": c.claim_id,
                           "claim_id": c.claim_id,
                           "payload": {"from": c.status, "to": ch.status, "note": note, "category": ch.category,
                                       "label": c.label, "read_as": ch.read_as, ROWS: rows}})
        if claims:
            result = conn.execute(update(CLAIM).where((CLAIM.c.id == bindparam("b_id"))
                                                      & (CLAIM.c.version == bindparam("b_old")))
                                  .values(status=bindparam("b_status"), updated_at=bindparam("b_at"),
                                          updated_by=bindparam("b_by"), version=bindparam("b_version")), claims)
            if result.rowcount not in (-1, len(claims)):
                from ledger.errors import LedgerError

                raise LedgerError("claims changed while their verdicts were being read again; nothing was changed, "
                                  "try again")
        if reviews:
            conn.execute(update(REVIEW).where(REVIEW.c.id == bindparam("b_id"))
                         .values(read_as=bindparam("b_read_as")), reviews)
        if citations:
            conn.execute(update(CITATION).where(CITATION.c.id == bindparam("b_id"))
                         .values(stance=bindparam("b_stance")), citations)
        append_events(conn, events, at=stamp)
        done += len(events)
    return done
