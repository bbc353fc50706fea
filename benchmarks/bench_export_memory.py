"""Exports stay in bounded memory: peak memory and time for 10k and 100k claims, side by side.

Builds two ledgers through the bulk path (articles of 100 claims each, a supporting citation per
claim), then exports each in a fresh subprocess per format, measuring:

- ``tracemalloc`` peak: Python allocations during the export (a run of its own, as tracing slows it);
- ``ru_maxrss``: the child's peak resident set, the interpreter and libraries included;
- wall time of the untraced run, and the size of the file written.

The baseline, in the same run, is the naive export: fetch every table whole and ``json.dumps``
it. Bounded memory shows as a streamed peak that stays flat from 10k to 100k claims while the
baseline's grows with the ledger.

    .venv/bin/python benchmarks/bench_export_memory.py [--sizes 10000 100000] [--formats json csv claimreview]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PER_ARTICLE = 100


def build(db: Path, n_claims: int) -> float:
    from ledger.services.ledger import open_ledger
    from ledger.store.bulk import bulk_insert_articles, bulk_insert_claims
    from ledger.store.bulk_sources import bulk_insert_citations, bulk_insert_sources

    t0 = time.perf_counter()
    lg = open_ledger(str(db), actor="bench")
    try:
        with lg.db.write() as conn:
            n_articles = max(1, n_claims // PER_ARTICLE)
            sentences = [f"Sentence {i}: the council reported {i * 7} new cases on the {i % 28 + 1}th. "
                         for i in range(PER_ARTICLE)]
            body = "".join(sentences)
            offsets, pos = [], 0
            for s in sentences:
                offsets.append((pos, pos + len(s) - 1))
                pos += len(s)
            article_ids = bulk_insert_articles(conn, actor="bench", articles=(
                dict(title=f"Article {a}", body=body, outlet="Bench Gazette", url=f"https://example.org/a/{a}",
                     lang="en", state="published") for a in range(n_articles)))
            source_ids = bulk_insert_sources(conn, actor="bench", sources=(
                dict(kind="web", title=f"Source {s}", publisher=f"Publisher {s % 7}", url=f"https://example.org/s/{s}")
                for s in range(50)))

            def claims():
                for k in range(n_claims):
                    aid = article_ids[k // PER_ARTICLE % n_articles]
                    start, end = offsets[k % PER_ARTICLE]
                    yield dict(text=f"Claim {k}: {sentences[k % PER_ARTICLE].strip()}", status="unverified",
                               appearances=[dict(article_id=aid, quote=body[start:end], start=start, end=end,
                                                 prefix=body[max(0, start - 32):start], suffix=body[end:end + 32])])

            bulk_insert_claims(conn, claims=claims(), actor="bench")
            bulk_insert_citations(conn, actor="bench", citations=(
                dict(claim_id=k + 1, source_id=source_ids[k % 50], stance="supports", locator=f"p. {k % 9 + 1}")
                for k in range(n_claims)))
    finally:
        lg.close()
    return time.perf_counter() - t0


def child(db: str, fmt: str, traced: bool) -> None:
    """Run one export in this process and print its measurements as JSON."""
    import tracemalloc

    from ledger.services.ledger import open_ledger

    lg = open_ledger(db, actor="bench")
    out_path = Path(db).with_suffix(f".{fmt}.out")
    if traced:
        tracemalloc.start()
    t0 = time.perf_counter()
    with out_path.open("w", encoding="utf-8", newline="") as out:
        if fmt == "naive-json":
            from sqlalchemy import text

            from ledger.services.export.query import SECTIONS
            with lg.db.read() as conn:
                doc = {name: [dict(r._mapping) for r in conn.execute(text(f"SELECT * FROM {table.name}"))]
                       for name, table in SECTIONS}
            out.write(json.dumps(doc, default=str, ensure_ascii=False))
        else:
            lg.export(fmt, out)
    seconds = time.perf_counter() - t0
    peak = tracemalloc.get_traced_memory()[1] if traced else None
    lg.close()
    rss_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"seconds": seconds, "peak": peak, "rss_kb": rss_kb, "bytes": out_path.stat().st_size}))
    out_path.unlink()


def measure(db: Path, fmt: str) -> dict[str, float]:
    def run(traced: bool) -> dict[str, float]:
        cmd = [sys.executable, __file__, "--child", str(db), fmt] + (["--traced"] if traced else [])
        done = subprocess.run(cmd, capture_output=True, text=True, check=True)
        return json.loads(done.stdout.strip().splitlines()[-1])

    plain, traced = run(False), run(True)
    return {"seconds": plain["seconds"], "rss_mb": plain["rss_kb"] / 1024, "peak_mb": traced["peak"] / 2**20,
            "file_mb": plain["bytes"] / 2**20}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    ap.add_argument("--formats", nargs="+", default=["json", "csv", "claimreview", "naive-json"])
    ap.add_argument("--child", nargs=2, metavar=("DB", "FORMAT"), help=argparse.SUPPRESS)
    ap.add_argument("--traced", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        child(args.child[0], args.child[1], args.traced)
        return
    results: dict[tuple[str, int], dict[str, float]] = {}
    with tempfile.TemporaryDirectory(prefix="ledger-bench-") as d:
        for n in args.sizes:
            db = Path(d) / f"ledger-{n}.db"
            print(f"building {n:,} claims through the bulk path … {build(db, n):.1f}s", flush=True)
            for fmt in args.formats:
                results[(fmt, n)] = measure(db, fmt)
                r = results[(fmt, n)]
                print(f"  {fmt:<12} {r['seconds']:7.2f}s  peak {r['peak_mb']:7.1f} MB  rss {r['rss_mb']:7.1f} MB  "
                      f"file {r['file_mb']:7.1f} MB", flush=True)
            os.sync() if hasattr(os, "sync") else None
    sizes = args.sizes
    print()
    head = "format        " + "".join(f"| {n:>9,} claims: time   tracemalloc peak   max RSS " for n in sizes)
    print(head)
    print("-" * len(head))
    for fmt in args.formats:
        cells = "".join(f"| {results[(fmt, n)]['seconds']:>17.2f}s {results[(fmt, n)]['peak_mb']:>15.1f} MB "
                        f"{results[(fmt, n)]['rss_mb']:>7.1f} MB " for n in sizes)
        print(f"{fmt:<14}{cells}")
    if len(sizes) >= 2:
        a, b = sizes[0], sizes[-1]
        print()
        for fmt in args.formats:
            ratio = results[(fmt, b)]["peak_mb"] / max(results[(fmt, a)]["peak_mb"], 1e-9)
            print(f"{fmt:<14} peak grows x{ratio:.2f} for x{b / a:.0f} claims")


if __name__ == "__main__":
    main()
