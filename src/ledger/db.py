"""Engine and transactions: SQLite pragmas, PostgreSQL URLs, migrations applied on open.

Every user action runs inside ``Database.write()`` — one transaction that either commits whole
or leaves the ledger exactly as it was. On SQLite a write transaction starts with
``BEGIN IMMEDIATE`` so two writers queue on the busy timeout instead of failing half-way.
"""

from __future__ import annotations

import os
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
from ledger.schema_head import known_revisions, packaged_head
from ledger.workspace import Workspace

if TYPE_CHECKING:
    from alembic.config import Config

BUSY_TIMEOUT_MS = 15_000
MIGRATION_LOCK = 0x1ED6E5  # PostgreSQL advisory lock held while migrating


def busy_timeout_ms() -> int:
    """How long a writer waits for another to finish before giving up with a clear message
    (``LEDGER_BUSY_TIMEOUT_MS`` overrides the default of 15 s)."""
    raw = os.environ.get("LEDGER_BUSY_TIMEOUT_MS", "").strip()
    try:
        return max(0, int(raw)) if raw else BUSY_TIMEOUT_MS
    except ValueError:
        raise WorkspaceError(f"LEDGER_BUSY_TIMEOUT_MS must be a number of milliseconds, not {raw!r}") from None


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
    # PostgreSQL waits for row locks forever by default: a teammate's stuck transaction would hang
    # every writer, so waits are bounded by the same timeout as SQLite's
    return create_engine(url, pool_pre_ping=True,
                         connect_args={"options": f"-c lock_timeout={busy_timeout_ms()}"})


_UNSTORABLE = re.compile(r"[\x00\ud800-\udfff]")
_INT64 = (-(2**63), 2**63 - 1)


def _unstorable(value: str) -> InvalidInput:
    char = _UNSTORABLE.search(value).group()
    what = "a NUL character" if char == "\x00" else f"an undecodable byte ({char!r}, not valid Unicode)"
    shown = value if len(value) <= 60 else value[:59] + "…"
    return InvalidInput(f"the text {shown!r} holds {what}, which a ledger cannot store; nothing was changed")


def _plain_batch(parameters: object) -> bool:
    """True when a batch surely holds no NUL, lone surrogate or number beyond 64 bits: orjson
    refuses the last two and writes NUL as ``\\u0000`` (a backslash typed before ``u0000`` is
    doubled, so it only sends the batch through the careful check)."""
    import orjson

    try:
        return b"\\u0000" not in orjson.dumps(parameters)
    except TypeError:  # orjson's errors, and values it does not know (bytes…): check value by value
        return False


def _guard_text(conn, cursor, statement, parameters, context, executemany):  # noqa: ANN001, ARG001 - SQLAlchemy hook
    """Refuse text no backend can store faithfully (NUL, lone surrogates from undecodable
    arguments) and numbers beyond 64 bits before they reach the driver, the same way on SQLite
    and PostgreSQL."""
    if not parameters:
        return
    if executemany and _plain_batch(parameters):  # bulk batches: one C-speed pass
        return
    for row in (parameters if executemany else (parameters,)):
        for value in (row.values() if isinstance(row, dict) else row):
            if type(value) is str and _UNSTORABLE.search(value):
                raise _unstorable(value)
            if type(value) is int and not _INT64[0] <= value <= _INT64[1]:
                raise InvalidInput(f"the number {value} is too large for a ledger; nothing was changed")


def _one_line(exc: DatabaseError) -> str:
    """The driver's message on one line (PostgreSQL's span several, with hints)."""
    return " ".join(str(exc.orig if exc.orig is not None else exc).split())


# SQLite's words when a write fails for want of room: ENOSPC is "full", a file-size limit (EFBIG) "disk I/O error"
_FULL = re.compile(r"database or disk is full|disk I/O error|could not extend file|No space left on device")
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


def _check_identity(where: str, revision: str | None, tables: set[str]) -> None:
    """Refuse a database that is not a ledger, or a ledger from a newer schema."""
    if revision is None and tables - {"alembic_version"}:
        raise WorkspaceError(
            f"{where} is a database but not a Claim Ledger ledger "
            f"(it has tables {', '.join(sorted(tables)[:5])}); refusing to touch it"
        )
    if revision is not None and revision not in known_revisions(_versions()):
        raise WorkspaceError(
            f"{where} was written by a newer Claim Ledger (schema {revision}); "
            "upgrade claim-ledger to open it"
        )


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
            if _FULL.search(text):
                raise WorkspaceError(
                    f"the ledger {self.workspace.describe()} could not be written ({text}: the disk is full or "
                    "a limit on file size was reached); nothing was changed"
                ) from exc
            if "locked" in text or "busy" in text or "lock timeout" in text:
                raise WorkspaceError(
                    f"the ledger {self.workspace.describe()} is busy (another editor is writing); "
                    "nothing was changed, try again"
                ) from exc
            raise WorkspaceError(f"database error on {self.workspace.describe()}: {text}") from exc
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
    @staticmethod
    def _check_sqlite_file(path: Path | None) -> None:
        """Refuse a file that is not a ledger this version can open, reading it only: nothing,
        not even the journal mode, is written to a file that is refused."""
        if path is None or not path.exists():
            if path is not None and not path.parent.exists():
                raise WorkspaceError(f"folder {path.parent} does not exist")
            return
        if path.is_dir():
            raise WorkspaceError(f"{path} is a folder, not a ledger file")
        if not path.is_file():  # a FIFO would block the open forever, a device is nobody's ledger
            raise WorkspaceError(f"{path} is not a regular file (a FIFO, a device or a socket), not a ledger file")
        try:
            with path.open("rb") as probe:
                probe.read(1)
        except PermissionError as exc:
            raise WorkspaceError(f"cannot read the ledger {path}: permission denied (check the file's owner "
                                 "and mode)") from exc
        except OSError as exc:
            raise WorkspaceError(f"cannot read the ledger {path}: {exc.strerror or exc}") from exc
        # a file in WAL mode gets -wal/-shm companions even from a read-only reader: remove the
        # ones this check created if the file is refused
        companions = [p for p in (path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm"))
                      if not p.exists()]
        try:
            try:
                conn = sqlite3.connect(path.as_uri() + "?mode=ro", uri=True)
                try:
                    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
                    revision = None
                    if "alembic_version" in tables:
                        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
                        revision = row[0] if row else None
                finally:
                    conn.close()
            except sqlite3.DatabaseError as exc:
                raise WorkspaceError(f"{path} is not a ledger (not a readable SQLite database: {exc})") from exc
            _check_identity(str(path), revision, tables)
        except WorkspaceError:
            for p in companions:
                if p.exists() and (p.name.endswith("-shm") or p.stat().st_size == 0):
                    p.unlink(missing_ok=True)
            raise

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
        _check_identity(self.workspace.describe(), current, tables)
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
