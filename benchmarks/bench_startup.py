"""Start-up of the command line against the imports it cannot avoid, measured in the same run.

    ledger --version              vs  python -c "import click"     (target within 1.5x)
    ledger claim show ID --json   vs  python -c "import sqlmodel"  (target within 1.3x)
    ledger search WORD --json     vs  ledger claim show ID --json  (target within 1.5x; 1M claims)
    python -c pass                (the interpreter alone, for scale)

Each figure is the median of ``--runs`` fresh processes. The search row uses the cached
1M-claim ledger of benchmarks/big_ledger.py (``--claims`` to change it): ``fact`` is in every claim,
``munitions`` in every quoted passage and one claim in seven.

    python benchmarks/bench_startup.py [--runs 15] [--claims 1000000]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from big_ledger import build  # noqa: E402

LEDGER = [sys.executable, "-c", "from ledger.cli import main; main()"]


def median_time(cmd: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=15)
    ap.add_argument("--claims", type=int, default=1_000_000)
    args = ap.parse_args()
    big = build(args.claims)
    with tempfile.TemporaryDirectory() as tmp:
        small = str(Path(tmp) / "ledger.db")
        subprocess.run(LEDGER + ["--db", small, "demo"], check=True, stdout=subprocess.DEVNULL)
        rows = [
            ("python -c pass", [sys.executable, "-c", "pass"]),
            ('python -c "import click"', [sys.executable, "-c", "import click"]),
            ("ledger --version", LEDGER + ["--version"]),
            ("ledger --help", LEDGER + ["--help"]),
            ('python -c "import sqlmodel"', [sys.executable, "-c", "import sqlmodel"]),
            ("ledger claim show 1 --json (demo)", LEDGER + ["--db", small, "claim", "show", "1", "--json"]),
            ("ledger status 1 … (demo, a write)", LEDGER + ["--db", small, "status", "1", "in_progress", "--note", "x"]),
            (f"ledger claim show 1 --json ({args.claims:,})", LEDGER + ["--db", str(big), "claim", "show", "1", "--json"]),
            (f"ledger search fact --json ({args.claims:,})", LEDGER + ["--db", str(big), "search", "fact", "--json"]),
            (f"ledger search munitions --json ({args.claims:,})",
             LEDGER + ["--db", str(big), "search", "munitions", "--json"]),
        ]
        t = {label: median_time(cmd, args.runs) for label, cmd in rows}
    for label, seconds in t.items():
        print(f"{label:<44} {seconds * 1000:8.1f} ms")
    click_, sqlmodel_ = t['python -c "import click"'], t['python -c "import sqlmodel"']
    show_big = t[f"ledger claim show 1 --json ({args.claims:,})"]
    print(f"--version / import click           : {t['ledger --version'] / click_:5.2f}x  (target <= 1.5)")
    print(f"claim show / import sqlmodel       : {t['ledger claim show 1 --json (demo)'] / sqlmodel_:5.2f}x  "
          "(target <= 1.3)")
    for word in ("fact", "munitions"):
        print(f"search {word + ' / claim show':<28}: {t[f'ledger search {word} --json ({args.claims:,})'] / show_big:5.2f}x  "
              "(target <= 1.5)")


if __name__ == "__main__":
    os.environ.setdefault("LEDGER_USER", "bench")
    main()
