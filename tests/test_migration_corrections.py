"""Revision 0006_corrections on a ledger that has data: the columns arrive with their defaults, the rows
and the search index stay, and the revision can be undone."""

from __future__ import annotations

import pytest
from alembic import command
from sqlalchemy import inspect, text

import ledger.db
from ledger.services.ledger import open_ledger
from tests.conftest import BACKENDS, PG_URL
from tests.test_open_errors import _engine


@pytest.fixture(params=BACKENDS)
def bare_db(request, tmp_path) -> str:
    if request.param == "sqlite":
        return str(tmp_path / "bare.db")
    from tests.pg import fresh_database

    return fresh_database(PG_URL, request, migrated=False)


def _to(db: str, revision: str, *, down: bool = False) -> None:
    engine = _engine(db)
    with engine.begin() as conn:
        (command.downgrade if down else command.upgrade)(ledger.db._alembic_config(conn), revision)
    engine.dispose()


def _columns(db: str, table: str) -> set[str]:
    engine = _engine(db)
    try:
        with engine.connect() as conn:
            return {c["name"] for c in inspect(conn).get_columns(table)}
    finally:
        engine.dispose()


def test_a_ledger_with_data_gains_the_correction_columns(bare_db):
    _to(bare_db, "0005_reviews")
    old = open_ledger(bare_db, actor="tester", migrate=False)
    a = old.add_article(title="Visite", body="Des missiles nord-coréens ont frappé Kharkiv en janvier.")
    old.add_claim(article_id=a, quote="missiles nord-coréens ont frappé Kharkiv")
    old.add_source(title="Briefing", url="https://example.org/briefing", fetch=False)
    old.close()
    engine = _engine(bare_db)
    with engine.begin() as conn:  # a citation as the older schema stored it
        conn.execute(text("INSERT INTO citation (claim_id, source_id, stance, created_at) "
                          "VALUES (1, 1, 'context', '2026-11-30T10:00:00Z')"))
    engine.dispose()
    assert "needs_confirm" not in _columns(bare_db, "appearance")

    lg = open_ledger(bare_db, actor="tester")
    try:
        assert lg.db.current_revision() == ledger.db.head_revision()
        [appearance] = lg.claim(1).appearances
        [citation] = lg.claim(1).citations
        assert appearance.needs_confirm is False and citation.retracted is False
        assert {h.kind for h in lg.search("coreens")} == {"claim", "appearance"}  # triggers kept
        lg.retract_citation(lg.cite(claim_id=1, source_id=1, stance="supports"), note="wrong briefing")
        lg.link_claim(claim_id=1, article_id=a, quote="Kharkiv en janvier")
        assert {h.kind for h in lg.search("janvier")} >= {"appearance"}
    finally:
        lg.close()


def test_the_revision_can_be_undone(bare_db):
    _to(bare_db, "head")
    _to(bare_db, "0005_reviews", down=True)
    assert not {"retracted_at", "retracted_by", "retraction_note"} & _columns(bare_db, "citation")
    assert "needs_confirm" not in _columns(bare_db, "appearance")
    _to(bare_db, "head")
    assert "needs_confirm" in _columns(bare_db, "appearance")
    engine = _engine(bare_db)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM appearance")).scalar() == 0
    engine.dispose()
