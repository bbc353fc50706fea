"""Source list filter through a full-text index, like the article list's.

SQLite: ``source_fts`` (title, publisher), an external-content FTS5 table kept in step by
triggers, filled from the existing sources. PostgreSQL: a generated ``search`` tsvector column on
``source`` through the ``ledger_search`` configuration (accents folded when the server has
``unaccent``), with a GIN index.

Revision ID: 0007_speed
Revises: 0006_corrections
Create Date: 2026-12-01
"""

from alembic import op

revision = "0007_speed"
down_revision = "0006_corrections"
branch_labels = None
depends_on = None

COLUMNS = ("title", "publisher")


def upgrade() -> None:  # idempotent: a ledger stamped older than its tables upgrades cleanly
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        cols = ", ".join(COLUMNS)
        new = ", ".join(f"new.{c}" for c in COLUMNS)
        old = ", ".join(f"old.{c}" for c in COLUMNS)
        op.execute(f"CREATE VIRTUAL TABLE IF NOT EXISTS source_fts USING fts5({cols}, content='source', content_rowid='id', "
                   "tokenize='unicode61 remove_diacritics 2')")
        op.execute(f"CREATE TRIGGER IF NOT EXISTS source_fts_ai AFTER INSERT ON source BEGIN "
                   f"INSERT INTO source_fts(rowid, {cols}) VALUES (new.id, {new}); END")
        op.execute(f"CREATE TRIGGER IF NOT EXISTS source_fts_ad AFTER DELETE ON source BEGIN "
                   f"INSERT INTO source_fts(source_fts, rowid, {cols}) VALUES ('delete', old.id, {old}); END")
        op.execute(f"CREATE TRIGGER IF NOT EXISTS source_fts_au AFTER UPDATE OF {cols} ON source BEGIN "
                   f"INSERT INTO source_fts(source_fts, rowid, {cols}) VALUES ('delete', old.id, {old}); "
                   f"INSERT INTO source_fts(rowid, {cols}) VALUES (new.id, {new}); END")
        op.execute("INSERT INTO source_fts(source_fts) VALUES ('rebuild')")
    elif bind.dialect.name == "postgresql":
        op.execute("ALTER TABLE source ADD COLUMN IF NOT EXISTS search tsvector GENERATED ALWAYS AS "
                   "(to_tsvector('ledger_search'::regconfig, coalesce(title, '') || ' ' || coalesce(publisher, '')))"
                   " STORED")
        op.execute("CREATE INDEX IF NOT EXISTS ix_source_search ON source USING gin (search)")


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        for trigger in ("source_fts_ai", "source_fts_ad", "source_fts_au"):
            op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
        op.execute("DROP TABLE IF EXISTS source_fts")
    elif bind.dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_source_search")
        op.execute("ALTER TABLE source DROP COLUMN IF EXISTS search")
