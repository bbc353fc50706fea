"""Matching's word counts on SQLite (``store.match_stats``) and read-only matching without the
database layer (``services.reading``): the counts agree with the index, are taken again when the
chain has moved on or was replaced, and a word new since they were taken is still searched."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from ledger.services.ledger import open_ledger
from ledger.services.reading import open_reader
from ledger.store import match_candidates, match_stats
from ledger.store.plain import on_sqlite

SRC = str(Path(__file__).resolve().parents[1] / "src")
CLAIMS = [
    "North Korea has supplied 11,000 artillery shells to Russia since August",
    "The two leaders signed a mutual defence treaty in Pyongyang",
    "La Corée du Nord aurait livré des munitions à la Russie depuis le mois d'août",
]


@pytest.fixture
def small(tmp_path):
    path = tmp_path / "ledger.db"
    lg = open_ledger(str(path), actor="tester")
    body = ". ".join(CLAIMS) + ".\n"
    article = lg.add_article(title="Supply", body=body, lang="en")
    for quote in CLAIMS:
        lg.add_claim(article_id=article, quote=quote)
    yield lg, path
    lg.close()
    match_candidates.forget()


def _counts(path: Path) -> tuple[dict, dict, tuple]:
    con = sqlite3.connect(path)
    try:
        stats = dict(con.execute("SELECT term, docs FROM claim_term_stats"))
        vocab = dict(con.execute("SELECT term, doc FROM claim_fts_vocab"))
        at = con.execute("SELECT event_id, event_hash, claims FROM claim_term_stats_at").fetchone()
        return stats, vocab, at
    finally:
        con.close()


def test_counts_are_taken_again_once_the_chain_moved_on(small):
    lg, path = small
    stats, vocab, at = _counts(path)  # counted by the migration, on the empty ledger
    assert at == (0, "", 0) and stats == {}
    lg.matching.match([(1, "shells supplied to Russia")])
    stats, vocab, (event_id, event_hash, claims) = _counts(path)
    assert stats == vocab and "pyongyang" in stats and claims == 3
    with sqlite3.connect(path) as con:
        assert con.execute("SELECT max(id) FROM event").fetchone()[0] == event_id
        assert con.execute("SELECT hash FROM event WHERE id = ?", (event_id,)).fetchone()[0] == event_hash


def test_counts_of_another_chain_are_not_trusted(small):
    lg, path = small
    lg.matching.match([(1, "shells supplied to Russia")])
    with sqlite3.connect(path) as con:  # as after a restore: the event they were counted at is another
        con.execute("UPDATE claim_term_stats_at SET event_hash = 'other'")
        con.execute("DELETE FROM claim_term_stats")
    with lg.db.read() as conn:
        assert match_stats.source(match_candidates.as_run(conn)) == match_stats.STATS
    stats, vocab, at = _counts(path)
    assert stats == vocab and at[1] != "other"


def test_a_word_new_since_the_counts_is_still_searched(small, monkeypatch):
    lg, path = small
    lg.matching.match([(1, "shells supplied to Russia")])  # counts taken now
    monkeypatch.setattr(match_stats, "DRIFT", 1000.0)  # and never again
    article = lg.add_article(title="Kursk", body="Zelenskyy visited Sudzha in the Kursk region.\n", lang="en")
    new = lg.add_claim(article_id=article, quote="Zelenskyy visited Sudzha in the Kursk region")
    match_candidates.forget()
    assert "zelenskyy" not in _counts(path)[0]
    [(_, found)] = lg.matching.match([(1, "Zelenskyy went to Sudzha")])
    assert found and found[0].claim_id == new


def test_counts_kept_in_memory_when_the_ledger_cannot_be_written(small):
    lg, path = small
    con = sqlite3.connect(path, isolation_level=None)
    con.execute("PRAGMA query_only = ON")
    run = on_sqlite(con)  # no ``write``: nowhere to store them
    counts = match_stats.source(run)
    assert isinstance(counts, match_stats.Counts)
    vocab = dict(con.execute("SELECT term, doc FROM claim_fts_vocab"))
    assert dict(zip(counts.words, counts.docs)) == vocab
    assert counts.get("pyongyang") == 1 and counts.get("absent") is None
    assert [w for w, _ in counts.range("russ", "russ\U0010ffff")] == [w for w in sorted(vocab) if w.startswith("russ")]
    con.close()


def test_the_plain_reader_matches_and_suggests_as_the_ledger_does(small):
    lg, path = small
    article = lg.add_article(title="Again", body="Officials said Pyongyang shipped 11 000 shells to Russia "
                                                  "since August. The weather was fine.\n", lang="en")
    reader = open_reader(str(path))
    assert reader is not None
    try:
        assert reader.matching.suggestions(article) == lg.matching.suggestions(article)
        texts = [(1, "a defence treaty signed in Pyongyang"), (2, "munitions livrées à la Russie")]
        assert reader.matching.match(texts) == lg.matching.match(texts)
    finally:
        reader.close()


def _modules_after(*argv: str) -> tuple[set[str], str]:
    probe = ("import sys, json\nfrom ledger.cli import main\ntry:\n    main(sys.argv[1:])\n"
             "except SystemExit as e:\n    assert not e.code, e.code\n"
             "print(json.dumps(sorted(sys.modules)), file=sys.stderr)\n")
    env = {**os.environ, "PYTHONPATH": SRC + os.pathsep + os.environ.get("PYTHONPATH", "")}
    done = subprocess.run([sys.executable, "-c", probe, *argv], capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode == 0, done.stderr
    return set(json.loads(done.stderr.strip().splitlines()[-1])), done.stdout


def test_match_and_suggest_on_an_up_to_date_ledger_load_no_database_layer(small):
    lg, path = small
    article = lg.add_article(title="Again", body="Officials said Pyongyang shipped 11 000 shells to Russia "
                                                  "since August. The weather was fine.\n", lang="en")
    expected = lg.matching.suggestions(article)
    loaded, out = _modules_after("--db", str(path), "suggest", str(article), "--json")
    assert "sqlalchemy" not in loaded and "sqlmodel" not in loaded
    assert [(s["start"], s["claim_id"]) for s in json.loads(out)["suggestions"]] == [
        (s.start, s.claim_id) for s in expected]
    loaded, out = _modules_after("--db", str(path), "match", "shells shipped to Russia", "--json")
    assert "sqlalchemy" not in loaded and json.loads(out)["matches"]


def test_counts_follow_the_chain_on_every_backend(lg, monkeypatch):
    """The same table on PostgreSQL, counted by ``ts_stat``: exact counts where ANALYZE keeps only
    the commonest lexemes; a word new since they were taken is still searched."""
    article = lg.add_article(title="Supply", body=". ".join(CLAIMS) + ".\n", lang="en")
    for quote in CLAIMS:
        lg.add_claim(article_id=article, quote=quote)
    match_candidates.forget()
    lg.matching.match([(1, "shells supplied to Russia")])
    count = match_stats.COUNT[lg.db.dialect]
    with lg.db.read() as conn:
        stats = dict(conn.exec_driver_sql("SELECT term, docs FROM claim_term_stats").all())
        assert stats == dict(conn.exec_driver_sql(count).all()) and stats["pyongyang"] == 1
        event_id, claims = conn.exec_driver_sql("SELECT event_id, claims FROM claim_term_stats_at").one()
        assert event_id == conn.exec_driver_sql("SELECT max(id) FROM event").scalar() and claims == 3
    monkeypatch.setattr(match_stats, "DRIFT", 1000.0)
    other = lg.add_article(title="Kursk", body="Zelenskyy visited Sudzha in the Kursk region.\n", lang="en")
    new = lg.add_claim(article_id=other, quote="Zelenskyy visited Sudzha in the Kursk region")
    match_candidates.forget()
    [(_, found)] = lg.matching.match([(1, "Zelenskyy went to Sudzha")])
    assert found and found[0].claim_id == new
    match_candidates.forget()


def test_the_plain_reader_stores_fresh_counts_on_every_backend(lg, ledger_db):
    """A read command that finds the counts stale takes them again and stores them in a
    transaction of its own (on PostgreSQL a bare driver connection, not the reader's), then
    matches and suggests as the ledger does."""
    article = lg.add_article(title="Supply", body=". ".join(CLAIMS) + ".\n", lang="en")
    for quote in CLAIMS:
        lg.add_claim(article_id=article, quote=quote)
    match_candidates.forget()
    texts = [(1, "shells supplied to Russia"), (2, "munitions livrées à la Russie")]
    reader = open_reader(ledger_db)
    assert reader is not None
    try:
        assert reader.matching.match(texts)[0][1]  # the counts are stale: taken again, and stored
        with lg.db.read() as conn:
            stats = dict(conn.exec_driver_sql("SELECT term, docs FROM claim_term_stats").all())
            assert stats == dict(conn.exec_driver_sql(match_stats.COUNT[lg.db.dialect]).all())
            assert stats["pyongyang"] == 1
            event_id, claims = conn.exec_driver_sql("SELECT event_id, claims FROM claim_term_stats_at").one()
            assert event_id == conn.exec_driver_sql("SELECT max(id) FROM event").scalar() and claims == 3
        match_candidates.forget()  # both now plan from the stored counts
        assert reader.matching.match(texts) == lg.matching.match(texts)
        assert reader.matching.suggestions(article) == lg.matching.suggestions(article)
    finally:
        reader.close()
