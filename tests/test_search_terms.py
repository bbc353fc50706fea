"""Search keeps prefix matching when long words are spelled out as their indexed terms, and a
common word's page is the shortest of its newest matches (both backends where they apply)."""

from __future__ import annotations

import pytest

from ledger import store
from ledger.store import search as store_search

TEXTS = ("Des munitions livrées", "Une munition livrée", "Le munitionnaire a parlé",
         "Les Coréens ont reçu des munitions", "Rien à voir")


def _add(lg, texts=TEXTS) -> range:  # noqa: ANN001
    with lg.db.write() as conn:
        return store.bulk_insert_claims(conn, claims=({"text": t, "appearances": []} for t in texts), actor="tester")


def test_a_long_word_finds_every_word_it_begins(lg):
    ids = _add(lg)
    assert {h.claim_id for h in lg.search("munition")} == {ids[0], ids[1], ids[2], ids[3]}
    assert {h.claim_id for h in lg.search("MUNITIONS")} == {ids[0], ids[3]}
    assert {h.claim_id for h in lg.search("coreens munit")} == {ids[3]}
    assert {h.claim_id for h in lg.search("livrée")} == {ids[0], ids[1]}
    assert lg.search("munitionz") == []


def test_a_word_with_more_terms_than_are_spelled_out_keeps_its_prefix_query(lg, monkeypatch):
    ids = _add(lg)
    monkeypatch.setattr(store_search, "EXPAND", 1)
    assert {h.claim_id for h in lg.search("munition")} == {ids[0], ids[1], ids[2], ids[3]}


def test_the_sqlite_query_names_the_indexed_terms(lg):
    if lg.db.engine.dialect.name != "sqlite":
        pytest.skip("the spelled-out terms are FTS5's")
    _add(lg)
    with lg.db.read() as conn:
        from ledger.store.plain import on_connection

        run = on_connection(conn)
        store_search.create_term_tables(conn.exec_driver_sql)
        assert store_search.match_expression(run, "claim_fts", ["Munition", "livrée"]) == (
            '("munition" OR "munitionnaire" OR "munitions") AND ("livree" OR "livrees")')
        assert store_search.match_expression(run, "claim_fts", ["mun", "zzzzzz"]) == '"mun"* AND "zzzzzz"*'


def test_a_common_word_pages_through_its_newest_matches_shortest_first(lg, monkeypatch):
    if lg.db.engine.dialect.name != "sqlite":
        pytest.skip("PostgreSQL ranks its newest matches by ts_rank")
    ids = _add(lg, [f"Fait {'x' * (i % 4)} {i}" for i in range(12)])
    monkeypatch.setattr(store_search, "SCAN", 5)
    page = lg.search("fait", limit=4)
    newest = ids[-5:]
    expected = sorted(newest, key=lambda i: (len(f"Fait {'x' * ((i - ids[0]) % 4)} {i - ids[0]}"), i))
    assert [h.claim_id for h in page] == expected[:4]
    assert [h.claim_id for h in lg.search("fait", limit=1, offset=4)] == expected[4:]
    assert all(h.kind == "claim" and h.snippet.startswith("Fait") for h in page)


def test_the_command_line_reader_spells_out_long_words_too(lg, run):
    ids = _add(lg)
    lg.close()
    hits = run("search munition --json").json()
    assert {h["claim_id"] for h in hits} == {ids[0], ids[1], ids[2], ids[3]}
    assert run("search munition --json").json() == hits


def test_a_rare_query_is_ranked_as_its_prefix_query(lg):
    if lg.db.engine.dialect.name != "sqlite":
        pytest.skip("bm25 is FTS5's")
    _add(lg, [*TEXTS, "munitions munitions munitions", "munition munitionnaire munitions"])
    with lg.db.read() as conn:
        order = [r[0] for r in conn.exec_driver_sql(
            """SELECT rowid FROM claim_fts WHERE claim_fts MATCH '"munition"*' ORDER BY rank, rowid""")]
    assert [h.claim_id for h in lg.search("munition") if h.kind == "claim"] == order
