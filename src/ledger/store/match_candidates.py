"""Full-text candidates for matching, bounded by how common each term is in the ledger.

A restatement shares some words with the claim it restates, rarely all, so the candidates are
the claims that contain *some* of a text's terms. Joining every term with OR and ranking by
bm25 costs in proportion to the claims holding any of them -- at a million claims, most of the
ledger for a text made of common words. Instead each search is planned from the terms' document
frequencies (``Vocabulary``: the ``claim_term_stats`` table on both backends, counted again as
the chain grows, see ``match_stats``; ANALYZE's statistics of ``claim.search`` on a PostgreSQL
ledger without it; looked up once and kept by the process until the ledger has grown by 5%, see
``shared``):

* a term found in few claims is searched alone (*rare* terms, while their claims add up to at
  most ``SINGLE_BUDGET``);
* the commoner terms are searched in pairs (``a AND b``) -- the rarest few, pairs whose expected
  number of claims (as if the terms were independent) adds up to at most ``PAIR_BUDGET``;
* terms the index does not hold are left out.

Each matching claim scores the sum of the ``log(N / df)`` of the terms it was found with -- a
bm25 without length and repetition, which needs no pass over the posting lists -- and the best
``limit`` are kept. Both backends run the same plan and the same sum, so they propose the same
claims. A word is searched by its prefix (``text.matching.search_term``, standing in for the
stemming the indexes do not do), expanded on SQLite to the indexed words that start with it
when it is common (a rare one is searched as a prefix: as cheap, and it finds words new since the
counts were taken); PostgreSQL runs a text's searches in one pass of the GIN index;
a figure split by the index (``11,000`` -> ``11``, ``000``) is searched as a phrase. Merged
claims are never candidates.
"""

from __future__ import annotations

import bisect
import math
import re
import weakref
from dataclasses import dataclass, field
from typing import Any

from ledger.store import match_stats
from ledger.store.plain import Run
from ledger.text.matching import fold

SINGLE_BUDGET = 300  # claims the rare terms of one text may bring back, all together
PAIR_BUDGET = 300  # expected claims the pairs of its common terms may bring back, all together
PAIR_TERMS = 4  # the rarest common terms paired with one another
POOL = 200  # claims the planned searches propose for one text, scored on all its terms
EXPAND = 8  # a prefix is searched as its indexed words when it has at most this many
STATEMENT_PARTS = 400  # prefixes looked up by one SQLite statement (it takes at most 500 in a UNION)
PG_BATCH = 50  # texts searched by one PostgreSQL statement


@dataclass(frozen=True, order=True)
class Term:
    """One thing searched for: a word prefix (``prefix``), a whole word, or a phrase of whole words
    (a figure as the index splits it)."""
    text: str
    prefix: bool = False

    @property
    def parts(self) -> list[str]:
        return self.text.split()


@dataclass(frozen=True)
class Candidate:
    claim_id: int
    text: str
    status: str
    rank: float  # the sum of the idf of the terms it was found with: higher is better


@dataclass
class Frequency:
    docs: float  # claims holding the term (an estimate on PostgreSQL)
    words: tuple[str, ...] = ()  # SQLite: the indexed words a prefix stands for


@dataclass
class Vocabulary:
    """Document frequencies of search terms, looked up once and kept (see ``shared``)."""
    total: int = 0
    known: dict[Term, Frequency] = field(default_factory=dict)
    _pg: tuple[list[str], list[float], float] | None = None
    _counts_at: str | match_stats.Counts | None = None  # where the counts are read (``match_stats.source``)

    def load(self, conn: Run, terms: set[Term]) -> None:
        if not self.total:
            self.total = _claims(conn)
        wanted = [t for t in terms if t not in self.known]
        if not wanted:
            return
        if self._counts_at is None:
            self._counts_at = match_stats.source(conn)
        if self._counts_at == match_stats.PG_STATS:
            self._load_pg(conn, wanted)
        else:
            self._load_counted(conn, wanted)

    # ``claim_term_stats`` (or on SQLite fts5vocab's row table) counts the claims holding each indexed word
    def _load_counted(self, conn: Run, wanted: list[Term]) -> None:
        """The claims of each wanted term, from the counts kept in memory or read from their table."""
        words = sorted({w for t in wanted if not t.prefix for w in t.parts})
        prefixes = [t for t in wanted if t.prefix]
        counts = self._counts_at
        if isinstance(counts, match_stats.Counts):  # kept in memory: they could not be stored
            found = {n: [(w, float(d)) for w, d in counts.range(t.text, t.text + "\U0010ffff")]
                     for n, t in enumerate(prefixes)}
            exact = {w: float(d) for w in words if (d := counts.get(w)) is not None}
        else:
            found, exact = _read_counts(conn, counts, prefixes, words)
        # counted at an earlier event, a word missing from the statistics may be new since: searched
        # alone, as a rare one (it costs little when it is in fact absent)
        unknown = 0.0 if self._counts_at == match_stats.VOCAB else 1.0
        for n, t in enumerate(prefixes):
            hits = found.get(n, [])
            self.known[t] = Frequency(sum(d for _, d in hits) or unknown, tuple(w for w, _ in hits))
        for t in wanted:
            if not t.prefix:
                self.known[t] = Frequency(min((exact.get(w, unknown) for w in t.parts), default=0.0))

    # PostgreSQL without the table: ANALYZE keeps the most common lexemes of claim.search and their frequencies
    def _load_pg(self, conn: Run, wanted: list[Term]) -> None:
        if self._pg is None:
            rows = conn("SELECT most_common_elems::text::text[] AS elems, most_common_elem_freqs AS freqs FROM pg_stats "
                        "WHERE schemaname = current_schema() AND tablename = 'claim' AND attname = 'search'")
            elems, freqs = rows[0] if rows else (None, None)
            if elems is None:
                self._pg = ([], [], 0.0)
            else:
                pairs = sorted(zip(elems, freqs[:len(elems)]))
                floor = float(freqs[len(elems)]) if len(freqs) > len(elems) else 0.0
                self._pg = ([e for e, _ in pairs], [float(f) for _, f in pairs], floor)
        elems, freqs, floor = self._pg
        unknown = max(1.0, floor * self.total / 2)  # rarer than the least common lexeme listed

        def docs(word: str, prefix: bool) -> float:
            i = bisect.bisect_left(elems, word)
            if not prefix:
                return freqs[i] * self.total if i < len(elems) and elems[i] == word else unknown
            j = bisect.bisect_left(elems, word + "\U0010ffff")
            return sum(freqs[i:j]) * self.total + unknown

        for t in wanted:
            if t.prefix:
                self.known[t] = Frequency(docs(t.text, True))
            else:
                self.known[t] = Frequency(min(docs(w, False) for w in t.parts))


def _read_counts(conn: Run, table: str, prefixes: list[Term], words: list[str]
                 ) -> tuple[dict[int, list[tuple[str, float]]], dict[str, float]]:
    """From ``table`` (``claim_term_stats``, or fts5vocab's row table): the indexed words each
    prefix (by its place in ``prefixes``) stands for with their claims, and the claims of each
    whole word; one statement for every ``STATEMENT_PARTS`` prefixes (the words go with the first)."""
    doc = "docs" if table == match_stats.STATS else "doc"
    exact: dict[str, float] = {}
    found: dict[int, list[tuple[str, float]]] = {}
    for start in range(0, max(len(prefixes), 1), STATEMENT_PARTS):
        chunk = prefixes[start:start + STATEMENT_PARTS]
        parts = [f"SELECT {n} AS k, term, {doc} AS doc FROM {table} WHERE term >= ? AND term < ?"
                 for n in range(len(chunk))]
        params: list[object] = [v for t in chunk for v in (t.text, t.text + "\U0010ffff")]
        if start == 0 and words:
            parts.append(f"SELECT -1 AS k, term, {doc} AS doc FROM {table} WHERE term IN ({', '.join('?' * len(words))})")
            params += words
        if not parts:
            continue
        for k, term, docs in conn(" UNION ALL ".join(parts), params):
            if k < 0:
                exact[term] = float(docs)
            else:
                found.setdefault(start + k, []).append((term, float(docs)))
    return found, exact


def _claims(conn: Run) -> int:
    return max(1, conn("SELECT coalesce(max(id), 0) FROM claim")[0][0] or 0)


def as_run(conn: Any) -> Run:
    """What matching reads through: a ``Run`` as given (a bare ``sqlite3`` reader's), or one on
    a SQLAlchemy connection's own driver cursor (quicker than SQLAlchemy's rows), with ``key``
    (what the process keeps a vocabulary for) and ``write`` (``match_stats``: a transaction of
    its own to store counts in) set."""
    if isinstance(conn, Run):
        return conn
    dbapi = conn.connection.dbapi_connection
    postgres = conn.dialect.name == "postgresql"

    def execute(sql: str, params: tuple) -> list[tuple]:
        cursor = dbapi.cursor()
        try:
            cursor.execute(sql.replace("?", "%s") if postgres else sql, params)
            return cursor.fetchall()
        finally:
            cursor.close()

    run = Run(conn.dialect.name, execute)
    run.key = conn.engine
    if conn.get_execution_options().get("ledger_write"):
        run.write = match_stats.joined(dbapi, conn.dialect.name)  # already writing: the counts join its transaction
    else:
        run.write = match_stats.own_transaction(conn.engine.raw_connection, conn.dialect.name)
    return run


_SHARED: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
DRIFT = 0.05  # a shared vocabulary is looked up afresh once the ledger has grown by this share


def shared(conn: Run) -> Vocabulary:
    """The vocabulary this process keeps for the connection's database: frequencies only steer
    which searches are run (never which claims match), so they are kept until the ledger has grown
    by ``DRIFT`` -- a reader opening article after article looks each word up once."""
    engine = getattr(conn, "key", conn)
    total = _claims(conn)
    kept = _SHARED.get(engine)
    if kept is None or abs(total - kept.total) > DRIFT * kept.total:
        kept = _SHARED[engine] = Vocabulary(total=total)
    return kept


def forget() -> None:
    """Drop the vocabularies this process keeps (the next search looks its terms up afresh)."""
    _SHARED.clear()


def plan(terms: list[Term], vocabulary: Vocabulary, pairs_at_most: int | None = None,
         pair_reads: float | None = None) -> list[tuple[Term, ...]]:
    """The searches for one text: its rarest terms alone, while the claims they bring back add up
    to at most ``SINGLE_BUDGET``; then pairs of the next rarest ones, fewest expected claims
    first, while those add up to at most ``PAIR_BUDGET`` (at least one pair when nothing else).
    ``pairs_at_most`` and ``pair_reads`` (the postings a pair may read: its terms' claims) bound
    the pairs further, where a whole article must be matched at once."""
    n = vocabulary.total
    present = sorted((vocabulary.known[t].docs, t) for t in dict.fromkeys(terms) if vocabulary.known[t].docs > 0)
    units: list[tuple[Term, ...]] = []
    used = 0.0
    common = []
    for docs, t in present:
        if used + docs <= SINGLE_BUDGET:
            units.append((t,))
            used += docs
        else:
            common.append((docs, t))
    rarest = common[:PAIR_TERMS]
    pairs = sorted(((da * db / n, a, b) for i, (da, a) in enumerate(rarest) for db, b in rarest[i + 1:]
                    if pair_reads is None or da + db <= pair_reads), key=lambda p: p[0])
    used = 0.0
    for expected, a, b in pairs[:pairs_at_most]:
        if used + expected > PAIR_BUDGET and units:
            break
        units.append((a, b))
        used += expected
    return units


def _expansion(t: Term, vocabulary: Vocabulary) -> tuple[str, ...]:
    """The indexed words a common prefix is searched as (none: searched as a prefix). An index
    reads a prefix's postings whole, but skips through a word's when the other term of a pair is
    rarer; a rare prefix is as cheap either way and, as a prefix, finds words new since the
    counts were taken."""
    known = vocabulary.known[t]
    words = known.words
    if t.prefix and 0 < len(words) <= EXPAND and known.docs > SINGLE_BUDGET and all(w.isalnum() for w in words):
        return words
    return ()


def _sqlite_term(t: Term, vocabulary: Vocabulary) -> str:
    if not t.prefix:
        return '"' + t.text + '"'
    words = _expansion(t, vocabulary)
    if words:
        inner = " OR ".join(f'"{w}"' for w in words)
        return f"({inner})" if len(words) > 1 else inner
    return f'"{t.text}"*'


def _pg_term(t: Term, vocabulary: Vocabulary) -> str:
    if t.prefix:
        words = _expansion(t, vocabulary)
        if words:
            return f"({' | '.join(words)})" if len(words) > 1 else words[0]
        return f"{t.text}:*"
    return "(" + " <-> ".join(t.parts) + ")" if len(t.parts) > 1 else t.text


def candidates_many(conn: Any, *, queries: list[list[Term]], limit: int = 40, pool: int = POOL,
                    pairs_at_most: int | None = None, pair_reads: float | None = None,
                    vocabulary: Vocabulary | None = None) -> list[list[Candidate]]:
    """The ``limit`` best candidates for each query (a list of terms), best first: the planned
    searches propose ``pool`` claims, scored again on every term of the query (``conn``: a
    SQLAlchemy connection or a ``Run``)."""
    conn = as_run(conn)
    vocabulary = vocabulary or shared(conn)
    queries = [[t for t in q if _safe(t)] for q in queries]
    vocabulary.load(conn, {t for q in queries for t in q})
    postgres = conn.dialect == "postgresql"
    statements = []
    for terms in queries:
        units = plan(terms, vocabulary, pairs_at_most, pair_reads)
        statements.append(_statement(units, vocabulary, postgres, max(pool, limit)) if units else None)
    ranked = _run(conn, statements, postgres)
    rows = claim_texts(conn, ids=sorted({cid for top in ranked for cid, _ in top}))
    out = []
    for terms, top in zip(queries, ranked):
        weights = [(_needle(t), _weight(t, vocabulary)) for t in terms]
        pool = []
        for cid, _ in top:
            if cid in rows:
                body, status = rows[cid]
                words = _WORDS.sub(" ", fold(body))
                hay = f" {words} "
                score = sum(w for needle, w in weights if needle in hay) - 0.001 * words.count(" ")
                pool.append(Candidate(cid, body, status, score))
        pool.sort(key=lambda c: (-c.rank, -c.claim_id))
        out.append(pool[:limit])
    return out


_WORDS = re.compile(r"[^\w]+|_+")


def _needle(t: Term) -> str:
    """What a term looks like in a claim's folded words, spaces around: `` suppli`` (a word that
    starts so), `` 11 000 `` (those whole words)."""
    return f" {t.text}" if t.prefix else f" {t.text} "


def _weight(t: Term, vocabulary: Vocabulary) -> float:
    return math.log(vocabulary.total / max(vocabulary.known[t].docs, 1.0)) + 0.01


def _statement(units: list[tuple[Term, ...]], vocabulary: Vocabulary, postgres: bool,
               limit: int) -> tuple[str, list[str]]:
    """One text's search: each unit's claims, as (claim, term, weight) rows, duplicates dropped so
    a claim found by several units counts each term once; summed per claim, best first."""
    terms = list(dict.fromkeys(t for u in units for t in u))
    index = {t: i for i, t in enumerate(terms)}
    weight = {t: _weight(t, vocabulary) for t in terms}
    if postgres:
        return _pg_statement(units, terms, weight, limit, vocabulary)
    ctes, parts, params = [], [], []
    for n, unit in enumerate(units):
        params.append(" AND ".join(_sqlite_term(t, vocabulary) for t in unit))
        ctes.append(f"u{n} AS MATERIALIZED (SELECT rowid AS id FROM claim_fts WHERE claim_fts MATCH ?)")
        parts += [f"SELECT id, {index[t]} AS t, {weight[t]!r} AS w FROM u{n}" for t in unit]
    sql = (f"WITH {', '.join(ctes)} SELECT id, sum(w) AS s FROM ({' UNION '.join(parts)}) AS found "
           f"GROUP BY id ORDER BY s DESC, id DESC LIMIT {int(limit)}")
    return sql, params


def _pg_statement(units: list[tuple[Term, ...]], terms: list[Term], weight: dict[Term, float],
                  limit: int, vocabulary: Vocabulary) -> tuple[str, list[str]]:
    """The same search and sum on PostgreSQL in one pass of the GIN index: the claims matching any
    unit (one tsquery, the units joined by ``|``), each scored on its row by the weight of every
    term of the units it matches (so each term counts once), best first."""
    queries = [" & ".join(_pg_term(t, vocabulary) for t in unit) for unit in units]
    params: list[str] = []
    scores = []
    for t in terms:
        found = [q for unit, q in zip(units, queries) if t in unit]
        params += found
        test = " OR ".join(["search @@ to_tsquery('ledger_search', ?::text)"] * len(found))
        scores.append(f"CASE WHEN {test} THEN {weight[t]!r}::float8 ELSE 0 END")
    params.append(" | ".join(f"({q})" for q in queries))
    sql = (f"SELECT id, {' + '.join(scores)} AS s FROM claim WHERE search @@ to_tsquery('ledger_search', ?::text) "
           f"ORDER BY s DESC, id DESC LIMIT {int(limit)}")
    return sql, params


def _run(conn: Run, statements: list[tuple[str, list[str]] | None],
         postgres: bool) -> list[list[tuple[int, float]]]:
    """(claim id, score) rows of each statement; on PostgreSQL many texts' statements go in one
    round trip."""
    out: list[list[tuple[int, float]]] = [[] for _ in statements]
    if not postgres:
        for n, st in enumerate(statements):
            if st is not None:
                out[n] = conn(*st)
        return out
    todo = [(n, st) for n, st in enumerate(statements) if st is not None]
    for start in range(0, len(todo), PG_BATCH):
        chunk = todo[start:start + PG_BATCH]
        sqls, params = [], []
        for k, (n, (sql, p)) in enumerate(chunk):
            params += p
            sqls.append(f"SELECT {k} AS k, id, s FROM ({sql}) AS q{k}")
        for k, claim_id, score in conn(" UNION ALL ".join(f"({q})" for q in sqls), params):
            out[chunk[k][0]].append((claim_id, score))
    for found in out:
        found.sort(key=lambda r: (-r[1], -r[0]))
    return out


def _safe(t: Term) -> bool:
    return bool(t.text) and all(w.replace("_", "").isalnum() for w in t.parts)


def claim_texts(conn: Any, *, ids: list[int]) -> dict[int, tuple[str, str]]:
    """(text, status) of the claims among ``ids`` that were not merged into another."""
    conn = as_run(conn)
    out: dict[int, tuple[str, str]] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        rows = conn(f"SELECT id, text, status FROM claim WHERE id IN ({', '.join('?' * len(chunk))}) "
                    "AND merged_into IS NULL", chunk)
        out.update((cid, (body, status)) for cid, body, status in rows)
    return out
