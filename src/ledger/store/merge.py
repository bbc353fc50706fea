"""Merging a duplicate claim into the one the desk keeps.

``merge_claims`` moves OTHER's appearances and citations onto KEEP and marks OTHER as merged
(``claim.merged_into``): its row and its history stay, and its id resolves to KEEP wherever a
claim id is taken (``resolve_claim_id``). Two events record it, one in each claim's history,
carrying every row they change.
"""

from __future__ import annotations

from sqlalchemy import Connection, delete, select, update

from ledger.errors import InvalidInput, NotFound
from ledger.models import Appearance, Citation, Claim
from ledger.store import claim_reads
from ledger.store.events import append_event, now, row_delete, row_put
from ledger.store.plain import on_connection

CLAIM = Claim.__table__
APPEARANCE = Appearance.__table__
CITATION = Citation.__table__


def resolve_claim_id(conn: Connection, claim_id: int) -> int:
    """The claim ``claim_id`` stands for: itself, or the claim it was merged into (followed)."""
    return claim_reads.resolve(on_connection(conn), claim_id)


def merged_into(conn: Connection, claim_id: int) -> int | None:
    return conn.execute(select(CLAIM.c.merged_into).where(CLAIM.c.id == claim_id)).scalar()


def merge_claims(conn: Connection, *, keep: int, other: int, note: str, actor: str) -> dict[str, list[int]]:
    """Merge claim ``other`` into ``keep``; returns the appearance and citation ids moved."""
    if not note or not note.strip():
        raise InvalidInput("a merge needs a note saying why the claims are the same (--note)")
    if keep == other:
        raise InvalidInput("a claim cannot be merged into itself")
    rows = {r.id: r for r in conn.execute(select(CLAIM).where(CLAIM.c.id.in_([keep, other])))}
    for cid in (keep, other):
        if cid not in rows:
            raise NotFound(f"no claim with id {cid}")
        if rows[cid].merged_into is not None:
            raise InvalidInput(f"claim {cid} was already merged into claim {rows[cid].merged_into}",
                               hint=f"merge into claim {rows[cid].merged_into} instead")
    stamp = now()
    changes = []
    kept_spans = {(r.article_id, r.start, r.end) for r in conn.execute(
        select(APPEARANCE.c.article_id, APPEARANCE.c.start, APPEARANCE.c.end).where(APPEARANCE.c.claim_id == keep))}
    moved_apps, dropped_apps = [], []
    for r in conn.execute(select(APPEARANCE).where(APPEARANCE.c.claim_id == other).order_by(APPEARANCE.c.id)).all():
        if (r.article_id, r.start, r.end) in kept_spans:  # the same passage already anchors KEEP
            conn.execute(delete(APPEARANCE).where(APPEARANCE.c.id == r.id))
            changes.append(row_delete("appearance", r.id))
            dropped_apps.append(r.id)
        else:
            conn.execute(update(APPEARANCE).where(APPEARANCE.c.id == r.id).values(claim_id=keep))
            changes.append(row_put("appearance", r.id, {"claim_id": keep}))
            moved_apps.append(r.id)
    moved_cites = list(conn.execute(select(CITATION.c.id).where(CITATION.c.claim_id == other)
                                    .order_by(CITATION.c.id)).scalars())
    if moved_cites:
        conn.execute(update(CITATION).where(CITATION.c.id.in_(moved_cites)).values(claim_id=keep))
        changes += [row_put("citation", i, {"claim_id": keep}) for i in moved_cites]
    version = rows[other].version + 1
    result = conn.execute(update(CLAIM).where((CLAIM.c.id == other) & (CLAIM.c.version == rows[other].version))
                          .values(merged_into=keep, updated_at=stamp, updated_by=actor, version=version))
    if result.rowcount != 1:
        raise InvalidInput(f"claim {other} changed while it was being merged; try again")
    note = note.strip()
    moved = {"appearances": moved_apps, "appearances_dropped": dropped_apps, "citations": moved_cites}
    append_event(conn, actor=actor, action="claim.merge", entity="claim", entity_id=keep, claim_id=keep, at=stamp,
                 payload={"merged": other, "note": note, **moved, "rows": changes})
    append_event(conn, actor=actor, action="claim.merged", entity="claim", entity_id=other, claim_id=other,
                 at=stamp, payload={"into": keep, "note": note, **moved, "rows": [row_put("claim", other, {
                     "merged_into": keep, "updated_at": stamp, "updated_by": actor, "version": version})]})
    return moved
