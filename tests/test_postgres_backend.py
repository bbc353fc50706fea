"""A ledger shared by a team: the things that only show when several people use one database at
once, run on both backends (PostgreSQL when LEDGER_TEST_PG names a server)."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

import ledger.db
from ledger.services.ledger import open_ledger
from ledger.workspace import resolve_workspace
from tests.chain import assert_chain_intact
from tests.conftest import BACKENDS, PG_URL


@pytest.fixture(params=BACKENDS)
def bare_db(request, tmp_path) -> str:
    if request.param == "sqlite":
        return str(tmp_path / "ledger.db")
    from tests.pg import fresh_database

    return fresh_database(PG_URL, request, migrated=False)


OPENER = """
    import sys, time
    from ledger.services.ledger import open_ledger
    start = float(sys.argv[2])
    while time.time() < start:
        time.sleep(0.001)
    lg = open_ledger(sys.argv[1], actor=sys.argv[3])
    lg.add_article(title="from " + sys.argv[3], body="Un texte.")
    print(lg.db.current_revision(), flush=True)
    lg.close()
"""


def test_teammates_opening_a_new_ledger_at_once(bare_db):
    """Three people open the same brand-new ledger in the same instant: the schema is created
    once, everybody gets in, nobody's first write is lost."""
    import time

    start = time.time() + 1.5
    procs = [subprocess.Popen([sys.executable, "-c", textwrap.dedent(OPENER), bare_db, str(start), who],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for who in ("ana", "ben", "chloé")]
    outcomes = [p.communicate(timeout=120) + (p.returncode,) for p in procs]
    assert all(code == 0 for _, _, code in outcomes), outcomes
    assert {out.strip() for out, _, _ in outcomes} == {ledger.db.head_revision()}
    lg = open_ledger(bare_db)
    try:
        assert sorted(a.title for a in lg.list_articles()) == ["from ana", "from ben", "from chloé"]
        assert_chain_intact(lg)
    finally:
        lg.close()


VERIFIER = """
    import sys
    from ledger.services.ledger import open_ledger
    lg = open_ledger(sys.argv[1])
    bad = 0
    for _ in range(int(sys.argv[2])):
        report = lg.verify()
        bad += report.chain_problem is not None
    print(bad, flush=True)
"""


def test_verify_sees_one_state_while_teammates_write(lg, ledger_db, article_files):
    """``ledger verify`` pages through the whole history; with editors appending events all the
    while it must still see one consistent chain (a snapshot), never a false alarm."""
    article_id = lg.add_article(title="Visite", file=article_files["fr"])
    claim_id = lg.add_claim(article_id=article_id, quote="Le traité prévoit une assistance mutuelle")
    for i in range(30):
        lg.set_status(claim_id=claim_id, status=("in_progress", "disputed")[i % 2], note=f"round {i}")
    writer = subprocess.Popen([sys.executable, "-c", textwrap.dedent("""
        import sys, itertools
        from ledger.services.ledger import open_ledger
        lg = open_ledger(sys.argv[1], actor="writer")
        print("go", flush=True)
        for i in itertools.count():
            lg.set_status(claim_id=int(sys.argv[2]), status=("in_progress", "disputed")[i % 2], note=str(i))
    """), ledger_db, str(claim_id)], stdout=subprocess.PIPE, text=True)
    try:
        assert writer.stdout.readline().strip() == "go"
        out = subprocess.run([sys.executable, "-c", textwrap.dedent(VERIFIER), ledger_db, "15"],
                             capture_output=True, text=True, timeout=120)
    finally:
        writer.kill()
        writer.wait()
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "0"
    assert_chain_intact(lg)


def test_server_password_never_shown(monkeypatch):
    ws = resolve_workspace("postgresql://desk:s3cret-pass@db.newsroom.example:5432/ledger")
    assert ws.url.startswith("postgresql+psycopg://")
    assert ws.describe() == "postgresql://db.newsroom.example:5432/ledger"
    assert "s3cret" not in ws.describe()


def test_search_folds_accents_on_both_backends(lg, article_files):
    article_id = lg.add_article(title="Visite d’État à Pyongyang", file=article_files["fr"])
    lg.add_claim(article_id=article_id, quote="les premiers missiles nord-coréens ont frappé Kharkiv",
                 claimant="Washington", kind="attribution")
    assert {h.kind for h in lg.search("coreens")} == {"claim", "appearance"}
    assert {h.kind for h in lg.search("CORÉENS frappe")} == {"claim", "appearance"}
    assert [h.kind for h in lg.search("etat pyong")] == ["article"]
    assert lg.search("washing")[0].claim_id == 1


def test_a_team_ledgers_sessions_bound_lock_waits_and_never_jit_compile(lg):
    """On PostgreSQL every session of the ledger waits for a teammate's lock at most the busy
    timeout, and runs without the JIT compiler: above its default cost threshold, which batched
    sentence searches of a large ledger pass, compiling took 0.47 s for a 0.06 s statement."""
    if lg.db.engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL session settings")
    from sqlalchemy import text

    from ledger.db import busy_timeout_ms

    with lg.db.read() as conn:
        assert conn.execute(text("SHOW jit")).scalar() == "off"
        assert conn.execute(text("SHOW lock_timeout")).scalar() in (f"{busy_timeout_ms()}ms", f"{busy_timeout_ms() // 1000}s")
