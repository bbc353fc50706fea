"""Corrections that keep history: retracted citations and passages reworded after the verdict.

A citation is never deleted: retracting it stamps who, when and why (``retracted_at``,
``retracted_by``, ``retraction_note``) and it stops counting as evidence. An appearance whose
passage a revision reworded (a fuzzy re-anchor) while its claim was already judged carries
``needs_confirm`` until a checker confirms the verdict for the new words or changes the status.

Plain ADD COLUMN on both backends (batch mode on SQLite adds columns without rebuilding the
table, so the full-text triggers on ``appearance`` stay in place).

Revision ID: 0006_corrections
Revises: 0002_search_folding
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0006_corrections"
down_revision = "0002_search_folding"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("citation") as batch:
        batch.add_column(sa.Column("retracted_at", sa.Text, nullable=True))
        batch.add_column(sa.Column("retracted_by", sa.Text, nullable=True))
        batch.add_column(sa.Column("retraction_note", sa.Text, nullable=True))
    with op.batch_alter_table("appearance") as batch:
        batch.add_column(sa.Column("needs_confirm", sa.Boolean, nullable=False, server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table("appearance") as batch:
        batch.drop_column("needs_confirm")
    with op.batch_alter_table("citation") as batch:
        batch.drop_column("retraction_note")
        batch.drop_column("retracted_by")
        batch.drop_column("retracted_at")
