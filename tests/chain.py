"""Checking the hash-chained history after concurrent writers, crashes and restores."""

from __future__ import annotations

from ledger.store.events import GENESIS, chain_head, event_hash, iter_events

HASHED = ("at", "actor", "action", "entity", "entity_id", "claim_id", "article_id", "payload")


def assert_chain_intact(lg) -> int:  # noqa: ANN001 - a Ledger
    """Re-hash every event link by link (independently of ``ledger verify``), check the head the
    ledger keeps, then run ``ledger verify``'s own chain check; returns the number of events.
    (Archived files are not this helper's concern.)"""
    prev, count = GENESIS, 0
    with lg.db.read() as conn:
        for row in iter_events(conn, batch=2000):
            assert row.prev_hash == prev, f"event {row.id} does not follow the one before"
            assert event_hash(prev, **{k: getattr(row, k) for k in HASHED}) == row.hash, f"event {row.id} altered"
            prev, count = row.hash, count + 1
        assert chain_head(conn) == prev, "the ledger's chain head is not the last event"
    report = lg.verify()
    assert report.chain_problem is None, report.chain_problem
    assert report.events == count
    return count
