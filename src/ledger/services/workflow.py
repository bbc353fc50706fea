"""Editorial workflow: moving an article through its states and storing new revisions of its text.

Publishing runs the audit in the same transaction that changes the state, so nothing can slip
in between the check and the change; a blocked article is published only with an explicit
override and a note, and the event keeps both the note and what the audit found. A revision
re-anchors every appearance (``services.reanchor``) and records what moved and what was lost.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ledger import store
from ledger.errors import InvalidInput, LedgerError
from ledger.services import archive
from ledger.services.audit import Finding, audit_connection
from ledger.text.reanchor import Reanchored, reanchor_all
from ledger.store import corrections, editorial
from ledger.store.articles import content_hash
from ledger.store.claims import ConflictError, readable_time
from ledger.store.events import append_events, now, row_put

if TYPE_CHECKING:
    from ledger.services.ledger import Ledger


@dataclass(frozen=True)
class StateChange:
    article_id: int
    previous: str
    state: str
    changed: bool
    overridden: bool = False
    blocking: list[Finding] = field(default_factory=list)


@dataclass(frozen=True)
class AnchorMove:
    appearance_id: int
    claim_id: int
    method: str  # kept | moved | fuzzy | orphaned
    old_start: int
    old_end: int
    start: int | None
    end: int | None
    quote: str | None
    old_quote: str
    score: float | None


@dataclass(frozen=True)
class RevisionSummary:
    article_id: int
    revision: int
    content_hash: str
    changed: bool
    moves: list[AnchorMove] = field(default_factory=list)

    def count(self, method: str) -> int:
        return sum(1 for m in self.moves if m.method == method)

    @property
    def counts(self) -> dict[str, int]:
        return {m: self.count(m) for m in ("kept", "moved", "fuzzy", "orphaned")}


def _finding_record(f: Finding) -> dict[str, Any]:
    return {"rule": f.rule, "claim_id": f.claim_id, "appearance_id": f.appearance_id, "message": f.message}


def set_article_state(ledger: Ledger, article_id: int, state: str, *, note: str | None = None,
                      override: bool = False, as_of: date | None = None) -> StateChange:
    state = editorial.check_state(state)
    note = note.strip() if note and note.strip() else None
    if override and state != "published":
        raise InvalidInput("--override only applies when publishing (state published)")
    if override and note is None:
        raise InvalidInput("publishing over the audit needs --note saying why (it is kept in the history)")
    with ledger.db.write() as conn:
        current = editorial.article_for_update(conn, article_id=article_id)
        if current.state == state:
            return StateChange(article_id, current.state, state, changed=False)
        blocking: list[Finding] = []
        if state == "published":
            report = audit_connection(conn, article_id, policy=ledger.config.policy, vocabulary=ledger.vocabulary,
                                      sources_dir=ledger.workspace.sources_dir, as_of=as_of)
            blocking = report.blocking
            if blocking and not override:
                first = blocking[0]
                about = f" (claim {first.claim_id})" if first.claim_id is not None else ""
                raise LedgerError(
                    f"article {article_id} cannot be published: the audit has {len(blocking)} blocking finding(s), "
                    f"first {first.rule}{about}: {first.message}",
                    hint=f"see `ledger audit {article_id}`; to publish anyway, give --override --note WHY")
        stamp = now()
        editorial.write_state(conn, current=current, state=state, stamp=stamp)
        payload: dict[str, Any] = {"from": current.state, "to": state, "note": note}
        if override:
            payload["override"] = True
            payload["blocking"] = [_finding_record(f) for f in blocking]
        append_events(conn, [{"actor": ledger.actor, "action": "article.state", "entity": "article",
                              "entity_id": article_id, "article_id": article_id, "payload": payload}], at=stamp)
        return StateChange(article_id, current.state, state, changed=True, overridden=override and bool(blocking),
                           blocking=blocking)


def _move(r: Reanchored) -> AnchorMove:
    a = r.appearance
    return AnchorMove(appearance_id=a.id, claim_id=a.claim_id, method=r.method, old_start=a.start, old_end=a.end,
                      start=r.anchor.start if r.anchor else None, end=r.anchor.end if r.anchor else None,
                      quote=r.anchor.quote if r.anchor else None, old_quote=a.quote, score=r.score)


def _judged_reworded(ledger: Ledger, conn: Any, moves: list[AnchorMove]) -> set[int]:
    """The appearances re-anchored on new words (fuzzy) whose claim was already judged (pass or fail):
    their verdict waits for a checker's confirmation."""
    fuzzy = {m.appearance_id: m.claim_id for m in moves if m.method == "fuzzy"}
    if not fuzzy:
        return set()
    statuses = {cid: store.get_claim(conn, cid).status for cid in set(fuzzy.values())}
    return {a for a, cid in fuzzy.items() if ledger.vocabulary.category(statuses[cid]) in ("pass", "fail")}


def _reworded_rows(r: Reanchored, reworded: set[int]) -> dict[str, Any]:
    """The row change of a reworded passage whose verdict now waits for a confirmation."""
    if r.appearance.id not in reworded or r.anchor is None:
        return {}
    a = r.anchor
    return {"rows": [row_put("appearance", r.appearance.id, {
        "quote": a.quote, "start": a.start, "end": a.end, "prefix": a.prefix, "suffix": a.suffix,
        "orphaned": False, "needs_confirm": True})]}


def update_article(ledger: Ledger, article_id: int, *, body: str | None = None,
                   file: Path | None = None, expected_revision: int | None = None) -> RevisionSummary:
    if body is None:
        if file is None:
            raise InvalidInput("a revision needs the new text (a FILE)")
        body = archive.read_article_file(file)
    elif not body.strip():
        raise InvalidInput("the new text is empty")
    with ledger.db.write() as conn:
        current = editorial.article_for_update(conn, article_id=article_id)
        if expected_revision is not None and current.revision != expected_revision:
            who, when = editorial.last_revision_by(conn, article_id=article_id)
            raise ConflictError(f"article {article_id} is at revision {current.revision}, stored by {who} at "
                                f"{readable_time(when)}, "
                                f"not revision {expected_revision} you edited; merge your changes into the current "
                                "text and try again")
        if content_hash(body) == current.content_hash:
            return RevisionSummary(article_id, current.revision, current.content_hash, changed=False)
        results = reanchor_all(body, store.appearances_in_article(conn, article_id=article_id),
                               threshold=ledger.config.policy.anchor_threshold)
        stamp = now()
        revision, digest = editorial.write_revision(conn, current=current, body=body, actor=ledger.actor, stamp=stamp)
        editorial.write_anchors(conn, [
            {"id": r.appearance.id, "quote": r.anchor.quote, "start": r.anchor.start, "end": r.anchor.end,
             "prefix": r.anchor.prefix, "suffix": r.anchor.suffix, "orphaned": False} if r.anchor else
            {"id": r.appearance.id, "quote": r.appearance.quote, "start": r.appearance.start,
             "end": r.appearance.end, "prefix": r.appearance.prefix, "suffix": r.appearance.suffix, "orphaned": True}
            for r in results if r.moved or r.context_changed])
        moves = [_move(r) for r in results]
        reworded = _judged_reworded(ledger, conn, moves)
        corrections.flag_reworded(conn, appearance_ids=sorted(reworded))
        summary = RevisionSummary(article_id, revision, digest, changed=True, moves=moves)
        events = [{"actor": ledger.actor, "action": "article.update", "entity": "article", "entity_id": article_id,
                   "article_id": article_id,
                   "payload": {"revision": revision, "content_hash": digest, "previous_hash": current.content_hash,
                               **summary.counts,
                               "orphaned_appearances": [m.appearance_id for m in moves if m.method == "orphaned"]}}]
        for r, m in zip(results, moves):
            if not r.moved:
                continue
            events.append({"actor": ledger.actor, "action": "appearance.reanchor", "entity": "appearance",
                           "entity_id": m.appearance_id, "claim_id": m.claim_id, "article_id": article_id,
                           "payload": {"revision": revision, "method": m.method, "score": m.score,
                                       "from": {"start": m.old_start, "end": m.old_end, "quote": m.old_quote,
                                                "orphaned": r.appearance.orphaned},
                                       "to": None if m.start is None else
                                       {"start": m.start, "end": m.end, "quote": m.quote},
                                       **_reworded_rows(r, reworded)}})
        append_events(conn, events, at=stamp)
        return summary
