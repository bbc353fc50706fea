"""The ledger's tables (SQLModel) and the read models the store hands out.

Tables mirror DESIGN.md: Article, Claim, Appearance (a claim inside one article), Source,
Citation (claim <-> source) and Event (the append-only, hash-chained history).
The schema itself is created by the Alembic migrations in ``ledger/migrations``; these classes
describe it for queries and must stay in step with the latest migration.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Optional

from sqlalchemy import Boolean, Column, false
from sqlmodel import Field, SQLModel

ARTICLE_STATES = ("draft", "in_review", "approved", "published")
CLAIM_KINDS = ("assertion", "attribution")
STANCES = ("supports", "refutes", "context")
SOURCE_KINDS = ("document", "web", "official", "person", "wire", "dataset")
RELIABILITY_GRADES = ("A", "B", "C", "D", "E", "F")


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


class Meta(SQLModel, table=True):
    __tablename__ = "ledger_meta"
    key: str = Field(primary_key=True)
    value: str


# ---------------------------------------------------------------- read models
# Plain, immutable values handed to the CLI, the exports and the TUI. No session attached.


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
