"""Writing imported records through the store's bulk paths, a batch of whole records at a time.

An importer turns each record of its file into a ``Planned`` record — new articles, sources,
claims with their passages and citations, more passages for claims already imported — checking
everything it can before anything is written. A record that fails a check is reported and never
planned; planned records are written together with executemany (articles, sources, claims with
their appearances, citations), inside the import's single transaction. A record is thus either
wholly in the ledger or not at all.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection

from ledger.store.bulk import bulk_insert_articles, bulk_insert_claims
from ledger.store.bulk_appearances import bulk_insert_appearances
from ledger.store.bulk_sources import bulk_insert_citations, bulk_insert_sources


@dataclass
class Ref:
    """A row the record creates (``new`` is set) or one already in the ledger (``id`` is set)."""

    id: int | None = None
    new: dict[str, Any] | None = None


@dataclass
class PlannedClaim:
    fields: dict[str, Any]  # text, kind, claimant, claim_date, priority, status, status_label
    appearances: list[tuple[Ref, dict[str, Any]]] = field(default_factory=list)  # (article, anchor)
    citations: list[tuple[Ref, dict[str, Any]]] = field(default_factory=list)  # (source, stance/excerpt/locator)
    id: int | None = None  # set once written


@dataclass
class Planned:
    where: str
    claims: list[PlannedClaim] = field(default_factory=list)
    more_appearances: list[dict[str, Any]] = field(default_factory=list)  # for claims already written


class Writer:
    def __init__(self, conn: Connection, actor: str, report: Any):
        self.conn = conn
        self.actor = actor
        self.report = report
        self.pending: list[Planned] = []

    def add(self, record: Planned) -> None:
        self.pending.append(record)

    def flush(self) -> None:
        if not self.pending:
            return
        records, self.pending = self.pending, []
        claims = [c for r in records for c in r.claims]
        articles = _unique_new(ref for c in claims for ref, _ in c.appearances)
        sources = _unique_new(ref for c in claims for ref, _ in c.citations)
        if articles:
            for ref, new_id in zip(articles, bulk_insert_articles(self.conn, articles=[r.new for r in articles],
                                                                   actor=self.actor)):
                ref.id = new_id
            self.report.count("articles", len(articles))
        if sources:
            for ref, new_id in zip(sources, bulk_insert_sources(self.conn, sources=[r.new for r in sources],
                                                                 actor=self.actor)):
                ref.id = new_id
            self.report.count("sources", len(sources))
        if claims:
            rows = [dict(c.fields, appearances=[dict(anchor, article_id=ref.id) for ref, anchor in c.appearances])
                    for c in claims]
            for c, new_id in zip(claims, bulk_insert_claims(self.conn, claims=rows, actor=self.actor), strict=True):
                c.id = new_id
            self.report.count("claims", len(claims))
            self.report.count("appearances", sum(len(c.appearances) for c in claims))
        more = [a for r in records for a in r.more_appearances]
        if more:
            bulk_insert_appearances(self.conn, appearances=[{k: (v() if callable(v) else v) for k, v in a.items()}
                                                            for a in more], actor=self.actor)
            self.report.count("appearances", len(more))
        cits = [dict(spec, claim_id=c.id, source_id=ref.id) for c in claims for ref, spec in c.citations]
        if cits:
            bulk_insert_citations(self.conn, citations=cits, actor=self.actor)
            self.report.count("citations", len(cits))


def _unique_new(refs: Any) -> list[Ref]:
    seen: dict[int, Ref] = {}
    for ref in refs:
        if ref.new is not None and ref.id is None:
            seen.setdefault(id(ref), ref)
    return list(seen.values())
