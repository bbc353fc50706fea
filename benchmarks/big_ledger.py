"""A large synthetic ledger for the scale benchmarks, built once and cached under benchmarks/out/.

Every claim holds the word ``fact`` (the common-word search case), one appearance in one of
``claims // 100`` articles, and one chained ``claim.import`` event; titles and outlets mix French
and English words with accents, so filters and folding have something to do.

    python benchmarks/big_ledger.py [--claims 1000000]     # builds (or reuses) the cached ledger
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

OUT = Path(__file__).with_name("out")
WORDS = ("munitions livrées Corée Russie président traité assistance mutuelle accord frontière obus "
         "missiles budget hausse baisse chômage élection sondage déclaration ministre rapport "
         "exportations pétrole blé inflation growth treaty deficit unemployment election report "
         "minister border shells supply delivery sanctions").split()
BODY = ("Le président a rencontré son homologue ce 18 juin. Des munitions auraient été livrées. "
        "The treaty includes a mutual assistance clause. ") * 3
QUOTE = "Des munitions auraient été livrées."


def path_for(claims: int) -> Path:
    return OUT / f"ledger-{claims}.db"


def _claims(n: int, n_articles: int, rng: random.Random):
    start = BODY.index(QUOTE)
    for i in range(n):
        words = " ".join(rng.choice(WORDS) for _ in range(6))
        yield {
            "text": f"Fact {i}: {words}",
            "kind": "assertion" if i % 3 else "attribution",
            "claimant": None if i % 3 else f"Official {i % 50}",
            "status": ("unverified", "verified", "in_review")[i % 3],
            "appearances": [{"article_id": 1 + i % n_articles, "quote": QUOTE, "start": start,
                             "end": start + len(QUOTE), "prefix": BODY[max(0, start - 32):start],
                             "suffix": BODY[start + len(QUOTE):start + len(QUOTE) + 32]}],
        }


def build(claims: int, *, quiet: bool = False) -> Path:
    """The cached ledger with ``claims`` claims (built the first time)."""
    from ledger import store
    from ledger.db import Database
    from ledger.workspace import resolve_workspace

    path = path_for(claims)
    if path.exists():
        return path
    OUT.mkdir(exist_ok=True)
    partial = path.with_name(path.name + ".building")
    for p in (partial, partial.with_name(partial.name + "-wal"), partial.with_name(partial.name + "-shm")):
        p.unlink(missing_ok=True)
    rng = random.Random(13)
    n_articles = max(1, claims // 100)
    t = time.perf_counter()
    db = Database(resolve_workspace(str(partial)))
    with db.write() as conn:
        store.bulk_insert_articles(conn, articles=({
            "title": f"{rng.choice(WORDS).capitalize()} {rng.choice(WORDS)} {i}", "body": BODY,
            "outlet": rng.choice(("Le Guetteur", "Écho du Soir", "The Ledger Times"))} for i in range(n_articles)),
            actor="bench")
    step = 100_000
    for first in range(0, claims, step):
        with db.write() as conn:
            store.bulk_insert_claims(conn, claims=_claims(min(step, claims - first), n_articles, rng), actor="bench")
        if not quiet:
            print(f"  {first + step:,} claims ({time.perf_counter() - t:.0f} s)", file=sys.stderr)
    db.dispose()
    import sqlite3

    plain = sqlite3.connect(partial)
    plain.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # one self-contained file, as the baselines read it
    plain.close()
    partial.rename(path)
    return path


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--claims", type=int, default=1_000_000)
    print(build(ap.parse_args().claims))
