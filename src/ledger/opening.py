"""Opening a ledger: the checks of a SQLite file before anything opens it (with the sqlite3
module alone), and the words for a database that fails.

``Database`` runs these checks before it builds an engine, and read commands that skip the
database layer (``services.reading``) run the same ones, so a folder, a FIFO, a file that is
not a ledger or a ledger from a newer version is refused — and a full disk or a busy ledger
reported — with the same words either way.
"""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

from ledger.errors import WorkspaceError
from ledger.schema_head import VERSIONS, known_revisions

# SQLite's words when a write fails for want of room: ENOSPC is "full", a file-size limit (EFBIG) "disk I/O error"
_FULL = re.compile(r"database or disk is full|disk I/O error|could not extend file|No space left on device")


def operational_failure(where: str, text: str) -> WorkspaceError:
    """The refusal for a database that failed with the driver's message ``text`` (on one line)."""
    if _FULL.search(text):
        return WorkspaceError(f"the ledger {where} could not be written ({text}: the disk is full or "
                              "a limit on file size was reached); nothing was changed")
    if "locked" in text or "busy" in text or "lock timeout" in text:
        return WorkspaceError(f"the ledger {where} is busy (another editor is writing); nothing was changed, try again")
    return WorkspaceError(f"database error on {where}: {text}")


def check_identity(where: str, revision: str | None, tables: set[str]) -> None:
    """Refuse a database that is not a ledger, or a ledger from a newer schema."""
    if revision is None and tables - {"alembic_version"}:
        raise WorkspaceError(
            f"{where} is a database but not a Claim Ledger ledger "
            f"(it has tables {', '.join(sorted(tables)[:5])}); refusing to touch it"
        )
    if revision is not None and revision not in known_revisions(VERSIONS):
        raise WorkspaceError(
            f"{where} was written by a newer Claim Ledger (schema {revision}); "
            "upgrade claim-ledger to open it"
        )


def check_sqlite_file(path: Path | None) -> str | None:
    """Refuse a file that is not a ledger this version can open, reading it only: nothing,
    not even the journal mode, is written to a file that is refused. Returns the schema
    revision the file records (None for a file still to be created, or without one)."""
    if path is None or not path.exists():
        if path is not None and not path.parent.exists():
            raise WorkspaceError(f"folder {path.parent} does not exist")
        return None
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
        check_identity(str(path), revision, tables)
    except WorkspaceError:
        for p in companions:
            if p.exists() and (p.name.endswith("-shm") or p.stat().st_size == 0):
                p.unlink(missing_ok=True)
        raise
    return revision
