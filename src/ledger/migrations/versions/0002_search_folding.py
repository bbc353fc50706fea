"""PostgreSQL search folds accents like SQLite's FTS5 does: "coreens" finds "coréens".

A text search configuration ``ledger_search`` (a copy of ``simple``, with the ``unaccent``
dictionary in front when the server has that extension) replaces ``simple`` in the generated
``search`` columns; ``store.search`` queries through the same configuration. SQLite is
unchanged (its FTS5 tables already remove diacritics).

Revision ID: 0002_search_folding
Revises: 0001
Create Date: 2026-11-22
"""

import sqlalchemy as sa
from alembic import op

revision = "0002_search_folding"
down_revision = "0001"
branch_labels = None
depends_on = None

CONFIG = "ledger_search"
TSV_POSTGRES = [
    ("claim", "coalesce(text, '') || ' ' || coalesce(claimant, '')"),
    ("appearance", "coalesce(quote, '')"),
    ("article", "coalesce(title, '') || ' ' || coalesce(outlet, '')"),
]


def _has_unaccent(bind: sa.Connection) -> bool:
    """Create the ``unaccent`` extension if the server ships it and we may (it is a trusted
    extension, so a database owner may); without it search still works, without folding."""
    try:
        with bind.begin_nested():
            bind.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS unaccent")
        return True
    except sa.exc.DBAPIError:
        return False


def _regenerate(config: str) -> None:
    for table, expr in TSV_POSTGRES:
        op.execute(f"DROP INDEX IF EXISTS ix_{table}_search")
        op.execute(f"ALTER TABLE {table} DROP COLUMN IF EXISTS search")
        op.execute(
            f"ALTER TABLE {table} ADD COLUMN search tsvector "
            f"GENERATED ALWAYS AS (to_tsvector('{config}'::regconfig, {expr})) STORED"
        )
        op.execute(f"CREATE INDEX ix_{table}_search ON {table} USING gin (search)")


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    fold = _has_unaccent(bind)
    op.execute(f"CREATE TEXT SEARCH CONFIGURATION {CONFIG} (COPY = pg_catalog.simple)")
    if fold:
        op.execute(f"ALTER TEXT SEARCH CONFIGURATION {CONFIG} "
                   "ALTER MAPPING FOR word, hword, hword_part WITH unaccent, simple")
    _regenerate(CONFIG)


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    _regenerate("simple")
    op.execute(f"DROP TEXT SEARCH CONFIGURATION IF EXISTS {CONFIG}")
