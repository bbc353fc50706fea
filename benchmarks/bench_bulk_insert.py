"""The bulk path against the raw inserts of the same rows, in the same run.

SQLite: ``store.bulk_insert_claims`` (rows, event payloads with their ``"rows"`` changes, hash
chain, all computed in Python) against a baseline that pushes the very same claim, appearance and
event rows -- computed beforehand, outside the timing -- through ``sqlite3.executemany`` into an
identical freshly migrated ledger (same FTS triggers). Target: a rate of at least 0.5x the raw one.

PostgreSQL (``--pg URL``, a server where databases may be created): the bulk path against a raw
``COPY`` of the same precomputed rows into an identical freshly migrated database (same indexes,
generated search columns and foreign keys). Target: within 1.5x of the raw COPY's time.

Both sides start from data already in memory: the baseline's rows, and the bulk path's input
claims (a list of dicts, made before the clock starts, as an importer hands them over). Each of
``--runs`` rounds times the baseline and the bulk path one after the other on each backend (the
machine is shared: compare within a round); the medians of the rounds' figures are printed last.

    python benchmarks/bench_bulk_insert.py [--claims 100000] [--runs 3] [--no-sqlite]
        [--pg postgresql://ledger:ledger@127.0.0.1:5433/postgres]
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import tempfile
import time
import uuid
from pathlib import Path

from ledger import store
from ledger.db import Database
from ledger.store import bulk
from ledger.store.events import COLUMNS, GENESIS, chain
from ledger.workspace import resolve_workspace

BODY = ("Le président a rencontré son homologue ce 18 juin. Des munitions auraient été livrées. "
        "The treaty includes a mutual assistance clause. ") * 3
STAMP = "2026-01-01T00:00:00.000000Z"


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


def same_rows(n: int, n_articles: int, first_event_id: int):
    """The rows the bulk path writes (claims, appearances, chained events), precomputed."""
    claims, apps, events = [], [], []
    for cid, c in enumerate(synthetic(n, n_articles), start=1):
        row = (cid, c["text"], c["kind"], c["claimant"], None, 2, c["status"], None, STAMP, STAMP, "bench", 1, None)
        a = c["appearances"][0]
        app = (cid, cid, a["article_id"], a["quote"], a["start"], a["end"], a["prefix"], a["suffix"], False, STAMP)
        claims.append(row)
        apps.append(app)
        events.append((STAMP, "bench", "claim.import", "claim", cid, cid, None,
                       bulk.claim_import_payload(cid, row, [app])))
    return claims, apps, [(first_event_id + i, *e) for i, e in enumerate(chain(GENESIS, events))]


def fresh(url: str, n_articles: int) -> Database:
    db = Database(resolve_workspace(url))
    with db.write() as conn:
        store.bulk_insert_articles(conn, articles=({"title": f"Article {i}", "body": BODY} for i in range(n_articles)),
                                   actor="bench")
    return db


def run_store(url: str, n: int, n_articles: int) -> float:
    db = fresh(url, n_articles)
    claims = list(synthetic(n, n_articles))
    t = time.perf_counter()
    with db.write() as conn:
        store.bulk_insert_claims(conn, claims=claims, actor="bench")
    elapsed = time.perf_counter() - t
    db.dispose()
    return elapsed


def _next_event_id(db: Database) -> int:
    with db.read() as conn:
        return (conn.exec_driver_sql("SELECT max(id) FROM event").scalar() or 0) + 1


def run_raw_sqlite(path: Path, n: int, n_articles: int) -> float:
    db = fresh(str(path), n_articles)
    claims, apps, events = same_rows(n, n_articles, _next_event_id(db))
    db.dispose()
    apps = [(*a[:8], int(a[8]), a[9]) for a in apps]
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA synchronous = NORMAL")
    conn.execute("PRAGMA foreign_keys = ON")
    t = time.perf_counter()
    conn.execute("BEGIN IMMEDIATE")
    conn.executemany(f"INSERT INTO claim ({', '.join(bulk.CLAIM_COLUMNS)}) VALUES ({', '.join('?' * len(bulk.CLAIM_COLUMNS))})", claims)
    conn.executemany(f"INSERT INTO appearance ({', '.join(map(repr, bulk.APPEARANCE_COLUMNS))}) "
                     f"VALUES ({', '.join('?' * 10)})".replace("'", '"'), apps)
    conn.executemany(f"INSERT INTO event (id, {', '.join(COLUMNS)}) VALUES ({', '.join('?' * 11)})", events)
    conn.execute("COMMIT")
    elapsed = time.perf_counter() - t
    conn.close()
    return elapsed


def run_raw_copy(url: str, n: int, n_articles: int) -> float:
    import psycopg

    db = fresh(url, n_articles)
    claims, apps, events = same_rows(n, n_articles, _next_event_id(db))
    db.dispose()
    with psycopg.connect(url) as conn:
        t = time.perf_counter()
        with conn.cursor() as cur:
            for table, cols, rows in (("claim", bulk.CLAIM_COLUMNS, claims), ("appearance", bulk.APPEARANCE_COLUMNS, apps),
                                      ("event", ("id",) + COLUMNS, events)):
                with cur.copy(f'COPY {table} ({", ".join(f"{chr(34)}{c}{chr(34)}" for c in cols)}) FROM STDIN') as cp:
                    for r in rows:
                        cp.write_row(r)
        conn.commit()
        return time.perf_counter() - t


def pg_database(admin: str) -> tuple[str, str]:
    import psycopg

    name = f"ledger_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return name, admin.rpartition("/")[0] + "/" + name


def drop(admin: str, name: str) -> None:
    import psycopg

    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--claims", type=int, default=100_000)
    ap.add_argument("--articles", type=int, default=1_000)
    ap.add_argument("--runs", type=int, default=1, help="rounds (medians printed last)")
    ap.add_argument("--no-sqlite", action="store_true", help="PostgreSQL only")
    ap.add_argument("--pg", help="PostgreSQL server URL to compare with COPY")
    args = ap.parse_args()
    n = args.claims
    sqlite_ratios, pg_ratios = [], []
    for round_ in range(1, args.runs + 1):
        if not args.no_sqlite:
            with tempfile.TemporaryDirectory() as tmp:
                raw = run_raw_sqlite(Path(tmp) / "raw.db", n, args.articles)
                ours = run_store(str(Path(tmp) / "store.db"), n, args.articles)
            sqlite_ratios.append(raw / ours)
            print(f"round {round_}: SQLite, {n:,} claims (1 appearance + 1 event with its row changes each)")
            print(f"  raw sqlite3.executemany of the same rows : {raw:7.2f} s  {n / raw:10,.0f} claims/s")
            print(f"  store bulk path                          : {ours:7.2f} s  {n / ours:10,.0f} claims/s")
            print(f"  rate ratio (bulk / raw)                  : {raw / ours:7.2f}   (target >= 0.5)", flush=True)
        if args.pg:
            names = []
            try:
                name, url = pg_database(args.pg)
                names.append(name)
                raw = run_raw_copy(url, n, args.articles)
                name, url = pg_database(args.pg)
                names.append(name)
                ours = run_store(url.replace("postgresql://", "postgresql+psycopg://"), n, args.articles)
            finally:
                for name in names:
                    drop(args.pg, name)
            pg_ratios.append(ours / raw)
            print(f"round {round_}: PostgreSQL, {n:,} claims")
            print(f"  raw COPY of the same rows                : {raw:7.2f} s")
            print(f"  store bulk path (COPY)                   : {ours:7.2f} s")
            print(f"  time ratio (bulk / raw COPY)             : {ours / raw:7.2f}   (target <= 1.5)", flush=True)
    if args.runs > 1:
        if sqlite_ratios:
            print(f"SQLite rate ratio, median of {args.runs} rounds: {statistics.median(sqlite_ratios):.2f} "
                  f"(rounds: {', '.join(f'{r:.2f}' for r in sqlite_ratios)}; target >= 0.5)")
        if pg_ratios:
            print(f"PostgreSQL time ratio, median of {args.runs} rounds: {statistics.median(pg_ratios):.2f} "
                  f"(rounds: {', '.join(f'{r:.2f}' for r in pg_ratios)}; target <= 1.5)")


if __name__ == "__main__":
    main()
