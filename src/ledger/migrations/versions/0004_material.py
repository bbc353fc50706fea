"""Real material: where an article's text came from, dates at the precision given, web captures.

- ``article``: the original document kept in ``sources/`` (``origin_file``, ``origin_sha256``,
  ``origin_media_type``, ``origin_name`` — the file name or address it was read from —
  ``origin_url``, the final address when it was fetched) and ``published_edtf``.
- ``claim.claim_date_edtf``, ``source.published_edtf``: a date known only to the month or the
  year, as a level-0 EDTF string (``2024-01``, ``2024``); the date column beside it holds the
  first day the date covers, so ordering and comparisons keep working. NULL means a full day.
- ``capture``: one fetch of a URL source — the WARC file in ``sources/``, the response's status,
  type and size, its body's SHA-256 and the readable text kept for excerpt checks. A refresh adds
  a version; none is ever overwritten.

Plain ``ADD COLUMN`` on SQLite (nullable columns need no table rebuild, so the full-text
triggers on ``article`` and ``claim`` stay as they are).

Revision ID: 0004_material
Revises: 0003_replay
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0004_material"
down_revision = "0003_replay"
branch_labels = None
depends_on = None

ARTICLE_COLUMNS = ("origin_name", "origin_file", "origin_sha256", "origin_media_type", "origin_url", "published_edtf")


def upgrade() -> None:
    # A restored backup may carry these already under an older version stamp: add what is missing.
    inspector = sa.inspect(op.get_bind())

    def add(table: str, name: str) -> None:
        if name not in {c["name"] for c in inspector.get_columns(table)}:
            op.add_column(table, sa.Column(name, sa.String, nullable=True))

    for name in ARTICLE_COLUMNS:
        add("article", name)
    add("claim", "claim_date_edtf")
    add("source", "published_edtf")
    if inspector.has_table("capture"):
        return
    op.create_table(
        "capture",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("source_id", sa.Integer, sa.ForeignKey("source.id"), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("url", sa.String, nullable=False),
        sa.Column("final_url", sa.String, nullable=False),
        sa.Column("status", sa.Integer, nullable=False),
        sa.Column("fetched_at", sa.String, nullable=False),
        sa.Column("media_type", sa.String, nullable=True),
        sa.Column("size", sa.Integer, nullable=False),
        sa.Column("body_sha256", sa.String, nullable=False),
        sa.Column("warc_file", sa.String, nullable=False),
        sa.Column("warc_sha256", sa.String, nullable=False),
        sa.Column("text", sa.Text, nullable=True),
        sa.Column("text_sha256", sa.String, nullable=True),
        sa.Column("actor", sa.String, nullable=False),
        sa.UniqueConstraint("source_id", "version", name="uq_capture_version"),
    )
    op.create_index("ix_capture_source_id", "capture", ["source_id"])


def downgrade() -> None:
    op.drop_index("ix_capture_source_id", table_name="capture")
    op.drop_table("capture")
    with op.batch_alter_table("source") as batch:
        batch.drop_column("published_edtf")
    with op.batch_alter_table("claim") as batch:
        batch.drop_column("claim_date_edtf")
    with op.batch_alter_table("article") as batch:
        for name in reversed(ARTICLE_COLUMNS):
            batch.drop_column(name)
