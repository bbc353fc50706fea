"""Matching new texts against the ledger: merged claims and rejected suggestions.

``claim.merged_into`` holds the claim a duplicate was merged into (its id resolves there);
``match_rejection`` remembers each suggestion an editor rejected (this claim is not what that
sentence of that article says), so it is not suggested again.

Revision ID: 0008_matching
Revises: 0007_speed
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0008_matching"
down_revision = "0007_speed"
branch_labels = None
depends_on = None


def upgrade() -> None:
    inspector = sa.inspect(op.get_bind())
    # a plain ADD COLUMN on both backends: a batch copy would drop the claim table's FTS triggers
    if "merged_into" not in {c["name"] for c in inspector.get_columns("claim")}:  # a schema made from the models has it
        op.add_column("claim", sa.Column("merged_into", sa.Integer(), nullable=True))
    if "ix_claim_merged_into" not in {i["name"] for i in inspector.get_indexes("claim")}:
        op.create_index("ix_claim_merged_into", "claim", ["merged_into"])
    if inspector.has_table("match_rejection"):
        return
    op.create_table(
        "match_rejection",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("article_id", sa.Integer(), sa.ForeignKey("article.id"), nullable=False),
        sa.Column("claim_id", sa.Integer(), sa.ForeignKey("claim.id"), nullable=False),
        sa.Column("sentence", sa.Text(), nullable=False),
        sa.Column("created_at", sa.String(), nullable=False),
    )
    op.create_index("ix_match_rejection_article_id", "match_rejection", ["article_id"])


def downgrade() -> None:
    op.drop_index("ix_match_rejection_article_id", table_name="match_rejection")
    op.drop_table("match_rejection")
    op.drop_index("ix_claim_merged_into", table_name="claim")
    op.execute("ALTER TABLE claim DROP COLUMN merged_into")  # SQLite 3.35+; keeps the FTS triggers
