"""Search and list filters at scale, each product figure beside its baseline in the same run.

Search (cached 1M-claim ledger, in-process, median of 7): ``Ledger.search`` for a word in every
claim, a word in about one claim in seven (and in every quoted passage), and a rare phrase,
against FTS5's unranked top 50 for the same word and against ranking every match (the query
search used before; one run). The command-line figure (search against ``claim show``) is in
bench_startup.py.

List filters (a cached ledger of 100k articles, in-process, median of 7): the article list's page
and count for a rare and a common word through the full-text index, against the folded LIKE
that called a Python function per row and against SQLite's own ``lower()``; and the jump to the
end of the list (the last page), filtered and not.

    python benchmarks/bench_search.py [--claims 1000000] [--articles 100000]
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
    args = ap.parse_args()
    from sqlalchemy import func, select

    from ledger.models import Article
    from ledger.services.ledger import open_ledger
    from ledger.store.textfilter import contains_pattern, matching

    lg = open_ledger(str(build(args.claims)))
    print(f"search, {args.claims:,} claims (ms, median of 7)")
    with lg.db.read() as conn:
        raw = conn.connection.driver_connection
        for word, what in (("fact", "in every claim"), ("munitions", "in 1 claim in 7, every passage"),
                           ("obus 83", "rare phrase")):
            q = " ".join(f'"{w}"*' for w in word.split())
            unranked = best(lambda: raw.execute("SELECT rowid FROM claim_fts WHERE claim_fts MATCH ? LIMIT 50",
                                                (q,)).fetchall())
            ranked_all = best(lambda: raw.execute("SELECT rowid FROM claim_fts WHERE claim_fts MATCH ? "
                                                  "ORDER BY rank LIMIT 50", (q,)).fetchall(), runs=1)
            ours = best(lambda: lg.search(word))
            print(f"  {word!r:<12} {what:<32} search {ours:8.1f}   FTS5 unranked top 50 {unranked:7.1f}   "
                  f"rank every match (before) {ranked_all:8.1f}   target <= 100")
    lg.close()

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
