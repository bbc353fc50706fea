"""Search and list filters at scale, each product figure beside its baseline in the same run.

Search (cached 1M-claim ledger, in-process, median of 7): ``Ledger.search`` for short and long
common words -- ``fact`` is in every claim; ``auraient`` and ``munitions`` are in every quoted
passage (a million rows of ``appearance_fts``), ``munitions`` in one claim in seven too;
``official`` in a third of the claims -- for multi-word queries and a rare phrase. Baselines in
the same run, on ``claim_fts`` and ``appearance_fts``: FTS5's unranked newest 50 for the exact
words (the floor), the same for the words as prefix queries (how search matched them before it
spelled long words out as their indexed terms: FTS5 merges a prefix's whole posting list when no
prefix index covers it), and ranking every claim match (the query search used first; one run,
``--no-rank-all`` skips it). The command-line figure (search against ``claim show``) is in
bench_startup.py.

List filters (a cached ledger of 100k articles, in-process, median of 7): the article list's page
and count for a rare and a common word through the full-text index, against the folded LIKE
that called a Python function per row and against SQLite's own ``lower()``; and the jump to the
end of the list (the last page), filtered and not.

    python benchmarks/bench_search.py [--claims 1000000] [--articles 100000] [--no-rank-all] [--no-articles]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from big_ledger import OUT, WORDS, build  # noqa: E402


def best(fn, runs: int = 7) -> float:  # noqa: ANN001
    """The median time of ``runs`` calls, in milliseconds."""
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times) * 1000


def articles_ledger(n: int) -> Path:
    from ledger import store
    from ledger.db import Database
    from ledger.workspace import resolve_workspace

    path = OUT / f"articles-{n}.db"
    if path.exists():
        return path
    rng = random.Random(7)
    partial = path.with_name(path.name + ".building")
    partial.unlink(missing_ok=True)
    db = Database(resolve_workspace(str(partial)))
    with db.write() as conn:
        store.bulk_insert_articles(conn, articles=(
            {"title": " ".join(rng.choice(WORDS) for _ in range(5)) + (" Pyongyang" if i % 5000 == 0 else ""),
             "body": "Texte.\n", "outlet": rng.choice(("Le Guetteur", "Écho du Soir", None))} for i in range(n)),
            actor="bench")
    db.dispose()
    partial.rename(path)
    return path


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--claims", type=int, default=1_000_000)
    ap.add_argument("--articles", type=int, default=100_000)
    ap.add_argument("--no-rank-all", action="store_true", help="skip the slow rank-every-match baseline")
    ap.add_argument("--no-articles", action="store_true", help="skip the article list filters")
    args = ap.parse_args()
    from sqlalchemy import func, select

    from ledger.models import Article
    from ledger.services.ledger import open_ledger
    from ledger.store.textfilter import contains_pattern, matching

    lg = open_ledger(str(build(args.claims)))
    print(f"search, {args.claims:,} claims (ms, median of 7)")
    newest = "SELECT rowid FROM {fts} WHERE {fts} MATCH ? ORDER BY rowid DESC LIMIT 50"
    with lg.db.read() as conn:
        raw = conn.connection.driver_connection
        for word, what in (("fact", "short, in every claim"), ("auraient", "long, in every passage"),
                           ("munitions", "long, every passage, 1/7 claims"), ("official", "long, 1/3 of claims"),
                           ("fact munitions", "two common words"), ("munitions auraient", "two long, every passage"),
                           ("mun", "short prefix, every passage"), ("obus 83", "rare phrase")):
            exact = " ".join(f'"{w}"' for w in word.split())
            prefix = " ".join(f'"{w}"*' for w in word.split())

            def floor(q: str) -> None:
                for fts in ("claim_fts", "appearance_fts"):
                    raw.execute(newest.format(fts=fts), (q,)).fetchall()

            exact_ms, prefix_ms = best(lambda: floor(exact)), best(lambda: floor(prefix))
            ranked_all = None if args.no_rank_all else best(lambda: raw.execute(
                "SELECT rowid FROM claim_fts WHERE claim_fts MATCH ? ORDER BY rank LIMIT 50", (prefix,)).fetchall(),
                runs=1)
            ours = best(lambda: lg.search(word))
            print(f"  {word!r:<20} {what:<32} search {ours:6.1f}   unranked top 50: exact {exact_ms:5.1f}"
                  f"  prefix (before) {prefix_ms:6.1f}"
                  + ("" if ranked_all is None else f"   rank every claim match {ranked_all:7.1f}")
                  + f"   {'ok' if ours <= 100 else 'MISSED'} (target <= 100)")
    lg.close()
    if args.no_articles:
        return

    lg = open_ledger(str(articles_ledger(args.articles)))
    table = Article.__table__
    print(f"article list filter, {args.articles:,} articles (ms, median of 7: a page of 50 and the count)")
    with lg.db.read() as conn:
        for text in ("pyongyang", "corée", "écho du"):
            ours = best(lambda: (lg.list_articles(text=text, limit=50), lg.count_articles(text=text)))
            python_fold = best(lambda: conn.execute(select(func.count()).select_from(table).where(
                matching(conn, text, table.c.title, table.c.outlet))).scalar(), runs=2)
            pattern = contains_pattern(text)
            lower = best(lambda: conn.exec_driver_sql(
                "SELECT count(*) FROM article WHERE lower(title) LIKE ? ESCAPE '\\' "
                "OR lower(coalesce(outlet, '')) LIKE ? ESCAPE '\\'", (pattern, pattern)).scalar())
            print(f"  {text!r:<12} {lg.count_articles(text=text):>7,} found   filter {ours:8.1f}   "
                  f"Python fold per row (before) {python_fold:8.1f}   SQLite lower() {lower:7.1f}")
        total = lg.count_articles()
        end = best(lambda: lg.list_articles(limit=50, offset=total - 50))
        found = lg.count_articles(text="corée")
        end_filtered = best(lambda: lg.list_articles(text="corée", limit=50, offset=max(0, found - 50)))
        first = best(lambda: lg.list_articles(limit=50))
    print(f"  jump to the end: whole list {end:.1f} ms, filtered 'corée' {end_filtered:.1f} ms "
          f"(first page {first:.1f} ms)")
    lg.close()


if __name__ == "__main__":
    main()
