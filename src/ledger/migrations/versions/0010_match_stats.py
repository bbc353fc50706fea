"""Matching at scale: how many claims hold each indexed word, kept as a table on both backends.

SQLite's ``claim_fts_vocab`` (0009) counts a word's claims by reading its whole posting list: a
hundred words looked up by a fresh ``ledger suggest`` cost half a second at a million claims.
PostgreSQL's ANALYZE statistics list only the few hundred most common lexemes at a million
claims and guess every other one at hundreds of claims. ``claim_term_stats`` holds every indexed
word with its claim count, one B-tree lookup each (in code-point order: ``COLLATE "C"`` on
PostgreSQL, so a prefix is one range), and ``claim_term_stats_at`` the chain event they were
counted at; matching counts them again once the ledger has changed enough
(``store.match_stats``). Filled here, so the first search after the upgrade is quick too.

Revision ID: 0010_match_stats
Revises: 0009_match_speed
Create Date: 2026-12-01
"""

from alembic import op

revision = "0010_match_stats"
down_revision = "0009_match_speed"
branch_labels = None
depends_on = None


def upgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    if postgres:
        op.execute('CREATE TABLE IF NOT EXISTS claim_term_stats (term TEXT COLLATE "C" PRIMARY KEY, '
                   "docs INTEGER NOT NULL)")
    else:
        op.execute("CREATE TABLE IF NOT EXISTS claim_term_stats (term TEXT PRIMARY KEY, docs INTEGER NOT NULL) "
                   "WITHOUT ROWID")
    op.execute("CREATE TABLE IF NOT EXISTS claim_term_stats_at (id INTEGER PRIMARY KEY CHECK (id = 1), "
               "event_id BIGINT NOT NULL, event_hash TEXT NOT NULL, claims INTEGER NOT NULL)")
    count = ("SELECT word, ndoc FROM ts_stat('SELECT search FROM claim')" if postgres
             else "SELECT term, doc FROM claim_fts_vocab")
    op.execute("DELETE FROM claim_term_stats_at")  # a ledger stamped older than its tables: counted afresh
    op.execute("DELETE FROM claim_term_stats")
    op.execute(f"INSERT INTO claim_term_stats (term, docs) {count}")
    op.execute("INSERT INTO claim_term_stats_at (id, event_id, event_hash, claims) "
               "SELECT 1, coalesce(m.id, 0), coalesce((SELECT hash FROM event WHERE id = m.id), ''), "
               "(SELECT count(*) FROM claim) FROM (SELECT max(id) AS id FROM event) m")


def downgrade() -> None:
    op.execute("DROP TABLE IF EXISTS claim_term_stats_at")
    op.execute("DROP TABLE IF EXISTS claim_term_stats")
