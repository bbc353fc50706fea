"""Corrections that keep history: retracted citations and passages reworded after the verdict.

A citation is never deleted: retracting it stamps who, when and why (``retracted_at``,
``retracted_by``, ``retraction_note``) and it stops counting as evidence. An appearance whose
passage a revision reworded (a fuzzy re-anchor) while its claim was already judged carries
``needs_confirm`` until a checker confirms the verdict for the new words or changes the status.

Plain ADD COLUMN on both backends, so SQLite keeps its tables (and their full-text triggers).

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


COLUMNS = (
    ("citation", lambda: sa.Column("retracted_at", sa.Text, nullable=True)),
    ("citation", lambda: sa.Column("retracted_by", sa.Text, nullable=True)),
    ("citation", lambda: sa.Column("retraction_note", sa.Text, nullable=True)),
    ("appearance", lambda: sa.Column("needs_confirm", sa.Boolean, nullable=False, server_default=sa.false())),
)


def _present(table: str) -> set[str]:
    return {c["name"] for c in sa.inspect(op.get_bind()).get_columns(table)}


def upgrade() -> None:
    # Plain ALTER TABLE ADD COLUMN on both backends: a batch "move and copy" on SQLite would rebuild
    # the tables and drop the full-text triggers that keep appearance_fts in step. A column already
    # there (a ledger stamped with an older revision than its schema) is left as it is.
    for table, column in COLUMNS:
        col = column()
        if col.name not in _present(table):
            op.add_column(table, col)


def downgrade() -> None:
    for table, column in reversed(COLUMNS):
        name = column().name
        if name in _present(table):
            op.drop_column(table, name)
