"""The ledger's first schema: articles, claims, appearances, sources, citations, events, search.

Revision ID: 0001
Revises:
Create Date: 2026-11-21
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

FTS_SQLITE = [
    # (fts table, content table, columns)
    ("claim_fts", "claim", ("text", "claimant")),
    ("appearance_fts", "appearance", ("quote",)),
    ("article_fts", "article", ("title", "outlet")),
]

# PostgreSQL: a generated tsvector column per searched table, with a GIN index.
TSV_POSTGRES = [
    ("claim", "coalesce(text, '') || ' ' || coalesce(claimant, '')"),
    ("appearance", "coalesce(quote, '')"),
    ("article", "coalesce(title, '') || ' ' || coalesce(outlet, '')"),
]


def upgrade() -> None:
    op.create_table(
        "article",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("title", sa.String, nullable=False),
        sa.Column("outlet", sa.String),
        sa.Column("author", sa.String),
        sa.Column("url", sa.String),
        sa.Column("lang", sa.String),
        sa.Column("published", sa.Date),
        sa.Column("state", sa.String, nullable=False, server_default="draft"),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("content_hash", sa.String, nullable=False),
        sa.Column("revision", sa.Integer, nullable=False, server_default="1"),
        sa.Column("created_at", sa.String, nullable=False),
        sa.Column("updated_at", sa.String, nullable=False),
        sa.Column("version", sa.Integer, nullable=False, server_default="1"),
    )
    op.create_index("ix_article_published", "article", ["published"])
    op.create_table(
        "article_revision",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("article_id", sa.Integer, sa.ForeignKey("article.id"), nullable=False),
        sa.Column("revision", sa.Integer, nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("content_hash", sa.String, nullable=False),
        sa.Column("created_at", sa.String, nullable=False),
        sa.Column("actor", sa.String, nullable=False),
        sa.UniqueConstraint("article_id", "revision", name="uq_article_revision"),
    )
    op.create_index("ix_article_revision_article_id", "article_revision", ["article_id"])
    op.create_table(
        "claim",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("kind", sa.String, nullable=False, server_default="assertion"),
        sa.Column("claimant", sa.String),
        sa.Column("claim_date", sa.Date),
        sa.Column("priority", sa.Integer, nullable=False, server_default="2"),
        sa.Column("status", sa.String, nullable=False, server_default="unverified"),
        sa.Column("status_label", sa.String),
        sa.Column("created_at", sa.String, nullable=False),
        sa.Column("updated_at", sa.String, nullable=False),
        sa.Column("updated_by", sa.String, nullable=False),
        sa.Column("version", sa.Integer, nullable=False, server_default="1"),
    )
    op.create_index("ix_claim_status", "claim", ["status", "id"])
    op.create_table(
        "appearance",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("claim_id", sa.Integer, sa.ForeignKey("claim.id"), nullable=False),
        sa.Column("article_id", sa.Integer, sa.ForeignKey("article.id"), nullable=False),
        sa.Column("quote", sa.Text, nullable=False),
        sa.Column("start", sa.Integer, nullable=False),
        sa.Column("end", sa.Integer, nullable=False),
        sa.Column("prefix", sa.Text, nullable=False, server_default=""),
        sa.Column("suffix", sa.Text, nullable=False, server_default=""),
        sa.Column("orphaned", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("created_at", sa.String, nullable=False),
    )
    op.create_index("ix_appearance_claim_id", "appearance", ["claim_id"])
    op.create_index("ix_appearance_article_id", "appearance", ["article_id", "start"])
    op.create_table(
        "source",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("kind", sa.String, nullable=False, server_default="document"),
        sa.Column("title", sa.String, nullable=False),
        sa.Column("publisher", sa.String),
        sa.Column("author", sa.String),
        sa.Column("url", sa.String),
        sa.Column("published", sa.Date),
        sa.Column("accessed", sa.Date),
        sa.Column("reliability", sa.String(1)),
        sa.Column("sha256", sa.String(64)),
        sa.Column("file_name", sa.String),
        sa.Column("media_type", sa.String),
        sa.Column("size", sa.BigInteger),
        sa.Column("created_at", sa.String, nullable=False),
    )
    op.create_index("ix_source_sha256", "source", ["sha256"])
    op.create_table(
        "citation",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("claim_id", sa.Integer, sa.ForeignKey("claim.id"), nullable=False),
        sa.Column("source_id", sa.Integer, sa.ForeignKey("source.id"), nullable=False),
        sa.Column("stance", sa.String, nullable=False),
        sa.Column("excerpt", sa.Text),
        sa.Column("locator", sa.String),
        sa.Column("created_at", sa.String, nullable=False),
    )
    op.create_index("ix_citation_claim_id", "citation", ["claim_id"])
    op.create_index("ix_citation_source_id", "citation", ["source_id"])
    op.create_table(
        "event",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("at", sa.String, nullable=False),
        sa.Column("actor", sa.String, nullable=False),
        sa.Column("action", sa.String, nullable=False),
        sa.Column("entity", sa.String, nullable=False),
        sa.Column("entity_id", sa.Integer),
        sa.Column("claim_id", sa.Integer),
        sa.Column("article_id", sa.Integer),
        sa.Column("payload", sa.Text, nullable=False, server_default="{}"),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
    )
    op.create_index("ix_event_claim_id", "event", ["claim_id"])
    op.create_index("ix_event_article_id", "event", ["article_id"])
    op.create_table(
        "ledger_meta",
        sa.Column("key", sa.String, primary_key=True),
        sa.Column("value", sa.Text, nullable=False),
    )

    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        for fts, table, cols in FTS_SQLITE:
            _sqlite_fts(fts, table, cols)
    elif bind.dialect.name == "postgresql":
        for table, expr in TSV_POSTGRES:
            op.execute(
                f"ALTER TABLE {table} ADD COLUMN search tsvector "
                f"GENERATED ALWAYS AS (to_tsvector('simple', {expr})) STORED"
            )
            op.execute(f"CREATE INDEX ix_{table}_search ON {table} USING gin (search)")


def _sqlite_fts(fts: str, table: str, cols: tuple[str, ...]) -> None:
    collist = ", ".join(cols)
    new = ", ".join(f"new.{c}" for c in cols)
    old = ", ".join(f"old.{c}" for c in cols)
    op.execute(
        f"CREATE VIRTUAL TABLE {fts} USING fts5({collist}, content='{table}', content_rowid='id', "
        "tokenize='unicode61 remove_diacritics 2')"
    )
    op.execute(
        f"CREATE TRIGGER {fts}_ai AFTER INSERT ON {table} BEGIN "
        f"INSERT INTO {fts}(rowid, {collist}) VALUES (new.id, {new}); END"
    )
    op.execute(
        f"CREATE TRIGGER {fts}_ad AFTER DELETE ON {table} BEGIN "
        f"INSERT INTO {fts}({fts}, rowid, {collist}) VALUES ('delete', old.id, {old}); END"
    )
    op.execute(
        f"CREATE TRIGGER {fts}_au AFTER UPDATE OF {collist} ON {table} BEGIN "
        f"INSERT INTO {fts}({fts}, rowid, {collist}) VALUES ('delete', old.id, {old}); "
        f"INSERT INTO {fts}(rowid, {collist}) VALUES (new.id, {new}); END"
    )


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        for fts, _table, _cols in FTS_SQLITE:
            op.execute(f"DROP TABLE IF EXISTS {fts}")
    for table in ("ledger_meta", "event", "citation", "source", "appearance", "claim",
                  "article_revision", "article"):
        op.drop_table(table)
