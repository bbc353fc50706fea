"""Full-text search over claims, quoted passages and article titles.

SQLite uses the FTS5 tables the migrations keep in step with triggers; PostgreSQL uses the
generated ``search`` tsvector columns and their GIN indexes, through the ``ledger_search``
text search configuration (accents folded, like FTS5's ``remove_diacritics``). User input never reaches the query
language raw: it is split into words, each matched as a quoted prefix term.
"""

from __future__ import annotations

import re
import unicodedata

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
# flat). SQLite sorts them and hands over only the page; its snippets are then its texts
# clipped, as on PostgreSQL (an FTS5 snippet would walk the index again).
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
# A prefix query on a word longer than the prefix indexes (1 to 4 characters) makes FTS5 merge the
# whole posting list of every term it covers before returning a single row: ~90 ms for a word in
# each of a million passages, even for the newest 2,000. So such a word is first spelled out as
# the indexed terms it is a prefix of, read from an fts5vocab ``instance`` table (which seeks to a
# term and stops at its first occurrence, unlike the ``row`` table, which counts every one), and
# matched as those exact terms: FTS5 streams exact terms, newest first. Up to ``EXPAND`` terms a
# word; a word with more keeps its prefix query. Ranking by bm25 (a selective query) keeps the
# prefix form of a word that begins several terms, so the order is the prefix query's: such a
# word, common, in a query whose words together are rare still costs its whole posting list.
PREFIX_INDEXED = 4
EXPAND = 32
_TERMS_TABLE = "CREATE VIRTUAL TABLE IF NOT EXISTS temp.{fts}_terms USING fts5vocab(main, {fts}, instance)"
_NEXT_TERM = "SELECT term FROM temp.{fts}_terms WHERE term >= ? AND term < ? LIMIT 1"
_NEWEST = "SELECT rowid FROM {fts} WHERE {fts} MATCH ? ORDER BY rowid DESC LIMIT ?"
_COUNT_NEWEST = "SELECT count(*) FROM (" + _NEWEST + ")"
_BY_LENGTH = "SELECT * FROM ({}) ORDER BY 6, 1, 2 LIMIT ? OFFSET ?".format(" UNION ALL ".join(
    f"SELECT '{kind}', t.id, {claim_id}, {article_id}, t.{col}, length(t.{col}) "
    f"FROM ({_NEWEST.format(fts=fts)}) f JOIN {table} t ON t.id = f.rowid"
    for kind, fts, table, col, claim_id, article_id in BRANCHES))

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
    scan = max(SCAN, offset + limit)
    spelled = {fts: _spelled(run, fts, terms) for _kind, fts, *_rest in BRANCHES}  # each index read once
    queries = {fts: _expression(found, ranked=False) for fts, found in spelled.items()}
    if all(run(_COUNT_NEWEST.format(fts=fts), (q, scan + 1))[0][0] <= scan for fts, q in queries.items()):
        ranked = {fts: _expression(found, ranked=True) for fts, found in spelled.items()}
        rows = run(_SQLITE, [p for q in ranked.values() for p in (q, offset + limit)] + [limit, offset])
        return [SearchHit(kind=k, id=i, claim_id=c, article_id=a, text=t, snippet=sn, rank=float(r))
                for k, i, c, a, t, sn, r in rows]
    # a common word: the newest ``scan`` matches of each index, shortest matched text first
    rows = run(_BY_LENGTH, [p for q in queries.values() for p in (q, scan)] + [limit, offset])
    return [SearchHit(kind=k, id=i, claim_id=c, article_id=a, text=t, snippet=_clip(t), rank=float(n))
            for k, i, c, a, t, n in rows]


def create_term_tables(execute) -> None:  # noqa: ANN001
    """The connection's fts5vocab tables that spell a word out as its indexed terms (temporary:
    nothing in the ledger file changes; ``execute`` runs one statement)."""
    for _kind, fts, *_rest in BRANCHES:
        execute(_TERMS_TABLE.format(fts=fts))


def match_expression(run: Run, fts: str, words: list[str], *, ranked: bool = False) -> str:
    """The FTS5 query for ``words`` on ``fts``: each word a prefix, long ones spelled out as the
    indexed terms they begin (a word found nowhere in ``fts`` keeps its prefix form, so a folding
    of ours that differs from the tokenizer's can cost time, never a match). ``ranked``: for an
    expression ordered by bm25, a word that begins several terms keeps its prefix form, since
    bm25 would weigh each spelled-out term as a phrase of its own (one term is the same phrase)."""
    return _expression(_spelled(run, fts, words), ranked=ranked)


def _spelled(run: Run, fts: str, words: list[str]) -> list[tuple[str, list[str] | None]]:
    """Each word with the indexed terms of ``fts`` it begins (None: it keeps its prefix form)."""
    if any(len(word) > PREFIX_INDEXED for word in words):
        run.do(_TERMS_TABLE.format(fts=fts))  # (once a search; a no-op when the connection has it)
    return [(word, _terms_beginning(run, fts, _folded(word)) if len(word) > PREFIX_INDEXED else None)
            for word in words]


def _expression(spelled: list[tuple[str, list[str] | None]], *, ranked: bool) -> str:
    parts = []
    for word, found in spelled:
        if not found or (ranked and len(found) > 1):
            parts.append('"' + word.replace('"', '""') + '"*')
        else:
            parts.append("(" + " OR ".join('"' + t.replace('"', '""') + '"' for t in found) + ")")
    return " AND ".join(parts)


def _terms_beginning(run: Run, fts: str, prefix: str) -> list[str] | None:
    """The indexed terms of ``fts`` beginning with ``prefix``, or None when there are more than
    ``EXPAND`` (or the word is not one token)."""
    if not prefix.isalnum() or ord(prefix[-1]) >= 0x10FFFF:
        return None
    sql = _NEXT_TERM.format(fts=fts)
    end = prefix[:-1] + chr(ord(prefix[-1]) + 1)
    found: list[str] = []
    start = prefix
    while len(found) <= EXPAND:
        row = run(sql, (start, end))
        if not row:
            return found
        found.append(row[0][0])
        start = row[0][0] + "\x01"  # the least string after the term: no token holds a control character
    return None


def _folded(word: str) -> str:
    """``word`` as FTS5's ``unicode61 remove_diacritics 2`` tokenizer indexes it: lower case, no accents."""
    if word.isascii():
        return word.lower()
    return "".join(c for c in unicodedata.normalize("NFD", word) if not unicodedata.combining(c)).lower()


def _clip(s: str, n: int = 120) -> str:
    s = " ".join(s.split())
    return s if len(s) <= n else s[: n - 1] + "…"
