"""Bulk path vs raw sqlite3.executemany: 100k synthetic claims with one appearance each.

Both runs write into a freshly migrated ledger (same schema, same FTS triggers): the store's
bulk path (SQLAlchemy Core executemany, chained events computed in Python) and a baseline that
pushes equivalent claim, appearance and event rows through sqlite3.executemany directly.
Prints both rates and the ratio; the target is a ratio of at least 0.5.

    python benchmarks/bench_bulk_insert.py [--claims 100000]
"""

from __future__ import annotations

import argparse
import sqlite3
import tempfile
import time
from pathlib import Path

from ledger import store
from ledger.db import Database
from ledger.workspace import resolve_workspace

BODY = ("Le président a rencontré son homologue ce 18 juin. Des munitions auraient été livrées. "
        "The treaty includes a mutual assistance clause. ") * 3


def synthetic(n: int, n_articles: int):
    quote = "Des munitions auraient été livrées."
    start = BODY.index(quote)
    for i in range(n):
        yield {
            "text": f"Claim {i}: munitions delivered in batch {i % 97}",
            "kind": "assertion" if i % 3 else "attribution",
            "claimant": None if i % 3 else f"Official {i % 50}",
            "status": "unverified",
            "appearances": [{"article_id": 1 + i % n_articles, "quote": quote, "start": start,
                             "end": start + len(quote), "prefix": BODY[max(0, start - 32):start],
                             "suffix": BODY[start + len(quote):start + len(quote) + 32]}],
        }


def fresh(path: Path, n_articles: int) -> Database:
    db = Database(resolve_workspace(str(path)))
    with db.write() as conn:
        store.bulk_insert_articles(conn, articles=({"title": f"Article {i}", "body": BODY} for i in range(n_articles)),
                                   actor="bench")
    return db


def run_store(path: Path, n: int, n_articles: int) -> float:
    db = fresh(path, n_articles)
    t = time.perf_counter()
    with db.write() as conn:
        store.bulk_insert_claims(conn, claims=synthetic(n, n_articles), actor="bench")
    elapsed = time.perf_counter() - t
    db.dispose()
    return elapsed


def run_raw(path: Path, n: int, n_articles: int) -> float:
    fresh(path, n_articles).dispose()
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA synchronous = NORMAL")
    stamp = "2026-01-01T00:00:00.000000Z"
    t = time.perf_counter()
    conn.execute("BEGIN IMMEDIATE")
    claims, apps, events = [], [], []
    for i, c in enumerate(synthetic(n, n_articles), start=1):
        a = c["appearances"][0]
        claims.append((i, c["text"], c["kind"], c["claimant"], c["status"], stamp, stamp, "bench"))
        apps.append((i, i, a["article_id"], a["quote"], a["start"], a["end"], a["prefix"], a["suffix"], stamp))
        events.append((stamp, "bench", "claim.import", "claim", i, i, '{"text":"x"}', "0" * 64, "f" * 64))
    conn.executemany("INSERT INTO claim (id, text, kind, claimant, status, created_at, updated_at, updated_by) "
                     "VALUES (?,?,?,?,?,?,?,?)", claims)
    conn.executemany('INSERT INTO appearance (id, claim_id, article_id, quote, start, "end", prefix, suffix, '
                     "created_at) VALUES (?,?,?,?,?,?,?,?,?)", apps)
    conn.executemany("INSERT INTO event (at, actor, action, entity, entity_id, claim_id, payload, prev_hash, hash) "
                     "VALUES (?,?,?,?,?,?,?,?,?)", events)
    conn.execute("COMMIT")
    elapsed = time.perf_counter() - t
    conn.close()
    return elapsed


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--claims", type=int, default=100_000)
    ap.add_argument("--articles", type=int, default=1_000)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        raw = run_raw(Path(tmp) / "raw.db", args.claims, args.articles)
        ours = run_store(Path(tmp) / "store.db", args.claims, args.articles)
    raw_rate, our_rate = args.claims / raw, args.claims / ours
    print(f"claims (1 appearance + 1 event each): {args.claims:,}")
    print(f"raw sqlite3.executemany : {raw:7.2f} s  {raw_rate:10,.0f} claims/s")
    print(f"store bulk path         : {ours:7.2f} s  {our_rate:10,.0f} claims/s")
    print(f"ratio (bulk / raw)      : {our_rate / raw_rate:7.2f}   (target >= 0.5)")


if __name__ == "__main__":
    main()
