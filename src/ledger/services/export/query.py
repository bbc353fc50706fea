"""Reading the ledger for exports: one consistent snapshot, keyset-paged, never a whole table.

Every export reads inside :func:`snapshot` (a single read transaction; REPEATABLE READ on
PostgreSQL) so a file describes one moment of the ledger even while editors keep writing.
Rows come a page at a time in a stable order (primary key, or reading order inside an article),
so memory stays bounded whatever the ledger's size and the same ledger always gives the same file.
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Iterator

from sqlalchemy import Connection, and_, func, or_, select

from ledger.db import Database
from ledger.models import Appearance, Article, ArticleRevision, Citation, Claim, Event, Source
from ledger.store.events import chain_head

ARTICLE = Article.__table__
REVISION = ArticleRevision.__table__
CLAIM = Claim.__table__
APPEARANCE = Appearance.__table__
SOURCE = Source.__table__
CITATION = Citation.__table__
EVENT = Event.__table__

BATCH = 1000

# The ledger's tables in the order a restore must insert them (references point backwards).
SECTIONS: tuple[tuple[str, Any], ...] = (
    ("articles", ARTICLE),
    ("article_revisions", REVISION),
    ("claims", CLAIM),
    ("appearances", APPEARANCE),
    ("sources", SOURCE),
    ("citations", CITATION),
    ("events", EVENT),
)


@contextmanager
def snapshot(db: Database) -> Iterator[Connection]:
    """A read transaction that sees one state of the ledger from start to end."""
    if db.dialect == "postgresql":
        with db.engine.connect() as conn:
            conn = conn.execution_options(isolation_level="REPEATABLE READ", postgresql_readonly=True)
            with conn.begin():
                yield conn
        return
    with db.read() as conn:  # SQLite in WAL mode: a read transaction is a snapshot
        yield conn


def columns(table: Any) -> list[str]:
    """The table's columns as the models declare them (database-only columns such as the
    PostgreSQL ``search`` vector are left out)."""
    return [c.name for c in table.columns]


def jsonable(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    return value


def row_dict(table: Any, row: Any, *, booleans: tuple[str, ...] = ("orphaned", "needs_confirm")) -> dict[str, Any]:
    m = row._mapping
    out = {}
    for name in columns(table):
        v = m[name]
        if name in booleans and v is not None:
            v = bool(v)
        out[name] = jsonable(v)
    return out


# ------------------------------------------------------------------------ scopes


@dataclass(frozen=True)
class Scope:
    """The whole ledger (``article_id`` None) or one article's part of it."""

    article_id: int | None = None

    @property
    def whole(self) -> bool:
        return self.article_id is None

    def claim_ids(self) -> Any:
        return select(APPEARANCE.c.claim_id).where(APPEARANCE.c.article_id == self.article_id)

    def source_ids(self) -> Any:
        return select(CITATION.c.source_id).where(CITATION.c.claim_id.in_(self.claim_ids()))

    def cited_source_ids(self) -> Any:
        """The sources the scope's claims cite as evidence (retracted citations left out)."""
        return self.source_ids().where(CITATION.c.retracted_at.is_(None))

    def where(self, table: Any) -> Any:
        """The rows of ``table`` that belong to this scope (None: all of them)."""
        if self.whole:
            return None
        a = self.article_id
        if table is ARTICLE:
            return ARTICLE.c.id == a
        if table is REVISION:
            return REVISION.c.article_id == a
        if table is CLAIM:
            return CLAIM.c.id.in_(self.claim_ids())
        if table is APPEARANCE:
            return APPEARANCE.c.article_id == a
        if table is SOURCE:
            return SOURCE.c.id.in_(self.source_ids())
        if table is CITATION:
            return CITATION.c.claim_id.in_(self.claim_ids())
        if table is EVENT:
            return or_(EVENT.c.article_id == a, EVENT.c.claim_id.in_(self.claim_ids()),
                       and_(EVENT.c.entity == "source", EVENT.c.entity_id.in_(self.source_ids())))
        raise ValueError(f"no scope rule for table {table.name}")


def keyset(conn: Connection, table: Any, *, where: Any = None, batch: int = BATCH) -> Iterator[Any]:
    """Every row of ``table`` (matching ``where``) in id order, ``batch`` rows per query."""
    last = None
    while True:
        q = select(table).order_by(table.c.id).limit(batch)
        if where is not None:
            q = q.where(where)
        if last is not None:
            q = q.where(table.c.id > last)
        rows = conn.execute(q).all()
        if not rows:
            return
        yield from rows
        if len(rows) < batch:
            return
        last = rows[-1].id


def count(conn: Connection, table: Any, *, where: Any = None) -> int:
    q = select(func.count()).select_from(table)
    if where is not None:
        q = q.where(where)
    return conn.execute(q).scalar_one()


def ledger_head(conn: Connection) -> tuple[str, str | None]:
    """The chain head and the time of the latest event: "the ledger as of" for a report."""
    at = conn.execute(select(EVENT.c.at).order_by(EVENT.c.id.desc()).limit(1)).scalar()
    return chain_head(conn), at


def article_ids(conn: Connection, scope: Scope, *, batch: int = BATCH) -> Iterator[int]:
    if not scope.whole:
        yield scope.article_id  # type: ignore[misc]
        return
    for row in keyset(conn, select(ARTICLE.c.id).subquery("ids"), batch=batch):
        yield row.id


# ----------------------------------------------------------------- claim bundles


@dataclass
class ClaimBundle:
    """One claim with what an export shows of it: appearances (with their articles' metadata),
    citations (with their sources) and its history, all fetched for a page of claims at once."""

    claim: dict[str, Any]
    appearances: list[dict[str, Any]] = field(default_factory=list)
    citations: list[dict[str, Any]] = field(default_factory=list)
    history: list[dict[str, Any]] = field(default_factory=list)
    history_total: int = 0


_ARTICLE_META = ("id", "title", "outlet", "author", "url", "lang", "published", "state")


def bundles(conn: Connection, claim_ids: list[int], *, history_limit: int | None = None) -> list[ClaimBundle]:
    """Bundles for ``claim_ids`` (in that order) in four queries."""
    if not claim_ids:
        return []
    out = {cid: ClaimBundle(claim={}) for cid in claim_ids}
    for r in conn.execute(select(CLAIM).where(CLAIM.c.id.in_(claim_ids))):
        out[r.id].claim = row_dict(CLAIM, r)
    art_cols = [ARTICLE.c[c].label(f"art__{c}") for c in _ARTICLE_META]
    q = (select(APPEARANCE, *art_cols).join(ARTICLE, ARTICLE.c.id == APPEARANCE.c.article_id)
         .where(APPEARANCE.c.claim_id.in_(claim_ids)).order_by(APPEARANCE.c.claim_id, APPEARANCE.c.id))
    for r in conn.execute(q):
        app = row_dict(APPEARANCE, r)
        app["article"] = {c: jsonable(r._mapping[f"art__{c}"]) for c in _ARTICLE_META}
        out[r.claim_id].appearances.append(app)
    src_cols = [SOURCE.c[c.name].label(f"src__{c.name}") for c in SOURCE.columns]
    q = (select(CITATION, *src_cols).join(SOURCE, SOURCE.c.id == CITATION.c.source_id)
         .where(CITATION.c.claim_id.in_(claim_ids) & CITATION.c.retracted_at.is_(None))
         .order_by(CITATION.c.claim_id, CITATION.c.id))
    for r in conn.execute(q):  # retracted citations are no evidence: exports show the current state
        cit = row_dict(CITATION, r)
        cit["source"] = {c.name: jsonable(r._mapping[f"src__{c.name}"]) for c in SOURCE.columns}
        out[r.claim_id].citations.append(cit)
    totals = dict(conn.execute(select(EVENT.c.claim_id, func.count()).where(EVENT.c.claim_id.in_(claim_ids))
                               .group_by(EVENT.c.claim_id)).all())
    if history_limit is None:
        q = select(EVENT).where(EVENT.c.claim_id.in_(claim_ids)).order_by(EVENT.c.claim_id, EVENT.c.id)
    else:
        # the latest ``history_limit`` events of each claim, numbered in SQL (window function)
        rank = func.row_number().over(partition_by=EVENT.c.claim_id, order_by=EVENT.c.id.desc()).label("rk")
        inner = select(EVENT, rank).where(EVENT.c.claim_id.in_(claim_ids)).subquery()
        q = (select(*[inner.c[c] for c in columns(EVENT)]).where(inner.c.rk <= history_limit)
             .order_by(inner.c.claim_id, inner.c.id))
    for r in conn.execute(q):
        out[r.claim_id].history.append(row_dict(EVENT, r))
    for cid, b in out.items():
        b.history_total = totals.get(cid, 0)
    return [out[cid] for cid in claim_ids]


def claim_pages(conn: Connection, scope: Scope, *, batch: int = BATCH) -> Iterator[list[int]]:
    """Claim ids in the scope, in id order, a page at a time."""
    last = 0
    while True:
        q = select(CLAIM.c.id).where(CLAIM.c.id > last).order_by(CLAIM.c.id).limit(batch)
        w = scope.where(CLAIM)
        if w is not None:
            q = q.where(w)
        ids = list(conn.execute(q).scalars())
        if not ids:
            return
        yield ids
        if len(ids) < batch:
            return
        last = ids[-1]


def reading_order_pages(conn: Connection, article_id: int, *, batch: int = BATCH) -> Iterator[list[int]]:
    """The claims of one article in reading order (by their first passage), a page at a time."""
    first = (select(APPEARANCE.c.claim_id.label("claim_id"), func.min(APPEARANCE.c.start).label("pos"))
             .where(APPEARANCE.c.article_id == article_id).group_by(APPEARANCE.c.claim_id).subquery("firsts"))
    last: tuple[int, int] | None = None
    while True:
        q = select(first.c.claim_id, first.c.pos).order_by(first.c.pos, first.c.claim_id).limit(batch)
        if last is not None:
            q = q.where(or_(first.c.pos > last[0], and_(first.c.pos == last[0], first.c.claim_id > last[1])))
        rows = conn.execute(q).all()
        if not rows:
            return
        yield [r.claim_id for r in rows]
        if len(rows) < batch:
            return
        last = (rows[-1].pos, rows[-1].claim_id)


def iter_bundles(pages: Iterator[list[int]], conn: Connection, *,
                 history_limit: int | None = None) -> Iterator[ClaimBundle]:
    for ids in pages:
        yield from bundles(conn, ids, history_limit=history_limit)


def article_row(conn: Connection, article_id: int, *, with_body: bool = False) -> dict[str, Any] | None:
    cols = [c for c in ARTICLE.columns if with_body or c.name != "body"]
    r = conn.execute(select(*cols).where(ARTICLE.c.id == article_id)).first()
    if r is None:
        return None
    return {c.name: jsonable(r._mapping[c.name]) for c in cols}


def status_tally(conn: Connection, article_id: int | None) -> dict[str, int]:
    """How many distinct claims are in each status (in one article, or in the whole ledger)."""
    if article_id is None:
        q = select(CLAIM.c.status, func.count()).group_by(CLAIM.c.status)
    else:
        q = (select(CLAIM.c.status, func.count(func.distinct(CLAIM.c.id)))
             .join(APPEARANCE, APPEARANCE.c.claim_id == CLAIM.c.id)
             .where(APPEARANCE.c.article_id == article_id).group_by(CLAIM.c.status))
    return {status: n for status, n in conn.execute(q)}


def cited_sources(conn: Connection, article_id: int, *, batch: int = BATCH) -> Iterator[dict[str, Any]]:
    """The sources cited (not retracted) by the claims of one article, in id order."""
    where = SOURCE.c.id.in_(Scope(article_id).cited_source_ids())
    for r in keyset(conn, SOURCE, where=where, batch=batch):
        yield row_dict(SOURCE, r)
