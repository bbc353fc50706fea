"""Read queries for browsing the ledger page by page: counts behind paged lists, one article with
its anchored claims for reading, and claims resembling a passage (to link it to one of them).

Every query is bounded: counts use indexes, pages use LIMIT, candidates come from the full-text
index capped to a few dozen rows before any ranking happens in Python.
"""

from __future__ import annotations

import re

from sqlalchemy import Connection, func, select, text

from ledger.models import Appearance, Article, ArticleView, Claim, ClaimRow, Source
from ledger.store.articles import article_body, get_article
from ledger.store.claims import appearances_in_article, to_claim_row
from ledger.store.textfilter import matching
from ledger.vocabulary import DEFAULT_VOCABULARY, Vocabulary

ARTICLE = Article.__table__
CLAIM = Claim.__table__
APPEARANCE = Appearance.__table__
SOURCE = Source.__table__

_WORD = re.compile(r"\w+", re.UNICODE)


def count_articles_matching(conn: Connection, *, text: str | None = None, state: str | None = None) -> int:
    """How many articles ``list_articles`` would page through with the same filters."""
    q = select(func.count()).select_from(ARTICLE)
    if text:
        q = q.where(matching(conn, text, ARTICLE.c.title, ARTICLE.c.outlet))
    if state:
        q = q.where(ARTICLE.c.state == state)
    return conn.execute(q).scalar_one()


def count_sources_matching(conn: Connection, *, text: str | None = None) -> int:
    """How many sources ``list_sources`` would page through with the same filter."""
    q = select(func.count()).select_from(SOURCE)
    if text:
        q = q.where(matching(conn, text, SOURCE.c.title, SOURCE.c.publisher))
    return conn.execute(q).scalar_one()


def article_view(conn: Connection, *, article_id: int, vocabulary: Vocabulary = DEFAULT_VOCABULARY) -> ArticleView:
    """An article's metadata, text and every appearance in it with its claim's status and text.

    Bounded by the article: the appearances are those anchored in this one text."""
    article = get_article(conn, article_id=article_id, vocabulary=vocabulary)
    body = article_body(conn, article_id=article_id)
    appearances = appearances_in_article(conn, article_id=article_id)
    claim_ids = sorted({a.claim_id for a in appearances})
    claims: dict[int, ClaimRow] = {}
    for start in range(0, len(claim_ids), 500):
        chunk = claim_ids[start:start + 500]
        for r in conn.execute(select(CLAIM).where(CLAIM.c.id.in_(chunk))):
            claims[r.id] = to_claim_row(r)
    return ArticleView(article=article, body=body, appearances=appearances, claims=claims)


# claims whose own words match, then claims quoted in matching passages of any article
_CANDIDATES_SQLITE = ("""
SELECT claim_fts.rowid FROM claim_fts WHERE claim_fts MATCH :q ORDER BY bm25(claim_fts), claim_fts.rowid LIMIT :limit
""", """
SELECT a.claim_id FROM appearance_fts JOIN appearance a ON a.id = appearance_fts.rowid
 WHERE appearance_fts MATCH :q ORDER BY bm25(appearance_fts), a.id LIMIT :limit
""")

_CANDIDATES_POSTGRES = ("""
SELECT c.id FROM claim c, to_tsquery('ledger_search', :q) q
 WHERE c.search @@ q ORDER BY ts_rank(c.search, q) DESC, c.id LIMIT :limit
""", """
SELECT a.claim_id FROM appearance a, to_tsquery('ledger_search', :q) q
 WHERE a.search @@ q ORDER BY ts_rank(a.search, q) DESC, a.id LIMIT :limit
""")

# Ranking every match of a common word costs time on a million claims, so the search narrows
# first: all the passage's telling words, then its three longest (rarest, as a rule), and only
# then any of those three, ranked among the first matches found.
_ANY_SQLITE = """
SELECT rowid FROM (SELECT rowid, bm25(claim_fts) AS r FROM claim_fts WHERE claim_fts MATCH :q LIMIT :scan)
 ORDER BY r, rowid LIMIT :limit
"""
_ANY_POSTGRES = """
SELECT id FROM (SELECT c.id, ts_rank(c.search, q) AS r FROM claim c, to_tsquery('ledger_search', :q) q
                 WHERE c.search @@ q LIMIT :scan) m ORDER BY r DESC, id LIMIT :limit
"""
ANY_SCAN = 5000


def candidate_words(passage: str, *, most: int = 8) -> list[str]:
    """The passage's most telling words: distinct, longest first (short words match everything)."""
    seen: dict[str, None] = {}
    for w in _WORD.findall(passage or ""):
        if len(w) > 2 or w.isdigit():
            seen.setdefault(w.lower(), None)
    return sorted(seen, key=lambda w: (-len(w), w))[:most]


def claim_candidates(conn: Connection, *, passage: str, limit: int = 40) -> list[ClaimRow]:
    """Claims sharing words with ``passage`` in their text or in a passage quoting them, best
    full-text rank first. A claim id typed as ``#123`` or ``123`` is offered first when it exists."""
    found: list[ClaimRow] = []
    wanted = passage.strip().lstrip("#")
    if wanted.isdigit():
        r = conn.execute(select(CLAIM).where(CLAIM.c.id == int(wanted))).first()
        if r is not None:
            found.append(to_claim_row(r))
    terms = candidate_words(passage)
    if not terms:
        return found
    postgres = conn.dialect.name == "postgresql"

    def fts(words: list[str], op: str) -> str:
        if postgres:
            return f" {'&' if op == 'AND' else '|'} ".join(f"{t}:*" for t in words)
        return f" {op} ".join('"' + t.replace('"', '""') + '"*' for t in words)

    seen = {c.id for c in found}
    ids: list[int] = []

    def take(sql: str, q: str, **extra: int) -> None:
        for (claim_id,) in conn.execute(text(sql), {"q": q, "limit": limit, **extra}):
            if claim_id not in seen and len(ids) < limit:
                seen.add(claim_id)
                ids.append(claim_id)

    stages = [terms] + ([terms[:3]] if len(terms) > 3 else [])
    for words in stages:
        for sql in (_CANDIDATES_POSTGRES if postgres else _CANDIDATES_SQLITE):
            take(sql, fts(words, "AND"))
        if len(ids) >= limit // 2:
            break
    else:
        take(_ANY_POSTGRES if postgres else _ANY_SQLITE, fts(terms[:3], "OR"), scan=ANY_SCAN)
    if ids:
        rows = {r.id: to_claim_row(r) for r in conn.execute(select(CLAIM).where(CLAIM.c.id.in_(ids)))}
        found.extend(rows[i] for i in ids if i in rows)
    return found
