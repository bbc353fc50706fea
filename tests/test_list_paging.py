"""Deep pages of the article and source lists (the jump to the end) are read from the nearer end
of the list, and give exactly the rows the page would hold read from the start."""

from __future__ import annotations

import pytest

import ledger.store.articles
from ledger import store
from ledger.store.bulk_sources import bulk_insert_sources


@pytest.mark.parametrize("text", [None, "corée"])
def test_every_page_is_the_same_read_from_either_end(lg, monkeypatch, text):
    monkeypatch.setattr(ledger.store.articles, "DEEP", 3)  # every offset past 3 takes the nearer end
    with lg.db.write() as conn:
        store.bulk_insert_articles(conn, actor="t", articles=(
            {"title": f"T {i} {'Corée' if i % 3 else 'x'}", "body": "b\n"} for i in range(31)))
        bulk_insert_sources(conn, actor="t", sources=(
            {"title": f"S {i} {'Corée' if i % 2 else 'y'}", "url": f"https://example.org/{i}", "kind": "web"}
            for i in range(23)))
    for listing, count in ((lg.list_articles, lg.count_articles), (lg.list_sources, lg.count_sources)):
        whole = [r.id for r in listing(text=text, limit=1000)]
        assert len(whole) == count(text=text) > 5
        for offset in range(len(whole) + 2):
            for limit in (1, 4, 7):
                assert [r.id for r in listing(text=text, limit=limit, offset=offset)] == whole[offset:offset + limit]
