"""Memory of a ClaimReview import given one endless JSON Lines line, beside reading that line whole.

    python benchmarks/bench_jsonl_line.py [--mib 1024]

Writes a file holding one line of ``--mib`` MiB, then runs, each in a fresh process, (a) a bare
``readline()`` of the file (what the import did before lines were capped) and (b) ``ledger import
FILE --format claimreview``; prints each one's peak resident memory and time. The import must
refuse the file with one line and stay near its 16 MiB cap whatever the file's size.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def peak_of(args: list[str], env: dict[str, str]) -> tuple[float, float, subprocess.CompletedProcess]:
    """Run ``args`` in a child that reports its own peak RSS (MiB) on stderr's last line."""
    wrapper = ("import resource, runpy, sys\n"
               "sys.argv = sys.argv[1:]\n"
               "try:\n    runpy.run_path(sys.argv[0], run_name='__main__') if sys.argv[0].endswith('.py') "
               "else exec(sys.argv[1])\n"
               "except SystemExit:\n    pass\n"
               "print('peak', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)\n")
    started = time.perf_counter()
    r = subprocess.run([sys.executable, "-c", wrapper, *args], env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    peak = int(r.stderr.strip().splitlines()[-1].split()[1]) / 1024
    return peak, elapsed, r


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mib", type=int, default=1024)
    opts = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "one-line.jsonl"
        with path.open("w") as f:
            f.write('{"@type": "ClaimReview", "claimReviewed": "')
            chunk = "x" * (1 << 20)
            for _ in range(opts.mib):
                f.write(chunk)
            f.write('"}\n')
        env = {**os.environ, "LEDGER_DB": str(Path(tmp) / "ledger.db"), "LEDGER_USER": "bench"}
        base_peak, base_time, _ = peak_of(["-", f"open({str(path)!r}).readline()"], env)
        peak, took, r = peak_of(["-", "from ledger.cli import main; main(['import', %r, '--format', 'claimreview'])"
                                 % str(path)], env)
        message = [line for line in r.stderr.splitlines() if line.startswith("error:")]
        print(f"{opts.mib} MiB single-line JSON Lines file")
        print(f"baseline: readline() of the line       peak RSS {base_peak:8.0f} MiB  {base_time:6.2f} s")
        print(f"ledger import --format claimreview     peak RSS {peak:8.0f} MiB  {took:6.2f} s")
        print(f"  {message[0] if message else r.stderr.strip()[:200]}")


if __name__ == "__main__":
    main()
