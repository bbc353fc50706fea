"""Reviews by other fact-checkers kept as published, and indexes behind every import look-up.

A ``review`` row holds one ClaimReview as its publisher published it (publisher organisation,
author person, URL, date and time as given, rating on its own scale, language tag, headline,
claimant with ``sameAs``, every appearance URL) with a stable key (its ``@id``, or one derived
from its URL and text) and how the claim's status was read from it (``read_as``: label, rating,
map, or none). Indexes: article and source URLs, review keys and claims, claim verdict labels.

Revision ID: 0005_reviews
Revises: 0004_material
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0005_reviews"
down_revision = "0004_material"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "review",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("claim_id", sa.Integer, sa.ForeignKey("claim.id"), nullable=False),
        sa.Column("review_key", sa.String, nullable=False),
        sa.Column("url", sa.String, nullable=True),
        sa.Column("date_published", sa.String, nullable=True),
        sa.Column("publisher", sa.String, nullable=True),
        sa.Column("publisher_url", sa.String, nullable=True),
        sa.Column("author", sa.String, nullable=True),
        sa.Column("author_type", sa.String, nullable=True),
        sa.Column("headline", sa.String, nullable=True),
        sa.Column("lang", sa.String, nullable=True),
        sa.Column("rating_label", sa.String, nullable=True),
        sa.Column("rating_value", sa.String, nullable=True),
        sa.Column("best_rating", sa.String, nullable=True),
        sa.Column("worst_rating", sa.String, nullable=True),
        sa.Column("claimant", sa.String, nullable=True),
        sa.Column("claimant_type", sa.String, nullable=True),
        sa.Column("claimant_same_as", sa.Text, nullable=True),
        sa.Column("item_date", sa.String, nullable=True),
        sa.Column("item_url", sa.String, nullable=True),
        sa.Column("appearance_urls", sa.Text, nullable=True),
        sa.Column("first_appearance_url", sa.String, nullable=True),
        sa.Column("read_as", sa.String, nullable=True),
        sa.Column("created_at", sa.String, nullable=False),
    )
    op.create_index("ix_review_review_key", "review", ["review_key"], unique=True)
    op.create_index("ix_review_claim_id", "review", ["claim_id"])
    op.create_index("ix_article_url", "article", ["url"])
    op.create_index("ix_source_url", "source", ["url"])
    op.create_index("ix_claim_status_label", "claim", ["status_label"])


def downgrade() -> None:
    op.drop_index("ix_claim_status_label", table_name="claim")
    op.drop_index("ix_source_url", table_name="source")
    op.drop_index("ix_article_url", table_name="article")
    op.drop_index("ix_review_claim_id", table_name="review")
    op.drop_index("ix_review_review_key", table_name="review")
    op.drop_table("review")
