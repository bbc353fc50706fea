"""The bulk paths' fast encodings write exactly what the plain ones would, and the batched
full-text fill indexes exactly what the per-row triggers would."""

import json
import sqlite3
from datetime import date, datetime

import pytest
from sqlalchemy import select

from ledger.errors import InvalidInput
from ledger.models import Event
from ledger.services.importing.claimreview import lookup_statements
from ledger.store.bulk import bulk_insert_articles, bulk_insert_claims
from ledger.store.bulk_sources import bulk_insert_citations, bulk_insert_sources
from ledger.store.events import (GENESIS, JsonObject, canonical, chain, event_hash, json_values, row_put,
                                 row_put_json, with_rows)
from ledger.store.fts_batch import MIN_ROWS, fill_statement
from ledger.store.reviews import FIELDS, insert_reviews
from ledger.text.dates import parse_date

TRICKY = ["plain", "", "é à ü 錯誤 زائف", 'quote " and \\ backslash', "line\nbreak\ttab\x1f\x7f", "\u2028\u2029\ufeff",
          "😀 astral", "\\u0000 typed, not a NUL", "%s %(x)s {}", None, True, False, 0, -1, 2**63 - 1, 2**70,
          1.5, 1e16, 1e-7, float("nan"), date(2024, 6, 18), datetime(2024, 6, 18, 10, 0), parse_date("2024-06"),
          ["a", 1, None], {"b": 1, "a": [2]}, "\ud800 lone surrogate"]


@pytest.mark.parametrize("value", TRICKY, ids=repr)
def test_a_template_writes_what_canonical_writes(value):
    plain = JsonObject(("zeta", "alpha", "ü", "Mid"))
    assert plain((value, "a", 3, value)) == canonical({"zeta": value, "alpha": "a", "ü": 3, "Mid": value})
    nested = JsonObject(("t", "rows", "a", "z"), encoded=("rows",))
    inner = canonical({"x": value})
    assert nested(("tbl", f"[{inner}]", value, None)) == canonical({"t": "tbl", "rows": [{"x": value}], "a": value,
                                                                      "z": None})
    assert row_put_json("claim", 7, inner) == canonical(row_put("claim", 7, {"x": value}))


def test_the_chain_hashes_what_event_hash_hashes():
    events = [("2026-01-01T00:00:00.000000Z", "ana", "claim.import", "claim", i, i if i % 2 else None, None,
               canonical({"v": v})) for i, v in enumerate(TRICKY[:10])]
    events.append(("2026-01-01T00:00:00.000000Z", "ana", "x", "claim", 2**70, None, None, "{}"))  # the exact path
    prev = GENESIS
    for row in chain(GENESIS, events):
        assert row[-2] == prev
        prev = event_hash(prev, **dict(zip(("at", "actor", "action", "entity", "entity_id", "claim_id", "article_id",
                                            "payload"), row[:8])))
        assert row[-1] == prev


def _payloads(lg, action):
    with lg.db.read() as conn:
        ev = Event.__table__
        return [(r.entity_id, r.payload) for r in conn.execute(select(ev.c.entity_id, ev.c.payload)
                                                                .where(ev.c.action == action).order_by(ev.c.id))]


def test_bulk_payloads_are_the_canonical_dicts(lg):
    """What the bulk paths did before their templates: the same dicts through canonical()."""
    texts = [t for t in TRICKY if isinstance(t, str) and "\ud800" not in t]
    arts = [{"title": t or "t", "body": f"Body {t}\n", "outlet": t or None, "url": f"https://x.example/{i}",
             "lang": "fr", "published": parse_date("2024-06") if i % 2 else date(2024, 6, 18), "state": "published"}
            for i, t in enumerate(texts)]
    srcs = [{"kind": "web", "title": t or "t", "publisher": t or None, "url": f"https://x.example/{i}",
             "published": parse_date("2024") if i % 2 else date(2024, 6, 1), "accessed": date(2024, 7, 1),
             "size": i} for i, t in enumerate(texts)]
    with lg.db.write() as conn:
        aids = bulk_insert_articles(conn, articles=arts, actor="ana")
        sids = bulk_insert_sources(conn, sources=srcs, actor="ana")
        (cid,) = bulk_insert_claims(conn, claims=[{"text": "A claim"}], actor="ana")
        bulk_insert_citations(conn, citations=[{"claim_id": cid, "source_id": s, "stance": "refutes",
                                                "excerpt": t or None} for s, t in zip(sids, texts)], actor="ana")
        insert_reviews(conn, reviews=[{"claim_id": cid, "review_key": f"urn:{i}", "url": None, "headline": t,
                                       "appearance_urls": ["https://y.example/1"] if i % 2 else [],
                                       "claimant_same_as": [t]} for i, t in enumerate(texts)], actor="ana")
    with lg.db.read() as conn:
        stamps = {r.entity: r.at for r in conn.execute(select(Event.__table__))}
    for (aid, payload), a in zip(_payloads(lg, "article.add"), arts):
        digest = json.loads(payload)["content_hash"]
        day = date(a["published"].year, a["published"].month, a["published"].day)
        row = dict(id=aid, title=a["title"], outlet=a["outlet"], author=None, url=a["url"], lang="fr", published=day,
                   state="published", body=a["body"], content_hash=digest, revision=1, created_at=stamps["article"],
                   updated_at=stamps["article"], version=1,
                   published_edtf="2024-06" if isinstance(a["published"], type(parse_date("2024-06"))) and a[
                       "published"].precision != "day" else None)
        rev = dict(article_id=aid, revision=1, body=a["body"], content_hash=digest, created_at=stamps["article"],
                   actor="ana")
        expected = with_rows({k: row[k] for k in ("title", "outlet", "author", "url", "lang", "published", "state",
                                                  "content_hash")},
                             row_put("article", aid, {k: v for k, v in row.items() if k != "id"}),
                             row_put("article_revision", aid, rev))
        assert payload == canonical(expected)
    for (sid, payload), s in zip(_payloads(lg, "source.add"), srcs):
        fields = {f: s.get(f) for f in ("kind", "title", "publisher", "author", "url", "published", "accessed",
                                        "reliability", "sha256", "file_name", "media_type", "size")}
        edtf = "2024" if sid % 2 == 0 else None
        stored = dict(fields, published=date(s["published"].year, s["published"].month, s["published"].day),
                      published_edtf=edtf, created_at=stamps["source"])
        assert payload == canonical(with_rows(dict(fields, published_edtf=edtf),
                                              row_put("source", sid, json_values(stored))))
    for (cit, payload), t in zip(_payloads(lg, "citation.add"), texts):
        spec = {"source_id": cit, "stance": "refutes", "excerpt": t or None, "locator": None}
        assert payload == canonical(with_rows(spec, row_put("citation", cit, dict(
            claim_id=cid, **spec, created_at=stamps["citation"]))))
    for (rid, payload), (i, t) in zip(_payloads(lg, "review.import"), enumerate(texts)):
        values = {f: None for f in FIELDS}
        values.update(claim_id=cid, review_key=f"urn:{i}", headline=t, claimant_same_as=json.dumps([t], ensure_ascii=False),
                      appearance_urls='["https://y.example/1"]' if i % 2 else None)
        expected = {"review_key": f"urn:{i}", "url": None,
                    "rows": [row_put("review", rid, dict(values, created_at=stamps["review"]))]}
        assert payload == canonical(expected)
    report = lg.verify()
    assert report.chain_problem is None and not report.row_problems and report.rows > 0


def test_a_batch_of_articles_is_searchable_and_keeps_its_triggers(lg):
    if lg.db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite's full-text tables")
    with lg.db.read() as conn:
        before = conn.exec_driver_sql("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name").all()
    n = MIN_ROWS + 5
    with lg.db.write() as conn:
        bulk_insert_articles(conn, articles=[{"title": f"Zanzibar report {i}", "body": "B.\n", "outlet": "Écho"}
                                             for i in range(n)], actor="ana")
        (cid,) = bulk_insert_claims(conn, claims=[{"text": "Quetzal"}], actor="ana")
        bulk_insert_claims(conn, claims=[{"text": f"Ocelot claim {i}"} for i in range(n)], actor="ana")
    with lg.db.read() as conn:
        assert conn.exec_driver_sql("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name").all() == before
        assert conn.exec_driver_sql("SELECT count(*) FROM article_fts WHERE article_fts MATCH 'zanzibar'").scalar() == n
        assert conn.exec_driver_sql("SELECT count(*) FROM article_fts WHERE article_fts MATCH 'echo'").scalar() == n
        assert conn.exec_driver_sql("SELECT count(*) FROM claim_fts WHERE claim_fts MATCH 'ocelot'").scalar() == n
        assert conn.exec_driver_sql("SELECT count(*) FROM claim_fts WHERE claim_fts MATCH 'quetzal'").scalar() == 1
        assert conn.exec_driver_sql("INSERT INTO article_fts(article_fts, rank) VALUES ('integrity-check', 1)") is not None


def test_a_failed_batch_inside_a_transaction_leaves_the_triggers(lg):
    if lg.db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite's full-text tables")
    from ledger.store.executemany import write_rows
    from ledger.store.bulk import ARTICLE, ARTICLE_COLUMNS

    with lg.db.write() as conn:
        bulk_insert_articles(conn, articles=[{"title": "First", "body": "B.\n"}], actor="ana")
        rows = [(i, f"T{i}", None, None, None, None, None, "draft", "B.\n", "h", 1, "t", "t", 1, None)
                for i in range(1, MIN_ROWS + 2)]  # id 1 is taken: the insert fails after the triggers were dropped
        savepoint = conn.begin_nested()
        with pytest.raises(Exception):
            write_rows(conn, ARTICLE, ARTICLE_COLUMNS, rows)
        savepoint.rollback()
        names = {r[0] for r in conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
    assert "article_fts_ai" in names


def test_every_lookup_of_an_import_searches_an_index(lg):
    if lg.db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite's query plans")
    conn = sqlite3.connect(lg.workspace.url.removeprefix("sqlite:///"))
    try:
        checks = lookup_statements() + [(t, fill_statement(sql, t), (1, 2)) for t, sql in conn.execute(
            "SELECT tbl_name, sql FROM sqlite_master WHERE type = 'trigger'") if fill_statement(sql, t)]
        assert len(checks) >= 8
        for what, sql, params in checks:
            plan = " / ".join(r[-1] for r in conn.execute(f"EXPLAIN QUERY PLAN {sql}", params))
            assert "SEARCH" in plan and "SCAN" not in plan, (what, plan)
    finally:
        conn.close()


def test_a_nul_in_a_bulk_batch_is_refused_and_typed_escapes_are_not(lg):
    with lg.db.write() as conn:
        bulk_insert_sources(conn, sources=[{"title": "\\u0000 typed"} for _ in range(3)], actor="ana")
    with pytest.raises(InvalidInput):
        with lg.db.write() as conn:
            bulk_insert_sources(conn, sources=[{"title": "ok"}, {"title": "a\x00b"}], actor="ana")
