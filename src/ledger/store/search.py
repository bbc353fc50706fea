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

# Each index ranks its own matches (FTS5 sorts by ``rank`` -- bm25 -- internally) and builds
# snippets only for the rows that can reach the requested page; the page is then merged.
_SQLITE_BRANCH = """
  SELECT {kind} AS kind, t.id AS id, {claim_id} AS claim_id, {article_id} AS article_id, t.{col} AS text,
         f.snippet AS snippet, f.rank AS rank
    FROM (SELECT rowid, snippet({fts}, 0, '', '', '…', 16) AS snippet, rank FROM {fts}
           WHERE {fts} MATCH :q ORDER BY rank LIMIT :top) f
    JOIN {table} t ON t.id = f.rowid
"""
_SQLITE = "SELECT * FROM ({}) ORDER BY rank, kind, id LIMIT :limit OFFSET :offset".format(" UNION ALL ".join([
    _SQLITE_BRANCH.format(kind="'claim'", claim_id="t.id", article_id="NULL", col="text", fts="claim_fts",
                          table="claim"),
    _SQLITE_BRANCH.format(kind="'appearance'", claim_id="t.claim_id", article_id="t.article_id", col="quote",
                          fts="appearance_fts", table="appearance"),
    _SQLITE_BRANCH.format(kind="'article'", claim_id="NULL", article_id="t.id", col="title", fts="article_fts",
                          table="article"),
]))

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
    rows = conn.execute(text(_SQLITE), {"q": q, "limit": limit, "offset": offset, "top": offset + limit})
    return [SearchHit(kind=r.kind, id=r.id, claim_id=r.claim_id, article_id=r.article_id, text=r.text,
                      snippet=r.snippet, rank=float(r.rank)) for r in rows]


def _clip(s: str, n: int = 120) -> str:
    s = " ".join(s.split())
    return s if len(s) <= n else s[: n - 1] + "…"
