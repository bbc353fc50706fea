"""Train the re-ranker's model and its calibration on generated restatements; prints ``MODEL``
and ``CALIBRATION`` for ``ledger/text/matching.py``.

The training ledger and queries come from another seed than the benchmark's (other facts, other
wordings), so ``bench_matching.py`` measures the models on claims they never saw. Half the queries
restate a claim of the ledger, half restate a fact that is not in it (same kinds of fact, other
actors or figures: the near misses a newsroom sees every day). One restatement in five repeats its
claim word for word (half of those inside a social post), as viral claims do. For each query the
candidates ``ledger match`` gets from the index are scored with every feature; the restated claim
is the positive, every other candidate a negative. The first model (a linear score, gradient
descent on the softmax loss over each text's candidates, a little L2) learns to put the restated
claim first; the second (Platt scaling over that score and the candidate's lead over its best
rival, Newton's method) is fitted on the same candidates, so a text whose claim is absent --
forty negatives, the best of them often high -- teaches it that a high score without a lead is no
match. The tables printed are how often the best match passes each threshold: right claim (texts
whose claim is in the ledger), any claim (texts whose claim is not). The scored candidates are
cached in ``out/`` (``--fresh`` scores them again).

    python benchmarks/train_matching.py [--claims 100000] [--queries 3000]
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_matching import build, open_db  # noqa: E402
from claimgen import claims as gen_claims, noisy, restatement  # noqa: E402

from ledger.services.matching import CANDIDATES, search_terms  # noqa: E402
from ledger.store.match_candidates import Vocabulary, candidates_many, claim_texts  # noqa: E402
from ledger.text.matching import (CALIBRATION, FEATURES, MODEL, calibration_features, features,  # noqa: E402
                                  normalise, pool_weights)

SEED = 101  # not the benchmark's


def pairs(db, facts, n_ledger: int, n_queries: int, seed: int):
    rng = random.Random(seed)
    X, y, groups = [], [], []
    picks = rng.sample(range(n_ledger), n_queries) + rng.sample(range(n_ledger, len(facts)), n_queries)
    queries = [restatement(facts[i], rng) for i in picks]
    with db.read() as conn:
        # a claim repeated word for word, maybe in a social post, is a restatement too (one in five)
        verbatim = [g for g in range(n_queries) if g % 5 == 0]
        texts = claim_texts(conn, ids=[picks[g] + 1 for g in verbatim])
        for g in verbatim:
            body = texts[picks[g] + 1][0]
            queries[g] = noisy(body, facts[picks[g]].lang, rng) if rng.random() < 0.5 else body
        queries = [normalise(q) for q in queries]
        pools = candidates_many(conn, queries=[search_terms(q) for q in queries], limit=CANDIDATES,
                                vocabulary=Vocabulary())
    for g, (i, q, found) in enumerate(zip(picks, queries, pools)):
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


def fit(X: np.ndarray, y: np.ndarray, *, steps: int = 50, l2: float = 1e-4) -> np.ndarray:
    """Logistic regression by Newton's method (a handful of features: a few exact steps)."""
    Xb = np.hstack([np.ones((len(X), 1)), X])
    w = np.zeros(Xb.shape[1])
    for _ in range(steps):
        p = 1 / (1 + np.exp(-np.clip(Xb @ w, -50, 50)))
        grad = Xb.T @ (p - y) / len(y) + l2 * np.r_[0, w[1:]]
        hess = (Xb * (p * (1 - p))[:, None]).T @ Xb / len(y) + l2 * np.eye(len(w))
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return w


def fit_ranking(X: np.ndarray, y: np.ndarray, groups: np.ndarray, *, steps: int = 3000, lr: float = 2.0,
                l2: float = 1e-4) -> np.ndarray:
    """Weights that put each text's restated claim first among its candidates: gradient descent on
    the softmax loss over the candidates of the texts whose claim is among them."""
    keep = np.isin(groups, np.unique(groups[y > 0]))
    X, y, groups = X[keep], y[keep], groups[keep]
    starts = np.flatnonzero(np.r_[True, groups[1:] != groups[:-1]])
    sizes = np.diff(np.r_[starts, len(groups)])
    pos = X[y > 0]
    w = np.zeros(X.shape[1])
    for _ in range(steps):
        z = X @ w
        z -= np.repeat(np.maximum.reduceat(z, starts), sizes)
        e = np.exp(z)
        p = e / np.repeat(np.add.reduceat(e, starts), sizes)
        grad = (np.add.reduceat(p[:, None] * X, starts).sum(0) - pos.sum(0)) / len(starts) + l2 * w
        w -= lr * grad
    return np.r_[0.0, w]


def scores_of(X: np.ndarray, w: np.ndarray) -> np.ndarray:
    return np.hstack([np.ones((len(X), 1)), X]) @ w


def lead_features(raw: np.ndarray, groups: np.ndarray) -> np.ndarray:
    out = np.zeros((len(raw), 2))
    for g in np.unique(groups):
        idx = np.flatnonzero(groups == g)
        out[idx] = calibration_features(list(raw[idx]))
    return out


def table(cal: np.ndarray, y: np.ndarray, groups: np.ndarray, n_present: int, n_absent: int, cuts) -> list[str]:
    """For each cut: the share of the texts whose claim is in the ledger (groups below
    ``n_present``) whose best match is that claim and >= cut, and of the texts whose claim is not
    whose best match is >= cut."""
    best = {}
    for g in np.unique(groups):
        idx = groups == g
        i = np.argmax(cal[idx])
        best[g] = (cal[idx][i], y[idx][i] > 0)
    lines = []
    for cut in cuts:
        right = sum(s >= cut and ok for g, (s, ok) in best.items() if g < n_present) / n_present
        stray = sum(s >= cut for g, (s, _) in best.items() if g >= n_present) / n_absent
        lines.append(f"  >= {cut:.2f}: right claim {right:.3f}, texts whose claim is absent {stray:.3f}")
    return lines


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--claims", type=int, default=100000)
    ap.add_argument("--queries", type=int, default=3000, help="as many again restate facts not in the ledger")
    ap.add_argument("--fresh", action="store_true", help="score the candidates again (else cached in out/)")
    args = ap.parse_args()
    facts = gen_claims(args.claims + args.queries, seed=SEED)
    db = open_db(str(Path(__file__).resolve().parent / "out" / f"train-{args.claims}.db"), args.claims)
    build(db, facts[:args.claims], SEED)
    cache = Path(__file__).resolve().parent / "out" / f"train-{args.claims}-{args.queries}-{len(FEATURES)}.npz"
    if cache.exists() and not args.fresh:
        saved = np.load(cache)
        X, y, groups = saved["X"], saved["y"], saved["groups"]
    else:
        X, y, groups = pairs(db, facts, args.claims, args.queries, SEED + 1)
        np.savez(cache, X=X, y=y, groups=groups)
    db.dispose()
    w = fit_ranking(X, y, groups)
    raw = scores_of(X, w)
    L = lead_features(raw, groups)
    c = fit(L, y)
    cal = 1 / (1 + np.exp(-scores_of(L, c)))
    current = np.array([MODEL["bias"]] + [MODEL[k] for k in FEATURES])
    cur = 1 / (1 + np.exp(-scores_of(lead_features(scores_of(X, current), groups),
                                     np.array([CALIBRATION["bias"], CALIBRATION["score"], CALIBRATION["lead"]]))))
    print(f"{len(y)} pairs, {int(y.sum())} positives, {len(np.unique(groups))} queries with candidates")
    top1 = [y[groups == g][np.argmax(raw[groups == g])] > 0 for g in np.unique(groups[y > 0])]
    print(f"restated claim among the candidates for {len(top1) / args.queries:.3f} of the texts whose claim is in "
          f"the ledger; trained model puts it first for {np.mean(top1):.3f} of those")
    cuts = (0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95)
    print("trained, calibrated:", *table(cal, y, groups, args.queries, args.queries, cuts), sep="\n")
    print("current MODEL and CALIBRATION:", *table(cur, y, groups, args.queries, args.queries, cuts), sep="\n")
    print("MODEL = {")
    print(f'    "bias": {w[0]:.3f},')
    for k, v in zip(FEATURES, w[1:]):
        print(f'    "{k}": {v:.3f},')
    print("}")
    print(f'CALIBRATION = {{"bias": {c[0]:.3f}, "score": {c[1]:.3f}, "lead": {c[2]:.3f}}}')


if __name__ == "__main__":
    main()
