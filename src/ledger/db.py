"""Engine and transactions: SQLite pragmas, PostgreSQL URLs, migrations applied on open.

Every user action runs inside ``Database.write()`` — one transaction that either commits whole
or leaves the ledger exactly as it was. On SQLite a write transaction starts with
``BEGIN IMMEDIATE`` so two writers queue on the busy timeout instead of failing half-way.
"""

from __future__ import annotations

import re
import shutil
import sqlite3
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator

from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, create_engine, event, inspect
from sqlalchemy.exc import DatabaseError, NoSuchModuleError, OperationalError

from ledger.errors import InvalidInput, WorkspaceError
from ledger.schema_head import packaged_head
from ledger.opening import check_identity, check_sqlite_file, operational_failure
from ledger.storable import check_parameters
from ledger.workspace import BUSY_TIMEOUT_MS, Workspace, busy_timeout_ms, server_session_options  # noqa: F401 - re-exported

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATION_LOCK = 0x1ED6E5  # PostgreSQL advisory lock held while migrating


MIGRATIONS = str(Path(__file__).with_name("migrations"))


def _alembic_config(connection: Connection | None = None) -> Config:
    from alembic.config import Config  # Alembic only when a migration is due (or asked about)

    cfg = Config()
    cfg.set_main_option("script_location", MIGRATIONS)
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def _versions() -> Path:
    return Path(MIGRATIONS) / "versions"


def head_revision() -> str:
    """The packaged schema head, as Alembic computes it from the migration scripts."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(_alembic_config()).get_current_head()


def _make_engine(url: str) -> Engine:
    try:
        engine = _new_engine(url)
    except (ImportError, NoSuchModuleError) as exc:
        raise WorkspaceError(f"cannot open {url.split('://', 1)[0].split('+', 1)[0]}:// ledgers: the database driver is not "
                             f"installed ({exc}); supported: SQLite file paths, postgresql:// URLs") from exc
    event.listen(engine, "before_cursor_execute", _guard_text)
    return engine


def _new_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        timeout_ms = busy_timeout_ms()
        engine = create_engine(url, connect_args={"timeout": timeout_ms / 1000})

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_conn, _record):  # noqa: ANN001 - DBAPI hook
            dbapi_conn.isolation_level = None  # we issue BEGIN ourselves
            cur = dbapi_conn.cursor()
            cur.execute(f"PRAGMA busy_timeout = {timeout_ms}")
            cur.execute("PRAGMA journal_mode = WAL")
            cur.execute("PRAGMA synchronous = NORMAL")
            cur.execute("PRAGMA foreign_keys = ON")
            cur.close()

        @event.listens_for(engine, "begin")
        def _begin(conn: Connection):
            immediate = conn.get_execution_options().get("ledger_write", False)
            conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

        return engine
    return create_engine(url, pool_pre_ping=True, connect_args={"options": server_session_options()})


def _guard_text(conn, cursor, statement, parameters, context, executemany):  # noqa: ANN001, ARG001 - SQLAlchemy hook
    """Refuse text no backend can store faithfully and numbers beyond 64 bits before they
    reach the driver (``ledger.storable``); statements whose caller has checked them already
    (``store.executemany.CHECKED``) pass."""
    if context is not None and context.execution_options.get("ledger_checked"):
        return
    check_parameters(parameters, executemany=executemany)


def _one_line(exc: DatabaseError) -> str:
    """The driver's message on one line (PostgreSQL's span several, with hints)."""
    return " ".join(str(exc.orig if exc.orig is not None else exc).split())


# what a rollback says when the failure it handles already ended the transaction (SQLite does
# for a full disk): never the cause
_AFTERMATH = re.compile(r"no such savepoint|cannot rollback|no transaction is active")


def _root_cause(exc: DatabaseError) -> DatabaseError:
    """The database error that started it: a rollback to a savepoint that SQLite had already
    rolled back raises "no such savepoint" over the real failure (a full disk, a file-size limit)."""
    cur: BaseException | None = exc
    while cur is not None:
        if isinstance(cur, DatabaseError) and not _AFTERMATH.search(_one_line(cur)):
            return cur
        cur = cur.__context__
    return exc


class Database:
    """One ledger database. Opening it checks the schema and applies pending migrations."""

    def __init__(self, workspace: Workspace, *, migrate: bool = True):
        self.workspace = workspace
        if workspace.is_sqlite:
            self._check_sqlite_file(workspace.sqlite_path)
        self.engine = _make_engine(workspace.url)
        self._shared: Connection | None = None  # the open transaction of an ``atomic()`` block
        if migrate:
            self.migrate()

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    # -------------------------------------------------------------- transactions
    @contextmanager
    def read(self) -> Iterator[Connection]:
        """A read transaction that sees one state of the ledger throughout (SQLite's WAL readers
        always do; on PostgreSQL it takes REPEATABLE READ, so paging through a table while
        teammates write never mixes two states)."""
        if self._shared is not None:
            yield self._shared
            return
        with self._translate_errors(), self.engine.connect() as conn:
            if conn.dialect.name == "postgresql":
                conn.execution_options(isolation_level="REPEATABLE READ")
            with conn.begin():
                yield conn

    @contextmanager
    def write(self) -> Iterator[Connection]:
        if self._shared is not None:
            yield self._shared
            return
        with self._translate_errors(), self.engine.connect() as conn:
            conn.execution_options(ledger_write=True)
            with conn.begin():
                yield conn

    @contextmanager
    def atomic(self) -> Iterator[Connection]:
        """One write transaction for everything done inside the block: every ``read()`` and
        ``write()`` in it joins this transaction, which commits when the block ends and rolls
        back whole if it raises (``ledger batch --atomic``)."""
        if self._shared is not None:
            raise RuntimeError("atomic blocks do not nest")
        with self._translate_errors(), self.engine.connect() as conn:
            conn.execution_options(ledger_write=True)
            with conn.begin():
                self._shared = conn
                try:
                    yield conn
                finally:
                    self._shared = None

    @contextmanager
    def _translate_errors(self) -> Iterator[None]:
        try:
            yield
        except OperationalError as exc:
            exc = _root_cause(exc)
            text = _one_line(exc)
            raise operational_failure(self.workspace.describe(), text) from exc
        except UnicodeEncodeError as exc:
            raise InvalidInput("the text holds an undecodable byte (not valid Unicode), which a ledger cannot "
                               "store; nothing was changed") from exc
        except DatabaseError as exc:
            text = _one_line(exc)
            if "NUL (0x00)" in text:
                raise InvalidInput("the text holds a NUL character, which a ledger cannot store; "
                                   "nothing was changed") from exc
            raise WorkspaceError(f"database error on {self.workspace.describe()}: {text}") from exc

    def dispose(self) -> None:
        self.engine.dispose()

    # ---------------------------------------------------------------- migrations
    _check_sqlite_file = staticmethod(check_sqlite_file)

    def current_revision(self) -> str | None:
        with self._translate_errors(), self.engine.connect() as conn:
            return stored_revision(conn)

    def migrate(self) -> None:
        """Bring the schema to the head revision, backing the ledger up first if it has data.

        An up-to-date ledger (the common case) costs one query: ``alembic_version`` is read
        directly and compared with the packaged head found in the migration files, and Alembic
        is imported only when the schema is behind."""
        head = packaged_head(_versions())
        with self._translate_errors(), self.engine.connect() as conn:
            current = stored_revision(conn)
            if current == head:
                return
            tables = set(inspect(conn).get_table_names())
        from alembic import command
        from alembic.runtime.migration import MigrationContext

        head = head or head_revision()
        check_identity(self.workspace.describe(), current, tables)
        backup = self.backup_before_migration(current) if current is not None else None
        try:
            with self._translate_errors(), self.engine.connect() as conn:
                conn.execution_options(ledger_write=True)  # BEGIN IMMEDIATE: one migrator at a time
                with conn.begin():
                    if conn.dialect.name == "postgresql":  # teammates opening the ledger at once: one migrates
                        conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({MIGRATION_LOCK})")
                    if MigrationContext.configure(conn).get_current_revision() != head:
                        command.upgrade(_alembic_config(conn), "head")
        except WorkspaceError:
            raise
        except Exception as exc:  # a failed migration rolls back whole (transactional DDL on both backends)
            kept = f"; the copy taken before it is {backup}" if backup else ""
            raise WorkspaceError(
                f"upgrading {self.workspace.describe()} from schema {current or 'none'} to {head} failed "
                f"({str(exc).splitlines()[0] if str(exc) else type(exc).__name__}); "
                f"the ledger was left as it was{kept}"
            ) from exc

    def backup_before_migration(self, revision: str) -> Path | None:
        path = self.workspace.sqlite_path
        if path is None or not path.exists():
            return None
        stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
        target = path.with_name(f"{path.name}.pre-{revision}-{stamp}.bak")
        src = sqlite3.connect(path)
        try:
            dst = sqlite3.connect(target)
            try:
                src.backup(dst)
            finally:
                dst.close()
        finally:
            src.close()
        return target


def stored_revision(conn: Connection) -> str | None:
    """The schema revision recorded in the ledger's ``alembic_version`` table (None when there
    is no such table or no row), read without Alembic."""
    if conn.dialect.name == "sqlite":
        present = conn.exec_driver_sql(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'").first()
    else:
        present = conn.exec_driver_sql("SELECT to_regclass('alembic_version')").scalar()
    if not present:
        return None
    row = conn.exec_driver_sql("SELECT version_num FROM alembic_version").first()
    return row[0] if row else None


def copy_sqlite(src: Path, dst: Path) -> None:
    """Consistent copy of a live SQLite ledger (online backup API)."""
    s = sqlite3.connect(src)
    try:
        tmp = dst.with_name(dst.name + ".partial")
        d = sqlite3.connect(tmp)
        try:
            s.backup(d)
        finally:
            d.close()
        shutil.move(tmp, dst)
    finally:
        s.close()
