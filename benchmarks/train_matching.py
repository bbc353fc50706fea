"""Train the re-ranker's logistic model on generated restatements; prints ``MODEL`` for
``ledger/text/matching.py``.

The training ledger and queries come from another seed than the benchmark's (other facts, other
wordings), so ``bench_matching.py`` measures the model on claims it never saw. Half the queries
restate a claim of the ledger, half restate a fact that is not in it (same kinds of fact, other
actors or figures: the near misses a newsroom sees every day). For each query the full-text
candidates are scored with every feature; the restated claim is the positive, every other
candidate a negative. Plain gradient descent on the log loss with a little L2, no reweighting,
so the model's output reads as a probability: a suggestion threshold of 0.5 means "more likely
than not the same claim".

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


def pairs(db, facts, n_ledger: int, n_queries: int, seed: int):
    rng = random.Random(seed)
    X, y, groups = [], [], []
    picks = rng.sample(range(n_ledger), n_queries) + rng.sample(range(n_ledger, len(facts)), n_queries)
    with db.read() as conn:
        for g, i in enumerate(picks):
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


def fit(X: np.ndarray, y: np.ndarray, *, steps: int = 5000, lr: float = 1.0, l2: float = 1e-4,
        balanced: float = 0.0) -> np.ndarray:
    """``balanced`` from 0 (plain log loss) to 1 (the positives weigh as much as all negatives)."""
    Xb = np.hstack([np.ones((len(X), 1)), X])
    w = np.zeros(Xb.shape[1])
    pos = max(y.sum(), 1.0)
    sample = np.where(y > 0, ((len(y) - pos) / pos) ** balanced, 1.0)
    sample /= sample.mean()
    for _ in range(steps):
        p = 1 / (1 + np.exp(-Xb @ w))
        grad = Xb.T @ ((p - y) * sample) / len(y) + l2 * np.r_[0, w[1:]]
        w -= lr * grad
    return w


def report(X, y, groups, w, cut: float = 0.5) -> str:
    """Top-1 among candidates when the claim is there; how often the best score of a query passes
    ``cut`` when it restates the right claim first, and when its claim is not in the ledger."""
    z = 1 / (1 + np.exp(-(np.hstack([np.ones((len(X), 1)), X]) @ w)))
    hits = n = right = absent = n_absent = 0
    for g in np.unique(groups):
        idx = groups == g
        best = np.argmax(z[idx])
        if y[idx].any():
            n += 1
            hits += y[idx][best] > 0
            right += y[idx][best] > 0 and z[idx][best] >= cut
        else:
            n_absent += 1
            absent += z[idx][best] >= cut
    return (f"top-1 {hits / max(n, 1):.3f}, right and >= {cut} {right / max(n, 1):.3f}, "
            f"absent claim yet >= {cut} {absent / max(n_absent, 1):.3f}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--claims", type=int, default=20000)
    ap.add_argument("--queries", type=int, default=2000, help="as many again restate facts not in the ledger")
    ap.add_argument("--balanced", type=float, default=0.0, help="0 plain log loss, 1 positives weigh as all negatives")
    args = ap.parse_args()
    facts = gen_claims(args.claims + args.queries, seed=SEED)
    db = open_db(str(Path(__file__).resolve().parent / "out" / f"train-{args.claims}.db"), args.claims)
    build(db, facts[:args.claims], SEED)
    cache = Path(__file__).resolve().parent / "out" / f"train-{args.claims}-{args.queries}.npz"
    if cache.exists():
        saved = np.load(cache)
        X, y, groups = saved["X"], saved["y"], saved["groups"]
    else:
        X, y, groups = pairs(db, facts, args.claims, args.queries, SEED + 1)
        np.savez(cache, X=X, y=y, groups=groups)
    db.dispose()
    balanced = args.balanced
    w = fit(X, y, balanced=balanced)
    current = np.array([MODEL["bias"]] + [MODEL[k] for k in FEATURES])
    print(f"{len(y)} pairs, {int(y.sum())} positives")
    for cut in (0.5, 0.7, 0.8, 0.9, 0.95):
        print(f"current model: {report(X, y, groups, current, cut)}")
        print(f"trained model: {report(X, y, groups, w, cut)}")
    print("MODEL = {")
    print(f'    "bias": {w[0]:.3f},')
    for k, v in zip(FEATURES, w[1:]):
        print(f'    "{k}": {v:.3f},')
    print("}")


if __name__ == "__main__":
    main()
