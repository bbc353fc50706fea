"""How many claims hold each indexed word: the statistics matching plans its searches with.

On SQLite ``claim_fts_vocab`` reads a word's whole posting list to count its claims (a
millisecond for a word of a few thousand claims, ten for a common one): the four hundred words
of a 100-sentence article cost half a second at a million claims. On PostgreSQL the statistics
ANALYZE keeps list only the few hundred most common lexemes at a million claims, and every other
one is guessed at the least common's count (hundreds of claims), so rare words were searched in
pairs as if common. ``claim_term_stats`` keeps every indexed word with its exact count, counted
in one pass (``claim_fts_vocab`` on SQLite, ``ts_stat`` on PostgreSQL) and looked up by its
primary key. ``claim_term_stats_at`` names the chain event they were
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
PG_STATS = "pg_stats"  # PostgreSQL without the table: ANALYZE's most common lexemes
COUNT = {"sqlite": f"SELECT term, doc FROM {VOCAB}",
         "postgresql": "SELECT word, ndoc FROM ts_stat('SELECT search FROM claim')"}


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
    postgres = run.dialect == "postgresql"
    if postgres:  # a failed statement would end PostgreSQL's transaction: look the table up first
        if not run("SELECT to_regclass('claim_term_stats_at') IS NOT NULL")[0][0]:
            return PG_STATS
        at = run("SELECT event_id, event_hash, claims FROM claim_term_stats_at WHERE id = 1")
    else:
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
    rows = [tuple(r) for r in run(COUNT[run.dialect])]
    head = run("SELECT hash FROM event WHERE id = ?", (latest,))
    claims = run("SELECT count(*) FROM claim")[0][0]
    write = getattr(run, "write", None)
    if write is not None and write(rows, (latest, head[0][0] if head else "", claims)):
        return STATS
    rows.sort()
    return Counts([w for w, _ in rows], [d for _, d in rows])


Writer = Callable[[list[tuple[str, int]], tuple[int, str, int]], bool]


def joined(dbapi: Any, dialect: str) -> Writer:
    """Store the counts in the transaction ``dbapi`` (a DBAPI connection) is already writing in."""
    def write(rows: list[tuple[str, int]], at: tuple[int, str, int]) -> bool:
        _write(dbapi, dialect, rows, at)
        return True
    return write


def own_transaction(connect: Callable[[], Any], dialect: str = "sqlite") -> Writer:
    """Store the counts in a transaction of their own on a connection ``connect()`` gives (closed
    after); False when the ledger cannot be written now (another writer, a read-only file)."""
    def write(rows: list[tuple[str, int]], at: tuple[int, str, int]) -> bool:
        try:
            raw = connect()
        except Exception:  # noqa: BLE001 - cannot even open it for writing
            return False
        try:
            if dialect == "postgresql":
                return _pg_transaction(raw, rows, at)
            cur = raw.cursor()
            try:
                cur.execute("PRAGMA busy_timeout = 50")  # never wait on a teammate's write for statistics
                cur.execute("BEGIN IMMEDIATE")
                _write(raw, dialect, rows, at)
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


def _pg_transaction(raw: Any, rows: list[tuple[str, int]], at: tuple[int, str, int]) -> bool:
    try:
        cur = raw.cursor()
        try:
            cur.execute("SET LOCAL lock_timeout = '50ms'")  # a teammate counting them at once: theirs wins
            _write(raw, "postgresql", rows, at)
        finally:
            cur.close()
        raw.commit()
        return True
    except Exception:  # noqa: BLE001 - locked: kept in memory instead
        raw.rollback()
        return False


def _write(dbapi: Any, dialect: str, rows: list[tuple[str, int]], at: tuple[int, str, int]) -> None:
    mark = "%s" if dialect == "postgresql" else "?"
    cur = dbapi.cursor()
    try:
        cur.execute(f"DELETE FROM {STATS}")
        cur.executemany(f"INSERT INTO {STATS} (term, docs) VALUES ({mark}, {mark})", rows)
        cur.execute("DELETE FROM claim_term_stats_at")
        cur.execute(f"INSERT INTO claim_term_stats_at (id, event_id, event_hash, claims) "
                    f"VALUES (1, {mark}, {mark}, {mark})", at)
    finally:
        cur.close()
