"""Pre-publication audit of one article holding 1,000 claims (target: under 200 ms).

Builds a fresh ledger through the bulk path: one long article (a sentence per claim, with
figures, dates, quotations and hedged wording in the mix), 1,000 claims of both kinds in every
status category, 20 archived sources and two or three citations per claim. Then times
``audit_article`` (median of several runs, all ten rules on) against a baseline measured in the
same run: a bare SELECT of the same appearances joined to their claims.

    python benchmarks/bench_audit.py [--claims 1000] [--runs 9]
"""

from __future__ import annotations

import argparse
import statistics
from collections import Counter
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import select

from ledger import store
from ledger.models import Appearance, Citation, Claim
from ledger.text.anchoring import make_anchor
from ledger.services.audit import audit_article
from ledger.services.ledger import Ledger, open_ledger
from ledger.store.events import append_events

TARGET_MS = 200.0
STATUSES = ["verified"] * 6 + ["unverified", "in_progress", "false", "disputed"]
PUBLISHERS = ["Harbour Gazette", "Port Authority", "Coast Wire", "Northern Post", "City Hall"]


def sentence(i: int) -> tuple[str, str, str]:
    """(sentence, quote of the claim in it, kind)."""
    if i % 5 == 0:
        quote = f"“Berth {i} handled {i * 7} containers last week,” the harbour master said"
        return f"{quote} on Tuesday.", quote, "attribution"
    if i % 7 == 0:
        quote = f"berth {i} reportedly lost {i % 40} cranes"
        return f"Officials say {quote} in the storm.", quote, "assertion"
    quote = f"Berth {i} received {i * 3} ships in week {i % 52}"
    return f"{quote}, up from the year before.", quote, "assertion"


def build(lg: Ledger, n: int, folder: Path) -> int:
    parts, quotes, offset = [], [], 0
    for i in range(n):
        text, quote, kind = sentence(i)
        start = offset + text.index(quote)
        quotes.append((start, start + len(quote), kind))
        parts.append(text)
        offset += len(text) + 1
        if i % 25 == 24:  # an uncovered sentence now and then
            extra = f"The quay was repainted in March {2000 + i % 24}."
            parts.append(extra)
            offset += len(extra) + 1
    body = " ".join(parts) + "\n"
    sources = []
    for k in range(20):
        f = folder / f"evidence-{k}.txt"
        f.write_text(f"Record {k}. " + " ".join(f"Berth {i} handled {i * 7} containers last week."
                                                for i in range(k, n, 20)), encoding="utf-8")
        sources.append(lg.add_source(title=f"Record {k}", file=f, publisher=PUBLISHERS[k % len(PUBLISHERS)],
                                     kind="official" if k % 10 == 0 else "web",
                                     accessed=date.today() - timedelta(days=k * 3)))
    with lg.db.write() as conn:
        [article_id] = store.bulk_insert_articles(conn, articles=[{"title": "Port week", "body": body, "lang": "en"}],
                                                  actor="bench")
        first = (conn.execute(select(Claim.__table__.c.id).order_by(Claim.__table__.c.id.desc()).limit(1))
                 .scalar() or 0) + 1
        claims = []
        for i, (start, end, kind) in enumerate(quotes):
            a = make_anchor(body, start, end)
            claims.append({"text": a.quote, "kind": kind, "claimant": "harbour master" if kind == "attribution" else None,
                           "status": STATUSES[i % len(STATUSES)],
                           "appearances": [{"article_id": article_id, "quote": a.quote, "start": a.start, "end": a.end,
                                            "prefix": a.prefix, "suffix": a.suffix}]})
        store.bulk_insert_claims(conn, claims=claims, actor="bench")
        rows, events = [], []
        stamp = store.events.now()
        for i in range(n):
            cid = first + i
            for j in range(2 + i % 2):
                sid = sources[(i + j * 7) % len(sources)]
                stance = "refutes" if STATUSES[i % len(STATUSES)] == "false" and j == 0 else "supports"
                excerpt = f"Berth {i} handled {i * 7} containers last week." if j == 0 else None
                rows.append({"claim_id": cid, "source_id": sid, "stance": stance, "excerpt": excerpt,
                             "locator": None, "created_at": stamp})
                events.append({"actor": "bench", "action": "citation.add", "entity": "citation", "claim_id": cid,
                               "payload": {"source_id": sid, "stance": stance, "excerpt": excerpt}})
        conn.execute(Citation.__table__.insert(), rows)
        append_events(conn, events, at=stamp)
    return article_id


def baseline(lg: Ledger, article_id: int) -> None:
    a, c = Appearance.__table__, Claim.__table__
    with lg.db.read() as conn:
        conn.execute(select(a.c.id, a.c.quote, a.c.start, a.c.end, c.c.status, c.c.kind)
                     .join(c, c.c.id == a.c.claim_id).where(a.c.article_id == article_id)).all()


def median_ms(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--claims", type=int, default=1000)
    ap.add_argument("--runs", type=int, default=9)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        lg = open_ledger(str(folder / "ledger.db"), actor="bench")
        try:
            article_id = build(lg, args.claims, folder)
            report = audit_article(lg, article_id)  # warm-up, and what the figure covers
            audit_ms = median_ms(lambda: audit_article(lg, article_id), args.runs)
            base_ms = median_ms(lambda: baseline(lg, article_id), args.runs)
        finally:
            lg.close()
    counts = report.counts()
    by_rule = Counter(f.rule for f in report.findings)
    print(f"article with {args.claims} claims: {len(report.findings)} findings "
          f"({counts['block']} block, {counts['warn']} warn, {counts['info']} info): "
          + ", ".join(f"{rule} {n}" for rule, n in sorted(by_rule.items())))
    print(f"audit_article   median of {args.runs}: {audit_ms:8.1f} ms   (target < {TARGET_MS:.0f} ms: "
          f"{'met' if audit_ms < TARGET_MS else 'MISSED'})")
    print(f"baseline SELECT median of {args.runs}: {base_ms:8.1f} ms   (the appearances joined to their claims)")
    print(f"audit / baseline: {audit_ms / base_ms:.1f}x")


if __name__ == "__main__":
    main()
