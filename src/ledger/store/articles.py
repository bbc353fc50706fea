"""Articles: add, list a page, show one, its status tally."""

from __future__ import annotations

import hashlib
from datetime import date
from typing import Any

from sqlalchemy import Connection, func, select

from ledger.errors import InvalidInput, NotFound
from ledger.models import ARTICLE_STATES, Appearance, Article, ArticleRevision, ArticleRow, Claim
from ledger.store.events import append_event, now
from ledger.store.textfilter import matching
from ledger.vocabulary import CATEGORIES, DEFAULT_VOCABULARY, Vocabulary

ARTICLE = Article.__table__
REVISION = ArticleRevision.__table__
APPEARANCE = Appearance.__table__
CLAIM = Claim.__table__


def content_hash(body: str) -> str:
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def add_article(conn: Connection, *, title: str, body: str, actor: str, outlet: str | None = None,
                author: str | None = None, url: str | None = None, lang: str | None = None,
                published: date | None = None, state: str = "draft") -> int:
    if not title or not title.strip():
        raise InvalidInput("an article needs a title (--title)")
    if state not in ARTICLE_STATES:
        raise InvalidInput(f"unknown editorial state {state!r}; valid states: {', '.join(ARTICLE_STATES)}")
    stamp = now()
    digest = content_hash(body)
    values = dict(title=title.strip(), outlet=outlet, author=author, url=url, lang=lang,
                  published=published, state=state, body=body, content_hash=digest, revision=1,
                  created_at=stamp, updated_at=stamp, version=1)
    article_id = conn.execute(ARTICLE.insert().values(**values)).inserted_primary_key[0]
    conn.execute(REVISION.insert().values(article_id=article_id, revision=1, body=body,
                                          content_hash=digest, created_at=stamp, actor=actor))
    meta = {k: v for k, v in values.items() if k not in ("body", "created_at", "updated_at", "version")}
    append_event(conn, actor=actor, action="article.add", entity="article", entity_id=article_id,
                 article_id=article_id, payload=meta, at=stamp)
    return article_id


def category_counts(counts: dict[str, int], vocabulary: Vocabulary) -> dict[str, int]:
    """Claims per category (open, pass, fail, unresolved — every one, zeros included): an unresolved
    claim is not an open one."""
    out = {c: 0 for c in CATEGORIES}
    for status, n in counts.items():
        out[vocabulary.category(status)] += n
    return out


def _row(r: Any, counts: dict[str, int] | None = None, vocabulary: Vocabulary = DEFAULT_VOCABULARY) -> ArticleRow:
    counts = counts or {}
    return ArticleRow(id=r.id, title=r.title, outlet=r.outlet, author=r.author, url=r.url, lang=r.lang,
                      published=r.published, state=r.state, content_hash=r.content_hash,
                      revision=r.revision, claim_count=sum(counts.values()), status_counts=counts,
                      category_counts=category_counts(counts, vocabulary))


_LIST_COLS = [ARTICLE.c[c] for c in ("id", "title", "outlet", "author", "url", "lang", "published",
                                      "state", "content_hash", "revision")]


def status_counts(conn: Connection, *, article_ids: list[int]) -> dict[int, dict[str, int]]:
    """For each article, how many distinct claims it holds in each status."""
    if not article_ids:
        return {}
    q = (select(APPEARANCE.c.article_id, CLAIM.c.status, func.count(func.distinct(CLAIM.c.id)))
         .join(CLAIM, CLAIM.c.id == APPEARANCE.c.claim_id)
         .where(APPEARANCE.c.article_id.in_(article_ids))
         .group_by(APPEARANCE.c.article_id, CLAIM.c.status))
    out: dict[int, dict[str, int]] = {i: {} for i in article_ids}
    for article_id, status, n in conn.execute(q):
        out[article_id][status] = n
    return out


def list_articles(conn: Connection, *, limit: int = 100, offset: int = 0, text: str | None = None,
                  state: str | None = None, vocabulary: Vocabulary = DEFAULT_VOCABULARY) -> list[ArticleRow]:
    """One page of articles, newest id first; ``text`` filters title/outlet (case and accents
    ignored, see ``store.textfilter``)."""
    q = select(*_LIST_COLS).order_by(ARTICLE.c.id.desc()).limit(limit).offset(offset)
    if text:
        q = q.where(matching(conn, text, ARTICLE.c.title, ARTICLE.c.outlet))
    if state:
        q = q.where(ARTICLE.c.state == state)
    rows = conn.execute(q).all()
    counts = status_counts(conn, article_ids=[r.id for r in rows])
    return [_row(r, counts[r.id], vocabulary) for r in rows]


def count_articles(conn: Connection) -> int:
    return conn.execute(select(func.count()).select_from(ARTICLE)).scalar_one()


def get_article(conn: Connection, *, article_id: int, vocabulary: Vocabulary = DEFAULT_VOCABULARY) -> ArticleRow:
    r = conn.execute(select(*_LIST_COLS).where(ARTICLE.c.id == article_id)).first()
    if r is None:
        raise NotFound(f"no article with id {article_id}")
    return _row(r, status_counts(conn, article_ids=[article_id])[article_id], vocabulary)


def article_body(conn: Connection, *, article_id: int) -> str:
    body = conn.execute(select(ARTICLE.c.body).where(ARTICLE.c.id == article_id)).scalar()
    if body is None:
        raise NotFound(f"no article with id {article_id}")
    return body
