"""Full-text search over claims, quoted passages and article titles.

SQLite uses the FTS5 tables the migrations keep in step with triggers; PostgreSQL uses the
generated ``search`` tsvector columns and their GIN indexes, through the ``ledger_search``
text search configuration (accents folded, like FTS5's ``remove_diacritics``). User input never reaches the query
language raw: it is split into words, each matched as a quoted prefix term.
"""

from __future__ import annotations

import json
import re

from ledger.errors import InvalidInput
from ledger.rows import SearchHit
from ledger.store.plain import Run

_WORD = re.compile(r"\w+", re.UNICODE)

# Ranking every match of a word found in every claim would cost seconds at a million claims, so
# ranking is bounded to what can reach the page. Each index first gives its newest ``SCAN``
# matches by rowid (no ranking: FTS5 walks the doclist backwards and stops). When no index has
# more matches than that, the query is selective and every match is ranked by bm25 (FTS5's
# ``rank``) -- cheap over a few thousand rows. When one has more, the query is a common word:
# the newest ``SCAN`` matches of each index are ranked by the length of the matched text, which
# is bm25's own order when each word occurs once (its weight for a word in nearly every row is
# flat). Each index is walked once; the page's snippets are then its texts clipped, as on
# PostgreSQL (an FTS5 snippet would walk the index again).
SCAN = 2000
BRANCHES = (  # kind, full-text table, content table, text column, claim id, article id
    ("claim", "claim_fts", "claim", "text", "t.id", "NULL"),
    ("appearance", "appearance_fts", "appearance", "quote", "t.claim_id", "t.article_id"),
    ("article", "article_fts", "article", "title", "NULL", "t.id"),
)
_SNIPPET = "snippet({fts}, 0, '', '', '…', 16)"
_SQLITE_BRANCH = """
  SELECT '{kind}' AS kind, t.id AS id, {claim_id} AS claim_id, {article_id} AS article_id, t.{col} AS text,
         f.snippet AS snippet, f.rank AS rank
    FROM (SELECT rowid, """ + _SNIPPET + """ AS snippet, rank FROM {fts}
           WHERE {fts} MATCH ? ORDER BY rank LIMIT ?) f
    JOIN {table} t ON t.id = f.rowid
"""
_SQLITE = "SELECT * FROM ({}) ORDER BY rank, kind, id LIMIT ? OFFSET ?".format(" UNION ALL ".join(
    _SQLITE_BRANCH.format(kind=kind, fts=fts, table=table, col=col, claim_id=claim_id, article_id=article_id)
    for kind, fts, table, col, claim_id, article_id in BRANCHES))
_NEWEST = "SELECT rowid FROM {fts} WHERE {fts} MATCH ? ORDER BY rowid DESC LIMIT ?"
_BY_LENGTH = ("SELECT '{kind}', t.id, {claim_id}, {article_id}, t.{col}, length(t.{col}) FROM {table} t "
              "WHERE t.id BETWEEN ? AND ? AND t.id IN (SELECT value FROM json_each(?))")

_POSTGRES_BRANCH = """
  (SELECT '{kind}' AS kind, t.id AS id, {claim_id}::int AS claim_id, {article_id}::int AS article_id,
          t.{col} AS text, -ts_rank(t.search, q) AS rank
     FROM {table} t, to_tsquery('ledger_search', ?) q WHERE t.search @@ q ORDER BY t.id DESC LIMIT ?)
"""
# PostgreSQL's ts_rank needs no corpus statistics: the newest SCAN matches of each table are ranked
_POSTGRES = "SELECT * FROM ({}) hits ORDER BY rank, kind, id LIMIT ? OFFSET ?".format(
    " UNION ALL ".join(_POSTGRES_BRANCH.format(kind=kind, table=table, col=col, claim_id=claim_id,
                                               article_id=article_id)
                       for kind, _fts, table, col, claim_id, article_id in BRANCHES))


def words(query: str) -> list[str]:
    found = _WORD.findall(query or "")
    if not found:
        raise InvalidInput("search needs at least one word")
    return found


def search(run: Run, *, query: str, limit: int = 50, offset: int = 0) -> list[SearchHit]:
    """One page of matches, best first (``run``: ``store.plain``)."""
    terms = words(query)
    if run.dialect == "postgresql":
        q = " & ".join(f"{t.lower()}:*" for t in terms)
        rows = run(_POSTGRES, (q, max(SCAN, offset + limit)) * len(BRANCHES) + (limit, offset))
        return [SearchHit(kind=k, id=i, claim_id=c, article_id=a, text=t, snippet=_clip(t), rank=float(r))
                for k, i, c, a, t, r in rows]
    q = " ".join('"' + t.replace('"', '""') + '"*' for t in terms)
    scan = max(SCAN, offset + limit)
    newest = {fts: [r[0] for r in run(_NEWEST.format(fts=fts), (q, scan + 1))] for _kind, fts, *_rest in BRANCHES}
    if all(len(ids) <= scan for ids in newest.values()):
        rows = run(_SQLITE, (q, offset + limit) * len(BRANCHES) + (limit, offset))
        return [SearchHit(kind=k, id=i, claim_id=c, article_id=a, text=t, snippet=sn, rank=float(r))
                for k, i, c, a, t, sn, r in rows]
    return _common_word_page(run, newest, limit=limit, offset=offset, scan=scan)


def _common_word_page(run: Run, newest: dict[str, list[int]], *, limit: int, offset: int,
                      scan: int) -> list[SearchHit]:
    """The page of a query matching more rows than are ranked: the newest ``scan`` matches of each
    index, shortest matched text first."""
    found = []
    for kind, fts, table, col, claim_id, article_id in BRANCHES:
        ids = newest[fts][:scan]
        if ids:
            sql = _BY_LENGTH.format(kind=kind, table=table, col=col, claim_id=claim_id, article_id=article_id)
            found.extend(run(sql, (min(ids), max(ids), json.dumps(ids))))
    page = sorted(found, key=lambda r: (r[5], r[0], r[1]))[offset:offset + limit]
    return [SearchHit(kind=k, id=i, claim_id=c, article_id=a, text=t, snippet=_clip(t),
                      rank=float(n)) for k, i, c, a, t, n in page]


def _clip(s: str, n: int = 120) -> str:
    s = " ".join(s.split())
    return s if len(s) <= n else s[: n - 1] + "…"
