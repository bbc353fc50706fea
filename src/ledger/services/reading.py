"""Read commands on an up-to-date ledger, without the database layer.

``open_ledger`` loads SQLAlchemy, the table models and the modules of every action: about half a
second before a command reads anything. A command that only reads a ledger whose schema is
already at the packaged head needs none of it (``claim show``, ``search``, ``match``, the listing
of ``suggest``). ``open_reader`` makes the same checks as ``open_ledger`` — ``ledger.toml``, the
file itself (same refusals), what killed commands left beside it, the statuses in use — and then
reads through a bare ``sqlite3`` connection, or for a PostgreSQL ledger a bare ``psycopg`` one
(the same session settings as the engine's), with the same queries the full path runs
(``store.claim_reads``), so what it returns is the same value.

Anything else (a schema that needs a migration, a file still to be created, a server that
cannot be reached) gets None, and the caller opens the ledger in full -- which migrates, or
refuses with its own words.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from ledger.schema_head import packaged_head
from ledger.services import leftovers
from ledger.services.config import LedgerConfig, check_statuses_in_use, load_config
from ledger.opening import check_sqlite_file, operational_failure
from ledger.store import match_stats
from ledger.store.plain import Run, on_psycopg, on_sqlite
from ledger.workspace import Workspace, busy_timeout_ms, resolve_workspace, server_session_options

if TYPE_CHECKING:  # the read models and their queries are imported by the reads that use them
    from ledger.rows import ClaimDetail, ReviewRow, SearchHit


class Reader:
    """A ledger open for reading only: each read sees one state of the ledger."""

    def __init__(self, workspace: Workspace, conn: Any, config: LedgerConfig):
        self.workspace = workspace
        self.config = config
        self._conn = conn
        self._term_tables = False
        if workspace.is_sqlite:
            self._run = on_sqlite(conn)
            self._begin, self._failure = "BEGIN", sqlite3.DatabaseError
            # matching's counts of words are stored, when stale, on a connection that may write
            self._run.write = match_stats.own_transaction(
                lambda: sqlite3.connect(workspace.sqlite_path, timeout=0.05, isolation_level=None))
        else:
            import psycopg

            self._run = on_psycopg(conn)
            self._begin, self._failure = "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", psycopg.Error
            # (in a transaction of their own: the connection psycopg opens begins one, ended by a commit)
            self._run.write = match_stats.own_transaction(lambda: _server_connection(workspace, autocommit=False),
                                                          "postgresql")

    @contextmanager
    def read(self) -> Iterator[Run]:
        """One read transaction; a database failure is refused with ``Database``'s words."""
        try:
            self._conn.execute(self._begin)
            try:
                yield self._run
            finally:
                self._conn.execute("COMMIT")  # PostgreSQL: a ROLLBACK when a statement failed
        except self._failure as exc:
            raise operational_failure(self.workspace.describe(), " ".join(str(exc).split())) from exc

    def claim(self, claim_id: int) -> ClaimDetail:
        """The claim ``claim_id`` stands for (followed through merges), as ``Ledger.claim``."""
        from ledger.store import claim_reads

        with self.read() as run:
            return claim_reads.claim_detail(run, claim_reads.resolve(run, claim_id))

    def claim_review(self, claim_id: int) -> ReviewRow | None:
        from ledger.store import claim_reads

        with self.read() as run:
            return claim_reads.review_of_claim(run, claim_id)

    def search(self, query: str, *, limit: int = 50, offset: int = 0) -> list[SearchHit]:
        from ledger.store import search as store_search

        if not self._term_tables and self.workspace.is_sqlite:  # temporary tables: the connection reads only the ledger file
            self._conn.execute("PRAGMA query_only = OFF")
            try:
                store_search.create_term_tables(self._conn.execute)
            finally:
                self._conn.execute("PRAGMA query_only = ON")
            self._term_tables = True
        with self.read() as run:
            return store_search.search(run, query=query, limit=limit, offset=offset)

    @property
    def matching(self):  # noqa: ANN201 - MatchingDesk
        """``ledger match`` and the listing of ``ledger suggest`` (``services.matching_desk``)."""
        from ledger.services.matching_desk import MatchingDesk

        return MatchingDesk(self)

    def close(self) -> None:
        self._conn.close()


def open_reader(db: str | None = None) -> Reader | None:
    """The ledger ``db`` open for plain reads, or None when it must be opened in full."""
    workspace = resolve_workspace(db)
    if not workspace.is_sqlite:
        return _open_server_reader(workspace)
    path = workspace.sqlite_path
    if path is None or not path.exists():
        return None
    config = load_config(workspace.config_path)  # the same refusals, in the same order, as open_ledger
    if check_sqlite_file(path) != packaged_head():
        return None
    timeout_ms = busy_timeout_ms()
    reader = Reader(workspace, sqlite3.connect(path, timeout=timeout_ms / 1000, isolation_level=None), config)

    def settings() -> bool:
        reader._conn.execute(f"PRAGMA busy_timeout = {timeout_ms}")
        reader._conn.execute("PRAGMA query_only = ON")
        return True

    return _checked(reader, settings)


def _checked(reader: Reader, ready: Any) -> Reader | None:
    """``reader`` once ``ready()`` (its connection's own checks and settings) says it may read
    plainly and the checks every opening makes pass; closed when it may not (None) or fails."""
    try:
        if not ready():
            reader.close()
            return None
        leftovers.clean_workspace(reader.workspace)
        with reader.read() as run:
            check_statuses_in_use(reader.config, run)
    except BaseException:
        reader.close()
        raise
    return reader


def _server_connection(workspace: Workspace, *, autocommit: bool = True) -> Any:
    """A bare ``psycopg`` connection to a PostgreSQL ledger, with the engine's session settings;
    statements run as given (the reader begins and ends its transactions explicitly), or with
    ``autocommit=False`` inside a transaction psycopg begins, ended by ``commit()``."""
    import psycopg

    return psycopg.connect(workspace.server_url, options=server_session_options(), autocommit=autocommit)


def _open_server_reader(workspace: Workspace) -> Reader | None:
    """A PostgreSQL ledger at the packaged head, open for plain reads; None when the full path
    must open it (no driver, a server that refuses, a schema to migrate or none yet)."""
    config = load_config(workspace.config_path)
    try:
        import psycopg
    except ImportError:
        return None
    try:
        conn = _server_connection(workspace)
    except psycopg.Error:
        return None  # the full path says why, in its own words
    reader = Reader(workspace, conn, config)

    def at_head() -> bool:
        try:
            with conn.cursor() as cur:
                cur.execute("SELECT version_num FROM alembic_version")
                revision = cur.fetchone()
        except psycopg.Error:
            return False  # no ledger in it yet: the full path creates one, or says what it is
        return revision is not None and revision[0] == packaged_head()

    return _checked(reader, at_head)
