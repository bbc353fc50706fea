"""Corrections that keep history: a claim's fields edited, a citation retracted, a reworded passage's
verdict confirmed.

Nothing is overwritten without a trace. Each correction is one hash-chained event carrying the note
saying why, what changed (old → new) and its row changes (``row_put``), so ``verify`` can replay it.
A retracted citation stays in the table, stamped with who, when and why, and stops counting as
evidence; when it was the claim's last support (of a pass verdict) or last refutation (of a fail
verdict) the claim is reopened to ``in_progress`` by a second event saying so.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Connection, bindparam, select, update

from ledger.errors import InvalidInput, NotFound
from ledger.models import Appearance, Article, Citation, ClaimRow
from ledger.store.claims import (CLAIM, changed_since_opened, check_kind, get_claim, has_citation,
                                 write_status)
from ledger.store.events import append_event, now, row_put
from ledger.vocabulary import Vocabulary

APPEARANCE = Appearance.__table__
ARTICLE = Article.__table__
CITATION = Citation.__table__

EDITABLE = ("text", "kind", "claimant", "claim_date", "priority")
# the stance whose last live citation holds up a verdict of each category
HOLDING_STANCE = {"pass": "supports", "fail": "refutes"}
REOPEN_STATUS = "in_progress"


def _need_note(note: str | None, what: str) -> str:
    if not note or not note.strip():
        raise InvalidInput(f"{what} needs a note saying why (--note)")
    return note.strip()


def _json(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


# ------------------------------------------------------------------------- claim edit
def check_edit(claim: ClaimRow, changes: dict[str, Any]) -> dict[str, Any]:
    """The columns that really change (normalised), refusing what a claim cannot hold."""
    wanted = dict(changes)
    if "text" in wanted:
        text = " ".join(str(wanted["text"] or "").split())
        if not text:
            raise InvalidInput("the claim text is empty")
        wanted["text"] = text
    if "kind" in wanted:
        wanted["kind"] = check_kind(str(wanted["kind"]).strip().lower())
    if "claimant" in wanted:
        wanted["claimant"] = " ".join(str(wanted["claimant"] or "").split()) or None
    if "priority" in wanted:
        priority = wanted["priority"]
        if not isinstance(priority, int) or not 1 <= priority <= 3:
            raise InvalidInput(f"priority must be 1 (high) to 3 (low), not {priority}")
    kind = wanted.get("kind", claim.kind)
    claimant = wanted.get("claimant", claim.claimant)
    if kind == "attribution" and not claimant:
        raise InvalidInput("an attribution needs the person or body who said it (--claimant)")
    return {k: v for k, v in wanted.items() if getattr(claim, k) != v}


def edit_claim(conn: Connection, *, claim_id: int, changes: dict[str, Any], note: str, actor: str,
               expected_version: int | None = None) -> ClaimRow:
    """Correct a claim's text, kind, claimant, date or priority; the ``claim.edit`` event keeps the
    old and new values and the note. Refuses when nothing would change."""
    note = _need_note(note, "a correction")
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise InvalidInput(f"a claim edit cannot change {', '.join(sorted(unknown))}")
    claim = get_claim(conn, claim_id)
    if expected_version is not None and expected_version > claim.version:
        raise InvalidInput(f"claim {claim_id} is at version {claim.version}, not {expected_version}")
    if expected_version is not None and claim.version != expected_version:
        raise changed_since_opened(claim)
    changed = check_edit(claim, changes)
    if not changed:
        raise InvalidInput(f"claim {claim_id} already reads that way: nothing to change",
                           hint="give at least one of --text, --kind, --claimant, --date, --priority "
                                "with a new value")
    stamp = now()
    values = {**changed, "updated_at": stamp, "updated_by": actor, "version": claim.version + 1}
    result = conn.execute(update(CLAIM).where((CLAIM.c.id == claim_id) & (CLAIM.c.version == claim.version))
                          .values(**values))
    if result.rowcount != 1:  # another editor saved between our read and our write
        raise changed_since_opened(get_claim(conn, claim_id))
    append_event(conn, actor=actor, action="claim.edit", entity="claim", entity_id=claim_id, claim_id=claim_id,
                 at=stamp, payload={
                     "note": note,
                     "changes": {k: {"from": _json(getattr(claim, k)), "to": _json(v)} for k, v in changed.items()},
                     "rows": [row_put("claim", claim_id, {k: _json(v) for k, v in values.items()})]})
    return get_claim(conn, claim_id)


# ----------------------------------------------------------------- citation retraction
@dataclass(frozen=True)
class Retraction:
    citation_id: int
    claim_id: int
    reopened: bool  # the claim lost the last evidence for its verdict and went back to in_progress
    previous_status: str
    status: str


def reopen_status(vocabulary: Vocabulary) -> str:
    """``in_progress``, or the first open status of a vocabulary without it."""
    if REOPEN_STATUS in vocabulary.statuses:
        return REOPEN_STATUS
    return (vocabulary.in_category("open") or [vocabulary.initial])[0]


def retract_citation(conn: Connection, *, citation_id: int, note: str, actor: str,
                     vocabulary: Vocabulary) -> Retraction:
    note = _need_note(note, "retracting a citation")
    row = conn.execute(select(CITATION).where(CITATION.c.id == citation_id)).first()
    if row is None:
        raise NotFound(f"no citation with id {citation_id}")
    if row.retracted_at is not None:
        raise InvalidInput(f"citation {citation_id} was already retracted by {row.retracted_by} "
                           f"({row.retraction_note})")
    claim = get_claim(conn, row.claim_id)
    stamp = now()
    values = {"retracted_at": stamp, "retracted_by": actor, "retraction_note": note}
    conn.execute(update(CITATION).where(CITATION.c.id == citation_id).values(**values))
    append_event(conn, actor=actor, action="citation.retract", entity="citation", entity_id=citation_id,
                 claim_id=row.claim_id, at=stamp,
                 payload={"note": note, "source_id": row.source_id, "stance": row.stance, "excerpt": row.excerpt,
                          "rows": [row_put("citation", citation_id, values)]})
    category = vocabulary.category(claim.status)
    holding = HOLDING_STANCE.get(category)
    if holding != row.stance or has_citation(conn, row.claim_id, holding):
        return Retraction(citation_id, row.claim_id, False, claim.status, claim.status)
    what = "support" if holding == "supports" else "refutation"
    target = reopen_status(vocabulary)
    reopened = write_status(conn, claim=claim, status=target, actor=actor, category=vocabulary.category(target),
                            note=f"reopened: citation {citation_id} (source {row.source_id}), its last {what}, "
                                 f"was retracted: {note}",
                            extra={"reopened_by_citation": citation_id})
    return Retraction(citation_id, row.claim_id, True, claim.status, reopened.status)


# ------------------------------------------------------------- reworded after the verdict
def flag_reworded(conn: Connection, *, appearance_ids: list[int]) -> None:
    """Mark appearances whose passage was reworded after their claim was judged (one executemany)."""
    if appearance_ids:
        conn.execute(update(APPEARANCE).where(APPEARANCE.c.id == bindparam("_id")).values(needs_confirm=True),
                     [{"_id": i} for i in appearance_ids])


def awaiting_confirm(conn: Connection, *, claim_id: int) -> list[Any]:
    """The claim's appearances waiting for a checker to confirm the verdict (id, article_id, quote)."""
    return conn.execute(select(APPEARANCE.c.id, APPEARANCE.c.article_id, APPEARANCE.c.quote)
                        .where((APPEARANCE.c.claim_id == claim_id) & APPEARANCE.c.needs_confirm.is_(True))
                        .order_by(APPEARANCE.c.id)).all()


def confirm_claim(conn: Connection, *, claim_id: int, note: str, actor: str) -> ClaimRow:
    """A checker confirms the claim's verdict still holds for the reworded passage(s)."""
    note = _need_note(note, "confirming a verdict")
    claim = get_claim(conn, claim_id)
    waiting = awaiting_confirm(conn, claim_id=claim_id)
    if not waiting:
        raise InvalidInput(f"claim {claim_id} has no reworded passage waiting for its verdict to be confirmed")
    ids = [w.id for w in waiting]
    conn.execute(update(APPEARANCE).where(APPEARANCE.c.id.in_(ids)).values(needs_confirm=False))
    append_event(conn, actor=actor, action="claim.confirm", entity="claim", entity_id=claim_id, claim_id=claim_id,
                 at=now(), payload={"note": note, "verdict": claim.status, "appearances": ids,
                                    "quotes": [w.quote for w in waiting],
                                    "rows": [row_put("appearance", i, {"needs_confirm": False}) for i in ids]})
    return claim


def reference_date(conn: Connection, *, claim_id: int) -> date | None:
    """The published date of the article the claim first appeared in (a date typed without a year
    takes that year)."""
    return conn.execute(select(ARTICLE.c.published).join(APPEARANCE, APPEARANCE.c.article_id == ARTICLE.c.id)
                        .where(APPEARANCE.c.claim_id == claim_id).order_by(APPEARANCE.c.id).limit(1)).scalar()
