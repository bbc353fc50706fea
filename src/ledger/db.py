"""Engine and transactions: SQLite pragmas, PostgreSQL URLs, migrations applied on open.

Every user action runs inside ``Database.write()`` — one transaction that either commits whole
or leaves the ledger exactly as it was. On SQLite a write transaction starts with
``BEGIN IMMEDIATE`` so two writers queue on the busy timeout instead of failing half-way.
"""

from __future__ import annotations

import shutil
import sqlite3
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, create_engine, event, inspect
from sqlalchemy.exc import DatabaseError, OperationalError

from ledger.errors import WorkspaceError
from ledger.workspace import Workspace

BUSY_TIMEOUT_MS = 15_000
MIGRATIONS = str(Path(__file__).with_name("migrations"))


def _alembic_config(connection: Connection | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", MIGRATIONS)
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def head_revision() -> str:
    return ScriptDirectory.from_config(_alembic_config()).get_current_head()


def _make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_conn, _record):  # noqa: ANN001 - DBAPI hook
            dbapi_conn.isolation_level = None  # we issue BEGIN ourselves
            cur = dbapi_conn.cursor()
            cur.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            cur.execute("PRAGMA journal_mode = WAL")
            cur.execute("PRAGMA synchronous = NORMAL")
            cur.execute("PRAGMA foreign_keys = ON")
            cur.close()

        @event.listens_for(engine, "begin")
        def _begin(conn: Connection):
            immediate = conn.get_execution_options().get("ledger_write", False)
            conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

        return engine
    return create_engine(url, pool_pre_ping=True)


class Database:
    """One ledger database. Opening it checks the schema and applies pending migrations."""

    def __init__(self, workspace: Workspace, *, migrate: bool = True):
        self.workspace = workspace
        if workspace.is_sqlite:
            self._check_sqlite_file(workspace.sqlite_path)
        self.engine = _make_engine(workspace.url)
        if migrate:
            self.migrate()

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    # -------------------------------------------------------------- transactions
    @contextmanager
    def read(self) -> Iterator[Connection]:
        with self._translate_errors(), self.engine.connect() as conn:
            with conn.begin():
                yield conn

    @contextmanager
    def write(self) -> Iterator[Connection]:
        with self._translate_errors(), self.engine.connect() as conn:
            conn.execution_options(ledger_write=True)
            with conn.begin():
                yield conn

    @contextmanager
    def _translate_errors(self) -> Iterator[None]:
        try:
            yield
        except OperationalError as exc:
            text = str(exc.orig) if exc.orig is not None else str(exc)
            if "locked" in text or "busy" in text:
                raise WorkspaceError(
                    f"the ledger {self.workspace.describe()} is busy (another editor is writing); "
                    "nothing was changed, try again"
                ) from exc
            raise WorkspaceError(f"database error on {self.workspace.describe()}: {text}") from exc
        except DatabaseError as exc:
            text = str(exc.orig) if exc.orig is not None else str(exc)
            raise WorkspaceError(f"database error on {self.workspace.describe()}: {text}") from exc

    def dispose(self) -> None:
        self.engine.dispose()

    # ---------------------------------------------------------------- migrations
    @staticmethod
    def _check_sqlite_file(path: Path | None) -> None:
        if path is None or not path.exists():
            if path is not None and not path.parent.exists():
                raise WorkspaceError(f"folder {path.parent} does not exist")
            return
        if path.is_dir():
            raise WorkspaceError(f"{path} is a folder, not a ledger file")
        try:
            conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
            try:
                conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            finally:
                conn.close()
        except sqlite3.DatabaseError as exc:
            raise WorkspaceError(f"{path} is not a ledger (not a readable SQLite database: {exc})") from exc

    def current_revision(self) -> str | None:
        with self._translate_errors(), self.engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()

    def migrate(self) -> None:
        """Bring the schema to the head revision, backing the ledger up first if it has data."""
        script = ScriptDirectory.from_config(_alembic_config())
        head = script.get_current_head()
        with self._translate_errors(), self.engine.connect() as conn:
            current = MigrationContext.configure(conn).get_current_revision()
            tables = set(inspect(conn).get_table_names())
        if current == head:
            return
        if current is None and tables - {"alembic_version"}:
            raise WorkspaceError(
                f"{self.workspace.describe()} is a database but not a Claim Ledger ledger "
                f"(it has tables {', '.join(sorted(tables)[:5])}); refusing to touch it"
            )
        if current is not None:
            try:
                script.get_revision(current)
            except Exception as exc:
                raise WorkspaceError(
                    f"{self.workspace.describe()} was written by a newer Claim Ledger "
                    f"(schema {current}); upgrade claim-ledger to open it"
                ) from exc
            self.backup_before_migration(current)
        with self._translate_errors(), self.engine.begin() as conn:
            command.upgrade(_alembic_config(conn), "head")

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
