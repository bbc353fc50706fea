"""The store side of matching: plain full-text ranking, accepted and rejected suggestions.

``candidates`` is the plain ranking of the ledger's own indexes: FTS5 ranked by bm25 on SQLite
(``claim_fts``, accents folded by its tokenizer), the generated ``search`` tsvector ranked by
``ts_rank`` on PostgreSQL (through the ``ledger_search`` configuration, accents folded too), all
terms joined with OR. It costs in proportion to the claims holding any term, so matching itself
plans its searches (``store.match_candidates``); this one is the baseline the benchmark compares
with. Merged claims are never candidates.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, select, text

from ledger.errors import InvalidInput
from ledger.models import Appearance, Claim, MatchRejection
from ledger.store import match_reads
from ledger.store.articles import article_body
from ledger.store.plain import on_connection
from ledger.store.events import append_event, now, row_put
from ledger.text.anchoring import make_anchor

CLAIM = Claim.__table__
APPEARANCE = Appearance.__table__
REJECTION = MatchRejection.__table__


@dataclass(frozen=True)
class Candidate:
    claim_id: int
    text: str
    status: str
    rank: float  # higher is better (bm25 or ts_rank, sign made positive)


def _safe(terms: list[str]) -> list[str]:
    return [t for t in dict.fromkeys(terms) if t and t.replace("_", "").isalnum()]


def _query(terms: list[str], exact: list[str], *, postgres: bool, prefix: bool) -> str | None:
    terms, exact = _safe(list(terms)), _safe(list(exact))
    if not terms and not exact:
        return None
    if postgres:
        return " | ".join([f"{t}:*" if prefix else t for t in terms] + exact)
    star = "*" if prefix else ""
    return " OR ".join([f'"{t}"{star}' for t in terms] + [f'"{t}"' for t in exact])


def candidates(conn: Connection, *, terms: list[str], exact: list[str] = (), limit: int = 40,
               prefix: bool = True) -> list[Candidate]:
    """The ``limit`` claims the full-text index ranks best for any of ``terms`` (words of letters
    and digits; ``prefix`` matches each as the start of a word) or of the whole words ``exact``."""
    return candidates_many(conn, queries=[(terms, exact)], limit=limit, prefix=prefix)[0]


CHUNK = 200  # texts searched by one statement (SQLite takes at most 500 parts in a UNION)

_PG_MANY = """
SELECT v.i AS qi, m.id, m.text, m.status, m.rank FROM (VALUES {values}) AS v(i, q)
CROSS JOIN LATERAL (
  SELECT c.id, c.text, c.status, ts_rank(c.search, to_tsquery('ledger_search', v.q)) AS rank FROM claim c
   WHERE c.search @@ to_tsquery('ledger_search', v.q) AND c.merged_into IS NULL
   ORDER BY rank DESC, c.id LIMIT :k) m
 ORDER BY qi, m.rank DESC, m.id
"""
_SQLITE_PART = """SELECT * FROM (SELECT {i} AS qi, c.id, c.text, c.status, -f.rank AS rank
  FROM (SELECT rowid, rank FROM claim_fts WHERE claim_fts MATCH :q{i} ORDER BY rank LIMIT :k) f
  JOIN claim c ON c.id = f.rowid WHERE c.merged_into IS NULL)"""


def candidates_many(conn: Connection, *, queries: list[tuple[list[str], list[str]]], limit: int = 40,
                    prefix: bool = True) -> list[list[Candidate]]:
    """``candidates`` for many (terms, exact) queries at once: one statement per ``CHUNK`` of them."""
    postgres = conn.dialect.name == "postgresql"
    out: list[list[Candidate]] = [[] for _ in queries]
    built = [(i, q) for i, q in ((i, _query(t, e, postgres=postgres, prefix=prefix)) for i, (t, e) in enumerate(queries))
             if q is not None]
    for start in range(0, len(built), CHUNK):
        chunk = built[start:start + CHUNK]
        params: dict[str, object] = {"k": limit, **{f"q{n}": q for n, (_, q) in enumerate(chunk)}}
        if postgres:
            values = ", ".join(f"({n}, CAST(:q{n} AS text))" for n in range(len(chunk)))
            sql = text(_PG_MANY.format(values=values))
        else:
            sql = text(" UNION ALL ".join(_SQLITE_PART.format(i=n) for n in range(len(chunk))))
        for r in conn.execute(sql, params):
            out[chunk[r.qi][0]].append(Candidate(r.id, r.text, r.status, float(r.rank)))
    for found in out:
        found.sort(key=lambda c: (-c.rank, c.claim_id))
    return out


def claims_by_id(conn: Connection, *, ids: list[int]) -> dict[int, Candidate]:
    rows = conn.execute(select(CLAIM.c.id, CLAIM.c.text, CLAIM.c.status).where(CLAIM.c.id.in_(ids)))
    return {r.id: Candidate(r.id, r.text, r.status, 0.0) for r in rows}


# ----------------------------------------------------------------------------- suggestions
def rejected(conn: Connection, *, article_id: int) -> set[tuple[int, str]]:
    """(claim id, sentence) pairs rejected in this article."""
    return match_reads.rejected(on_connection(conn), article_id)


def reject_suggestion(conn: Connection, *, article_id: int, claim_id: int, sentence: str, actor: str) -> int:
    """Remember that ``sentence`` of the article does not make ``claim_id``'s claim."""
    if (claim_id, sentence) in rejected(conn, article_id=article_id):
        raise InvalidInput(f"claim {claim_id} was already rejected for that sentence of article {article_id}")
    stamp = now()
    values = {"article_id": article_id, "claim_id": claim_id, "sentence": sentence, "created_at": stamp}
    rejection_id = conn.execute(REJECTION.insert().values(**values)).inserted_primary_key[0]
    append_event(conn, actor=actor, action="suggestion.reject", entity="match_rejection", entity_id=rejection_id,
                 claim_id=claim_id, article_id=article_id, at=stamp,
                 payload={"sentence": sentence, "rows": [row_put("match_rejection", rejection_id, values)]})
    return rejection_id


def accept_suggestion(conn: Connection, *, article_id: int, claim_id: int, start: int, end: int, score: float,
                      actor: str) -> int:
    """The sentence at ``start:end`` becomes an appearance of ``claim_id``; returns its id."""
    body = article_body(conn, article_id=article_id)
    anchor = make_anchor(body, start, end)
    dup = conn.execute(select(APPEARANCE.c.id).where(
        (APPEARANCE.c.claim_id == claim_id) & (APPEARANCE.c.article_id == article_id)
        & (APPEARANCE.c.start == anchor.start) & (APPEARANCE.c.end == anchor.end))).first()
    if dup is not None:
        raise InvalidInput(f"claim {claim_id} is already anchored at that passage of article {article_id}")
    stamp = now()
    values = {"claim_id": claim_id, "article_id": article_id, "quote": anchor.quote, "start": anchor.start,
              "end": anchor.end, "prefix": anchor.prefix, "suffix": anchor.suffix, "orphaned": False,
              "created_at": stamp}
    appearance_id = conn.execute(APPEARANCE.insert().values(**values)).inserted_primary_key[0]
    append_event(conn, actor=actor, action="appearance.add", entity="appearance", entity_id=appearance_id,
                 claim_id=claim_id, article_id=article_id, at=stamp,
                 payload={"quote": anchor.quote, "start": anchor.start, "end": anchor.end,
                          "method": "suggestion", "score": score,
                          "rows": [row_put("appearance", appearance_id, values)]})
    return appearance_id
