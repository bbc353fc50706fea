"""Every row is accountable to the chain: raw SQL edits, deletions, insertions and file swaps are
named by ``ledger verify`` (table, id, field, expected, found); the audit and the exports refuse a
ledger whose last verify failed; signed checkpoints catch a history rebuilt from scratch; a
restore refuses a backup that does not verify, leaving the current ledger untouched."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import text

from ledger.services import replay
from ledger.services.ledger import open_ledger
from ledger.store.events import GENESIS, event_hash
from tests.conftest import snapshot_tables

HASHED = ("at", "actor", "action", "entity", "entity_id", "claim_id", "article_id", "payload")


@pytest.fixture
def desk(lg, article_files):
    """An article with a claim, a second passage, an archived source, two citations and a verdict."""
    a = lg.add_article(title="Visite", file=article_files["fr"], published="2024-06-19", lang="fr")
    b = lg.add_article(title="Pact", file=article_files["en"], lang="en")
    c = lg.add_claim(article_id=a, quote="les premiers missiles nord-coréens ont frappé Kharkiv dès janvier",
                     claimant="Kyiv")
    lg.link_claim(claim_id=c, article_id=b, quote="shipped artillery shells and missiles to Moscow")
    s = lg.add_source(title="Briefing", file=article_files["evidence"], kind="official", publisher="Agency")
    lg.cite(claim_id=c, source_id=s, stance="supports", excerpt="ballistic missiles hit Kharkiv in January")
    lg.cite(claim_id=c, source_id=s, stance="context", excerpt="Shipments of shells continued")
    lg.set_status(claim_id=c, status="verified", note="transcript matches")
    lg.update_article(a, body=article_files["fr"].read_text(encoding="utf-8") + "\nMise à jour.")
    lg.set_article_state(a, "in_review")
    return lg


@pytest.fixture(params=["held in memory", "spilled, small pages"])
def sizes(request, monkeypatch):
    """Replay as on a small ledger, and as on a huge one: created rows spilled to scratch files
    after every row, read back four numbers at a time, state tables read two rows a page."""
    if request.param != "held in memory":
        monkeypatch.setattr(replay, "SPILL", 1)
        monkeypatch.setattr(replay, "CHUNK", 4)
        monkeypatch.setattr(replay, "PAGE", 2)


def _sql(lg, *statements: str) -> None:  # noqa: ANN001
    with lg.db.write() as conn:
        for s in statements:
            conn.execute(text(s))


def _named(lg) -> set[tuple]:  # noqa: ANN001
    report = lg.verify()
    assert not report.ok
    return {(p.table, p.row_id, p.problem, p.field) for p in report.row_problems}


def test_an_untouched_ledger_replays_exactly(desk, run, sizes):
    r = run("verify")
    assert r.code == 0 and "row(s) match the replay" in r.out, r.out
    data = run("verify --json").json()
    assert data["ok"] and data["rows"] == 2 + 3 + 1 + 2 + 1 + 2 and data["row_problems"] == []


@pytest.mark.parametrize("statement, named", [
    ("UPDATE citation SET excerpt = 'forged', stance = 'refutes' WHERE id = 1",
     {("citation", 1, "edited", "excerpt"), ("citation", 1, "edited", "stance")}),
    ("UPDATE appearance SET quote = 'forged quote' WHERE id = 2", {("appearance", 2, "edited", "quote")}),
    ("UPDATE claim SET text = 'forged', claimant = 'Nobody' WHERE id = 1",
     {("claim", 1, "edited", "text"), ("claim", 1, "edited", "claimant")}),
    ("UPDATE article SET body = 'forged' WHERE id = 2", {("article", 2, "edited", "body")}),
    ("UPDATE article SET body = 'forged', content_hash = "
     "'b5e9e7a3d6c5b4a39281706f5e4d3c2b1a09f8e7d6c5b4a39281706f5e4d3c2b' WHERE id = 2",
     {("article", 2, "edited", "body"), ("article", 2, "edited", "content_hash")}),
    ("UPDATE article SET state = 'published' WHERE id = 1", {("article", 1, "edited", "state")}),
    ("UPDATE article_revision SET body = 'forged' WHERE id = 1", {("article_revision", 1, "edited", "body")}),
    ("UPDATE source SET publisher = 'Another Agency', reliability = 'A' WHERE id = 1",
     {("source", 1, "edited", "publisher"), ("source", 1, "edited", "reliability")}),
    ("DELETE FROM citation WHERE id = 2", {("citation", 2, "deleted", None)}),
])
def test_each_raw_edit_is_named(desk, statement, named, sizes):
    _sql(desk, statement)
    assert _named(desk) == named


def test_an_edit_is_named_with_expected_and_found(desk, run):
    _sql(desk, "UPDATE citation SET excerpt = 'forged', stance = 'refutes' WHERE id = 1")
    r = run("verify")
    assert r.code == 1
    assert "ALTERED record: citation 1: stance is 'refutes' but its history" in r.out and "says 'supports'" in r.out
    [p] = [p for p in run("verify --json").json()["row_problems"] if p["field"] == "excerpt"]
    assert p["expected"] == "ballistic missiles hit Kharkiv in January" and p["found"] == "forged"


def test_a_whole_claim_deleted_with_its_passages_and_citations_is_named(desk, sizes):
    _sql(desk, "DELETE FROM citation WHERE claim_id = 1", "DELETE FROM appearance WHERE claim_id = 1",
         "DELETE FROM claim WHERE id = 1")
    assert _named(desk) == {("citation", 1, "deleted", None), ("citation", 2, "deleted", None),
                            ("appearance", 1, "deleted", None), ("appearance", 2, "deleted", None),
                            ("claim", 1, "deleted", None)}


def test_a_row_no_event_created_is_named(desk, sizes):
    _sql(desk, "INSERT INTO citation (id, claim_id, source_id, stance, created_at) "
               "VALUES (50, 1, 1, 'refutes', '2026-01-01T00:00:00Z')")
    assert _named(desk) == {("citation", 50, "unrecorded", None)}


def test_an_archived_file_swapped_with_its_hash_and_name_is_named(desk, workspace):
    forged = b"Transcript. Nothing was said about Kharkiv.\n"
    import hashlib

    digest = hashlib.sha256(forged).hexdigest()
    (workspace / "sources" / f"{digest}.txt").write_bytes(forged)
    _sql(desk, f"UPDATE source SET sha256 = '{digest}', file_name = '{digest}.txt', size = {len(forged)} WHERE id = 1")
    report = desk.verify()
    assert {(p.table, p.field) for p in report.row_problems} == {("source", "sha256"), ("source", "file_name"),
                                                                 ("source", "size")}
    assert report.file_problem_count == 0  # the swapped file hashes to its forged row: the replay catches it


def test_audit_and_exports_refuse_after_a_failed_verify(desk, run, tmp_path):
    assert run("audit 1").code in (0, 1)  # vouched: the first audit verifies the ledger itself
    _sql(desk, "UPDATE citation SET stance = 'refutes' WHERE id = 1")
    assert run("verify").code == 1
    for args in ("audit 1", "export 1 --format md", f"export --all --format json -o {tmp_path / 'x.json'}"):
        r = run(args)
        assert r.code == 1 and "last verify" in r.err and "citation 1" in r.err, (args, r.err)
        assert "Traceback" not in r.err
    _sql(desk, "UPDATE citation SET stance = 'supports' WHERE id = 1")
    assert run("verify").code == 0
    assert run("export 1 --format md").code == 0


def test_audit_verifies_first_when_never_verified(desk, run):
    _sql(desk, "UPDATE claim SET claimant = 'Nobody' WHERE id = 1")
    r = run("audit 1")
    assert r.code == 1 and "verify" in r.err and "claim 1: claimant" in r.err and "Traceback" not in r.err


def test_new_events_since_the_last_verify_are_checked_against_their_rows(desk, run):
    assert run("verify").code == 0
    desk.set_status(claim_id=1, status="in_progress", note="re-opened")
    _sql(desk, "UPDATE claim SET status = 'verified' WHERE id = 1")  # hides the new status
    r = run("audit 1")
    assert r.code == 1 and "claim 1: status" in r.err, r.err


# ------------------------------------------------------------------ checkpoints
def _key(run, tmp_path: Path) -> Path:  # noqa: ANN001
    path = tmp_path / "keys" / "desk"
    path.parent.mkdir()
    r = run(f"key new {path}")
    assert r.code == 0, r.err
    assert path.stat().st_mode & 0o777 == 0o600 and len(path.with_name("desk.pub").read_text().strip()) == 64
    return path


def test_checkpoints_hold_the_history(desk, run, tmp_path, workspace):
    key = _key(run, tmp_path)
    r = run(f"checkpoint --sign {key} --json")
    assert r.code == 0, r.err
    cp = r.json()
    cps = Path(cp["file"])
    assert cps.name == "checkpoints.jsonl"
    desk.set_status(claim_id=1, status="in_progress", note="re-opened")
    assert run(f"checkpoint --sign {key}").code == 0
    r = run(f"verify --checkpoints {cps} --key {key}.pub")
    assert r.code == 0 and "2 signed checkpoint(s)" in r.out, r.out
    # the checkpoint is in the history, and the report prints the latest
    assert "Latest signed checkpoint" in run("export 1 --format md").out
    assert "Latest signed checkpoint" in run("export 1 --format html").out


def test_a_forged_checkpoint_fails(desk, run, tmp_path):
    key = _key(run, tmp_path)
    to = tmp_path / "published.jsonl"
    assert run(f"checkpoint --sign {key} --to {to}").code == 0
    rec = json.loads(to.read_text())
    rec["events"] += 0
    rec["head"] = "f" * 64
    to.write_text(json.dumps(rec) + "\n")
    r = run(f"verify --checkpoints {to}")
    assert r.code == 1 and "published.jsonl:1" in r.out and "signature does not verify" in r.out
    other = tmp_path / "other"
    assert run(f"key new {other}").code == 0
    to.unlink()
    assert run(f"checkpoint --sign {other} --to {to}").code == 0
    r = run(f"verify --checkpoints {to} --key {key}.pub")
    assert r.code == 1 and "another key" in r.out


def test_a_history_rebuilt_from_scratch_fails_against_a_checkpoint(desk, run, tmp_path):
    key = _key(run, tmp_path)
    to = tmp_path / "cp.jsonl"
    assert run(f"checkpoint --sign {key} --to {to}").code == 0
    # the forger rewrites an early event and the row, then re-hashes every event consistently
    with desk.db.write() as conn:
        rows = conn.execute(text("SELECT * FROM event ORDER BY id")).all()
        prev = GENESIS
        for ev in rows:
            payload = ev.payload.replace('"stance":"supports"', '"stance":"refutes"')
            fields = {k: getattr(ev, k) for k in HASHED}
            fields["payload"] = payload
            h = event_hash(prev, **fields)
            conn.execute(text("UPDATE event SET payload = :p, prev_hash = :prev, hash = :h WHERE id = :id"),
                         {"p": payload, "prev": prev, "h": h, "id": ev.id})
            prev = h
        conn.execute(text("UPDATE ledger_meta SET value = :h WHERE key = 'chain_head'"), {"h": prev})
        conn.execute(text("UPDATE citation SET stance = 'refutes' WHERE id = 1"))
    assert run("verify").code == 0  # from inside, the rebuilt history is consistent
    r = run(f"verify --checkpoints {to} --key {key}.pub")
    assert r.code == 1 and "no longer passes through the signed head" in r.out and "cp.jsonl:1" in r.out


def test_checkpoint_with_a_bad_key_is_one_line(desk, run, tmp_path):
    bad = tmp_path / "nokey"
    bad.write_text("not a key")
    r = run(f"checkpoint --sign {bad}")
    assert r.code == 1 and "not a desk key" in r.err and "Traceback" not in r.err
    assert run(f"verify --key {bad}").code == 2


# ------------------------------------------------------------------ restore
def test_restore_refuses_a_corrupted_sqlite_backup(desk, run, tmp_path, ledger_db):
    if not ledger_db.endswith(".db"):
        pytest.skip("SQLite file backups")
    for i in range(40):  # enough rows that the file has index pages mid-file
        desk.add_source(title=f"Note {i}", url=f"https://example.org/{i}", fetch=False)
    backup = tmp_path / "b.db"
    assert run(f"backup {backup}").code == 0
    import sqlite3

    con = sqlite3.connect(backup)
    page = con.execute("PRAGMA page_size").fetchone()[0]
    root = con.execute("SELECT rootpage FROM sqlite_master WHERE name = 'ix_source_sha256'").fetchone()[0]
    con.close()
    data = bytearray(backup.read_bytes())
    middle = root * page - 64  # 8 bytes overwritten inside an index page, among its entries
    data[middle:middle + 8] = b"\x01" * 8
    backup.write_bytes(bytes(data))
    before = snapshot_tables(desk)
    r = run(["restore", str(backup), "--force"])
    assert r.code == 1 and "\n" not in r.err.strip() and "Traceback" not in r.err, r.err
    assert snapshot_tables(desk) == before


def test_restore_refuses_an_edited_json_backup(desk, run, tmp_path):
    backup = tmp_path / "b.json"
    assert run(f"backup {backup} --format json").code == 0
    text_ = backup.read_text(encoding="utf-8")
    edited = text_.replace('"stance":"supports"', '"stance":"refutes"', 1)
    assert edited != text_
    backup.write_text(edited, encoding="utf-8")
    before = snapshot_tables(desk)
    r = run(["restore", str(backup), "--force"])
    assert r.code == 1 and "does not verify" in r.err and "citation 1" in r.err and "nothing was restored" in r.err
    assert "\n" not in r.err.strip()
    assert snapshot_tables(desk) == before


def test_backup_reports_the_snapshot_it_wrote(desk, run, tmp_path):
    backup = tmp_path / "b.json"
    r = run(f"backup {backup} --format json --json")
    assert r.code == 0
    data = json.loads(backup.read_text(encoding="utf-8"))
    assert r.json()["head"] == data["chain_head"] and r.json()["counts"]["events"] == len(data["events"])
