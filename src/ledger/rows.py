"""The read models the store hands out: plain, immutable values with no session attached.

They are what the command line, the exports and the TUI show. Kept apart from the tables
(``ledger.models``, SQLModel) so that a read done with plain SQL (``store.claim_reads``) builds
the same values without loading SQLAlchemy.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any


@dataclass(frozen=True)
class ArticleRow:
    id: int
    title: str
    outlet: str | None
    author: str | None
    url: str | None
    lang: str | None
    published: date | None
    state: str
    content_hash: str
    revision: int
    claim_count: int = 0
    status_counts: dict[str, int] = field(default_factory=dict)
    category_counts: dict[str, int] = field(default_factory=dict)  # open/pass/fail/unresolved, each apart
    origin_name: str | None = None
    origin_file: str | None = None
    origin_sha256: str | None = None
    origin_media_type: str | None = None
    origin_url: str | None = None


@dataclass(frozen=True)
class AppearanceRow:
    id: int
    claim_id: int
    article_id: int
    quote: str
    start: int
    end: int
    prefix: str
    suffix: str
    orphaned: bool
    article_title: str | None = None
    needs_confirm: bool = False


@dataclass(frozen=True)
class CitationRow:
    id: int
    claim_id: int
    source_id: int
    stance: str
    excerpt: str | None
    locator: str | None
    source_title: str | None = None
    source_publisher: str | None = None
    source_kind: str | None = None
    retracted_at: str | None = None
    retracted_by: str | None = None
    retraction_note: str | None = None
    retracted: bool = False  # no longer counts as evidence (kept, with who/when/why above)


@dataclass(frozen=True)
class EventRow:
    id: int
    at: str
    actor: str
    action: str
    entity: str
    entity_id: int | None
    claim_id: int | None
    article_id: int | None
    payload: dict[str, Any]
    prev_hash: str
    hash: str


@dataclass(frozen=True)
class ClaimRow:
    id: int
    text: str
    kind: str
    claimant: str | None
    claim_date: date | None
    priority: int
    status: str
    status_label: str | None
    created_at: str
    updated_at: str
    updated_by: str
    version: int


@dataclass(frozen=True)
class ClaimDetail:
    claim: ClaimRow
    appearances: list[AppearanceRow]
    citations: list[CitationRow]
    history: list[EventRow]


@dataclass(frozen=True)
class SourceRow:
    id: int
    kind: str
    title: str
    publisher: str | None
    author: str | None
    url: str | None
    published: date | None
    accessed: date | None
    reliability: str | None
    sha256: str | None
    file_name: str | None
    media_type: str | None
    size: int | None
    citation_count: int = 0


@dataclass(frozen=True)
class CaptureRow:
    id: int
    source_id: int
    version: int
    url: str
    final_url: str
    status: int
    fetched_at: str
    media_type: str | None
    size: int
    body_sha256: str
    warc_file: str
    warc_sha256: str
    text_sha256: str | None
    actor: str


@dataclass(frozen=True)
class SearchHit:
    kind: str  # "claim" | "appearance" | "article"
    id: int
    claim_id: int | None
    article_id: int | None
    text: str
    snippet: str
    rank: float


@dataclass(frozen=True)
class ArticleView:
    """One article as a reader sees it: its text and every claim anchored in it."""

    article: ArticleRow
    body: str
    appearances: list[AppearanceRow]  # reading order
    claims: dict[int, ClaimRow]  # the claims those appearances belong to, by id


# A review by another fact-checker (imported ClaimReview), as published: the columns of ``review``
REVIEW_FIELDS = ("claim_id", "review_key", "url", "date_published", "publisher", "publisher_url", "author",
                 "author_type", "headline", "lang", "rating_label", "rating_value", "best_rating", "worst_rating",
                 "claimant", "claimant_type", "claimant_same_as", "item_date", "item_url", "appearance_urls",
                 "first_appearance_url", "read_as")
REVIEW_LIST_FIELDS = ("claimant_same_as", "appearance_urls")  # JSON lists in their columns


@dataclass(frozen=True)
class ReviewRow:
    id: int
    claim_id: int
    review_key: str
    url: str | None
    date_published: str | None
    publisher: str | None
    publisher_url: str | None
    author: str | None
    author_type: str | None
    headline: str | None
    lang: str | None
    rating_label: str | None
    rating_value: str | None
    best_rating: str | None
    worst_rating: str | None
    claimant: str | None
    claimant_type: str | None
    claimant_same_as: list[str]
    item_date: str | None
    item_url: str | None
    appearance_urls: list[str]
    first_appearance_url: str | None
    read_as: str | None
