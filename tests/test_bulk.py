"""The bulk path writes the same rows, events and search entries as the one-at-a-time path."""

from sqlalchemy import func, select

from ledger import store
from ledger.models import Appearance, Claim, Event
from ledger.text.anchoring import locate
from ledger.store.events import GENESIS, chain_head, event_hash, iter_events


def test_bulk_claims_with_appearances_and_chained_events(lg):
    body = "Alpha beta gamma. Delta epsilon zeta. Eta theta iota."
    with lg.db.write() as conn:
        (aid,) = store.bulk_insert_articles(conn, articles=[{"title": "Bulk", "body": body, "lang": "en"}],
                                            actor="importer")
        claims = []
        for q in ("Alpha beta gamma", "Delta epsilon zeta", "Eta theta iota"):
            a = locate(body, q)
            claims.append({"text": q.lower(), "appearances": [{"article_id": aid, "quote": a.quote, "start": a.start,
                                                               "end": a.end, "prefix": a.prefix, "suffix": a.suffix}]})
        assert store.bulk_insert_claims(conn, claims=iter(claims), actor="importer", batch=2) == range(1, 4)
        # the one-at-a-time path continues the id sequence after a bulk load
        single = store.add_claim(conn, article_id=aid, quote="theta", actor="tester")
    assert single == 4
    with lg.db.read() as conn:
        assert conn.execute(select(func.count()).select_from(Appearance.__table__)).scalar_one() == 4
        rows = conn.execute(select(Claim.__table__).order_by(Claim.__table__.c.id)).all()
        assert [r.text for r in rows][:3] == ["alpha beta gamma", "delta epsilon zeta", "eta theta iota"]
        assert store.appearances_of_claim(conn, claim_id=2)[0].quote == "Delta epsilon zeta"
        prev = GENESIS
        events = list(iter_events(conn, batch=2))
        for e in events:
            assert e.prev_hash == prev
            prev = event_hash(prev, at=e.at, actor=e.actor, action=e.action, entity=e.entity,
                              entity_id=e.entity_id, claim_id=e.claim_id, article_id=e.article_id, payload=e.payload)
            assert e.hash == prev
        assert chain_head(conn) == prev
        assert [e.action for e in events].count("claim.import") == 3
        assert conn.execute(select(func.count()).select_from(Event.__table__)).scalar_one() == len(events)
    hits = lg.search("epsilon")
    assert {(h.kind, h.claim_id) for h in hits} == {("claim", 2), ("appearance", 2)}


def test_bulk_claims_with_a_nul_character_are_refused_and_nothing_is_kept(lg):
    import pytest

    from ledger.errors import InvalidInput

    body = "Alpha beta gamma. Delta epsilon zeta."
    with lg.db.write() as conn:
        (aid,) = store.bulk_insert_articles(conn, articles=[{"title": "Bulk", "body": body}], actor="importer")
    a = locate(body, "Delta epsilon zeta")
    good = {"text": "fine", "appearances": [{"article_id": aid, "quote": a.quote, "start": a.start, "end": a.end}]}
    for bad in ({**good, "text": "a\x00b"}, {**good, "appearances": [{**good["appearances"][0], "quote": "q\x00"}]}):
        with pytest.raises(InvalidInput, match="NUL"), lg.db.write() as conn:
            store.bulk_insert_claims(conn, claims=[good] * 3 + [bad], actor="importer", batch=2)
    with lg.db.read() as conn:
        assert conn.execute(select(func.count()).select_from(Claim.__table__)).scalar_one() == 0
        assert chain_head(conn) == list(iter_events(conn))[-1].hash
