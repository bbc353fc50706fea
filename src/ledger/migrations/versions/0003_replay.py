"""Replay: bring a ledger written before events carried their row changes under replay.

From this revision every event that writes a state row lists the change in its payload (``rows``,
see ``ledger.store.events``), and ``ledger verify`` rebuilds every row from the chain. A ledger
made before has rows no event describes exactly. This migration gives it a starting point:

- a table ``row_baseline`` (tbl, row_id, vals): every article, revision, claim, appearance,
  source and citation as it stands now, its columns as canonical JSON;
- ONE event, ``ledger.baseline``, whose payload holds the number of rows per table and the
  SHA-256 of the whole copy (each row hashed as ``table<TAB>id<TAB>json<LF>`` in table-name,
  then id order).

Why a side table and a digest rather than the rows in the event: a million-claim ledger would
make one event of several hundred megabytes, built in memory, hashed and shipped in every JSON
backup as one line; per-row digests alone would not do either, since a later event changes only
some columns and replay needs the others' values. The copy is written a page at a time (bounded
memory), the event stays a few hundred bytes, and editing a baseline row breaks the digest the
chain holds. Replay reads the copy at the baseline event's place in the chain, as if each row
had been put there.

An empty ledger gets the table and no event. The columns copied are frozen here, as they stand
at this revision; later columns start from their defaults in replay.

Revision ID: 0003_replay
Revises: 0002_search_folding
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0003_replay"
down_revision = "0002_search_folding"
branch_labels = None
depends_on = None

S, I, D, B = sa.String, sa.Integer, sa.Date, sa.Boolean
COLUMNS = {
    "article": [("title", S), ("outlet", S), ("author", S), ("url", S), ("lang", S), ("published", D),
                ("state", S), ("body", S), ("content_hash", S), ("revision", I), ("created_at", S),
                ("updated_at", S), ("version", I)],
    "article_revision": [("article_id", I), ("revision", I), ("body", S), ("content_hash", S), ("created_at", S),
                         ("actor", S)],
    "claim": [("text", S), ("kind", S), ("claimant", S), ("claim_date", D), ("priority", I), ("status", S),
              ("status_label", S), ("created_at", S), ("updated_at", S), ("updated_by", S), ("version", I)],
    "appearance": [("claim_id", I), ("article_id", I), ("quote", S), ("start", I), ("end", I), ("prefix", S),
                   ("suffix", S), ("orphaned", B), ("created_at", S)],
    "source": [("kind", S), ("title", S), ("publisher", S), ("author", S), ("url", S), ("published", D),
               ("accessed", D), ("reliability", S), ("sha256", S), ("file_name", S), ("media_type", S),
               ("size", I)] + [("created_at", S)],
    "citation": [("claim_id", I), ("source_id", I), ("stance", S), ("excerpt", S), ("locator", S),
                 ("created_at", S)],
}


def upgrade() -> None:
    if "row_baseline" in sa.inspect(op.get_bind()).get_table_names():
        return  # already brought under replay (a copy whose recorded revision was set back)
    op.create_table(
        "row_baseline",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("tbl", sa.String, nullable=False),
        sa.Column("row_id", sa.Integer, nullable=False),
        sa.Column("vals", sa.String, nullable=False),
    )
    op.create_index("ix_row_baseline_tbl_row", "row_baseline", ["tbl", "row_id"], unique=True)
    from ledger.store.baseline import write_baseline

    tables = {name: (sa.table(name, sa.column("id", sa.Integer), *(sa.column(c, t) for c, t in cols)),
                     [c for c, _ in cols])
              for name, cols in COLUMNS.items()}
    write_baseline(op.get_bind(), tables, actor="migration")


def downgrade() -> None:
    op.drop_index("ix_row_baseline_tbl_row", table_name="row_baseline")
    op.drop_table("row_baseline")
