"""ClaimReview JSON-LD (schema.org), what fact-check aggregators and search engines read.

One ``ClaimReview`` per claim, in claim id order, in a single JSON-LD document::

    {"@context":"https://schema.org","@graph":[ {ClaimReview}, … ]}

Each review carries ``claimReviewed`` (the claim's text), ``reviewRating``, ``url``, ``author``
(the outlet), ``datePublished`` (the day of the claim's latest change, so the file depends on the
ledger only) and ``itemReviewed``: a ``Claim`` with its ``author`` (the claimant; for an
assertion, the outlet that made it), ``datePublished`` (the claim date), ``appearance`` (every
article it appears in) and ``firstAppearance`` (the earliest published of them).

``url`` is built from ``[export.claimreview] url`` in ledger.toml when set — a template such as
``"https://checks.example.org/claims/{claim_id}"`` — else it is the URL of the claim's first
article with ``#claim-ID``; a claim none of whose articles has a URL has no ``url``.
``[export.claimreview] author`` names the reviewing organisation when it is not the outlet.

The mapping of statuses onto ratings (1 = worst, 5 = best) is in ``docs/claimreview.md``;
statuses a workspace defines for itself are rated by their category (pass 5, fail 1, others
unrated: ``alternateName`` only).
"""

from __future__ import annotations

import json
from typing import Any, TextIO

from sqlalchemy import Connection

from ledger.services.export.query import CLAIM, ClaimBundle, Scope, claim_pages, count, iter_bundles
from ledger.services.progress import NO_PROGRESS, Progress
from ledger.vocabulary import Vocabulary

CONTEXT = "https://schema.org"
BEST, WORST = 5, 1

# status -> (alternateName, ratingValue or None)
RATINGS: dict[str, tuple[str, int | None]] = {
    "verified": ("True", 5),
    "disputed": ("Disputed", 3),
    "misleading": ("Misleading", 2),
    "false": ("False", 1),
    "unverifiable": ("Unverifiable", None),
    "in_progress": ("Being checked", None),
    "unverified": ("Not yet checked", None),
}
CATEGORY_RATINGS: dict[str, int | None] = {"pass": 5, "fail": 1, "unresolved": None, "open": None}


def rating(status: str, label: str | None, vocabulary: Vocabulary) -> dict[str, Any]:
    if status in RATINGS:
        name, value = RATINGS[status]
    else:
        name, value = status.replace("_", " ").capitalize(), CATEGORY_RATINGS.get(vocabulary.category(status))
    if label and vocabulary.category(status) == "open":
        name = label  # an imported verdict the ledger could not map: say what the source said
    out: dict[str, Any] = {"@type": "Rating", "alternateName": name, "bestRating": BEST, "worstRating": WORST}
    if value is not None:
        out["ratingValue"] = value
    return out


def _org(name: str | None) -> dict[str, Any] | None:
    return {"@type": "Organization", "name": name} if name else None


def _work(article: dict[str, Any]) -> dict[str, Any]:
    work: dict[str, Any] = {"@type": "NewsArticle", "headline": article["title"]}
    if article.get("url"):
        work["url"] = article["url"]
    if article.get("published"):
        work["datePublished"] = article["published"]
    if article.get("outlet"):
        work["publisher"] = _org(article["outlet"])
    if article.get("author"):
        work["author"] = {"@type": "Person", "name": article["author"]}
    if article.get("lang"):
        work["inLanguage"] = article["lang"]
    return work


def review(b: ClaimBundle, vocabulary: Vocabulary, settings: dict[str, Any]) -> dict[str, Any]:
    c = b.claim
    articles: dict[int, dict[str, Any]] = {}
    for app in b.appearances:  # one entry per article, in the order the claim reached them
        articles.setdefault(app["article_id"], app["article"])
    ordered = sorted(articles.values(), key=lambda a: (a.get("published") or "9999-99-99", a["id"]))
    first = ordered[0] if ordered else None
    item: dict[str, Any] = {"@type": "Claim"}
    claimant = c["claimant"] or (first or {}).get("outlet")
    if claimant:
        item["author"] = ({"@type": "Person", "name": c["claimant"]} if c["claimant"] else _org(claimant))
    if c["claim_date"]:
        item["datePublished"] = c["claim_date"]
    if ordered:
        item["appearance"] = [_work(a) for a in sorted(articles.values(), key=lambda a: a["id"])]
        item["firstAppearance"] = _work(first)  # type: ignore[arg-type]
    out: dict[str, Any] = {
        "@type": "ClaimReview",
        "claimReviewed": c["text"],
        "datePublished": c["updated_at"][:10],
        "itemReviewed": item,
        "reviewRating": rating(c["status"], c["status_label"], vocabulary),
    }
    author = settings.get("author") or (first or {}).get("outlet")
    if author:
        out["author"] = _org(author)
    template = settings.get("url")
    if template:
        out["url"] = str(template).replace("{claim_id}", str(c["id"]))
    elif first and first.get("url"):
        out["url"] = f"{first['url']}#claim-{c['id']}"
    if first and first.get("lang"):
        out["inLanguage"] = first["lang"]
    return out


def write_claimreview(conn: Connection, scope: Scope, out: TextIO, *, vocabulary: Vocabulary,
                      settings: dict[str, Any] | None = None, progress: Progress = NO_PROGRESS) -> int:
    settings = settings or {}
    advance = progress.task("exporting ClaimReview", count(conn, CLAIM, where=scope.where(CLAIM)))
    out.write('{"@context":"%s","@graph":[' % CONTEXT)
    n = 0
    for b in iter_bundles(claim_pages(conn, scope), conn, history_limit=0):
        out.write(("\n" if n == 0 else ",\n") + json.dumps(review(b, vocabulary, settings), sort_keys=True,
                                                            ensure_ascii=False, separators=(",", ":")))
        n += 1
        advance(1)
    out.write("\n]}\n" if n else "]}\n")
    return n
