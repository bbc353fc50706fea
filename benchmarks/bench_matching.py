"""Matching quality and speed: plain BM25 against the two-stage matcher, side by side.

A ledger of generated claims (``claimgen``: English and French, eight kinds of fact) is built
with the bulk path and cached under ``benchmarks/out/``. Queries restate claims of the ledger
in other words (synonyms, reordering, passive voice, other figures' spelling, truncation,
social-media noise). For each query the one relevant claim is the one it restates:

* MAP@5 (with one relevant claim, the mean of 1/rank when it is in the top 5) and recall@5
  for plain BM25 (FTS5 bm25 / ts_rank over the query's words) and for ``ledger match``;
* time per query in batch mode (all queries in one read, as ``ledger match --file`` does);
* how often a text restating a fact that is *not* in the ledger (same kinds of fact, other actors
  or figures) still gets a match above the suggestion threshold;
* ``suggest`` on a 100-sentence article: half its sentences restate claims of the ledger, half
  restate facts that are not in it; how many suggestions are right, wrong, or on the latter.

    python benchmarks/bench_matching.py --claims 20000 --queries 400
    python benchmarks/bench_matching.py --claims 1000000 --queries 400   # builds once (minutes)
    python benchmarks/bench_matching.py --db postgresql://…/bench --claims 100000

Targets: a clear gain over BM25; at 1M claims under 50 ms a query and suggest under 1 s.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from claimgen import claims as gen_claims, render, restatement  # noqa: E402

from ledger import store  # noqa: E402
from ledger.db import Database  # noqa: E402
from ledger.services import matching  # noqa: E402
from ledger.services.matching_policy import DEFAULT_MATCHING  # noqa: E402
from ledger.text.matching import normalise  # noqa: E402
from ledger.workspace import resolve_workspace  # noqa: E402

OUT = Path(__file__).resolve().parent / "out"
SUGGEST, CONFIRM = DEFAULT_MATCHING.suggest, DEFAULT_MATCHING.confirm
STATUSES = ("unverified", "in_progress", "verified", "false", "misleading", "disputed")


def build(db: Database, facts, seed: int) -> None:
    rng = random.Random(seed)
    with db.write() as conn:
        have = store.count_claims(conn)
    if have >= len(facts):
        return
    t = time.perf_counter()
    rows = ({"text": render(f, rng), "status": STATUSES[i % len(STATUSES)]} for i, f in enumerate(facts))
    with db.write() as conn:
        store.bulk_insert_claims(conn, claims=rows, actor="bench")
    print(f"built {len(facts):,} claims in {time.perf_counter() - t:.0f} s")


def open_db(arg: str | None, n: int) -> Database:
    if arg is None:
        OUT.mkdir(exist_ok=True)
        arg = str(OUT / f"matching-{n}.db")
    return Database(resolve_workspace(arg))


def evaluate(db: Database, facts, n_ledger: int, n_queries: int, seed: int) -> None:
    rng = random.Random(seed)
    picks = rng.sample(range(n_ledger), n_queries)
    queries = [(i + 1, restatement(facts[i], rng)) for i in picks]
    absent = [restatement(facts[i], rng) for i in range(n_ledger, len(facts))]
    results = {}
    with db.read() as conn:
        matching.rank(conn, normalise("warm up the caches"))
        for name, fn in (("BM25", lambda q: matching.bm25(conn, q, limit=5)),
                         ("match", lambda q: matching.rank(conn, normalise(q), limit=5))):
            ap, hit, times = [], 0, []
            for want, q in queries:
                t = time.perf_counter()
                found = [m.claim_id for m in fn(q)]
                times.append(time.perf_counter() - t)
                r = found.index(want) + 1 if want in found else None
                ap.append(1 / r if r else 0.0)
                hit += r is not None
            results[name] = (statistics.mean(ap), hit / len(queries), statistics.mean(times) * 1000,
                             sorted(times)[int(len(times) * 0.95)] * 1000)
        t = time.perf_counter()
        list(matching.match_texts(conn, [(k, q) for k, q in queries], limit=5))
        batch = (time.perf_counter() - t) / len(queries) * 1000
        stray = [found for _, found in matching.match_texts(conn, list(enumerate(absent)), limit=1)]
        above = sum(bool(f) and f[0].score >= SUGGEST for f in stray)
        right = sum(bool(f) and f[0].claim_id == want and f[0].score >= SUGGEST
                    for (want, _), (_, f) in zip(queries, matching.match_texts(conn, queries, limit=1)))
    print(f"{len(queries)} queries ({sum(facts[i].lang == 'fr' for i in picks)} French)")
    print(f"{'':8}{'MAP@5':>8}{'recall@5':>10}{'ms/query':>10}{'p95 ms':>8}")
    for name, (m, r, ms, p95) in results.items():
        print(f"{name:8}{m:8.3f}{r:10.3f}{ms:10.1f}{p95:8.1f}")
    print(f"batch matching (one read, {len(queries)} texts): {batch:.1f} ms a query")
    print(f"best match at or above the suggestion threshold ({SUGGEST}): right claim for "
          f"{right / len(queries):.1%} of the restatements; any claim for {above / len(absent):.1%} of "
          f"{len(absent)} texts restating facts not in the ledger")
    for k, q in queries[:3]:
        print(f"  e.g. {q!r} -> claim {k}")


def bench_suggest(db: Database, facts, n_ledger: int, seed: int) -> None:
    rng = random.Random(seed + 7)
    sentences, truth = [], []
    outside = iter(range(n_ledger, len(facts)))
    for i in range(100):
        k = rng.randrange(n_ledger) if i % 2 == 0 else next(outside)
        sentences.append(restatement(facts[k], rng, noise=0.0))
        truth.append(k + 1 if k < n_ledger else None)
    body = "\n".join(sentences) + "\n"
    starts, pos = [], 0
    for line in sentences:
        starts.append(pos)
        pos += len(line) + 1
    with db.write() as conn:
        article_id = store.add_article(conn, title="Suggest benchmark", body=body, actor="bench")
    times = []
    for _ in range(3):
        with db.read() as conn:
            t = time.perf_counter()
            found = matching.suggest(conn, article_id, threshold=SUGGEST, confirm=CONFIRM)
            times.append(time.perf_counter() - t)
    want = {start: k for start, k in zip(starts, truth)}
    right = sum(want.get(s.start) == s.claim_id for s in found)
    stray = sum(want.get(s.start) is None for s in found)
    sure = [s for s in found if s.confirmed]
    print(f"suggest on a 100-sentence article: {min(times):.2f} s (best of 3)")
    print(f"  {len(found)} suggestions: {right} right (of 50 sentences restating a claim), "
          f"{len(found) - right - stray} wrong claim, {stray} on the 50 sentences restating facts not in the ledger; "
          f"near-certain: {len(sure)}, of which {sum(want.get(s.start) == s.claim_id for s in sure)} right")


def timing_only(args: argparse.Namespace) -> None:
    facts = gen_claims(args.queries + 50, seed=args.seed + 1000)
    rng = random.Random(args.seed)
    db = open_db(args.db, args.claims)
    try:
        with db.read() as conn:
            print(f"{store.count_claims(conn):,} claims in the ledger")
            texts = [(i, restatement(f, rng)) for i, f in enumerate(facts[:args.queries])]
            matching.rank(conn, normalise("warm up the caches"))
            t = time.perf_counter()
            list(matching.match_texts(conn, texts, limit=5))
            batch = (time.perf_counter() - t) / len(texts) * 1000
            t = time.perf_counter()
            for _, q in texts[:100]:
                matching.bm25(conn, q, limit=5)
            plain = (time.perf_counter() - t) / 100 * 1000
        print(f"batch matching ({len(texts)} texts, one read): {batch:.1f} ms a query; "
              f"plain BM25 over the same texts: {plain:.1f} ms a query")
        body = "\n".join(restatement(f, rng, noise=0.0) for f in facts[-50:] + facts[:50]) + "\n"
        with db.write() as conn:
            article_id = store.add_article(conn, title="Suggest timing", body=body, actor="bench")
        times = []
        for _ in range(3):
            with db.read() as conn:
                t = time.perf_counter()
                found = matching.suggest(conn, article_id, threshold=SUGGEST, confirm=CONFIRM)
                times.append(time.perf_counter() - t)
        print(f"suggest on a 100-sentence article: {min(times):.2f} s (best of 3, {len(found)} suggestions)")
    finally:
        db.dispose()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--claims", type=int, default=20000)
    ap.add_argument("--queries", type=int, default=400)
    ap.add_argument("--db", help="a ledger (file or PostgreSQL URL); default benchmarks/out/matching-N.db")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--no-suggest", action="store_true")
    ap.add_argument("--timing-only", action="store_true",
                    help="on an already built ledger: time batch matching and suggest with texts restating "
                         "fresh facts, without regenerating the ledger's facts (quick at 1M claims)")
    args = ap.parse_args()
    if args.timing_only:
        timing_only(args)
        return
    t = time.perf_counter()
    facts = gen_claims(args.claims + args.queries + 50, seed=args.seed)  # the tail is not in the ledger
    print(f"generated {len(facts):,} facts in {time.perf_counter() - t:.0f} s")
    db = open_db(args.db, args.claims)
    try:
        build(db, facts[:args.claims], args.seed)
        evaluate(db, facts[:args.claims + args.queries], args.claims, args.queries, args.seed + 1)
        if not args.no_suggest:
            bench_suggest(db, facts[:args.claims] + facts[args.claims + args.queries:], args.claims, args.seed)
    finally:
        db.dispose()


if __name__ == "__main__":
    main()
