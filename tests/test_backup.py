"""``ledger backup`` / ``ledger restore`` on both backends: a round trip gives the ledger back row
for row with its history verifying; restore never half-replaces a ledger, refuses to replace a
non-empty one without --force, and saves what it replaces first; bad backups are refused with the
ledger untouched."""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from ledger.services.ledger import open_ledger
from tests.chain import assert_chain_intact
from tests.conftest import snapshot_tables


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def filled(lg, article_files):
    """A small ledger with every kind of row: articles, claims, appearances, a source with an
    archived file, citations, status changes."""
    a = lg.add_article(title="Visite", file=article_files["fr"], published="2024-06-19", lang="fr")
    b = lg.add_article(title="Pact", file=article_files["en"], lang="en")
    c1 = lg.add_claim(article_id=a, quote="les premiers missiles nord-coréens ont frappé Kharkiv dès janvier")
    lg.link_claim(claim_id=c1, article_id=b, quote="shipped artillery shells and missiles to Moscow")
    lg.add_claim(article_id=a, quote="Le traité prévoit une assistance mutuelle", kind="attribution",
                 claimant="Le traité")
    s = lg.add_source(title="Briefing", file=article_files["evidence"], kind="official", reliability="B")
    lg.cite(claim_id=c1, source_id=s, stance="supports", excerpt="missiles hit Kharkiv in January")
    lg.set_status(claim_id=c1, status="verified", note="transcript matches")
    return lg


def test_round_trip_gives_the_ledger_back(filled, run, tmp_path):
    lg = filled
    taken = snapshot_tables(lg)
    r = run(f"backup {tmp_path / 'copy'} --json")
    assert r.code == 0, r.err
    info = r.json()
    backup_file = Path(info["path"])
    assert backup_file.is_file() and not backup_file.with_name(backup_file.name + ".partial").exists()
    assert info["format"] == ("json" if lg.db.dialect == "postgresql" else "sqlite")
    assert info["counts"] == {"articles": 2, "claims": 2, "sources": 1, "citations": 1,
                              "events": len(taken["event"])}
    backup_hash = sha(backup_file)

    later = lg.add_claim(article_id=1, quote="Le traité prévoit aussi une coopération technique")
    changed = snapshot_tables(lg)

    r = run(["restore", str(backup_file)])
    assert r.code == 1 and "is not empty" in r.err and "--force" in r.err
    assert snapshot_tables(lg) == changed

    r = run(["restore", str(backup_file), "--force", "--json"])
    assert r.code == 0, r.err
    result = r.json()
    assert snapshot_tables(lg) == taken  # row for row, ids, timestamps and chain included
    assert result["head"] == info["head"] and result["missing_files"] == 0
    assert_chain_intact(lg)
    assert sha(backup_file) == backup_hash  # the backup itself is never written to
    with pytest.raises(Exception):
        lg.claim(later)

    # what the restore replaced was saved first, and restores in turn
    previous = Path(result["previous"])
    assert previous.is_file()
    r = run(["restore", str(previous), "--force"])
    assert r.code == 0, r.err
    assert snapshot_tables(lg) == changed
    assert_chain_intact(lg)


def test_json_backup_of_either_backend_restores_into_an_empty_ledger(filled, run, tmp_path, ledger_db):
    taken = snapshot_tables(filled)
    assert run(f"backup {tmp_path / 'full.json'} --format json").code == 0
    header = json.loads((tmp_path / "full.json").read_text(encoding="utf-8").split("\n", 1)[0].rstrip(",") + "}")
    assert header["format"] == "claim-ledger"

    fresh = tmp_path / "fresh" / "ledger.db"
    fresh.parent.mkdir()
    r = run(["--db", str(fresh), "restore", str(tmp_path / "full.json")])
    assert r.code == 0, r.err
    other = open_ledger(str(fresh))
    try:
        assert snapshot_tables(other) == _comparable(taken, filled.db.dialect)
        assert_chain_intact(other)
    finally:
        other.close()


def _comparable(snapshot: dict[str, list[tuple]], dialect: str) -> dict[str, list[tuple]]:
    """PostgreSQL rows as SQLite gives them back: dates as ISO text, booleans as 0/1 (the snapshot
    already leaves the ``search`` vectors out)."""
    if dialect != "postgresql":
        return snapshot
    from datetime import date

    def plain(v):  # noqa: ANN001, ANN202
        return v.isoformat() if isinstance(v, date) else int(v) if isinstance(v, bool) else v

    return {t: [tuple(map(plain, r)) for r in rows] for t, rows in snapshot.items()}


def test_sqlite_backup_restores_into_either_backend(tmp_path, article_files, run, lg, ledger_db):
    """A laptop's SQLite ledger restored onto the workspace's backend (a team server included)."""
    laptop = tmp_path / "laptop" / "ledger.db"
    laptop.parent.mkdir()
    solo = open_ledger(str(laptop), actor="solo")
    a = solo.add_article(title="Visite", file=article_files["fr"])
    solo.add_claim(article_id=a, quote="Le traité prévoit une assistance mutuelle")
    solo.close()
    r = run(["--db", str(laptop), "backup", str(tmp_path / "laptop.db")])
    assert r.code == 0, r.err

    r = run(["restore", str(tmp_path / "laptop.db")])
    assert r.code == 0, r.err
    assert [c.text for c in lg.list_claims()] == ["Le traité prévoit une assistance mutuelle"]
    assert lg.list_claims()[0].updated_by == "solo"
    assert_chain_intact(lg)
    # the restored ledger keeps working: the next ids follow the restored ones
    b = lg.add_article(title="Second", file=article_files["en"])
    assert b == 2


@contextmanager
def busy_editor(ledger_db: str) -> Iterator[None]:
    """Another process changing claim 2's status in a loop for as long as the block runs."""
    writer = subprocess.Popen([sys.executable, "-c", textwrap.dedent("""
        import sys, itertools
        from ledger.services.ledger import open_ledger
        lg = open_ledger(sys.argv[1], actor="busy-editor")
        print("ready", flush=True)
        for i in itertools.count():
            lg.set_status(claim_id=2, status=("in_progress", "disputed")[i % 2], note=f"pass {i}")
    """), ledger_db], stdout=subprocess.PIPE, text=True, stdin=subprocess.DEVNULL)
    try:
        assert writer.stdout.readline().strip() == "ready"
        yield
    finally:
        writer.kill()
        writer.wait()


def test_backup_is_consistent_while_an_editor_keeps_writing(filled, ledger_db, run, tmp_path):
    heads = set()
    with busy_editor(ledger_db):
        for i in range(3):
            r = run(["backup", str(tmp_path / f"b{i}"), "--json"])
            assert r.code == 0, r.err  # backup re-hashes the chain of what it copied
            heads.add(r.json()["head"])
    assert len(heads) >= 2  # the editor really was writing in between


def test_backup_refuses_to_overwrite_and_bad_targets(filled, run, tmp_path):
    target = tmp_path / "b.bak"
    target.write_text("an older backup")
    r = run(["backup", str(target)])
    assert r.code == 1 and "already exists" in r.err and "--force" in r.err
    assert target.read_text() == "an older backup"
    r = run(["backup", str(tmp_path / "missing" / "b.bak")])
    assert r.code == 1 and "does not exist" in r.err
    assert run(["backup", str(target), "--force"]).code == 0
    assert target.read_bytes() != b"an older backup"
    if filled.db.dialect == "postgresql":
        r = run(["backup", str(tmp_path / "x.db"), "--format", "sqlite"])
        assert r.code == 1 and "JSON" in r.err


def _tampered_sqlite(ledger_file: Path, out: Path) -> None:
    from ledger.db import copy_sqlite

    copy_sqlite(ledger_file, out)
    conn = sqlite3.connect(out)
    conn.execute("UPDATE event SET payload = replace(payload, 'transcript matches', 'rubber stamp')")
    conn.commit()
    conn.close()


def _sqlite_backup_of_filled(tmp_path: Path, article_files) -> Path:  # noqa: ANN001
    path = tmp_path / "src" / "ledger.db"
    path.parent.mkdir(exist_ok=True)
    src = open_ledger(str(path), actor="tester")
    a = src.add_article(title="Visite", file=article_files["fr"])
    c = src.add_claim(article_id=a, quote="Le traité prévoit une assistance mutuelle")
    s = src.add_source(title="Note", url="https://example.org/note", fetch=False)
    src.cite(claim_id=c, source_id=s, stance="supports")
    src.set_status(claim_id=c, status="verified", note="transcript matches")
    src.close()
    return path


@pytest.mark.parametrize("bad, message", [
    ("random", "neither a SQLite ledger nor a JSON export"),
    ("not-a-ledger", "not a Claim Ledger ledger"),
    ("tampered", "does not verify"),
    ("json-not-export", "not a Claim Ledger JSON export"),
    ("json-broken-chain", "event chain is broken"),
    ("folder", "does not exist or is not a file"),
])
def test_bad_backup_is_refused_and_nothing_changes(filled, run, tmp_path, article_files, bad, message):
    path = tmp_path / f"bad-{bad}"
    if bad == "random":
        path.write_bytes(os.urandom(4096))
    elif bad == "not-a-ledger":
        conn = sqlite3.connect(path)
        conn.execute("CREATE TABLE recipes (name TEXT)")
        conn.commit()
        conn.close()
    elif bad == "tampered":
        _tampered_sqlite(_sqlite_backup_of_filled(tmp_path, article_files), path)
    elif bad == "json-not-export":
        path.write_text('{"hello": "world"}\n')
    elif bad == "json-broken-chain":
        assert run(["backup", str(tmp_path / "good.json"), "--format", "json"]).code == 0
        lines = (tmp_path / "good.json").read_text(encoding="utf-8").splitlines()
        events = [i for i, line in enumerate(lines) if '"prev_hash"' in line]
        del lines[events[len(events) // 2]]  # an event removed from the middle of the history
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    elif bad == "folder":
        path.mkdir()
    before = snapshot_tables(filled)
    kept = sha(path) if path.is_file() else None
    workspace_files = sorted(p.name for p in Path(filled.workspace.root).iterdir())
    r = run(["restore", str(path), "--force"])
    assert r.code in (1, 2), (r.out, r.err)
    assert message in r.err and "Traceback" not in r.err, r.err
    assert snapshot_tables(filled) == before
    if kept is not None:
        assert sha(path) == kept
    # no safety copy is left behind when nothing was replaced
    assert sorted(p.name for p in Path(filled.workspace.root).iterdir()) == workspace_files


def test_restore_of_an_older_schema_backup_upgrades_it(tmp_path, article_files, run, lg):
    import ledger.db

    old = _sqlite_backup_of_filled(tmp_path, article_files)
    backup_file = tmp_path / "old.db"
    ledger.db.copy_sqlite(old, backup_file)
    conn = sqlite3.connect(backup_file)
    from tests.conftest import as_schema_0001

    as_schema_0001(conn)
    conn.commit()
    conn.close()
    kept = sha(backup_file)
    r = run(["restore", str(backup_file)])
    assert r.code == 0, r.err
    assert lg.db.current_revision() == ledger.db.head_revision()
    assert [c.status for c in lg.list_claims()] == ["verified"]
    assert sha(backup_file) == kept
    assert_chain_intact(lg)


def test_restore_refuses_the_ledger_itself(tmp_path, article_files, run):
    path = _sqlite_backup_of_filled(tmp_path, article_files)
    kept = sha(path)
    r = run(["--db", str(path), "restore", str(path), "--force"])
    assert r.code == 1 and "the ledger itself" in r.err
    assert sha(path) == kept
