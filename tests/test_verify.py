"""``ledger verify``: tampering with the database or the archive is caught and named."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import text

from ledger.services.integrity import verify_chain
from ledger.services.ledger import open_ledger


@pytest.fixture
def history(run, article_files) -> dict[str, Path]:
    """A small ledger with an article, a claim with a verdict and an archived source."""
    assert run(f"article add {article_files['en']} --title Pact --lang en").code == 0
    assert run(["claim", "add", "--article", "1", "--quote", "The two leaders signed a mutual defence pact"]).code == 0
    assert run(f"source add --file {article_files['evidence']} --title Briefing --publisher Agency").code == 0
    assert run("cite 1 1 --stance refutes").code == 0
    assert run("status 1 false --note 'the briefing says otherwise'").code == 0
    return article_files


def _sql(ledger_db: str, statement: str, **params) -> None:
    lg = open_ledger(ledger_db)
    try:
        with lg.db.write() as conn:
            conn.execute(text(statement), params)
    finally:
        lg.close()


def _one(ledger_db: str, query: str, **params):
    lg = open_ledger(ledger_db)
    try:
        with lg.db.read() as conn:
            return conn.execute(text(query), params).first()
    finally:
        lg.close()


def _archived_file(workspace: Path, ledger_db: str) -> Path:
    return workspace / "sources" / _one(ledger_db, "SELECT file_name FROM source WHERE id = 1").file_name


def test_an_untouched_ledger_verifies(run, history):
    r = run("verify")
    assert r.code == 0 and r.out.startswith("OK:") and "1 archived file(s) intact" in r.out
    data = run("verify --json").json()
    assert data["ok"] is True and data["events"] >= 6 and data["files"] == 1 and data["chain_problem"] is None


def test_an_empty_ledger_verifies(lg, run):
    r = run("verify")
    assert r.code == 0 and "0 events" in r.out


def test_edited_event_payload_is_caught(run, history, ledger_db):
    ev = _one(ledger_db, "SELECT id, payload FROM event WHERE action = 'source.add'")
    _sql(ledger_db, "UPDATE event SET payload = :p WHERE id = :id",
         p=ev.payload.replace("Agency", "Another Agency"), id=ev.id)
    r = run("verify")
    assert r.code == 1 and f"event {ev.id} (source.add" in r.out and "altered" in r.out


def test_status_rewritten_in_its_event_is_caught(run, history, ledger_db):
    ev = _one(ledger_db, "SELECT id, payload FROM event WHERE action = 'claim.status'")
    payload = json.loads(ev.payload)
    payload["to"] = "verified"
    _sql(ledger_db, "UPDATE event SET payload = :p WHERE id = :id", p=json.dumps(payload), id=ev.id)
    _sql(ledger_db, "UPDATE claim SET status = 'verified' WHERE id = 1")
    data = run("verify --json").json()
    assert data["ok"] is False and data["broken_event_id"] == ev.id


def test_status_edited_in_the_claim_table_is_caught(run, history, ledger_db):
    """The quiet forgery: the claim row says verified, no event says so."""
    _sql(ledger_db, "UPDATE claim SET status = 'verified' WHERE id = 1")
    r = run("verify")
    assert r.code == 1
    assert "ALTERED record: claim 1 is stored as 'verified' but its history" in r.out and "ends on 'false'" in r.out
    data = run("verify --json").json()
    assert data["ok"] is False and data["chain_problem"] is None and "claim 1" in data["status_problem"]


def test_claim_inserted_without_history_is_caught(run, history, ledger_db):
    _sql(ledger_db, "INSERT INTO claim (id, text, kind, priority, status, created_at, updated_at, updated_by, version) "
                    "VALUES (99, 'planted', 'assertion', 2, 'verified', 'x', 'x', 'x', 1)")
    data = run("verify --json").json()
    assert data["ok"] is False and "claim 99 has no recorded history" in data["status_problem"]


def test_rehashed_event_breaks_the_next_link(run, history, ledger_db):
    """Even a forger who recomputes the edited event's own hash breaks the link to the next one."""
    from ledger.store.events import event_hash

    ev = _one(ledger_db, "SELECT * FROM event WHERE action = 'citation.add'")
    forged = ev.payload.replace("refutes", "supports")
    new_hash = event_hash(ev.prev_hash, at=ev.at, actor=ev.actor, action=ev.action, entity=ev.entity,
                          entity_id=ev.entity_id, claim_id=ev.claim_id, article_id=ev.article_id, payload=forged)
    _sql(ledger_db, "UPDATE event SET payload = :p, hash = :h WHERE id = :id", p=forged, h=new_hash, id=ev.id)
    r = run("verify")
    assert r.code == 1 and f"does not follow event {ev.id}" in r.out


def test_deleted_event_is_caught(run, history, ledger_db):
    ev = _one(ledger_db, "SELECT id FROM event WHERE action = 'appearance.add'")
    _sql(ledger_db, "DELETE FROM event WHERE id = :id", id=ev.id)
    r = run("verify")
    assert r.code == 1 and f"does not follow event {ev.id - 1}" in r.out and "removed" in r.out


def test_deleted_first_event_is_caught(run, history, ledger_db):
    _sql(ledger_db, "DELETE FROM event WHERE id = (SELECT min(id) FROM event)")
    r = run("verify")
    assert r.code == 1 and "does not start the chain" in r.out


def test_truncated_tail_is_caught(run, history, ledger_db):
    _sql(ledger_db, "DELETE FROM event WHERE id >= (SELECT max(id) - 1 FROM event)")
    r = run("verify")
    assert r.code == 1 and "latest events were removed" in r.out


def test_rewritten_head_is_caught(run, history, ledger_db):
    _sql(ledger_db, "UPDATE ledger_meta SET value = :v WHERE key = 'chain_head'", v="f" * 64)
    assert run("verify").code == 1


def test_changed_archived_file_is_caught(run, history, ledger_db, workspace):
    path = _archived_file(workspace, ledger_db)
    path.write_text("Transcript. Nothing about missiles was said.\n", encoding="utf-8")
    r = run("verify")
    assert r.code == 1 and f"sources/{path.name} (source 1) has changed" in r.out
    assert run("verify --json").json()["file_problems"][0]["problem"] == "changed"


def test_missing_archived_file_is_caught(run, history, ledger_db, workspace):
    _archived_file(workspace, ledger_db).unlink()
    r = run("verify")
    assert r.code == 1 and "is missing from the archive" in r.out


def test_known_head_detects_a_rewritten_history(run, history, ledger_db):
    head = run("verify --json").json()["head"]
    run("status 1 in_progress --note reopened")
    assert run(f"verify --known-head {head}").code == 0  # the history grew past it: fine
    # a forger rebuilds the whole chain from scratch: every link is valid, but the noted head is gone
    from ledger.store.events import GENESIS, event_hash

    lg = open_ledger(ledger_db)
    try:
        with lg.db.write() as conn:
            conn.execute(text("UPDATE event SET payload = replace(payload, 'otherwise', 'so') "
                              "WHERE action = 'claim.status'"))
            prev = GENESIS
            for ev in conn.execute(text("SELECT * FROM event ORDER BY id")).all():
                h = event_hash(prev, at=ev.at, actor=ev.actor, action=ev.action, entity=ev.entity,
                               entity_id=ev.entity_id, claim_id=ev.claim_id, article_id=ev.article_id,
                               payload=ev.payload)
                conn.execute(text("UPDATE event SET prev_hash = :p, hash = :h WHERE id = :id"),
                             {"p": prev, "h": h, "id": ev.id})
                prev = h
            conn.execute(text("UPDATE ledger_meta SET value = :v WHERE key = 'chain_head'"), {"v": prev})
    finally:
        lg.close()
    assert run("verify").code == 0  # internally consistent
    r = run(f"verify --known-head {head}")
    assert r.code == 1 and "no longer passes through" in r.out
    assert run("verify --known-head nothex").code == 2


def test_the_chain_is_walked_a_page_at_a_time(lg):
    """A small page size exercises paging; a break on a later page is still found."""
    for n in range(12):
        lg.add_article(title=f"Article {n}", body=f"Body number {n}.")
    with lg.db.read() as conn:
        count, _, problem = verify_chain(conn, batch=5)
    assert count == 12 and problem is None
    with lg.db.write() as conn:
        conn.execute(text("UPDATE event SET actor = 'someone else' WHERE id = 11"))
    with lg.db.read() as conn:
        _, _, problem = verify_chain(conn, batch=5)
    assert problem is not None and problem.event_id == 11
