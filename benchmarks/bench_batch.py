"""``ledger batch`` against single commands, in the same run on the sample ledger.

500 status changes through one ``ledger batch`` process (each its own transaction), and again
with ``--atomic``, against 10 of the same commands run as 10 ``ledger`` processes. Target: the
batch of 500 costs no more than the 10 single commands.

    python benchmarks/bench_batch.py [--commands 500] [--singles 10]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

LEDGER = [sys.executable, "-c", "from ledger.cli import main; main()"]
STATUSES = ("in_progress", "disputed", "unverifiable")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--commands", type=int, default=500)
    ap.add_argument("--singles", type=int, default=10)
    args = ap.parse_args()
    env = {**os.environ, "LEDGER_USER": "bench"}
    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "ledger.db")
        subprocess.run(LEDGER + ["--db", db, "demo"], check=True, stdout=subprocess.DEVNULL, env=env)
        t = time.perf_counter()
        for i in range(args.singles):
            subprocess.run(LEDGER + ["--db", db, "status", "1", STATUSES[i % 3], "--note", f"single {i}"],
                           check=True, stdout=subprocess.DEVNULL, env=env)
        singles = time.perf_counter() - t
        lines = "".join(json.dumps({"command": ["status", "1", STATUSES[i % 3], "--note", f"batch {i}"]}) + "\n"
                        for i in range(args.commands))
        timings = {}
        for label, extra in (("batch", []), ("batch --atomic", ["--atomic"])):
            t = time.perf_counter()
            done = subprocess.run(LEDGER + ["--db", db, "batch", "-", *extra], input=lines, text=True,
                                  capture_output=True, env=env, check=True)
            timings[label] = time.perf_counter() - t
            summary = json.loads(done.stdout.splitlines()[-1])["summary"]
            assert summary["ok"] == args.commands, summary
    print(f"{args.singles} single `ledger status` processes : {singles:7.2f} s  ({singles / args.singles * 1000:.0f} ms each)")
    for label, seconds in timings.items():
        print(f"{args.commands} commands, ledger {label:<15}: {seconds:7.2f} s  ({seconds / args.commands * 1000:.1f} ms "
              f"each)  {seconds / singles:5.2f}x the {args.singles} singles (target <= 1)")


if __name__ == "__main__":
    main()
