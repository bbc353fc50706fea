"""Matching quality and speed: plain BM25 against the two-stage matcher, side by side, per size.

For each ledger size a ledger of generated claims (``claimgen``: English and French, eight kinds
of fact) is built with the bulk path and cached under ``benchmarks/out/`` with the generated
facts. Queries restate claims of the ledger in other words (synonyms, reordering, passive voice,
other figures' spelling, truncation, social-media noise); the one relevant claim of a query is
the one it restates. Distractors restate facts that are *not* in the ledger (same kinds of fact,
other actors or figures), as many as the queries. Printed for each size, then side by side:

* MAP@5 (one relevant claim: the mean of 1/rank when it is in the top 5) and recall@5 for plain
  BM25 (FTS5 bm25 / ts_rank over all the query's words, one query at a time) and for ``ledger
  match`` (all queries in one read, as ``ledger match --file`` does, its words' frequencies
  looked up as it goes), with the ms a query of each;
* at the suggest and confirm thresholds of ``[matching]`` (the defaults): how often the best match
  of a query is its claim and passes the threshold, and how often a distractor gets any match
  passing it (the false-suggestion rate);
* ``suggest`` on a 100-sentence article (50 sentences restate claims of the ledger, 50 restate
  facts that are not in it): its time with every word looked up in the index afresh (a new
  ``ledger suggest`` process) and the median of three more runs with the frequencies the
  process keeps (the reader opening articles), and how many suggestions are right, name a wrong
  claim, or land on the latter sentences; then ``ledger suggest ARTICLE --json`` itself, run as
  a new process (the command line, imports and all), beside ``python -c "import sqlmodel"``.

    python benchmarks/bench_matching.py --claims 20000 1000000 --queries 400
    python benchmarks/bench_matching.py --db postgresql://…/bench --claims 100000

Times are wall-clock, with the CPU time of the process beside them (on a shared machine the
wall-clock time also counts the waits for a core). Plain BM25 costs seconds a query at 1M claims: ``--baseline-queries N`` runs it on the
first N queries only, and the matcher's quality is then also printed on those N.
Targets: a clear gain over BM25; at 1M claims under 50 ms a query and suggest under 1 s.
"""

from __future__ import annotations

import argparse
import os
import pickle
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from claimgen import claims as gen_claims, render, restatement  # noqa: E402

from ledger import store  # noqa: E402
from ledger.db import Database  # noqa: E402
from ledger.services import matching  # noqa: E402
from ledger.services.matching_policy import DEFAULT_MATCHING  # noqa: E402
from ledger.store import match_candidates  # noqa: E402
from ledger.text.matching import normalise  # noqa: E402
from ledger.workspace import resolve_workspace  # noqa: E402

OUT = Path(__file__).resolve().parent / "out"
SUGGEST, CONFIRM = DEFAULT_MATCHING.suggest, DEFAULT_MATCHING.confirm
STATUSES = ("unverified", "in_progress", "verified", "false", "misleading", "disputed")


def facts_for(n: int, seed: int):
    """``n`` generated facts (cached: a million take minutes to draw)."""
    OUT.mkdir(exist_ok=True)
    cache = OUT / f"facts-{seed}-{n}.pickle"
    if cache.exists():
        return pickle.loads(cache.read_bytes())
    facts = gen_claims(n, seed=seed)
    cache.write_bytes(pickle.dumps(facts))
    return facts


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
    if db.dialect == "postgresql":  # what autovacuum does after a bulk load: statistics, and the
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:  # GIN index's
            conn.exec_driver_sql("VACUUM ANALYZE claim")  # pending entries merged (each search reads them)
    print(f"built {len(facts):,} claims in {time.perf_counter() - t:.0f} s")


def open_db(arg: str | None, n: int) -> Database:
    if arg is None:
        OUT.mkdir(exist_ok=True)
        arg = str(OUT / f"matching-{n}.db")
    return Database(resolve_workspace(arg))


def quality(found: list[list[int]], wanted: list[int]) -> tuple[float, float]:
    """MAP@5 and recall@5 with one relevant claim a query."""
    ranks = [f[:5].index(w) + 1 if w in f[:5] else None for f, w in zip(found, wanted)]
    return statistics.mean(1 / r if r else 0.0 for r in ranks), sum(r is not None for r in ranks) / len(ranks)


def evaluate(db: Database, facts, n_ledger: int, n_queries: int, n_baseline: int, seed: int) -> dict:
    rng = random.Random(seed)
    picks = rng.sample(range(n_ledger), n_queries)
    queries = [(i + 1, restatement(facts[i], rng)) for i in picks]
    distractors = [restatement(f, rng) for f in facts[n_ledger:n_ledger + n_queries]]
    wanted = [k for k, _ in queries]
    r: dict = {"queries": n_queries, "french": sum(facts[i].lang == "fr" for i in picks), "baseline_queries": n_baseline}
    with db.read() as conn:
        matching.rank(conn, normalise("warm up the caches"))
        t = time.perf_counter()
        plain = [[m.claim_id for m in matching.bm25(conn, q, limit=5)] for _, q in queries[:n_baseline]]
        r["bm25_ms"] = (time.perf_counter() - t) / n_baseline * 1000
        t, cpu = time.perf_counter(), time.process_time()
        found = [f for _, f in matching.match_texts(conn, queries, limit=5)]
        r["match_ms"] = (time.perf_counter() - t) / n_queries * 1000
        r["match_cpu_ms"] = (time.process_time() - cpu) / n_queries * 1000
        stray = [f for _, f in matching.match_texts(conn, list(enumerate(distractors)), limit=1)]
    ids = [[m.claim_id for m in f] for f in found]
    r["bm25"] = quality(plain, wanted[:n_baseline])
    r["match"] = quality(ids, wanted)
    r["match_on_baseline"] = quality(ids[:n_baseline], wanted[:n_baseline])
    for name, cut in (("suggest", SUGGEST), ("confirm", CONFIRM)):
        r[f"right_{name}"] = sum(bool(f) and f[0].claim_id == w and f[0].score >= cut
                                 for f, w in zip(found, wanted)) / n_queries
        r[f"stray_{name}"] = sum(bool(f) and f[0].score >= cut for f in stray) / len(distractors)
    r["examples"] = queries[:2]
    return r


def bench_suggest(db: Database, facts, n_ledger: int, outside: range, seed: int) -> dict:
    rng = random.Random(seed + 7)
    sentences, truth = [], []
    absent = iter(outside)
    for i in range(100):
        k = rng.randrange(n_ledger) if i % 2 == 0 else next(absent)
        sentences.append(restatement(facts[k], rng, noise=0.0))
        truth.append(k + 1 if k < n_ledger else None)
    body = "\n".join(sentences) + "\n"
    starts, pos = [], 0
    for line in sentences:
        starts.append(pos)
        pos += len(line) + 1
    with db.write() as conn:
        article_id = store.add_article(conn, title="Suggest benchmark", body=body, actor="bench")
    match_candidates.forget()  # as a new process would: every word looked up in the index
    with db.read() as conn:
        t, cpu = time.perf_counter(), time.process_time()
        matching.suggest(conn, article_id, threshold=SUGGEST, confirm=CONFIRM)
        cold, cold_cpu = time.perf_counter() - t, time.process_time() - cpu
    times, cpus = [], []
    for _ in range(3):  # as the reader does when it opens articles one after another
        with db.read() as conn:
            t, cpu = time.perf_counter(), time.process_time()
            found = matching.suggest(conn, article_id, threshold=SUGGEST, confirm=CONFIRM)
            times.append(time.perf_counter() - t)
            cpus.append(time.process_time() - cpu)
    want = dict(zip(starts, truth))
    sure = [s for s in found if s.confirmed]
    fresh = fresh_suggest(db, article_id, found)
    return {**fresh, "suggest_s": statistics.median(times), "suggest_cold_s": cold, "suggest_cpu_s": statistics.median(cpus),
            "suggest_cold_cpu_s": cold_cpu, "suggestions": len(found),
            "right": sum(want.get(s.start) == s.claim_id for s in found),
            "stray": sum(want.get(s.start) is None for s in found),
            "sure": len(sure), "sure_right": sum(want.get(s.start) == s.claim_id for s in sure),
            "sure_stray": sum(want.get(s.start) is None for s in sure)}


def _cli() -> list[str]:
    """The installed ``ledger`` script, run by this Python (not a version manager's shim)."""
    script = Path(sys.executable).with_name("ledger")
    return [sys.executable, str(script)] if script.exists() else [sys.executable, "-c",
                                                                  "import sys; from ledger.cli import main; sys.exit(main())"]


def fresh_suggest(db: Database, article_id: int, expected, repeats: int = 5) -> dict:
    """``ledger suggest ARTICLE_ID --json`` as a new process, the way a checker runs it, beside a
    process that only imports SQLModel (what any command of the full database layer pays first)
    and an empty one; runs alternate, medians of ``repeats``. Byte-code is cached as an installed
    package has it (PYTHONDONTWRITEBYTECODE is dropped; a first untimed run writes it)."""
    import json

    target = db.workspace.sqlite_path or db.workspace.url
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    runs = {"suggest": _cli() + ["--db", str(target), "suggest", str(article_id), "--json"],
            "import sqlmodel": [sys.executable, "-c", "import sqlmodel"],
            "python": [sys.executable, "-c", "pass"]}
    out = subprocess.run(runs["suggest"], env=env, capture_output=True, text=True, check=True).stdout
    got = [(s["start"], s["claim_id"]) for s in json.loads(out)["suggestions"]]
    if got != [(s.start, s.claim_id) for s in expected]:
        raise SystemExit("the ledger suggest process does not suggest what the in-process call does")
    times: dict[str, list[float]] = {k: [] for k in runs}
    for _ in range(repeats):
        for name, argv in runs.items():
            t = time.perf_counter()
            subprocess.run(argv, env=env, capture_output=True, check=True)
            times[name].append(time.perf_counter() - t)
    return {"fresh_s": statistics.median(times["suggest"]), "sqlmodel_s": statistics.median(times["import sqlmodel"]),
            "python_s": statistics.median(times["python"]), "fresh_runs": repeats}


def report(n: int, r: dict) -> None:
    print(f"\n== {n:,} claims: {r['queries']} queries ({r['french']} French), as many distractors ==")
    b = r["baseline_queries"]
    print(f"{'':34}{'MAP@5':>7}{'recall@5':>10}{'ms/query':>10}")
    print(f"{'plain BM25' + (f' (first {b})' if b < r['queries'] else ''):34}"
          f"{r['bm25'][0]:7.3f}{r['bm25'][1]:10.3f}{r['bm25_ms']:10.1f}")
    if b < r["queries"]:
        print(f"{f'ledger match (first {b})':34}{r['match_on_baseline'][0]:7.3f}{r['match_on_baseline'][1]:10.3f}")
    print(f"{'ledger match (batch)':34}{r['match'][0]:7.3f}{r['match'][1]:10.3f}{r['match_ms']:10.1f}"
          f"  ({r['match_cpu_ms']:.1f} ms of CPU)")
    for name, cut in (("suggest", SUGGEST), ("confirm", CONFIRM)):
        print(f"best match >= {name} threshold {cut}: right claim for {r[f'right_{name}']:.1%} of the queries; "
              f"any claim for {r[f'stray_{name}']:.1%} of the distractors")
    print(f"suggest on a 100-sentence article: {r['suggest_cold_s']:.2f} s ({r['suggest_cold_cpu_s']:.2f} s of CPU) "
          f"with every word looked up afresh, {r['suggest_s']:.2f} s ({r['suggest_cpu_s']:.2f} s of CPU) with the "
          f"frequencies this process keeps (median of 3)")
    print(f"`ledger suggest ARTICLE --json` as a new process: {r['fresh_s']:.2f} s (median of {r['fresh_runs']}); "
          f"beside it `python -c 'import sqlmodel'` {r['sqlmodel_s']:.2f} s, an empty python {r['python_s']:.2f} s")
    print(f"  {r['suggestions']} suggestions: "
          f"{r['right']} right (of 50 sentences restating a claim), {r['suggestions'] - r['right'] - r['stray']} wrong "
          f"claim, {r['stray']} on the 50 restating facts not in the ledger; near-certain {r['sure']}: "
          f"{r['sure_right']} right, {r['sure_stray']} on the latter")
    for k, q in r["examples"]:
        print(f"  e.g. {q!r} -> claim {k}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--claims", type=int, nargs="+", default=[20000])
    ap.add_argument("--queries", type=int, default=400)
    ap.add_argument("--baseline-queries", type=int, help="plain BM25 on the first N queries only (default all)")
    ap.add_argument("--db", help="a ledger (file or PostgreSQL URL; one size only); default benchmarks/out/matching-N.db")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    if args.db and len(args.claims) > 1:
        ap.error("--db takes one --claims size")
    results = {}
    for n in args.claims:
        t = time.perf_counter()
        facts = facts_for(n + 2 * args.queries + 100, args.seed)  # the tail is not in the ledger
        print(f"{len(facts):,} facts in {time.perf_counter() - t:.0f} s")
        db = open_db(args.db, n)
        try:
            build(db, facts[:n], args.seed)
            baseline = min(args.baseline_queries or args.queries, args.queries)
            r = evaluate(db, facts, n, args.queries, baseline, args.seed + 1)
            r.update(bench_suggest(db, facts, n, range(n + args.queries, len(facts)), args.seed))
        finally:
            db.dispose()
        results[n] = r
        report(n, r)
    print(f"\n{'claims':>10}{'BM25 MAP@5':>12}{'recall@5':>10}{'match MAP@5':>13}{'recall@5':>10}"
          f"{'BM25 ms/q':>11}{'batch ms/q':>12}{'suggest s':>11}{'(cold)':>8}{'process':>9}{'sqlmodel':>10}"
          f"{'stray@suggest':>15}{'stray@confirm':>15}")
    for n, r in results.items():
        print(f"{n:>10,}{r['bm25'][0]:12.3f}{r['bm25'][1]:10.3f}{r['match'][0]:13.3f}{r['match'][1]:10.3f}"
              f"{r['bm25_ms']:11.1f}{r['match_ms']:12.1f}{r['suggest_s']:11.2f}{r['suggest_cold_s']:8.2f}{r['fresh_s']:9.2f}"
              f"{r['sqlmodel_s']:10.2f}{r['stray_suggest']:15.1%}"
              f"{r['stray_confirm']:15.1%}")


if __name__ == "__main__":
    main()
