"""Migration 0003: a ledger made before events carried their row changes is brought under replay
with one ``ledger.baseline`` event, and from then on every row is held to the chain."""

from __future__ import annotations

import hashlib
import json

import pytest
from alembic import command
from sqlalchemy import text

from ledger.db import Database, _alembic_config, head_revision
from ledger.services.ledger import open_ledger
from ledger.store.events import append_event
from ledger.workspace import resolve_workspace
from tests.conftest import BACKENDS, PG_URL

@pytest.fixture(params=BACKENDS)
def ledger_db(request, tmp_path):  # noqa: ANN001 - an EMPTY database, not yet migrated
    if request.param == "sqlite":
        return str(tmp_path / "ledger.db")
    from tests.pg import fresh_database

    return fresh_database(PG_URL, request, migrated=False)


STAMP = "2026-11-01T09:00:00.000000Z"
BODY_HASH = hashlib.sha256(b"The pact was signed.").hexdigest()


def _legacy_ledger(ledger_db: str) -> None:
    """A ledger at revision 0002 written the old way: rows, and events that do not list them."""
    db = Database(resolve_workspace(ledger_db), migrate=False)
    try:
        with db.engine.connect() as conn:
            with conn.begin():
                command.upgrade(_alembic_config(conn), "0002_search_folding")
        with db.write() as conn:
            conn.execute(text("INSERT INTO article (id, title, state, body, content_hash, revision, created_at, "
                              "updated_at, version, published) VALUES (1, 'Pact', 'draft', 'The pact was signed.', "
                              ":h, 1, :s, :s, 1, '2026-10-30')"), {"s": STAMP, "h": BODY_HASH})
            conn.execute(text("INSERT INTO article_revision (id, article_id, revision, body, content_hash, created_at, "
                              "actor) VALUES (1, 1, 1, 'The pact was signed.', :h, :s, 'ana')"), {"s": STAMP, "h": BODY_HASH})
            conn.execute(text("INSERT INTO claim (id, text, kind, priority, status, created_at, updated_at, "
                              "updated_by, version) VALUES (1, 'The pact was signed', 'assertion', 2, 'unverified', "
                              ":s, :s, 'ana', 1)"), {"s": STAMP})
            conn.execute(text("INSERT INTO appearance (id, claim_id, article_id, quote, start, \"end\", prefix, suffix, "
                              "orphaned, created_at) VALUES (1, 1, 1, 'The pact was signed', 0, 19, '', '.', false, :s)"),
                         {"s": STAMP})
            for action, entity in (("article.add", "article"), ("claim.add", "claim"), ("appearance.add", "appearance")):
                append_event(conn, actor="ana", action=action, entity=entity, entity_id=1, claim_id=1, article_id=1,
                             payload={"legacy": True}, at=STAMP)
    finally:
        db.dispose()


def test_a_legacy_ledger_gets_one_baseline_event_and_verifies(ledger_db):
    _legacy_ledger(ledger_db)
    lg = open_ledger(ledger_db)
    try:
        with lg.db.read() as conn:
            events = conn.execute(text("SELECT action, payload FROM event ORDER BY id")).all()
            copied = conn.execute(text("SELECT count(*) FROM row_baseline")).scalar()
        assert [e.action for e in events] == ["article.add", "claim.add", "appearance.add", "ledger.baseline"]
        baseline = json.loads(events[-1].payload)["baseline"]
        assert baseline["rows"] == {"appearance": 1, "article": 1, "article_revision": 1, "citation": 0,
                                    "claim": 1, "source": 0}
        assert len(baseline["sha256"]) == 64 and copied == 4
        report = lg.verify()
        assert report.ok, report.problems()
        assert report.rows == 4
        # from now on the rows are held to the chain: a later status change replays over the baseline
        lg.add_source(title="Treaty text", url="https://example.org/treaty", fetch=False)
        lg.cite(claim_id=1, source_id=1, stance="supports")
        lg.set_status(claim_id=1, status="verified", note="the treaty text")
        assert lg.verify().ok
        with lg.db.write() as conn:
            conn.execute(text("UPDATE appearance SET quote = 'The pact was torn up' WHERE id = 1"))
        [p] = lg.verify().row_problems
        assert (p.table, p.row_id, p.field, p.expected, p.found) == \
            ("appearance", 1, "quote", "The pact was signed", "The pact was torn up")
    finally:
        lg.close()


def test_an_edited_baseline_row_is_caught(ledger_db):
    _legacy_ledger(ledger_db)
    lg = open_ledger(ledger_db)
    try:
        with lg.db.write() as conn:  # the forger edits the row and its baseline copy alike
            conn.execute(text("UPDATE claim SET text = 'The pact was never signed' WHERE id = 1"))
            conn.execute(text("UPDATE row_baseline SET vals = replace(vals, 'The pact was signed', "
                              "'The pact was never signed') WHERE tbl = 'claim'"))
        report = lg.verify()
        assert not report.ok
        assert any(p.table == "row_baseline" and "digest" in p.describe() for p in report.row_problems)
    finally:
        lg.close()


def test_an_empty_ledger_gets_no_baseline_event(ledger_db):
    lg = open_ledger(ledger_db)
    try:
        with lg.db.read() as conn:
            assert conn.execute(text("SELECT count(*) FROM event")).scalar() == 0
            assert lg.db.current_revision() == head_revision()
    finally:
        lg.close()


def test_a_migrated_ledger_round_trips_through_a_json_backup(ledger_db, tmp_path, monkeypatch):
    """The baseline copy travels in the JSON backup, so the restored ledger verifies too."""
    _legacy_ledger(ledger_db)
    lg = open_ledger(ledger_db)
    target = open_ledger(str(tmp_path / "restored" / "ledger.db")) if (tmp_path / "restored").mkdir() is None else None
    try:
        from ledger.services import backup as backups

        monkeypatch.setenv("LEDGER_HOME", str(tmp_path))
        made = backups.backup(lg, tmp_path / "b.json", fmt="json")
        assert '"row_baseline":[' in made.path.read_text(encoding="utf-8")
        result = backups.restore(target, made.path)
        assert result.head == made.head
        assert target.verify().ok
    finally:
        lg.close()
        target.close()
