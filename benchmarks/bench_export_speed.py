"""Whole-ledger exports and backups against SQLite's own tools, on the cached 1M-claim ledger.

    export --all --format json   vs  sqlite3 DB .dump            (target within 3x)
    export --all --format csv    vs  sqlite3 DB .dump            (target within 2x)
    backup FILE                  vs  sqlite3 DB ".backup FILE" + one chain check  (target within 1.5x)

Every figure is the wall time of a fresh process, run one after the other in this run. The chain
check of the baseline is the least a backup that vouches for its history must do: one streamed
walk of the events re-hashing each (plain sqlite3 cursor and hashlib, in a fresh interpreter).

    python benchmarks/bench_export_speed.py [--claims 1000000]
"""

from __future__ import annotations

import argparse
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


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--claims", type=int, default=1_000_000)
    args = ap.parse_args()
    db = build(args.claims)
    with tempfile.TemporaryDirectory(dir=db.parent) as tmp:
        out = Path(tmp)
        with (out / "dump.sql").open("w") as f:
            t = time.perf_counter()
            subprocess.run(["sqlite3", str(db), ".dump"], check=True, stdout=f)
            dump = time.perf_counter() - t
        (out / "dump.sql").unlink()
        json_t = timed(LEDGER + ["--db", str(db), "export", "--all", "--format", "json", "-o", str(out / "all.json")])
        (out / "all.json").unlink()
        csv_t = timed(LEDGER + ["--db", str(db), "export", "--all", "--format", "csv", "-o", str(out / "all.csv")])
        (out / "all.csv").unlink()
        sqlite_backup = timed(["sqlite3", str(db), f".backup {out / 'tool.db'}"])
        (out / "tool.db").unlink()
        chain = timed([sys.executable, "-c", CHAIN_CHECK, str(db)])
        ours = timed(LEDGER + ["--db", str(db), "backup", str(out / "ours.db")])
    print(f"{args.claims:,} claims, {db.stat().st_size / 1e6:,.0f} MB ledger")
    print(f"  sqlite3 .dump                       : {dump:7.2f} s")
    print(f"  ledger export --all --format json   : {json_t:7.2f} s   {json_t / dump:5.2f}x .dump (target <= 3)")
    print(f"  ledger export --all --format csv    : {csv_t:7.2f} s   {csv_t / dump:5.2f}x .dump (target <= 2)")
    print(f"  sqlite3 .backup                     : {sqlite_backup:7.2f} s")
    print(f"  one chain check (plain cursor)      : {chain:7.2f} s")
    base = sqlite_backup + chain
    print(f"  ledger backup                       : {ours:7.2f} s   {ours / base:5.2f}x (.backup + chain check; "
          "target <= 1.5)")


if __name__ == "__main__":
    main()
