"""The verification workflow through the command line: status rules, editorial states, publishing
over the audit, and article revisions."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import text

from ledger.services.ledger import open_ledger
from tests.conftest import snapshot_tables

PACT = "The two leaders signed a mutual defence pact"


@pytest.fixture
def pact(run, article_files) -> dict[str, Path]:
    """Article 1 (English) with claim 1 on its second sentence, and source 1 archived from a transcript."""
    assert run(f"article add {article_files['en']} --title Pact --lang en").code == 0
    assert run(["claim", "add", "--article", "1", "--quote", PACT]).code == 0
    assert run(f"source add --file {article_files['evidence']} --title Briefing --publisher Agency").code == 0
    return article_files


def _events(ledger_db: str, action: str) -> list[dict]:
    lg = open_ledger(ledger_db)
    try:
        with lg.db.read() as conn:
            rows = conn.execute(text("SELECT actor, payload, article_id, claim_id FROM event WHERE action = :a "
                                     "ORDER BY id"), {"a": action}).all()
        return [{"actor": r.actor, "article_id": r.article_id, "claim_id": r.claim_id, **json.loads(r.payload)}
                for r in rows]
    finally:
        lg.close()


def _snapshot(ledger_db: str):
    lg = open_ledger(ledger_db)
    try:
        return snapshot_tables(lg)
    finally:
        lg.close()


# ----------------------------------------------------------------------- status rules
def test_verified_needs_a_supporting_citation(run, pact, ledger_db):
    before = _snapshot(ledger_db)
    r = run("status 1 verified --note looks-right")
    assert r.code == 1 and "no supporting citation" in r.err and "ledger cite 1" in r.err
    assert _snapshot(ledger_db) == before
    run("cite 1 1 --stance refutes")
    assert run("status 1 verified --note still").code == 1
    run("cite 1 1 --stance supports")
    assert run("status 1 verified --note 'briefing confirms'").code == 0
    [ev] = _events(ledger_db, "claim.status")
    assert ev["to"] == "verified" and ev["from"] == "unverified" and ev["note"] == "briefing confirms"
    assert ev["actor"] == "tester" and ev["category"] == "pass"


@pytest.mark.parametrize("status", ["false", "misleading"])
def test_fail_statuses_need_a_refuting_citation(run, pact, ledger_db, status):
    run("cite 1 1 --stance supports")
    before = _snapshot(ledger_db)
    r = run(f"status 1 {status} --note wrong")
    assert r.code == 1 and "no refuting citation" in r.err
    assert _snapshot(ledger_db) == before
    run("cite 1 1 --stance refutes")
    assert run(f"status 1 {status} --note wrong").code == 0


def test_status_needs_a_note_and_a_known_status(run, pact):
    assert run("status 1 in_progress").code == 2  # --note is required
    r = run("status 1 probably --note hmm")
    assert r.code == 1 and "unknown status" in r.err


def test_statuses_come_from_ledger_toml(run, pact, workspace):
    (workspace / "ledger.toml").write_text('[statuses]\nunverified = "open"\nconfirmed = "pass"\nwrong = "fail"\n',
                                           encoding="utf-8")
    r = run("status 1 confirmed --note ok")
    assert r.code == 1 and "no supporting citation" in r.err
    run("cite 1 1 --stance supports")
    assert run("status 1 confirmed --note ok").code == 0
    assert run("status 1 verified --note ok").code == 1  # not in this ledger's vocabulary


# ---------------------------------------------------------------------- article state
def test_every_state_change_is_an_event(run, pact, ledger_db):
    assert run("article state 1 in_review --note 'ready for the desk'").code == 0
    r = run("article state 1 approved")
    assert r.code == 0 and "in_review → approved" in r.out
    r = run("article state 1 approved")
    assert r.code == 0 and "already approved" in r.out
    assert run("article show 1 --json").json()["state"] == "approved"
    events = _events(ledger_db, "article.state")
    assert [(e["from"], e["to"], e["note"]) for e in events] == [
        ("draft", "in_review", "ready for the desk"), ("in_review", "approved", None)]
    assert all(e["article_id"] == 1 and e["actor"] == "tester" for e in events)


def test_unknown_state_is_a_usage_error(run, pact):
    r = run("article state 1 live")
    assert r.code == 2
    assert run("article state 9 approved").code == 1


def test_publishing_is_refused_while_the_audit_blocks(run, pact, ledger_db):
    before = _snapshot(ledger_db)
    r = run("article state 1 published")
    assert r.code == 1 and "cannot be published" in r.err and "open-claim" in r.err and "--override" in r.err
    assert r.err.count("\n") == 1
    assert _snapshot(ledger_db) == before


def test_override_needs_a_note_and_only_applies_to_publishing(run, pact, ledger_db):
    before = _snapshot(ledger_db)
    r = run("article state 1 published --override")
    assert r.code == 1 and "--note" in r.err
    r = run("article state 1 approved --override --note because")
    assert r.code == 1 and "only applies when publishing" in r.err
    assert _snapshot(ledger_db) == before


def test_override_is_recorded_with_the_note_and_the_blocking_findings(run, pact, ledger_db):
    r = run(["article", "state", "1", "published", "--override", "--note", "editor in chief accepts the risk"])
    assert r.code == 0 and "over 1 blocking" in r.out
    [ev] = _events(ledger_db, "article.state")
    assert ev["to"] == "published" and ev["override"] is True and ev["note"] == "editor in chief accepts the risk"
    assert [(b["rule"], b["claim_id"]) for b in ev["blocking"]] == [("open-claim", 1)]
    assert "unverified" in ev["blocking"][0]["message"]


def test_a_clean_article_is_published_without_override(run, pact, ledger_db, tmp_path):
    other = tmp_path / "wire.txt"
    other.write_text("Wire copy: the leaders signed a pact.\n", encoding="utf-8")
    run(f"source add --file {other} --title Wire --publisher 'Other Agency'")
    run("cite 1 1 --stance supports")
    run("cite 1 2 --stance supports")
    run("status 1 verified --note 'two agencies'")
    # the rest of the article has quotes and figures: notes and warnings, nothing blocking
    assert run("audit 1").code == 0
    r = run("article state 1 published")
    assert r.code == 0 and "draft → published" in r.out
    [ev] = _events(ledger_db, "article.state")
    assert "override" not in ev


# --------------------------------------------------------------------- article update
def test_update_stores_a_revision_and_reports_what_moved(run, pact, ledger_db, tmp_path):
    original = pact["en"].read_text(encoding="utf-8")
    run(["claim", "add", "--article", "1", "--quote", "“We are now allies,” Kim Jong Un said"])
    run(["claim", "add", "--article", "1", "--quote", "US officials say"])
    revised = tmp_path / "pact-2.txt"
    new_body = ("UPDATED. " + original.replace("US officials say", "according to the US")
                .replace("signed a mutual defence pact", "signed a mutual-defence pact"))
    revised.write_text(new_body, encoding="utf-8")
    r = run(f"article update 1 {revised}")
    assert r.code == 0, r.err
    assert "revision 2" in r.out and "1 orphaned" in r.out and "orphaned  claim 3" in r.out
    shown = run("article show 1 --json").json()
    assert shown["revision"] == 2 and shown["body"].startswith("UPDATED.")
    claim1 = run("claim show 1 --json").json()["appearances"][0]
    assert claim1["quote"] == "The two leaders signed a mutual-defence pact" and not claim1["orphaned"]
    assert run("claim show 3 --json").json()["appearances"][0]["orphaned"] is True
    [update] = _events(ledger_db, "article.update")
    assert update["revision"] == 2 and update["orphaned"] == 1 and update["orphaned_appearances"] == [3]
    moves = {e["claim_id"]: e for e in _events(ledger_db, "appearance.reanchor")}
    assert set(moves) == {1, 2, 3}
    assert moves[2]["method"] == "moved" and moves[2]["to"]["start"] == new_body.index("“We are now allies")
    assert moves[3]["method"] == "orphaned" and moves[3]["to"] is None


def test_update_with_the_same_text_changes_nothing(run, pact, ledger_db):
    before = _snapshot(ledger_db)
    r = run(f"article update 1 {pact['en']}")
    assert r.code == 0 and "unchanged" in r.out
    assert _snapshot(ledger_db) == before


def test_update_refuses_a_binary_or_missing_file(run, pact, ledger_db, tmp_path):
    before = _snapshot(ledger_db)
    blob = tmp_path / "blob.bin"
    blob.write_bytes(b"\x00\x01\x02binary")
    r = run(f"article update 1 {blob}")
    assert r.code == 1 and "binary" in r.err
    assert run(f"article update 1 {tmp_path / 'nope.txt'}").code == 1
    assert run(f"article update 5 {pact['en']}").code == 1
    assert _snapshot(ledger_db) == before


def test_update_json_lists_every_appearance(run, pact, tmp_path):
    revised = tmp_path / "pact-3.txt"
    revised.write_text(pact["en"].read_text(encoding="utf-8") + "A new closing line.\n", encoding="utf-8")
    data = run(f"article update 1 {revised} --json").json()
    assert data["revision"] == 2 and data["counts"] == {"kept": 1, "moved": 0, "fuzzy": 0, "orphaned": 0}
    assert data["appearances"][0]["method"] == "kept" and data["appearances"][0]["claim_id"] == 1


def test_update_from_a_stale_revision_is_refused(run, pact, ledger_db, tmp_path):
    """Two editors revise the same text: the second, still on revision 1, is refused, not silently stacked."""
    first = tmp_path / "first.txt"
    first.write_text(pact["en"].read_text(encoding="utf-8") + "First editor's line.\n", encoding="utf-8")
    second = tmp_path / "second.txt"
    second.write_text(pact["en"].read_text(encoding="utf-8") + "Second editor's line.\n", encoding="utf-8")
    assert run(["--by", "alice", "article", "update", "1", str(first), "--expect-revision", "1"]).code == 0
    before = _snapshot(ledger_db)
    r = run(["--by", "bob", "article", "update", "1", str(second), "--expect-revision", "1"])
    assert r.code == 1
    assert "article 1 is at revision 2, stored by alice at" in r.err and "not revision 1" in r.err
    assert _snapshot(ledger_db) == before
    assert run(["--by", "bob", "article", "update", "1", str(second), "--expect-revision", "2"]).code == 0
