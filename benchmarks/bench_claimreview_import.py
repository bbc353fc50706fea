"""ClaimReview import pace: into an empty ledger, and into one that already holds 1M claims.

Generates two JSON Lines feeds of synthetic reviews (labels in many languages, rating scales, free
text, claimants with sameAs, appearance URLs), then imports one with ``ledger.import_file``:

1. into an empty ledger — the baseline;
2. into a copy of a ledger prefilled through the bulk path with ``--prefill`` claims as an import
   leaves them — each with an article (with a URL), a review source (with a URL), a citation and a
   review row — so every look-up an import makes (article URLs, source URLs, review keys) runs
   against tables of that size. The prefilled ledger is built once and cached under
   ``benchmarks/out/`` (``claimreview-prefill-<n>.db``); each run imports into a fresh copy, so the
   cache stays as it was built.

Beside each empty-ledger import it times the floor of that import on SQLite: exactly the rows the
import wrote (articles, revisions, sources, claims, appearances, citations, reviews, events),
read back from the imported ledger and written into a copy of the ledger as it was before the
import with bare ``sqlite3`` ``executemany`` — no parsing, no checks, no row building, full-text
indexes filled once after the rows as the bulk path fills them, foreign keys on, one commit. No
importer that stores these rows can go faster on this machine; the figure says how much of an
import's time is the code and how much the storage itself.

Before timing, it prints SQLite's query plan for each look-up the import makes, on the prefilled
ledger: each must search an index, never scan a table. Each import is timed ``--repeat`` times
(a fresh ledger or a fresh copy each time) and the medians are printed: records per wall-clock
second (what the user waits), records per second of this process's CPU time (what the code costs,
less disturbed on a shared machine), and the ratio empty/full of both. Targets: at least 5,000
records/s, and the full ledger within 1.5x of the empty one (ratio <= 1.5).

    python benchmarks/bench_claimreview_import.py [--reviews 100000] [--prefill 1000000] [--repeat 3]
    python benchmarks/bench_claimreview_import.py --build-only      # just build the cached prefill

``--postgres URL`` times only the empty-ledger import, on a new database of that PostgreSQL server
(dropped afterwards); the prefilled comparison is SQLite's.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path

from ledger.services.ledger import open_ledger
from ledger.store.bulk import bulk_insert_articles, bulk_insert_claims
from ledger.store.bulk_sources import bulk_insert_citations, bulk_insert_sources
from ledger.store.reviews import insert_reviews

OUT = Path(__file__).with_name("out")
LABELS = ["False", "Faux", "Falso", "Engañoso", "Falsch", "Enganoso", "錯誤", "زائف", "pants-fire", "barely-true",
          "Mostly true", "Missing context", "FALSO: as imagens são de outro ano", "Hoaks", "Ложь", "Yanlış",
          "Partly false", "Trompeur", "Unproven", "Satire"]


def feed(path: Path, n: int, seed: int, tag: str) -> None:
    rnd = random.Random(seed)
    with path.open("w", encoding="utf-8") as fp:
        for i in range(n):
            label = rnd.choice(LABELS) if i % 5 else f"free text verdict {i % 300}"
            node = {"@context": "https://schema.org", "@type": "ClaimReview",
                    "url": f"https://checks{i % 40}.example.org/{tag}/{i}",
                    "datePublished": f"2024-{1 + i % 12:02d}-{1 + i % 28:02d}T10:00:00Z",
                    "publisher": {"@type": "Organization", "name": f"Checker {i % 40}"},
                    "author": {"@type": "Person", "name": f"Reporter {i % 400}"},
                    "inLanguage": rnd.choice(["fr", "es", "pt-BR", "de", "zh-Hant", "ar", "en"]),
                    "headline": f"Checking claim {tag}-{i}",
                    "claimReviewed": f"Claim {tag}-{i}: the figure {rnd.randint(1, 10**6)} was said about topic {i % 997}.",
                    "itemReviewed": {"@type": "Claim",
                                     "author": {"@type": "Person", "name": f"Speaker {i % 1000}",
                                                "sameAs": f"https://people.example.org/{i % 1000}"},
                                     "datePublished": "2024-01-05",
                                     "appearance": [{"@type": "CreativeWork",
                                                     "url": f"https://social.example.com/{tag}/{i}"}]},
                    "reviewRating": {"@type": "Rating", "alternateName": label, "ratingValue": 1 + i % 5,
                                     "bestRating": 5, "worstRating": 1}}
            fp.write(json.dumps(node, ensure_ascii=False) + "\n")


def prefill(lg, n: int, batch: int = 50_000) -> None:
    """``n`` claims as an import leaves them: article, review source, citation, review row each."""
    done, t = 0, time.perf_counter()
    while done < n:
        k = min(batch, n - done)
        with lg.db.write() as conn:
            body = "A claim already in the ledger.\n"
            arts = bulk_insert_articles(conn, articles=[{"title": f"Old {done + i}", "body": body,
                                                         "url": f"https://old.example.org/a/{done + i}",
                                                         "state": "published"} for i in range(k)], actor="bench")
            srcs = bulk_insert_sources(conn, sources=[{"kind": "web", "title": f"Old {done + i}",
                                                       "url": f"https://old.example.org/a/{done + i}"}
                                                      for i in range(k)], actor="bench")
            claims = bulk_insert_claims(conn, claims=[{
                "text": f"Old claim {done + i}", "status": "false", "status_label": "Falso",
                "appearances": [{"article_id": a, "quote": "A claim already in the ledger.", "start": 0,
                                 "end": 30, "prefix": "", "suffix": "\n"}]} for i, a in enumerate(arts)],
                actor="bench")
            bulk_insert_citations(conn, citations=[{"claim_id": c, "source_id": s, "stance": "refutes"}
                                                   for c, s in zip(claims, srcs)], actor="bench")
            insert_reviews(conn, reviews=[{"claim_id": c, "review_key": f"https://old.example.org/a/{done + i}#r",
                                           "url": f"https://old.example.org/a/{done + i}", "read_as": "label",
                                           "rating_label": "Falso"} for i, c in enumerate(claims)], actor="bench")
        done += k
        print(f"  prefilled {done:,} claims ({time.perf_counter() - t:,.0f} s)", flush=True)


def prefilled(n: int) -> Path:
    """The cached ledger holding ``n`` prefilled claims, built the first time (one file, no WAL)."""
    path = OUT / f"claimreview-prefill-{n}.db"
    if path.exists():
        return path
    OUT.mkdir(exist_ok=True)
    partial = path.with_name(path.name + ".building")
    for p in (partial, Path(f"{partial}-wal"), Path(f"{partial}-shm")):
        p.unlink(missing_ok=True)
    print(f"building the prefilled ledger of {n:,} claims (cached as {path})", flush=True)
    lg = open_ledger(str(partial), actor="bench")
    prefill(lg, n)
    lg.close()
    plain = sqlite3.connect(partial)
    plain.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    plain.close()
    partial.rename(path)
    return path


def copy_of(cached: Path, where: Path) -> Path:
    target = where / "full.db"
    for p in (target, Path(f"{target}-wal"), Path(f"{target}-shm")):
        p.unlink(missing_ok=True)
    shutil.copyfile(cached, target)
    return target


def fill_triggers(conn: sqlite3.Connection) -> list[tuple[str, str, str, str]]:
    """(name, table, stored SQL, fill statement) of each full-text insert trigger the bulk path
    replaces with one fill per batch (``store.fts_batch.fill_statement``)."""
    from ledger.store.fts_batch import fill_statement

    found = [(name, table, sql, fill_statement(sql, table)) for name, table, sql in
             conn.execute("SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'trigger'").fetchall()]
    return [t for t in found if t[3]]


def show_plans(path: Path) -> bool:
    """The query plan of each look-up an import makes, on the ledger at ``path``; True when every
    one searches an index."""
    from ledger.services.importing.claimreview import lookup_statements

    ok = True
    conn = sqlite3.connect(path)
    try:
        fills = [(f"full-text fill after {table} rows", fill, (1, 2)) for _, table, _, fill in fill_triggers(conn)]
        for what, sql, params in lookup_statements() + fills:
            plan = " / ".join(row[-1] for row in conn.execute(f"EXPLAIN QUERY PLAN {sql}", params))
            indexed = "SEARCH" in plan and "SCAN" not in plan
            ok &= indexed
            print(f"  {what:<34} {'indexed' if indexed else 'NOT INDEXED'}: {plan}")
    finally:
        conn.close()
    return ok


STATE_TABLES = ("article", "article_revision", "source", "claim", "appearance", "citation", "review", "event")


def bare_rows_floor(imported: Path, before: Path, n: int) -> float:
    """Records per second of writing the rows the import wrote into ``imported`` (the ledger at
    ``before`` is a copy of it from before the import, and is written to) with bare
    ``executemany``: the ceiling of any import storing those rows."""
    src = sqlite3.connect(imported)
    dst = sqlite3.connect(before, isolation_level=None)
    try:
        rows: list[tuple[str, str, list[tuple]]] = []
        for table in STATE_TABLES:
            (last,) = dst.execute(f'SELECT coalesce(max(id), 0) FROM "{table}"').fetchone()
            cols = [r[1] for r in src.execute(f'PRAGMA table_info("{table}")')]
            listed = ", ".join(f'"{c}"' for c in cols)
            new = src.execute(f'SELECT {listed} FROM "{table}" WHERE id > ? ORDER BY id', (last,)).fetchall()
            rows.append((table, f'INSERT INTO "{table}" ({listed}) VALUES ({", ".join("?" * len(cols))})', new))
        for pragma in ("journal_mode = WAL", "synchronous = NORMAL", "foreign_keys = ON"):
            dst.execute(f"PRAGMA {pragma}")
        start = time.perf_counter()
        dst.execute("BEGIN IMMEDIATE")
        triggers = fill_triggers(dst)
        for name, _, _, _ in triggers:
            dst.execute(f'DROP TRIGGER "{name}"')
        written = {}
        for table, sql, new in rows:
            dst.executemany(sql, new)
            written[table] = new
        for _, table, _, fill in triggers:
            if written.get(table):  # ids first, in order: the run of ids the import gave
                dst.execute(fill, (written[table][0][0], written[table][-1][0]))
        for _, _, sql, _ in triggers:
            dst.execute(sql)
        dst.execute("COMMIT")
        elapsed = time.perf_counter() - start
        for table in STATE_TABLES:  # the two ledgers now hold the same rows
            count = f'SELECT count(*) FROM "{table}"'
            assert src.execute(count).fetchone() == dst.execute(count).fetchone(), table
        return n / elapsed
    finally:
        src.close()
        dst.close()


def timed_import(lg, path: Path, n: int) -> tuple[float, float]:
    """(records per wall-clock second, records per second of this process's CPU time): on a shared
    machine the second says what the code costs, the first what the user waited."""
    start, cpu = time.perf_counter(), time.process_time()
    report = lg.import_file(path, fmt="claimreview")
    elapsed, spent = time.perf_counter() - start, time.process_time() - cpu
    assert report.imported.get("claims") == n, report.summary()
    return n / elapsed, n / spent


def _pg_ledger(url: str, tmp: Path):
    import uuid

    from sqlalchemy import create_engine, text

    name = f"bench_{uuid.uuid4().hex[:12]}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    base = url.rsplit("/", 1)[0]
    return open_ledger(f"{base}/{name}", actor="bench"), name


def _drop_pg(url: str, name: str) -> None:
    from sqlalchemy import create_engine, text

    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
    admin.dispose()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reviews", type=int, default=100_000)
    ap.add_argument("--prefill", type=int, default=1_000_000)
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--build-only", action="store_true", help="build the cached prefilled ledger and stop")
    ap.add_argument("--postgres", metavar="URL", help="time the empty-ledger import on this PostgreSQL server")
    args = ap.parse_args()
    cached = prefilled(args.prefill) if args.prefill and not args.postgres else None
    if args.build_only:
        print(cached)
        return
    with tempfile.TemporaryDirectory(dir=OUT if OUT.exists() else None) as tmp:
        tmp_path = Path(tmp)
        empty_feed, full_feed = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
        feed(empty_feed, args.reviews, 1, "a")
        feed(full_feed, args.reviews, 2, "b")
        if cached is not None:
            print(f"look-ups of an import, on the ledger of {args.prefill:,} claims:")
            if not show_plans(cached):
                print("  some look-up scans a table: the full ledger will not keep the pace")
        empties, fulls, floors = [], [], []
        for run in range(args.repeat):
            if args.postgres:
                lg, name = _pg_ledger(args.postgres, tmp_path)
            else:
                empty, before = tmp_path / f"empty{run}.db", tmp_path / f"before{run}.db"
                for p in (empty, before):
                    p.unlink(missing_ok=True)
                open_ledger(str(empty), actor="bench").close()
                shutil.copyfile(empty, before)
                lg = open_ledger(str(empty), actor="bench")
            empties.append(timed_import(lg, empty_feed, args.reviews))
            lg.close()
            if args.postgres:
                _drop_pg(args.postgres, name)
            print(f"  run {run + 1}: empty ledger {empties[-1][0]:,.0f} records/s "
                  f"({empties[-1][1]:,.0f} per CPU second)", flush=True)
            if not args.postgres:
                floors.append(bare_rows_floor(empty, before, args.reviews))
                print(f"  run {run + 1}: the same rows, bare executemany: {floors[-1]:,.0f} records/s", flush=True)
                for p in (empty, before):
                    p.unlink(missing_ok=True)
            if cached is None:
                continue
            t = time.perf_counter()
            full = open_ledger(str(copy_of(cached, tmp_path)), actor="bench")
            print(f"    (fresh copy of the prefilled ledger opened in {time.perf_counter() - t:,.0f} s)", flush=True)
            fulls.append(timed_import(full, full_feed, args.reviews))
            full.close()
            print(f"  run {run + 1}: ledger of {args.prefill:,} claims {fulls[-1][0]:,.0f} records/s "
                  f"({fulls[-1][1]:,.0f} per CPU second)", flush=True)
        backend = "PostgreSQL" if args.postgres else "SQLite"
        wall_e, cpu_e = (statistics.median(r[i] for r in empties) for i in (0, 1))
        print(f"empty ledger ({backend}):       {wall_e:,.0f} records/s, {cpu_e:,.0f} per CPU second "
              f"({args.reviews:,} reviews, median of {len(empties)})")
        if floors:
            floor = statistics.median(floors)
            print(f"the same rows, bare executemany (SQLite): {floor:,.0f} records/s, the ceiling of any import "
                  f"storing them; the import reaches {wall_e / floor:.0%} of it")
        if fulls:
            wall_f, cpu_f = (statistics.median(r[i] for r in fulls) for i in (0, 1))
            print(f"ledger of {args.prefill:,} claims: {wall_f:,.0f} records/s, {cpu_f:,.0f} per CPU second "
                  f"({args.reviews:,} reviews, median of {len(fulls)})")
            print(f"slowdown (empty/full): {wall_e / wall_f:.2f}x wall, {cpu_e / cpu_f:.2f}x CPU "
                  "(target <= 1.5x; target rate >= 5,000/s)")


if __name__ == "__main__":
    main()
