"""How many claims hold each indexed word, on SQLite: the statistics matching plans its searches with.

``claim_fts_vocab`` reads a word's whole posting list to count its claims (a millisecond for a
word of a few thousand claims, ten for a common one): the four hundred words of a 100-sentence
article cost half a second at a million claims. ``claim_term_stats`` keeps every indexed word
with its count, counted in one pass over the index and looked up by its primary key, as
PostgreSQL's ANALYZE keeps ``pg_stats``. ``claim_term_stats_at`` names the chain event they were
counted at (id and hash): the statistics are counted again when the chain has grown by more than
``DRIFT`` events a claim since, or when that event is no longer the one recorded (a restore).

Counts only steer which searches are run and how much each word weighs; a word the statistics
do not know (new since they were counted) is searched alone, as a rare one. Counting needs a
write: when the ledger cannot be written (another writer holds it, a read-only file) the counts
are kept for this process only.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from typing import Any, Callable

from ledger.store.plain import Run
from ledger.workspace import busy_timeout_ms

DRIFT = 0.02  # chain events a claim after which the counts are taken again
STATS = "claim_term_stats"
VOCAB = "claim_fts_vocab"


@dataclass
class Counts:
    """Counts kept in memory (when they could not be stored): sorted words and their claims."""
    words: list[str]
    docs: list[int]

    def range(self, lo: str, hi: str) -> list[tuple[str, int]]:
        i, j = bisect.bisect_left(self.words, lo), bisect.bisect_left(self.words, hi)
        return list(zip(self.words[i:j], self.docs[i:j]))

    def get(self, word: str) -> int | None:
        i = bisect.bisect_left(self.words, word)
        return self.docs[i] if i < len(self.words) and self.words[i] == word else None


def source(run: Run) -> str | Counts:
    """Where this ledger has its words' counts: ``claim_term_stats`` when they are current
    (counted again first if they are not), ``Counts`` when they had to be counted but could not
    be stored (``run.write``, when set, stores them), ``claim_fts_vocab`` on a ledger without the
    table."""
    try:
        at = run("SELECT event_id, event_hash, claims FROM claim_term_stats_at WHERE id = 1")
    except Exception:  # noqa: BLE001 - a ledger migrated by an older version: no table yet
        return VOCAB
    latest = run("SELECT coalesce(max(id), 0) FROM event")[0][0]
    if at:
        event_id, event_hash, claims = at[0]
        same = run("SELECT hash FROM event WHERE id = ?", (event_id,))
        if (same[0][0] if same else "") == event_hash and latest - event_id <= DRIFT * claims:
            return STATS
    rows = run(f"SELECT term, doc FROM {VOCAB}")
    head = run("SELECT hash FROM event WHERE id = ?", (latest,))
    claims = run("SELECT count(*) FROM claim")[0][0]
    write = getattr(run, "write", None)
    if write is not None and write(rows, (latest, head[0][0] if head else "", claims)):
        return STATS
    rows.sort()
    return Counts([w for w, _ in rows], [d for _, d in rows])


Writer = Callable[[list[tuple[str, int]], tuple[int, str, int]], bool]


def joined(dbapi: Any) -> Writer:
    """Store the counts in the transaction ``dbapi`` (a DBAPI connection) is already writing in."""
    def write(rows: list[tuple[str, int]], at: tuple[int, str, int]) -> bool:
        _write(dbapi, rows, at)
        return True
    return write


def own_transaction(connect: Callable[[], Any]) -> Writer:
    """Store the counts in a transaction of their own on a connection ``connect()`` gives (closed
    after); False when the ledger cannot be written now (another writer, a read-only file)."""
    def write(rows: list[tuple[str, int]], at: tuple[int, str, int]) -> bool:
        try:
            raw = connect()
        except Exception:  # noqa: BLE001 - cannot even open it for writing
            return False
        try:
            cur = raw.cursor()
            try:
                cur.execute("PRAGMA busy_timeout = 50")  # never wait on a teammate's write for statistics
                cur.execute("BEGIN IMMEDIATE")
                _write(raw, rows, at)
                cur.execute("COMMIT")
                return True
            except Exception:  # noqa: BLE001 - locked or read-only: kept in memory instead
                try:
                    cur.execute("ROLLBACK")
                except Exception:  # noqa: BLE001 - no transaction was begun
                    pass
                return False
            finally:
                cur.execute(f"PRAGMA busy_timeout = {busy_timeout_ms()}")
                cur.close()
        finally:
            raw.close()
    return write


def _write(dbapi: Any, rows: list[tuple[str, int]], at: tuple[int, str, int]) -> None:
    cur = dbapi.cursor()
    try:
        cur.execute(f"DELETE FROM {STATS}")
        cur.executemany(f"INSERT INTO {STATS} (term, docs) VALUES (?, ?)", rows)
        cur.execute("INSERT OR REPLACE INTO claim_term_stats_at (id, event_id, event_hash, claims) "
                    "VALUES (1, ?, ?, ?)", at)
    finally:
        cur.close()
