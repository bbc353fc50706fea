"""A claim as ``claim show`` presents it — the claim, its appearances, citations, history and
the published review it came from — read with plain SQL (``store.plain``).

The same queries serve every path: ``store.claims.get_claim_detail`` runs them on a SQLAlchemy
connection, and read commands on an up-to-date ledger run them on a bare ``sqlite3``
(or ``psycopg``) connection without loading SQLAlchemy or the table models. Values are normalised to what the
table models give on either backend (days as ``date``, flags as ``bool``).
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from ledger.errors import NotFound
from ledger.rows import (REVIEW_FIELDS, REVIEW_LIST_FIELDS, AppearanceRow, CitationRow, ClaimDetail, ClaimRow,
                         EventRow, ReviewRow)
from ledger.store.plain import Run
from ledger.text.stored_dates import from_stored

MAX_HOPS = 50  # merged-into links followed at most (a longer chain is a corrupt ledger, not a loop)

_CLAIM = ("SELECT id, text, kind, claimant, claim_date, priority, status, status_label, created_at, updated_at, "
          "updated_by, version, claim_date_edtf FROM claim WHERE id = ?")
_APPEARANCES = ('SELECT a.id, a.claim_id, a.article_id, a.quote, a.start, a."end", a.prefix, a.suffix, a.orphaned, '
                "r.title, a.needs_confirm FROM appearance a JOIN article r ON r.id = a.article_id "
                "WHERE a.claim_id = ? ORDER BY a.id")
_CITATIONS = ("SELECT c.id, c.claim_id, c.source_id, c.stance, c.excerpt, c.locator, s.title, s.publisher, s.kind, "
              "c.retracted_at, c.retracted_by, c.retraction_note FROM citation c JOIN source s ON s.id = c.source_id "
              "WHERE c.claim_id = ? ORDER BY c.id")
_EVENTS = ('SELECT id, "at", actor, action, entity, entity_id, claim_id, article_id, payload, prev_hash, hash '
           "FROM event WHERE claim_id = ? ORDER BY id")
_REVIEW = f"SELECT id, {', '.join(REVIEW_FIELDS)} FROM review WHERE claim_id = ? ORDER BY id LIMIT 1"


def _day(value: Any) -> date | None:
    """A date column as the models read it: SQLite hands back its ISO text, PostgreSQL a date."""
    return date.fromisoformat(value) if isinstance(value, str) else value


def resolve(run: Run, claim_id: int) -> int:
    """The claim ``claim_id`` stands for: itself, or the claim it was merged into (followed)."""
    current = claim_id
    for _ in range(MAX_HOPS):
        rows = run("SELECT merged_into FROM claim WHERE id = ?", (current,))
        if not rows:
            raise NotFound(f"no claim with id {claim_id}")
        if rows[0][0] is None:
            return current
        current = rows[0][0]
    return current


def claim_row(run: Run, claim_id: int) -> ClaimRow:
    rows = run(_CLAIM, (claim_id,))
    if not rows:
        raise NotFound(f"no claim with id {claim_id}")
    (id_, text, kind, claimant, day, priority, status, status_label, created_at, updated_at, updated_by, version,
     edtf) = rows[0]
    return ClaimRow(id=id_, text=text, kind=kind, claimant=claimant, claim_date=from_stored(_day(day), edtf),
                    priority=priority, status=status, status_label=status_label, created_at=created_at,
                    updated_at=updated_at, updated_by=updated_by, version=version)


def claim_detail(run: Run, claim_id: int) -> ClaimDetail:
    """The claim ``claim_id`` (not followed through a merge) with its appearances, citations and history."""
    claim = claim_row(run, claim_id)
    appearances = [AppearanceRow(id=i, claim_id=c, article_id=a, quote=q, start=s, end=e, prefix=p, suffix=x,
                                 orphaned=bool(o), article_title=t, needs_confirm=bool(n))
                   for i, c, a, q, s, e, p, x, o, t, n in run(_APPEARANCES, (claim_id,))]
    citations = [CitationRow(id=i, claim_id=c, source_id=s, stance=st, excerpt=ex, locator=lo, source_title=t,
                             source_publisher=pu, source_kind=k, retracted_at=ra, retracted_by=rb,
                             retraction_note=rn, retracted=ra is not None)
                 for i, c, s, st, ex, lo, t, pu, k, ra, rb, rn in run(_CITATIONS, (claim_id,))]
    history = [EventRow(id=i, at=at, actor=ac, action=an, entity=en, entity_id=ei, claim_id=ci, article_id=ai,
                        payload=json.loads(pl), prev_hash=ph, hash=h)
               for i, at, ac, an, en, ei, ci, ai, pl, ph, h in run(_EVENTS, (claim_id,))]
    return ClaimDetail(claim=claim, appearances=appearances, citations=citations, history=history)


def review_of_claim(run: Run, claim_id: int) -> ReviewRow | None:
    """The review by another fact-checker the claim was imported from, as published (the first one)."""
    rows = run(_REVIEW, (claim_id,))
    if not rows:
        return None
    values = dict(zip(("id",) + REVIEW_FIELDS, rows[0]))
    for f in REVIEW_LIST_FIELDS:
        values[f] = json.loads(values[f]) if values[f] else []
    return ReviewRow(**values)
