"""The verification report's content, shared by the Markdown and HTML renderings.

For each article: its metadata, the audit verdict, the claims tallied by status, then every claim
in reading order — its passages, status, claimant, citations formatted in a citation style with
their excerpts and locators, and a short history — and a bibliography of the sources cited.

Everything is read from one snapshot of the ledger and built lazily: claims come a page at a
time from SQL and are rendered as they arrive, so a long report streams. Nothing in a report
depends on the clock: "as of" is the time of the ledger's latest event, and the audit is run as of
that day unless another date is asked for.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Iterator

from sqlalchemy import Connection

from ledger.services.export.citations import Cited, Citer
from ledger.services.history import describe
from ledger.services.export.query import (ClaimBundle, Scope, article_ids, article_row, cited_sources,
                                          iter_bundles, ledger_head, reading_order_pages, status_tally)
from ledger.vocabulary import Vocabulary

HISTORY = 5  # events shown per claim, the latest ones
CATEGORY_ORDER = ("pass", "fail", "unresolved", "open")


@dataclass(frozen=True)
class TallyRow:
    status: str
    category: str
    count: int


@dataclass(frozen=True)
class Verdict:
    """The audit's answer for one article, as the report shows it."""

    available: bool
    publishable: bool = False
    as_of: date | None = None
    counts: dict[str, int] = field(default_factory=dict)
    findings: list[Any] = field(default_factory=list)  # audit.Finding
    note: str | None = None


@dataclass(frozen=True)
class CitationView:
    id: int
    stance: str
    source_id: int
    source_title: str
    source_kind: str
    reliability: str | None
    cited: Cited
    excerpt: str | None


@dataclass(frozen=True)
class EventView:
    at: str
    actor: str
    action: str
    detail: str


@dataclass(frozen=True)
class ClaimView:
    id: int
    text: str
    kind: str
    claimant: str | None
    claim_date: str | None
    priority: int
    status: str
    category: str
    status_label: str | None
    passages: list[dict[str, Any]]  # appearances in this article
    elsewhere: list[dict[str, Any]]  # the other articles it appears in
    citations: list[CitationView]
    history: list[EventView]
    history_total: int


@dataclass
class ArticleReport:
    article: dict[str, Any]
    verdict: Verdict
    tally: list[TallyRow]
    total: int
    claims: Iterator[ClaimView]
    citer: Citer

    def bibliography(self) -> list[str]:
        return self.citer.bibliography()


def tally_rows(counts: dict[str, int], vocabulary: Vocabulary) -> list[TallyRow]:
    order = list(vocabulary.statuses) + sorted(s for s in counts if s not in vocabulary.statuses)
    return [TallyRow(s, vocabulary.category(s), counts.get(s, 0)) for s in order
            if counts.get(s) or s in vocabulary.statuses]


def _detail(ev: dict[str, Any]) -> str:
    p = ev.get("payload")
    if isinstance(p, str):
        import json

        try:
            p = json.loads(p)
        except ValueError:
            p = {}
    return describe(ev["action"], p if isinstance(p, dict) else {})


def claim_view(b: ClaimBundle, article_id: int, citer: Citer, vocabulary: Vocabulary) -> ClaimView:
    c = b.claim
    here = [a for a in b.appearances if a["article_id"] == article_id]
    seen: dict[int, dict[str, Any]] = {}
    for a in b.appearances:
        if a["article_id"] != article_id:
            seen.setdefault(a["article_id"], a["article"])
    cits = [CitationView(id=x["id"], stance=x["stance"], source_id=x["source_id"],
                         source_title=x["source"]["title"], source_kind=x["source"]["kind"],
                         reliability=x["source"]["reliability"], cited=citer.cite(x["source_id"], x["locator"]),
                         excerpt=x["excerpt"]) for x in b.citations]
    history = [EventView(at=e["at"], actor=e["actor"], action=e["action"], detail=_detail(e)) for e in b.history]
    return ClaimView(id=c["id"], text=c["text"], kind=c["kind"], claimant=c["claimant"], claim_date=c["claim_date"],
                     priority=c["priority"], status=c["status"], category=vocabulary.category(c["status"]),
                     status_label=c["status_label"], passages=sorted(here, key=lambda a: (a["start"], a["id"])),
                     elsewhere=[seen[k] for k in sorted(seen)], citations=cits, history=history,
                     history_total=b.history_total)


def audit_verdict(ledger: Any, article_id: int, as_of: date | None) -> Verdict:
    try:
        from ledger.services.audit import audit_article
    except ImportError:  # pragma: no cover - the audit ships with the ledger
        return Verdict(available=False, note="this installation has no audit service")
    report = audit_article(ledger, article_id, as_of=as_of)
    return Verdict(available=True, publishable=report.publishable, as_of=report.as_of, counts=report.counts(),
                   findings=list(report.findings))


def ledger_as_of(conn: Connection) -> tuple[str, str | None]:
    return ledger_head(conn)


def day_of(stamp: str | None) -> date | None:
    return date.fromisoformat(stamp[:10]) if stamp else None


def article_reports(ledger: Any, conn: Connection, scope: Scope, *, style: Any,
                    as_of: date | None) -> Iterator[ArticleReport]:
    """One report per article in the scope (article id order), each streaming its claims."""
    vocabulary = ledger.vocabulary
    for aid in article_ids(conn, scope):
        article = article_row(conn, aid)
        if article is None:
            continue
        citer = Citer(style, list(cited_sources(conn, aid)))
        counts = status_tally(conn, aid)

        def claims(aid: int = aid, citer: Citer = citer) -> Iterator[ClaimView]:
            for b in iter_bundles(reading_order_pages(conn, aid), conn, history_limit=HISTORY):
                yield claim_view(b, aid, citer, vocabulary)

        yield ArticleReport(article=article, verdict=audit_verdict(ledger, aid, as_of),
                            tally=tally_rows(counts, vocabulary), total=sum(counts.values()),
                            claims=claims(), citer=citer)
