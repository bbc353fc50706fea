"""Articles: add, list a page, show one, its status tally."""

from __future__ import annotations

import hashlib
from datetime import date
from typing import Any

from sqlalchemy import Connection, func, select

from ledger.errors import InvalidInput, NotFound
from ledger.models import ARTICLE_STATES, Appearance, Article, ArticleRevision, ArticleRow, Claim
from ledger.store.events import ROWS, append_event, json_values, now, row_put, with_rows
from ledger.text.dates import from_stored, stored_day, to_edtf
from ledger.store.textfilter import filtered
from ledger.vocabulary import CATEGORIES, DEFAULT_VOCABULARY, Vocabulary

ARTICLE = Article.__table__
REVISION = ArticleRevision.__table__
APPEARANCE = Appearance.__table__
CLAIM = Claim.__table__
ORIGIN_COLUMNS = ("origin_name", "origin_file", "origin_sha256", "origin_media_type", "origin_url")


def content_hash(body: str) -> str:
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def add_article(conn: Connection, *, title: str, body: str, actor: str, outlet: str | None = None,
                author: str | None = None, url: str | None = None, lang: str | None = None,
                published: date | None = None, state: str = "draft",
                origin: dict[str, str | None] | None = None) -> int:
    """A new article. ``origin`` describes the document its text was read from (``origin_name``,
    ``origin_file``, ``origin_sha256``, ``origin_media_type``, ``origin_url``); a ``published``
    date may be partial (a month, a year: stored as its first day and its EDTF string)."""
    if not title or not title.strip():
        raise InvalidInput("an article needs a title (--title)")
    if state not in ARTICLE_STATES:
        raise InvalidInput(f"unknown editorial state {state!r}; valid states: {', '.join(ARTICLE_STATES)}")
    stamp = now()
    digest = content_hash(body)
    values = dict(title=title.strip(), outlet=outlet, author=author, url=url, lang=lang,
                  published=stored_day(published), state=state, body=body, content_hash=digest, revision=1,
                  created_at=stamp, updated_at=stamp, version=1, published_edtf=to_edtf(published),
                  **{k: (origin or {}).get(k) for k in ORIGIN_COLUMNS})
    article_id = conn.execute(ARTICLE.insert().values(**values)).inserted_primary_key[0]
    revision = dict(article_id=article_id, revision=1, body=body, content_hash=digest, created_at=stamp, actor=actor)
    revision_id = conn.execute(REVISION.insert().values(**revision)).inserted_primary_key[0]
    meta = {k: v for k, v in values.items()
            if k not in ("body", "created_at", "updated_at", "version", "published_edtf") + ORIGIN_COLUMNS}
    meta["published"] = published  # as given: "2024-01" for a month
    meta.update({k: v for k, v in values.items() if k in ORIGIN_COLUMNS and v is not None})
    meta[ROWS] = [row_put("article", article_id, json_values(values)),
                  row_put("article_revision", revision_id, revision)]
    append_event(conn, actor=actor, action="article.add", entity="article", entity_id=article_id,
                 article_id=article_id, at=stamp,
                 payload=meta)
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
                      published=from_stored(r.published, r.published_edtf), state=r.state,
                      content_hash=r.content_hash, revision=r.revision, claim_count=sum(counts.values()),
                      status_counts=counts, category_counts=category_counts(counts, vocabulary),
                      **{k: getattr(r, k) for k in ORIGIN_COLUMNS})


_LIST_COLS = [ARTICLE.c[c] for c in ("id", "title", "outlet", "author", "url", "lang", "published",
                                      "state", "content_hash", "revision", "published_edtf") + ORIGIN_COLUMNS]


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
    ignored, see ``store.textfilter``). A page deep in the list (the jump to its end) is read
    from the other end, so no page walks more than half of the list."""
    conditions = []
    if text:
        conditions.append(filtered(conn, text, ARTICLE, ARTICLE.c.title, ARTICLE.c.outlet))
    if state:
        conditions.append(ARTICLE.c.state == state)
    rows = page_from_nearer_end(conn, select(*_LIST_COLS).where(*conditions), ARTICLE.c.id, descending=True,
                                limit=limit, offset=offset)
    counts = status_counts(conn, article_ids=[r.id for r in rows])
    return [_row(r, counts[r.id], vocabulary) for r in rows]


DEEP = 5_000  # offsets past this check whether the page is nearer the other end of the list


def page_from_nearer_end(conn: Connection, query: Any, key: Any, *, descending: bool, limit: int,
                         offset: int) -> list[Any]:
    """``query``'s rows ordered by ``key`` (descending or not), ``limit`` of them from ``offset``;
    an offset in the second half of the list is read backwards from its end instead (then put
    back in order), so the cost of a page is bounded by half the list, not by its depth."""
    forward, backward = (key.desc(), key.asc()) if descending else (key.asc(), key.desc())
    if offset > DEEP:
        total = conn.execute(select(func.count()).select_from(query.subquery())).scalar_one()
        if offset > total // 2:
            take = max(0, min(limit, total - offset))
            rows = conn.execute(query.order_by(backward).limit(take).offset(max(0, total - offset - take))).all()
            return rows[::-1]
    return conn.execute(query.order_by(forward).limit(limit).offset(offset)).all()


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
