"""``ledger verify`` of a large ledger, against re-hashing its events alone as the baseline.

Builds SQLite ledgers of N claims through the bulk path (each claim with one appearance and one
citation, 1 source per 100 claims, an article per 1,000 claims, every 10th claim given a verdict),
then times, on each:

- the baseline: re-hashing the event chain alone (``verify_chain``, what verify did before
  replay);
- ``verify`` in full: the chain re-hashed and replayed in the same pass, every row of every state
  table compared with the replay, archived files re-hashed;
- the audit's vouching check when the ledger head has not moved, and after 1,000 new events.

The issue's target: verify within 3× the baseline at 1M claims. Sizes are given with --claims
(several sizes print the growth):

    python benchmarks/bench_verify.py --claims 100000 300000 1000000
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from pathlib import Path

from ledger import store
from ledger.services.integrity import verify_chain
from ledger.services.ledger import open_ledger
from ledger.services.vouch import vouch
from ledger.store.bulk_sources import bulk_insert_citations, bulk_insert_sources

BODY = "Le traité prévoit une assistance mutuelle en cas d’agression. " * 20
QUOTE = "Le traité prévoit une assistance mutuelle"


def build(path: Path, n: int) -> None:
    lg = open_ledger(str(path), actor="bench")
    with lg.db.write() as conn:
        articles = store.bulk_insert_articles(conn, actor="bench", articles=(
            {"title": f"Article {i}", "body": BODY, "outlet": "Gazette"} for i in range(max(1, n // 1000))))
        sources = bulk_insert_sources(conn, actor="bench", sources=(
            {"title": f"Source {i}", "url": f"https://example.org/{i}", "kind": "web"} for i in range(max(1, n // 100))))
        claims = store.bulk_insert_claims(conn, actor="bench", claims=(
            {"text": f"Claim {i}: mutual assistance clause, variant {i % 97}", "claimant": "Minister",
             "appearances": [{"article_id": articles[i % len(articles)], "quote": QUOTE, "start": 0,
                              "end": len(QUOTE), "prefix": "", "suffix": " en cas"}]}
            for i in range(n)))
        bulk_insert_citations(conn, actor="bench", citations=(
            {"claim_id": c, "source_id": sources[c % len(sources)], "stance": "supports",
             "excerpt": "mutual assistance", "locator": "p. 2"} for c in claims))
    with lg.db.write() as conn:
        for c in list(claims)[::10]:
            store.set_status(conn, claim_id=c, status="verified", note="checked", actor="bench",
                             vocabulary=lg.vocabulary)
    lg.close()


def timed(fn):  # noqa: ANN001, ANN201
    """(wall seconds, CPU seconds of this process, value). On a shared machine the CPU time is the
    steadier figure: both runs do all their work in this process (SQLite is a library)."""
    start, cpu = time.perf_counter(), time.process_time()
    value = fn()
    return time.perf_counter() - start, time.process_time() - cpu, value


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--claims", type=int, nargs="+", default=[100_000])
    args = parser.parse_args()
    previous = None
    for n in args.claims:
        with tempfile.TemporaryDirectory() as tmp:
            db = Path(tmp) / "ledger.db"
            built, _, _ = timed(lambda: build(db, n))
            lg = open_ledger(str(db), actor="bench")
            with lg.db.read() as conn:
                base, base_cpu, (events, _, problem) = timed(lambda: verify_chain(conn))
            assert problem is None
            full, full_cpu, report = timed(lambda: lg.verify())
            assert report.ok, report.problems()[:3]
            same, _, _ = timed(lambda: vouch(lg))
            with lg.db.write() as conn:
                claim_ids = [r.id for r in store.list_claims(conn, limit=1000)]
                for c in claim_ids:
                    store.set_status(conn, claim_id=c, status="verified",
                                     note="re-checked", actor="bench", vocabulary=lg.vocabulary)
            moved, _, _ = timed(lambda: vouch(lg))
            lg.close()
            rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            print(f"{n:>9,} claims ({events:,} events, {report.rows:,} rows; built in {built:.0f} s)")
            print(f"   baseline: re-hash the events alone      {base:7.2f} s wall {base_cpu:7.2f} s CPU")
            print(f"   verify (chain + replay + rows + files)  {full:7.2f} s wall {full_cpu:7.2f} s CPU"
                  f"   ×{full / base:4.2f} (wall) ×{full_cpu / base_cpu:4.2f} (CPU) the baseline")
            print(f"   audit vouching, head unchanged          {same:7.3f} s")
            print(f"   audit vouching, 1,000 new events        {moved:7.3f} s")
            print(f"   peak RSS of this process so far         {rss:7.0f} MB")
            if previous is not None:
                pn, pf = previous
                print(f"   growth: ×{n / pn:.1f} claims → verify ×{full_cpu / pf:.2f} (CPU)")
            previous = (n, full_cpu)


if __name__ == "__main__":
    main()
