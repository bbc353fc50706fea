"""Backup and restore of a large ledger, against a plain file copy as the baseline.

Builds a SQLite ledger of N claims (one appearance and one event each) through the bulk path,
then times: a bare ``sqlite3`` online backup of the file (the floor: a consistent copy, nothing
checked),
``ledger backup`` as a SQLite copy (online backup API + quick_check + the whole chain re-hashed),
``ledger backup --format json`` (the streamed export) and ``ledger restore --force`` of each.
With ``--pg URL`` (a server database the benchmark may empty) it also times the JSON backup and
restore on PostgreSQL.

    python benchmarks/bench_backup.py [--claims 100000] [--pg postgresql://…/bench]

``--cached`` instead times ``ledger backup FILE`` on the cached ledger of benchmarks/big_ledger.py
(1M claims by default) as fresh processes against its target's baseline -- ``sqlite3 DB ".backup
FILE"`` plus one chain check (a plain cursor re-hashing every event in a fresh interpreter) --
alternating them for ``--runs`` rounds and printing each round and the medians:

    python benchmarks/bench_backup.py --cached [--claims 1000000] [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from ledger import store
from ledger.services import backup as backups
from ledger.services.ledger import open_ledger

BODY = "Le traité prévoit une assistance mutuelle en cas d’agression. " * 4
QUOTE = "Le traité prévoit une assistance mutuelle"


def build(path: Path, n: int) -> None:
    lg = open_ledger(str(path), actor="bench")
    article_id = lg.add_article(title="Le traité", body=BODY)
    with lg.db.write() as conn:
        store.bulk_insert_claims(conn, actor="bench", claims=(
            {"text": f"Claim {i}: mutual assistance clause, variant {i % 97}",
             "appearances": [{"article_id": article_id, "quote": QUOTE, "start": 0, "end": len(QUOTE)}]}
            for i in range(n)))
    lg.close()


def raw_copy(src: Path, dst: Path) -> None:
    s, d = sqlite3.connect(src), sqlite3.connect(dst)
    try:
        s.backup(d)
    finally:
        d.close()
        s.close()


def timed(label: str, fn, baseline: float | None = None) -> float:  # noqa: ANN001
    start = time.perf_counter()
    fn()
    took = time.perf_counter() - start
    ratio = f"   ×{took / baseline:5.1f} the baseline" if baseline else ""
    print(f"{label:<44} {took:7.2f} s{ratio}")
    return took


def cached(claims: int, runs: int) -> None:
    """``ledger backup`` against ``sqlite3 .backup`` + one chain check, on the cached big ledger."""
    sys.path.insert(0, str(Path(__file__).parent))
    from bench_export_speed import CHAIN_CHECK, LEDGER
    from big_ledger import build as build_big

    db = build_big(claims)
    t: dict[str, list[float]] = {"tool": [], "chain": [], "ours": []}

    def run(cmd: list[str]) -> float:
        start = time.perf_counter()
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        return time.perf_counter() - start

    print(f"{claims:,} claims, {db.stat().st_size / 1e6:,.0f} MB ledger")
    with tempfile.TemporaryDirectory(dir=db.parent) as tmp:
        out = Path(tmp)
        for i in range(runs):
            t["tool"].append(run(["sqlite3", str(db), f".backup {out / 'tool.db'}"]))
            (out / "tool.db").unlink()
            t["chain"].append(run([sys.executable, "-c", CHAIN_CHECK, str(db)]))
            t["ours"].append(run(LEDGER + ["--db", str(db), "backup", str(out / "ours.db")]))
            (out / "ours.db").unlink()
            base = t["tool"][-1] + t["chain"][-1]
            print(f"  round {i + 1}: sqlite3 .backup {t['tool'][-1]:6.2f} s + chain check {t['chain'][-1]:6.2f} s"
                  f" = {base:6.2f} s   ledger backup {t['ours'][-1]:6.2f} s   {t['ours'][-1] / base:5.2f}x")
    m = {k: statistics.median(v) for k, v in t.items()}
    ratios = sorted(o / (a + b) for a, b, o in zip(t["tool"], t["chain"], t["ours"]))
    print(f"  medians: sqlite3 .backup {m['tool']:6.2f} s, chain check {m['chain']:6.2f} s, ledger backup "
          f"{m['ours']:6.2f} s: {m['ours'] / (m['tool'] + m['chain']):5.2f}x the baseline "
          f"(median of the rounds' ratios {statistics.median(ratios):.2f}x; target <= 1.5)")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--claims", type=int, default=None, help="claims (default 100,000; 1,000,000 with --cached)")
    parser.add_argument("--pg", help="a PostgreSQL database URL the benchmark may overwrite")
    parser.add_argument("--cached", action="store_true",
                        help="time `ledger backup` on the cached big ledger against sqlite3 .backup + one chain check")
    parser.add_argument("--runs", type=int, default=5, help="rounds with --cached")
    args = parser.parse_args()
    if args.cached:
        cached(args.claims or 1_000_000, args.runs)
        return
    args.claims = args.claims or 100_000
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        db = root / "ledger.db"
        build(db, args.claims)
        size = db.stat().st_size + (db.with_name("ledger.db-wal").stat().st_size
                                    if db.with_name("ledger.db-wal").exists() else 0)
        print(f"ledger: {args.claims:,} claims, {size / 1e6:.0f} MB on disk")
        base = timed("baseline: bare sqlite3 online backup", lambda: raw_copy(db, root / "raw.db"))
        lg = open_ledger(str(db), actor="bench")
        timed("backup --format sqlite (copy + checks)", lambda: backups.backup(lg, root / "b.db"), base)
        timed("backup --format json", lambda: backups.backup(lg, root / "b.json", fmt="json"), base)
        timed("restore --force of the sqlite backup", lambda: backups.restore(lg, root / "b.db", force=True), base)
        timed("restore --force of the json backup", lambda: backups.restore(lg, root / "b.json", force=True), base)
        lg.close()
        if args.pg:
            os.environ["LEDGER_HOME"] = tmp  # the copy a restore saves first goes there, not here
            pg = open_ledger(args.pg, actor="bench")
            timed("postgresql: restore --force of the json backup",
                  lambda: backups.restore(pg, root / "b.json", force=True), base)
            timed("postgresql: backup (json)", lambda: backups.backup(pg, root / "pg.json", force=True), base)
            pg.close()


if __name__ == "__main__":
    main()
