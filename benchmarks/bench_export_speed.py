"""Whole-ledger exports and backups against SQLite's own tools, on the cached 1M-claim ledger.

    export --all --format json   vs  sqlite3 DB .dump            (target within 3x)
    export --all --format csv    vs  sqlite3 DB .dump            (target within 2x)
    backup FILE                  vs  sqlite3 DB ".backup FILE" + one chain check  (target within 1.5x)

Every figure is the wall time of a fresh process, the median of ``--runs`` rounds in which the
tools and the product run one after the other (the machine is shared: compare within a run). The
chain check of the baseline is the least a backup that vouches for its history must do: one
streamed walk of the events re-hashing each (plain sqlite3 cursor and hashlib, in a fresh
interpreter).

Exports speak for a ledger only once ``ledger verify`` has recorded a passing result (until then
every export runs a full verify first: see ``services.vouch``). The cached ledger is verified
once, untimed, when it has no recorded result, as a newsroom's nightly verify would have done.

    python benchmarks/bench_export_speed.py [--claims 1000000] [--runs 3]
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from big_ledger import build  # noqa: E402

LEDGER = [sys.executable, "-c", "from ledger.cli import main; main()"]
CHAIN_CHECK = """
import hashlib, json, sqlite3, sys
enc = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
conn = sqlite3.connect(sys.argv[1])
prev = "0" * 64
cur = conn.execute("SELECT prev_hash, hash, at, actor, action, entity, entity_id, claim_id, article_id, payload "
                   "FROM event ORDER BY id")
while rows := cur.fetchmany(5000):
    for r in rows:
        assert r[0] == prev
        prev = hashlib.sha256((prev + "\\n" + enc(r[2:])).encode()).hexdigest()
        assert prev == r[1]
"""


def timed(cmd: list[str], **kw) -> float:  # noqa: ANN003
    t = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, **kw)
    return time.perf_counter() - t


def verified(db: Path) -> bool:
    conn = sqlite3.connect(db)
    try:
        return conn.execute("SELECT 1 FROM ledger_meta WHERE key = 'last_verify'").fetchone() is not None
    finally:
        conn.close()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--claims", type=int, default=1_000_000)
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    db = build(args.claims)
    if not verified(db):
        print("no verify recorded on the cached ledger: running `ledger verify` once (untimed)")
        subprocess.run(LEDGER + ["--db", str(db), "verify"], check=True, stdout=subprocess.DEVNULL)
    t: dict[str, list[float]] = {k: [] for k in ("dump", "json", "csv", "backup", "chain", "ours")}
    with tempfile.TemporaryDirectory(dir=db.parent) as tmp:
        out = Path(tmp)
        for _ in range(args.runs):
            with (out / "dump.sql").open("w") as f:
                start = time.perf_counter()
                subprocess.run(["sqlite3", str(db), ".dump"], check=True, stdout=f)
                t["dump"].append(time.perf_counter() - start)
            (out / "dump.sql").unlink()
            t["json"].append(timed(LEDGER + ["--db", str(db), "export", "--all", "--format", "json", "-o",
                                             str(out / "all.json")], stderr=subprocess.DEVNULL))
            (out / "all.json").unlink()
            t["csv"].append(timed(LEDGER + ["--db", str(db), "export", "--all", "--format", "csv", "-o",
                                            str(out / "all.csv")], stderr=subprocess.DEVNULL))
            (out / "all.csv").unlink()
            t["backup"].append(timed(["sqlite3", str(db), f".backup {out / 'tool.db'}"]))
            (out / "tool.db").unlink()
            t["chain"].append(timed([sys.executable, "-c", CHAIN_CHECK, str(db)]))
            t["ours"].append(timed(LEDGER + ["--db", str(db), "backup", str(out / "ours.db")], stderr=subprocess.DEVNULL))
            (out / "ours.db").unlink()
    m = {k: statistics.median(v) for k, v in t.items()}
    dump, json_t, csv_t, ours = m["dump"], m["json"], m["csv"], m["ours"]
    print(f"{args.claims:,} claims, {db.stat().st_size / 1e6:,.0f} MB ledger (medians of {args.runs} runs)")
    print(f"  sqlite3 .dump                       : {dump:7.2f} s")
    print(f"  ledger export --all --format json   : {json_t:7.2f} s   {json_t / dump:5.2f}x .dump (target <= 3)")
    print(f"  ledger export --all --format csv    : {csv_t:7.2f} s   {csv_t / dump:5.2f}x .dump (target <= 2)")
    print(f"  sqlite3 .backup                     : {m['backup']:7.2f} s")
    print(f"  one chain check (plain cursor)      : {m['chain']:7.2f} s")
    base = m["backup"] + m["chain"]
    print(f"  ledger backup                       : {ours:7.2f} s   {ours / base:5.2f}x (.backup + chain check; "
          "target <= 1.5)")


if __name__ == "__main__":
    main()
