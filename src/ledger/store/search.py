"""Full-text search over claims, quoted passages and article titles.

SQLite uses the FTS5 tables the migrations keep in step with triggers; PostgreSQL uses the
generated ``search`` tsvector columns and their GIN indexes, through the ``ledger_search``
text search configuration (accents folded, like FTS5's ``remove_diacritics``). User input never reaches the query
language raw: it is split into words, each matched as a quoted prefix term.
"""

from __future__ import annotations

import re

from sqlalchemy import Connection, text

from ledger.errors import InvalidInput
from ledger.models import SearchHit

_WORD = re.compile(r"\w+", re.UNICODE)

_SQLITE = """
SELECT * FROM (
  SELECT 'claim' AS kind, c.id AS id, c.id AS claim_id, NULL AS article_id, c.text AS text,
         snippet(claim_fts, 0, '', '', '…', 16) AS snippet, bm25(claim_fts) AS rank
    FROM claim_fts JOIN claim c ON c.id = claim_fts.rowid WHERE claim_fts MATCH :q
  UNION ALL
  SELECT 'appearance', a.id, a.claim_id, a.article_id, a.quote,
         snippet(appearance_fts, 0, '', '', '…', 16), bm25(appearance_fts)
    FROM appearance_fts JOIN appearance a ON a.id = appearance_fts.rowid WHERE appearance_fts MATCH :q
  UNION ALL
  SELECT 'article', r.id, NULL, r.id, r.title,
         snippet(article_fts, 0, '', '', '…', 16), bm25(article_fts)
    FROM article_fts JOIN article r ON r.id = article_fts.rowid WHERE article_fts MATCH :q
) ORDER BY rank, kind, id LIMIT :limit OFFSET :offset
"""

_POSTGRES = """
SELECT * FROM (
  SELECT 'claim' AS kind, c.id AS id, c.id AS claim_id, NULL::int AS article_id, c.text AS text,
         -ts_rank(c.search, q) AS rank FROM claim c, to_tsquery('ledger_search', :q) q WHERE c.search @@ q
  UNION ALL
  SELECT 'appearance', a.id, a.claim_id, a.article_id, a.quote, -ts_rank(a.search, q)
    FROM appearance a, to_tsquery('ledger_search', :q) q WHERE a.search @@ q
  UNION ALL
  SELECT 'article', r.id, NULL, r.id, r.title, -ts_rank(r.search, q)
    FROM article r, to_tsquery('ledger_search', :q) q WHERE r.search @@ q
) hits ORDER BY rank, kind, id LIMIT :limit OFFSET :offset
"""


def words(query: str) -> list[str]:
    found = _WORD.findall(query or "")
    if not found:
        raise InvalidInput("search needs at least one word")
    return found


def search(conn: Connection, *, query: str, limit: int = 50, offset: int = 0) -> list[SearchHit]:
    terms = words(query)
    if conn.dialect.name == "postgresql":
        q = " & ".join(f"{t.lower()}:*" for t in terms)
        rows = conn.execute(text(_POSTGRES), {"q": q, "limit": limit, "offset": offset})
        return [SearchHit(kind=r.kind, id=r.id, claim_id=r.claim_id, article_id=r.article_id, text=r.text,
                          snippet=_clip(r.text), rank=float(r.rank)) for r in rows]
    q = " ".join('"' + t.replace('"', '""') + '"*' for t in terms)
    rows = conn.execute(text(_SQLITE), {"q": q, "limit": limit, "offset": offset})
    return [SearchHit(kind=r.kind, id=r.id, claim_id=r.claim_id, article_id=r.article_id, text=r.text,
                      snippet=r.snippet, rank=float(r.rank)) for r in rows]


def _clip(s: str, n: int = 120) -> str:
    s = " ".join(s.split())
    return s if len(s) <= n else s[: n - 1] + "…"
