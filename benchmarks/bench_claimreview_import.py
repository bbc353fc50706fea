"""ClaimReview import pace: into an empty ledger, and into one that already holds many claims.

Generates a JSON Lines feed of synthetic reviews (labels in many languages, rating scales, free
text, claimants with sameAs, appearance URLs), then imports it with ``ledger.import_file``:

1. into an empty ledger — the baseline;
2. into a ledger prefilled through the bulk path with ``--prefill`` claims, each with an article
   (with a URL), a review source (with a URL), a citation and a review row — so every look-up an
   import makes (article URLs, source URLs, review keys) runs against tables of that size.

Prints records/s for both and their ratio. Targets: at least 5,000 records/s, and the full ledger
within 1.5x of the empty one (ratio <= 1.5).

    python benchmarks/bench_claimreview_import.py [--reviews 100000] [--prefill 1000000]
"""

from __future__ import annotations

import argparse
import json
import random
import tempfile
import time
from pathlib import Path

from ledger.services.ledger import open_ledger
from ledger.store.bulk import bulk_insert_articles, bulk_insert_claims
from ledger.store.bulk_sources import bulk_insert_citations, bulk_insert_sources
from ledger.store.reviews import insert_reviews

LABELS = ["False", "Faux", "Falso", "Engañoso", "Falsch", "Enganoso", "錯誤", "زائف", "pants-fire", "barely-true",
          "Mostly true", "Missing context", "FALSO: as imagens são de outro ano", "Hoaks", "Ложь", "Yanlış",
          "Partly false", "Trompeur", "Unproven", "Satire"]


def feed(path: Path, n: int, seed: int, tag: str) -> None:
    rnd = random.Random(seed)
    with path.open("w", encoding="utf-8") as fp:
        for i in range(n):
            label = rnd.choice(LABELS) if i % 5 else f"free text verdict {i % 300}"
            node = {"@context": "https://schema.org", "@type": "ClaimReview",
                    "url": f"https://checks{i % 40}.example.org/{tag}/{i}",
                    "datePublished": f"2024-{1 + i % 12:02d}-{1 + i % 28:02d}T10:00:00Z",
                    "publisher": {"@type": "Organization", "name": f"Checker {i % 40}"},
                    "author": {"@type": "Person", "name": f"Reporter {i % 400}"},
                    "inLanguage": rnd.choice(["fr", "es", "pt-BR", "de", "zh-Hant", "ar", "en"]),
                    "headline": f"Checking claim {tag}-{i}",
                    "claimReviewed": f"Claim {tag}-{i}: the figure {rnd.randint(1, 10**6)} was said about topic {i % 997}.",
                    "itemReviewed": {"@type": "Claim",
                                     "author": {"@type": "Person", "name": f"Speaker {i % 1000}",
                                                "sameAs": f"https://people.example.org/{i % 1000}"},
                                     "datePublished": "2024-01-05",
                                     "appearance": [{"@type": "CreativeWork",
                                                     "url": f"https://social.example.com/{tag}/{i}"}]},
                    "reviewRating": {"@type": "Rating", "alternateName": label, "ratingValue": 1 + i % 5,
                                     "bestRating": 5, "worstRating": 1}}
            fp.write(json.dumps(node, ensure_ascii=False) + "\n")


def prefill(lg, n: int, batch: int = 50_000) -> None:
    """``n`` claims as an import leaves them: article, review source, citation, review row each."""
    done = 0
    while done < n:
        k = min(batch, n - done)
        with lg.db.write() as conn:
            body = "A claim already in the ledger.\n"
            arts = bulk_insert_articles(conn, articles=[{"title": f"Old {done + i}", "body": body,
                                                         "url": f"https://old.example.org/a/{done + i}",
                                                         "state": "published"} for i in range(k)], actor="bench")
            srcs = bulk_insert_sources(conn, sources=[{"kind": "web", "title": f"Old {done + i}",
                                                       "url": f"https://old.example.org/a/{done + i}"}
                                                      for i in range(k)], actor="bench")
            claims = bulk_insert_claims(conn, claims=[{
                "text": f"Old claim {done + i}", "status": "false", "status_label": "Falso",
                "appearances": [{"article_id": a, "quote": "A claim already in the ledger.", "start": 0,
                                 "end": 30, "prefix": "", "suffix": "\n"}]} for i, a in enumerate(arts)],
                actor="bench")
            bulk_insert_citations(conn, citations=[{"claim_id": c, "source_id": s, "stance": "refutes"}
                                                   for c, s in zip(claims, srcs)], actor="bench")
            insert_reviews(conn, reviews=[{"claim_id": c, "review_key": f"https://old.example.org/a/{done + i}#r",
                                           "url": f"https://old.example.org/a/{done + i}", "read_as": "label",
                                           "rating_label": "Falso"} for i, c in enumerate(claims)], actor="bench")
        done += k
        print(f"  prefilled {done:,} claims", flush=True)


def timed_import(lg, path: Path, n: int) -> tuple[float, float]:
    """(records per wall-clock second, records per second of this process's CPU time): on a shared
    machine the second says what the code costs, the first what the user waited."""
    start, cpu = time.perf_counter(), time.process_time()
    report = lg.import_file(path, fmt="claimreview")
    elapsed, spent = time.perf_counter() - start, time.process_time() - cpu
    assert report.imported.get("claims") == n, report.summary()
    return n / elapsed, n / spent


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--reviews", type=int, default=100_000)
    ap.add_argument("--prefill", type=int, default=1_000_000)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        empty_feed, full_feed = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
        feed(empty_feed, args.reviews, 1, "a")
        feed(full_feed, args.reviews, 2, "b")
        empty = open_ledger(str(tmp_path / "empty.db"), actor="bench")
        rate_empty, cpu_empty = timed_import(empty, empty_feed, args.reviews)
        empty.close()
        print(f"empty ledger:              {rate_empty:,.0f} records/s, {cpu_empty:,.0f} per CPU second "
              f"({args.reviews:,} reviews)")
        full = open_ledger(str(tmp_path / "full.db"), actor="bench")
        t = time.perf_counter()
        prefill(full, args.prefill)
        print(f"  prefill took {time.perf_counter() - t:,.0f} s")
        rate_full, cpu_full = timed_import(full, full_feed, args.reviews)
        full.close()
        print(f"ledger of {args.prefill:,} claims: {rate_full:,.0f} records/s, {cpu_full:,.0f} per CPU second "
              f"({args.reviews:,} reviews)")
        print(f"slowdown (empty/full): {rate_empty / rate_full:.2f}x wall, {cpu_empty / cpu_full:.2f}x CPU "
              "(target <= 1.5x; target rate >= 5,000/s)")


if __name__ == "__main__":
    main()
