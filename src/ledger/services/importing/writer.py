"""Writing imported records through the store's bulk paths, a batch of whole records at a time.

An importer turns each record of its file into a ``Planned`` record — new articles, sources,
claims with their passages and citations, more passages for claims already imported — checking
everything it can before anything is written. A record that fails a check is reported and never
planned; planned records are written together with executemany (articles, sources, claims with
their appearances, citations, reviews), inside the import's single transaction. A record is thus
either wholly in the ledger or not at all.

Each article has its ``article.add`` event (its history starts there); each claim has one
``claim.import`` event listing every row the claim brings (``store.bulk.LISTED``): the claim, its
appearances, the sources it is the first to cite, its citations and its review. One event per
claim rather than one per row: the chain stays as complete, and an import costs a third of the
events.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection

from ledger.models import Claim
from ledger.store.bulk import LISTED, bulk_insert_articles, bulk_insert_claims, next_id
from ledger.store.bulk_appearances import bulk_insert_appearances
from ledger.store.bulk_sources import listed_citations, listed_sources
from ledger.store.reviews import listed_reviews

CLAIM = Claim.__table__


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
    review: dict[str, Any] | None = None  # the review row it was imported from (``store.reviews`` fields)
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
        if articles:
            for ref, new_id in zip(articles, bulk_insert_articles(self.conn, articles=[r.new for r in articles],
                                                                   actor=self.actor)):
                ref.id = new_id
            self.report.count("articles", len(articles))
        if claims:
            self._claims(claims)
        more = [a for r in records for a in r.more_appearances]
        if more:
            bulk_insert_appearances(self.conn, appearances=[{k: (v() if callable(v) else v) for k, v in a.items()}
                                                            for a in more], actor=self.actor)
            self.report.count("appearances", len(more))

    def _claims(self, claims: list[PlannedClaim]) -> None:
        """The claims with their new sources, citations and reviews: the rows of each listed by
        the claim's ``claim.import`` event. Sources go in first, then the claims, then the rows
        that refer to both."""
        conn = self.conn
        sources = _unique_new(ref for c in claims for ref, _ in c.citations)
        listed: list[list[str]] = [[] for _ in claims]
        if sources:
            new = listed_sources(conn, sources=[r.new for r in sources])
            first_cited = {}
            for ref, new_id, change in zip(sources, new.ids, new.changes):
                ref.id = new_id
                first_cited[id(ref)] = change
            for i, c in enumerate(claims):
                for ref, _ in c.citations:
                    change = first_cited.pop(id(ref), None)
                    if change is not None:
                        listed[i].append(change)
            new.write(conn)
            self.report.count("sources", len(sources))
        first = next_id(conn, CLAIM)
        cits, cited_by = [], []
        for i, c in enumerate(claims):
            for ref, spec in c.citations:
                cits.append(dict(spec, claim_id=first + i, source_id=ref.id))
                cited_by.append(i)
        citations = listed_citations(conn, citations=cits)
        for i, change in zip(cited_by, citations.changes):
            listed[i].append(change)
        reviewed = [i for i, c in enumerate(claims) if c.review is not None]
        reviews = listed_reviews(conn, reviews=[dict(claims[i].review, claim_id=first + i) for i in reviewed])
        for i, change in zip(reviewed, reviews.changes):
            listed[i].append(change)
        rows = [dict(c.fields, appearances=[dict(anchor, article_id=ref.id) for ref, anchor in c.appearances],
                     **{LISTED: ",".join(more)}) for c, more in zip(claims, listed)]
        ids = bulk_insert_claims(conn, claims=rows, actor=self.actor)
        if ids.start != first:  # the rows listed above name their claims by these ids
            raise RuntimeError(f"claims were given ids from {ids.start}, not {first}")
        for c, new_id in zip(claims, ids, strict=True):
            c.id = new_id
        self.report.count("claims", len(claims))
        self.report.count("appearances", sum(len(c.appearances) for c in claims))
        citations.write(conn)
        if cits:
            self.report.count("citations", len(cits))
        reviews.write(conn)
        if reviewed:
            self.report.count("reviews", len(reviewed))


def _unique_new(refs: Any) -> list[Ref]:
    seen: dict[int, Ref] = {}
    for ref in refs:
        if ref.new is not None and ref.id is None:
            seen.setdefault(id(ref), ref)
    return list(seen.values())
