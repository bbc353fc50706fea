"""The bulk path: many claims with their appearances in a few executemany calls.

Importers and benchmarks use this instead of one ORM object at a time. Ids are assigned here,
under the write transaction's lock, so appearances can reference their claims without a round
trip per row. Every claim still gets its own chained event.
"""

from __future__ import annotations

from itertools import islice
from typing import Any, Iterable, Iterator

from sqlalchemy import Connection, func, select, text

from ledger.models import Appearance, Article, ArticleRevision, Claim
from ledger.text.dates import stored_day, to_edtf
from ledger.store.articles import content_hash
from ledger.store.events import append_events, now, row_put_new, row_put_tuple, with_rows
from ledger.store.executemany import insert_many

CLAIM = Claim.__table__
APPEARANCE = Appearance.__table__
ARTICLE = Article.__table__
REVISION = ArticleRevision.__table__
BATCH = 5000
CLAIM_COLUMNS = ("id", "text", "kind", "claimant", "claim_date", "priority", "status", "status_label",
                 "created_at", "updated_at", "updated_by", "version", "claim_date_edtf")
APPEARANCE_COLUMNS = ("id", "claim_id", "article_id", "quote", "start", "end", "prefix", "suffix", "orphaned",
                      "created_at")


def _chunks(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    it = iter(items)
    while chunk := list(islice(it, size)):
        yield chunk


def _lock_and_next_id(conn: Connection, table: Any) -> int:
    if conn.dialect.name == "postgresql":
        conn.execute(text(f"LOCK TABLE {table.name} IN SHARE ROW EXCLUSIVE MODE"))
    return (conn.execute(select(func.max(table.c.id))).scalar() or 0) + 1


def _sync_sequence(conn: Connection, table: Any) -> None:
    if conn.dialect.name == "postgresql":
        conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                          f"(SELECT coalesce(max(id), 1) FROM {table.name}))"))


def bulk_insert_articles(conn: Connection, *, articles: Iterable[dict[str, Any]], actor: str,
                         batch: int = BATCH) -> list[int]:
    """Insert articles (dicts with title, body and optional metadata); returns their ids."""
    next_id = _lock_and_next_id(conn, ARTICLE)
    next_rev = _lock_and_next_id(conn, REVISION)
    ids: list[int] = []
    for chunk in _chunks(articles, batch):
        stamp = now()
        rows, revs, events = [], [], []
        for a in chunk:
            digest = content_hash(a["body"])
            row = dict(id=next_id, title=a["title"], outlet=a.get("outlet"), author=a.get("author"),
                       url=a.get("url"), lang=a.get("lang"), published=stored_day(a.get("published")),
                       state=a.get("state", "draft"), body=a["body"], content_hash=digest, revision=1,
                       created_at=stamp, updated_at=stamp, version=1, published_edtf=to_edtf(a.get("published")))
            rows.append(row)
            rev = dict(id=next_rev, article_id=next_id, revision=1, body=a["body"], content_hash=digest,
                       created_at=stamp, actor=actor)
            revs.append(rev)
            events.append(dict(actor=actor, action="article.add", entity="article", entity_id=next_id,
                               article_id=next_id, payload=with_rows({k: row[k] for k in (
                                   "title", "outlet", "author", "url", "lang", "published", "state",
                                   "content_hash")}, row_put_new("article", row), row_put_new("article_revision", rev))))
            ids.append(next_id)
            next_id += 1
            next_rev += 1
        insert_many(conn, ARTICLE, list(rows[0]), [tuple(r.values()) for r in rows])
        insert_many(conn, REVISION, list(revs[0]), [tuple(r.values()) for r in revs])
        append_events(conn, events, at=stamp)
    _sync_sequence(conn, ARTICLE)
    _sync_sequence(conn, REVISION)
    return ids


def _claim_payload(c: dict[str, Any], apps: list[dict[str, Any]], claim_row: tuple[Any, ...],
                   app_rows: list[tuple[Any, ...]]) -> dict[str, Any]:
    """A ``claim.import`` event's payload: the summary, and the rows it wrote (the claim, its appearances)."""
    return with_rows({"text": c["text"], "kind": c.get("kind", "assertion"), "status": c.get("status", "unverified"),
                      "appearances": apps},
                     row_put_tuple("claim", CLAIM_COLUMNS, claim_row),
                     *(row_put_tuple("appearance", APPEARANCE_COLUMNS, r) for r in app_rows))


def bulk_insert_claims(conn: Connection, *, claims: Iterable[dict[str, Any]], actor: str,
                       batch: int = BATCH) -> range:
    """Insert claims, each a dict with the claim's fields and ``appearances``: a list of
    ``{article_id, quote, start, end, prefix, suffix}`` already anchored in their articles.
    Returns the ids given to them, in input order (a ``range``: they are consecutive)."""
    next_claim = _lock_and_next_id(conn, CLAIM)
    next_app = _lock_and_next_id(conn, APPEARANCE)
    first_id = next_claim
    for chunk in _chunks(claims, batch):
        stamp = now()
        claim_rows, app_rows, events = [], [], []
        for c in chunk:
            cid = next_claim
            next_claim += 1
            claim_rows.append((cid, c["text"], c.get("kind", "assertion"), c.get("claimant"),
                               stored_day(c.get("claim_date")), c.get("priority", 2), c.get("status", "unverified"),
                               c.get("status_label"), stamp, stamp, actor, 1, to_edtf(c.get("claim_date"))))
            apps = []
            first_app = len(app_rows)
            for a in c.get("appearances", ()):
                app_rows.append((next_app, cid, a["article_id"], a["quote"], a["start"], a["end"],
                                 a.get("prefix", ""), a.get("suffix", ""), bool(a.get("orphaned", False)), stamp))
                apps.append({"appearance_id": next_app, "article_id": a["article_id"], "start": a["start"],
                             "end": a["end"]})
                next_app += 1
            events.append(dict(actor=actor, action="claim.import", entity="claim", entity_id=cid, claim_id=cid,
                               payload=_claim_payload(c, apps, claim_rows[-1], app_rows[first_app:])))
        insert_many(conn, CLAIM, CLAIM_COLUMNS, claim_rows)
        insert_many(conn, APPEARANCE, APPEARANCE_COLUMNS, app_rows)
        append_events(conn, events, at=stamp)
    _sync_sequence(conn, CLAIM)
    _sync_sequence(conn, APPEARANCE)
    return range(first_id, next_claim)
