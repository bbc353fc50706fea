"""Matching at scale: how common each indexed word is, for planning candidate searches.

SQLite: ``claim_fts_vocab``, an fts5vocab table over ``claim_fts`` (one row per indexed word
with the number of claims holding it; read from the index itself, so never stale and nothing
to fill). PostgreSQL: the statistics ANALYZE keeps on ``claim.search`` list its most common
lexemes with their frequencies; the target is raised so ten thousand of them are kept.

Revision ID: 0009_match_speed
Revises: 0009_speed_more
Create Date: 2026-12-01
"""

from alembic import op

revision = "0009_match_speed"
down_revision = "0009_speed_more"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE claim ALTER COLUMN search SET STATISTICS 1000")
        op.execute("ANALYZE claim")
    else:
        op.execute("CREATE VIRTUAL TABLE IF NOT EXISTS claim_fts_vocab USING fts5vocab(claim_fts, row)")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE claim ALTER COLUMN search SET STATISTICS -1")
    else:
        op.execute("DROP TABLE IF EXISTS claim_fts_vocab")
