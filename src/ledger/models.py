"""The ledger's tables (SQLModel) and the read models the store hands out.

Tables mirror DESIGN.md: Article, Claim, Appearance (a claim inside one article), Source,
Citation (claim <-> source) and Event (the append-only, hash-chained history).
The schema itself is created by the Alembic migrations in ``ledger/migrations``; these classes
describe it for queries and must stay in step with the latest migration.
"""

from __future__ import annotations

from datetime import date
from typing import Optional

from sqlalchemy import Boolean, Column, false
from sqlmodel import Field, SQLModel

# the closed vocabularies live in ledger.vocabulary (cheap to import); kept importable from here
from ledger.vocabulary import ARTICLE_STATES, CLAIM_KINDS, RELIABILITY_GRADES, SOURCE_KINDS, STANCES  # noqa: F401
# the read models live in ledger.rows (no SQLAlchemy there); kept importable from here
from ledger.rows import (AppearanceRow, ArticleRow, ArticleView, CaptureRow, CitationRow, ClaimDetail,  # noqa: F401
                         ClaimRow, EventRow, SearchHit, SourceRow)


class Article(SQLModel, table=True):
    id: Optional[int] = Field(default=None, primary_key=True)
    title: str
    outlet: Optional[str] = None
    author: Optional[str] = None
    url: Optional[str] = None
    lang: Optional[str] = None
    published: Optional[date] = None
    state: str = "draft"
    body: str
    content_hash: str
    revision: int = 1
    created_at: str
    updated_at: str
    version: int = 1
    # where the text came from (migration 0004_material): the original bytes in sources/
    origin_name: Optional[str] = None
    origin_file: Optional[str] = None
    origin_sha256: Optional[str] = None
    origin_media_type: Optional[str] = None
    origin_url: Optional[str] = None
    published_edtf: Optional[str] = None  # "2024-01" / "2024" when the date is not a full day


class ArticleRevision(SQLModel, table=True):
    __tablename__ = "article_revision"
    id: Optional[int] = Field(default=None, primary_key=True)
    article_id: int = Field(foreign_key="article.id", index=True)
    revision: int
    body: str
    content_hash: str
    created_at: str
    actor: str


class Claim(SQLModel, table=True):
    id: Optional[int] = Field(default=None, primary_key=True)
    text: str
    kind: str = "assertion"
    claimant: Optional[str] = None
    claim_date: Optional[date] = None
    priority: int = 2
    status: str = "unverified"
    status_label: Optional[str] = None
    created_at: str
    updated_at: str
    updated_by: str
    version: int = 1
    claim_date_edtf: Optional[str] = None
    merged_into: Optional[int] = Field(default=None, index=True)  # a duplicate: the claim it was merged into


class MatchRejection(SQLModel, table=True):
    """A suggestion an editor rejected: this claim is not what that sentence of the article says."""

    __tablename__ = "match_rejection"
    id: Optional[int] = Field(default=None, primary_key=True)
    article_id: int = Field(foreign_key="article.id", index=True)
    claim_id: int = Field(foreign_key="claim.id")
    sentence: str
    created_at: str


class Appearance(SQLModel, table=True):
    id: Optional[int] = Field(default=None, primary_key=True)
    claim_id: int = Field(foreign_key="claim.id", index=True)
    article_id: int = Field(foreign_key="article.id", index=True)
    quote: str
    start: int
    end: int
    prefix: str = ""
    suffix: str = ""
    orphaned: bool = False
    created_at: str
    # reworded by a revision after its claim was judged; cleared by a confirm or a new status. The
    # database fills it in (server default), so writers that predate it never name it; a JSON export
    # made before it existed restores with the value in ``info``.
    needs_confirm: bool = Field(default=False, sa_column=Column(
        "needs_confirm", Boolean, nullable=False, server_default=false(), info={"restore_default": False}))


class Source(SQLModel, table=True):
    id: Optional[int] = Field(default=None, primary_key=True)
    kind: str = "document"
    title: str
    publisher: Optional[str] = None
    author: Optional[str] = None
    url: Optional[str] = None
    published: Optional[date] = None
    accessed: Optional[date] = None
    reliability: Optional[str] = None
    sha256: Optional[str] = Field(default=None, index=True)
    file_name: Optional[str] = None
    media_type: Optional[str] = None
    size: Optional[int] = None
    created_at: str
    published_edtf: Optional[str] = None


class Capture(SQLModel, table=True):
    """One fetch of a URL source: the WARC record in sources/ and the page's readable text."""
    id: Optional[int] = Field(default=None, primary_key=True)
    source_id: int = Field(foreign_key="source.id", index=True)
    version: int
    url: str
    final_url: str
    status: int
    fetched_at: str
    media_type: Optional[str] = None
    size: int
    body_sha256: str
    warc_file: str
    warc_sha256: str
    text: Optional[str] = None
    text_sha256: Optional[str] = None
    actor: str


class Citation(SQLModel, table=True):
    id: Optional[int] = Field(default=None, primary_key=True)
    claim_id: int = Field(foreign_key="claim.id", index=True)
    source_id: int = Field(foreign_key="source.id", index=True)
    stance: str
    excerpt: Optional[str] = None
    locator: Optional[str] = None
    created_at: str
    retracted_at: Optional[str] = None  # a retracted citation stays, marked, and no longer counts as evidence
    retracted_by: Optional[str] = None
    retraction_note: Optional[str] = None


class Review(SQLModel, table=True):
    """A ClaimReview published by another fact-checker, kept as it was published."""

    id: Optional[int] = Field(default=None, primary_key=True)
    claim_id: int = Field(foreign_key="claim.id", index=True)
    review_key: str = Field(index=True, unique=True)  # the @id (given, or derived from url and text)
    url: Optional[str] = None
    date_published: Optional[str] = None  # date and time exactly as given
    publisher: Optional[str] = None  # the reviewing organisation
    publisher_url: Optional[str] = None
    author: Optional[str] = None  # the review's author as given (a person, usually)
    author_type: Optional[str] = None  # Person | Organization
    headline: Optional[str] = None
    lang: Optional[str] = None  # BCP 47 tag as given
    rating_label: Optional[str] = None
    rating_value: Optional[str] = None
    best_rating: Optional[str] = None
    worst_rating: Optional[str] = None
    claimant: Optional[str] = None
    claimant_type: Optional[str] = None
    claimant_same_as: Optional[str] = None  # JSON list of URLs
    item_date: Optional[str] = None  # itemReviewed datePublished as given
    item_url: Optional[str] = None  # itemReviewed url
    appearance_urls: Optional[str] = None  # JSON list: itemReviewed appearance URLs
    first_appearance_url: Optional[str] = None
    read_as: Optional[str] = None  # how the claim's status was read: label | rating | map | None
    created_at: str


class Event(SQLModel, table=True):
    id: Optional[int] = Field(default=None, primary_key=True)
    at: str
    actor: str
    action: str
    entity: str
    entity_id: Optional[int] = None
    claim_id: Optional[int] = Field(default=None, index=True)
    article_id: Optional[int] = Field(default=None, index=True)
    payload: str = "{}"
    prev_hash: str
    hash: str


class RowBaseline(SQLModel, table=True):
    """The rows a ledger held when it was brought under replay (migration 0003), one per row, their
    values as canonical JSON; the ``ledger.baseline`` event records their count and SHA-256."""

    __tablename__ = "row_baseline"
    id: Optional[int] = Field(default=None, primary_key=True)
    tbl: str
    row_id: int
    vals: str


class Meta(SQLModel, table=True):
    __tablename__ = "ledger_meta"
    key: str = Field(primary_key=True)
    value: str

