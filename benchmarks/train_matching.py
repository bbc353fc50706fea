"""Train the re-ranker's logistic model on generated restatements; prints ``MODEL`` for
``ledger/text/matching.py``.

The training ledger and queries come from another seed than the benchmark's (other facts, other
wordings), so ``bench_matching.py`` measures the model on claims it never saw. For each query
the full-text candidates are scored with every feature; the restated claim is the positive,
the other candidates the negatives. Plain gradient descent on the log loss with a little L2.

    python benchmarks/train_matching.py [--claims 20000] [--queries 3000]
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_matching import build, open_db  # noqa: E402
from claimgen import claims as gen_claims, restatement  # noqa: E402

from ledger.services.matching import CANDIDATES  # noqa: E402
from ledger.store import matching as store_matching  # noqa: E402
from ledger.text.matching import (FEATURES, MODEL, features, figure_terms, normalise, pool_weights,  # noqa: E402
                                  query_terms)

SEED = 101  # not the benchmark's


def pairs(db, facts, n_queries: int, seed: int):
    rng = random.Random(seed)
    X, y, groups = [], [], []
    with db.read() as conn:
        for g, i in enumerate(rng.sample(range(len(facts)), n_queries)):
            q = normalise(restatement(facts[i], rng))
            found = store_matching.candidates(conn, terms=query_terms(q), exact=figure_terms(q), limit=CANDIDATES)
            if not found:
                continue
            best = max(c.rank for c in found) or 1.0
            claims = [normalise(c.text) for c in found]
            weights = pool_weights(claims)
            for c, n in zip(found, claims):
                f = features(q, n, c.rank / best, weights)
                X.append([f[k] for k in FEATURES])
                y.append(1.0 if c.claim_id == i + 1 else 0.0)
                groups.append(g)
    return np.array(X), np.array(y), np.array(groups)


def fit(X: np.ndarray, y: np.ndarray, *, steps: int = 3000, lr: float = 0.5, l2: float = 1e-3) -> np.ndarray:
    Xb = np.hstack([np.ones((len(X), 1)), X])
    w = np.zeros(Xb.shape[1])
    pos = max(y.sum(), 1.0)
    sample = np.where(y > 0, (len(y) - pos) / pos, 1.0)  # balance the one positive against its negatives
    sample /= sample.mean()
    for _ in range(steps):
        p = 1 / (1 + np.exp(-Xb @ w))
        grad = Xb.T @ ((p - y) * sample) / len(y) + l2 * np.r_[0, w[1:]]
        w -= lr * grad
    return w


def top1(X, y, groups, w) -> float:
    z = np.hstack([np.ones((len(X), 1)), X]) @ w
    hits = n = 0
    for g in np.unique(groups):
        idx = groups == g
        if y[idx].any():
            n += 1
            hits += y[idx][np.argmax(z[idx])] > 0
    return hits / max(n, 1)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--claims", type=int, default=20000)
    ap.add_argument("--queries", type=int, default=3000)
    args = ap.parse_args()
    facts = gen_claims(args.claims, seed=SEED)
    db = open_db(str(Path(__file__).resolve().parent / "out" / f"train-{args.claims}.db"), args.claims)
    build(db, facts, SEED)
    X, y, groups = pairs(db, facts, args.queries, SEED + 1)
    db.dispose()
    w = fit(X, y)
    current = np.array([MODEL["bias"]] + [MODEL[k] for k in FEATURES])
    print(f"{len(y)} pairs, {int(y.sum())} positives; top-1 among candidates: "
          f"current model {top1(X, y, groups, current):.3f}, trained {top1(X, y, groups, w):.3f}")
    print("MODEL = {")
    print(f'    "bias": {w[0]:.3f},')
    for k, v in zip(FEATURES, w[1:]):
        print(f'    "{k}": {v:.3f},')
    print("}")


if __name__ == "__main__":
    main()
