"""ClaimReview JSON-LD (schema.org), what fact-check aggregators and search engines read.

One ``ClaimReview`` per claim, in claim id order, in a single JSON-LD document::

    {"@context":"https://schema.org","@graph":[ {ClaimReview}, … ]}

Every ClaimReview has a stable ``@id``, so importing an export again adds nothing.

**Reviews by others** (claims imported from ClaimReview, kept in the ``review`` table) go out as
they came in: the same ``@id``, ``url``, ``datePublished`` (date and time as given), ``headline``,
``inLanguage``, ``publisher`` and ``author``, the rating on its own scale (label, value, best,
worst: only those given), and ``itemReviewed`` with the claimant (and ``sameAs``) only when the
review named one, its date and every appearance URL as published. The ledger adds nothing to them:
no claimant, no URL suffix, no scale. An import never becomes the newsroom's own review.

**The newsroom's own reviews** (every other claim) are published under ``[organisation]`` of
ledger.toml (``name``, ``url``, ``logo``) as ``author`` and ``publisher``, dated by the claim's
latest verdict event (its last status change; the claim's creation when it never had one), with
``@id`` ``urn:claim-ledger:<ledger>:claim:<id>`` (the ledger named by its first event's hash).
Each carries ``claimReviewed`` (the claim's text), ``reviewRating``, ``url``, ``author``
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

from sqlalchemy import func, select

from ledger.services.export.query import CLAIM, EVENT, ClaimBundle, Scope, bundles, claim_pages, count
from ledger.errors import InvalidInput
from ledger.services.fields import check_url
from ledger.services.progress import NO_PROGRESS, Progress
from ledger.store.reviews import ReviewRow, ledger_iri, own_review_id, reviews_of_claims
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


def safe_url(url: str | None) -> str | None:
    """Only http(s) addresses go out (a ``javascript:`` link stored by an older import never does)."""
    try:
        return check_url(url) if url else None
    except InvalidInput:
        return None


def organisation(raw: Any) -> dict[str, Any] | None:
    """``[organisation]`` of ledger.toml as a schema.org Organization (None when it has no name)."""
    if not isinstance(raw, dict) or not isinstance(raw.get("name"), str) or not raw["name"].strip():
        return None
    org: dict[str, Any] = {"@type": "Organization", "name": raw["name"].strip()}
    url = safe_url(raw.get("url")) if isinstance(raw.get("url"), str) else None
    if url:
        org["url"] = url
    logo = safe_url(raw.get("logo")) if isinstance(raw.get("logo"), str) else None
    if logo:
        org["logo"] = {"@type": "ImageObject", "url": logo}
    return org


def _number(text: str | None) -> Any:
    """A rating number as it was given: a number when it reads as one, else the text."""
    if text is None:
        return None
    try:
        n = float(text)
    except ValueError:
        return text
    return int(n) if n.is_integer() and "." not in text and "e" not in text.lower() else n


def _party(kind: str | None, name: str, **extra: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"@type": kind} if kind else {}
    out["name"] = name
    out.update({k: v for k, v in extra.items() if v})
    return out


def published_review(c: dict[str, Any], rv: ReviewRow) -> dict[str, Any]:
    """Another fact-checker's review, as it was published."""
    out: dict[str, Any] = {"@id": rv.review_key, "@type": "ClaimReview", "claimReviewed": c["text"]}
    for name, value in (("url", safe_url(rv.url)), ("datePublished", rv.date_published), ("headline", rv.headline),
                        ("inLanguage", rv.lang)):
        if value:
            out[name] = value
    if rv.publisher:
        out["publisher"] = _party("Organization", rv.publisher, url=safe_url(rv.publisher_url))
    if rv.author:
        out["author"] = _party(rv.author_type, rv.author)
    rating: dict[str, Any] = {"@type": "Rating"}
    for name, value in (("alternateName", rv.rating_label), ("ratingValue", _number(rv.rating_value)),
                        ("bestRating", _number(rv.best_rating)), ("worstRating", _number(rv.worst_rating))):
        if value is not None:
            rating[name] = value
    out["reviewRating"] = rating
    item: dict[str, Any] = {"@type": "Claim"}
    if rv.claimant:
        same = [u for u in (safe_url(u) for u in rv.claimant_same_as) if u]
        item["author"] = _party(rv.claimant_type, rv.claimant, sameAs=same[0] if len(same) == 1 else same)
    if rv.item_date:
        item["datePublished"] = rv.item_date
    if safe_url(rv.item_url):
        item["url"] = rv.item_url
    apps = [u for u in (safe_url(u) for u in rv.appearance_urls) if u]
    if apps:
        item["appearance"] = [{"@type": "CreativeWork", "url": u} for u in apps]
    if safe_url(rv.first_appearance_url):
        item["firstAppearance"] = {"@type": "CreativeWork", "url": rv.first_appearance_url}
    out["itemReviewed"] = item
    return out


def _work(article: dict[str, Any]) -> dict[str, Any]:
    work: dict[str, Any] = {"@type": "NewsArticle", "headline": article["title"]}
    if safe_url(article.get("url")):
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


def review(b: ClaimBundle, vocabulary: Vocabulary, settings: dict[str, Any], *, iri: str | None = None,
           verdict_at: str | None = None, org: dict[str, Any] | None = None) -> dict[str, Any]:
    """The newsroom's own review of a claim."""
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
        "datePublished": (verdict_at or c["created_at"])[:10],
        "itemReviewed": item,
        "reviewRating": rating(c["status"], c["status_label"], vocabulary),
    }
    if iri:
        out["@id"] = own_review_id(iri, c["id"])
    if org:
        out["author"] = out["publisher"] = org
    else:
        author = settings.get("author") or (first or {}).get("outlet")
        if author:
            out["author"] = _org(author)
    template = settings.get("url")
    if template:
        url = safe_url(str(template).replace("{claim_id}", str(c["id"])))
        if url:
            out["url"] = url
    elif first and safe_url(first.get("url")):
        out["url"] = f"{first['url']}#claim-{c['id']}"
    if first and first.get("lang"):
        out["inLanguage"] = first["lang"]
    return out


def verdict_times(conn: Connection, claim_ids: list[int]) -> dict[int, str]:
    """When each claim last had its status changed (its latest verdict event)."""
    q = (select(EVENT.c.claim_id, func.max(EVENT.c.at)).where(EVENT.c.claim_id.in_(claim_ids))
         .where(EVENT.c.action == "claim.status").group_by(EVENT.c.claim_id))
    return dict(conn.execute(q).all())


def write_claimreview(conn: Connection, scope: Scope, out: TextIO, *, vocabulary: Vocabulary,
                      settings: dict[str, Any] | None = None, organisation_settings: Any = None,
                      progress: Progress = NO_PROGRESS) -> int:
    settings = settings or {}
    org = organisation(organisation_settings)
    iri = ledger_iri(conn)
    advance = progress.task("exporting ClaimReview", count(conn, CLAIM, where=scope.where(CLAIM)))
    out.write('{"@context":"%s","@graph":[' % CONTEXT)
    n = 0
    for ids in claim_pages(conn, scope):
        published = reviews_of_claims(conn, ids)
        ours = [i for i in ids if i not in published]
        times = verdict_times(conn, ours) if ours else {}
        for b in bundles(conn, ids, history_limit=0):
            cid = b.claim["id"]
            node = (published_review(b.claim, published[cid]) if cid in published else
                    review(b, vocabulary, settings, iri=iri, verdict_at=times.get(cid), org=org))
            out.write(("\n" if n == 0 else ",\n") + json.dumps(node, sort_keys=True, ensure_ascii=False,
                                                                separators=(",", ":")))
            n += 1
            advance(1)
    out.write("\n]}\n" if n else "]}\n")
    return n
