"""``ledger backup`` and ``ledger restore``: a copy of the whole ledger, and putting one back.

Backups come in two forms:

- **SQLite file** (the default for a SQLite ledger): a consistent copy of the live file taken
  with SQLite's online backup API, while editors keep working, its hash chain re-hashed before it
  is put in place. Copy and check read one snapshot of the ledger (one read transaction), so the
  copy is the very state whose chain was checked and the copy is never read back. The full check
  of a backup's file (``integrity_check``, every row replayed) is made when it is restored,
  before anything is replaced.
- **JSON** (the default for a PostgreSQL ledger, ``--format json`` for either): the complete
  ledger as the JSON export writes it (``services.export``), streamed from one snapshot.

A backup is written beside its final name and renamed into place once complete, so a crash
never leaves a half-written file under the name asked for.

Restoring replaces the ledger's contents in one transaction, so it either happens whole or
not at all. It refuses a ledger that holds anything unless ``force`` is given, and then first
backs the current contents up beside the ledger. A SQLite backup is first copied to a scratch
folder, brought to the current schema and its chain checked, so neither the backup file nor the
ledger is touched until the copy is known to be good; it can be restored into a PostgreSQL
ledger too (that is how a team moves a laptop ledger onto its server).

The ``sources/`` archive is not inside a backup: its files are named by their SHA-256 and never
change, so copying the folder along is enough; a restore says how many archived files it does
not find.
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any, Iterator

from sqlalchemy import Connection, func, select, text

from ledger.db import Database, copy_sqlite
from ledger.errors import InvalidInput, LedgerError, WorkspaceError
from ledger.models import (Appearance, Article, ArticleRevision, Capture, Citation, Claim, Event, MatchRejection, Meta,
                           Review, RowBaseline, Source)
from ledger.services import archive, leftovers, outputs
from ledger.services.integrity import verify_chain, verify_history
from ledger.workspace import Workspace

if TYPE_CHECKING:
    from ledger.services.ledger import Ledger

FORMATS = ("sqlite", "json")
SQLITE_MAGIC = b"SQLite format 3\x00"
# children before parents, for emptying a ledger
_TABLES = (Event.__table__, RowBaseline.__table__, Review.__table__, MatchRejection.__table__, Citation.__table__, Capture.__table__, Source.__table__, Appearance.__table__, Claim.__table__,
           ArticleRevision.__table__, Article.__table__, Meta.__table__)
_COUNTED = (("articles", Article.__table__), ("claims", Claim.__table__), ("sources", Source.__table__),
            ("citations", Citation.__table__), ("events", Event.__table__))


@dataclass(frozen=True)
class BackupResult:
    path: Path
    format: str
    counts: dict[str, int]
    head: str


@dataclass(frozen=True)
class RestoreResult:
    source: Path
    format: str
    counts: dict[str, int]
    head: str
    previous: Path | None  # where the replaced contents were saved, if there were any
    missing_files: int = 0
    notes: list[str] = field(default_factory=list)


def _stamp() -> str:
    return datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")


def _free(path: Path) -> Path:
    """``path``, or the same name with -2, -3 … when a file of that name is already there."""
    n, candidate = 1, path
    while candidate.exists():
        n += 1
        candidate = path.with_name(f"{path.stem}-{n}{path.suffix}")
    return candidate


def counts(conn: Connection) -> dict[str, int]:
    return {name: conn.execute(select(func.count()).select_from(t)).scalar_one() for name, t in _COUNTED}


def _head(conn: Connection) -> str:
    """Re-hash the whole chain; a ledger whose history does not verify is not copied."""
    events, head, problem = verify_chain(conn)
    if problem is not None:
        raise LedgerError(f"the ledger's history does not verify ({problem.message}); run `ledger verify`")
    return head


def _verified(conn: Connection, what: str) -> str:
    """The full verify of a backup about to be installed (chain re-hashed, every row replayed);
    refused, in one line naming the first problem, unless it passes. Returns its chain head."""
    report = verify_history(conn)
    if not report.ok:
        more = report.row_problem_count + (report.chain_problem is not None) + (report.status_problem is not None)
        others = f" (and {more - 1} more)" if more > 1 else ""
        raise LedgerError(f"{what} does not verify: {report.problems()[0]}{others}; nothing was restored")
    return report.head


def _target(path: Path, fmt: str, *, force: bool, folder: bool = False) -> Path:
    """The file to write. An existing folder, or ``folder`` (the path was written with a trailing
    slash), means a dated file inside that folder; a folder that does not exist yet is created
    by ``backup`` once everything else is checked, if its parent exists."""
    path = Path(path).expanduser()
    if folder and path.exists() and not path.is_dir():
        raise InvalidInput(f"{str(path)!r} is a file, not a folder")
    if folder or path.is_dir():
        path = _free(path / f"ledger-{_stamp()}.{'db' if fmt == 'sqlite' else 'json'}")
        if not path.parent.is_dir() and not path.parent.parent.is_dir():
            raise InvalidInput(f"folder {str(path.parent.parent)!r} does not exist")
    elif not path.parent.is_dir():
        raise InvalidInput(f"folder {str(path.parent)!r} does not exist")
    outputs.check_target(path)  # never a device, a FIFO, a link or a folder, --force or not
    if path.exists() and not force:
        raise InvalidInput(f"{str(path)!r} already exists; choose another name or give --force to replace it")
    return path.parent.resolve() / path.name


def backup(ledger: Ledger, path: Path, *, fmt: str | None = None, force: bool = False,
           folder: bool = False) -> BackupResult:
    """Copy the whole ledger to ``path`` (a file, or a folder to put a dated file in; ``folder``
    says ``path`` names a folder even if it does not exist yet)."""
    ws = ledger.workspace
    fmt = fmt or ("sqlite" if ws.is_sqlite else "json")
    if fmt not in FORMATS:
        raise InvalidInput(f"unknown backup format {fmt!r}; formats: {', '.join(FORMATS)}")
    if fmt == "sqlite" and not ws.is_sqlite:
        raise InvalidInput("a PostgreSQL ledger is backed up as JSON (--format json)")
    target = _target(path, fmt, force=force, folder=folder)
    if ws.sqlite_path is not None and target == ws.sqlite_path.resolve():
        raise InvalidInput("the backup cannot replace the ledger itself")
    if danger := ws.protected(target):
        raise InvalidInput(danger)
    partial = target.with_name(target.name + ".partial")
    made = None if target.parent.is_dir() else target.parent
    try:
        if made is not None:
            made.mkdir()
        if fmt == "sqlite":
            head, tally = _copy_checked(ledger, partial)
        else:  # the head and counts reported come from the snapshot the file is written from
            from ledger.services.export.json_ledger import write_json
            from ledger.services.export.query import Scope, snapshot

            with snapshot(ledger.db) as conn, partial.open("w", encoding="utf-8", newline="\n") as out:
                head, tally = _head(conn), counts(conn)
                write_json(conn, Scope(), out)
                out.flush()
                os.fsync(out.fileno())
        os.replace(partial, target)
    except BaseException:
        partial.unlink(missing_ok=True)
        if made is not None and made.is_dir() and not any(made.iterdir()):
            made.rmdir()
        raise
    return BackupResult(path=target, format=fmt, counts=tally, head=head)


def _copy_checked(ledger: Ledger, partial: Path) -> tuple[str, dict[str, int]]:
    """Copy the SQLite ledger to ``partial`` and re-hash its chain, from one read transaction of a
    connection of its own (what is committed: an atomic batch's open transaction is not part of
    it): (chain head, counts) of the state copied. A chain that does not verify is refused."""
    db = Database(ledger.workspace, migrate=False)
    try:
        with db.read() as conn:
            tally = counts(conn)  # the first read fixes the snapshot the copy and the check both see
            target = sqlite3.connect(partial)
            try:
                conn.connection.driver_connection.backup(target)  # in one step: no other reader waits on it
            finally:
                target.close()
            return _head(conn), tally
    finally:
        db.dispose()


class _open_copy:  # noqa: N801 - used as a context manager
    """A SQLAlchemy connection on a SQLite ledger copy, checked page by page and index by index
    (``integrity_check``: every index entry must match its table row)."""

    def __init__(self, path: Path):
        self.path = path

    def __enter__(self) -> Connection:
        raw = sqlite3.connect(self.path)
        try:
            verdict = raw.execute("PRAGMA integrity_check(1)").fetchone()[0]
        except sqlite3.DatabaseError as exc:
            raise WorkspaceError(f"{self.path} is damaged: {exc}") from exc
        finally:
            raw.close()
        if verdict != "ok":
            raise WorkspaceError(f"{self.path} is damaged: {verdict}")
        self.db = Database(Workspace(url=f"sqlite:///{self.path}", root=self.path.parent), migrate=False)
        self._cm = self.db.read()
        return self._cm.__enter__()

    def __exit__(self, *exc: Any) -> None:
        try:
            self._cm.__exit__(*exc)
        finally:
            self.db.dispose()


# ------------------------------------------------------------------------------ restore
def _kind(path: Path) -> str:
    with path.open("rb") as f:
        head = f.read(len(SQLITE_MAGIC))
    if head == SQLITE_MAGIC:
        return "sqlite"
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped.startswith(b"{"):
        return "json"
    raise InvalidInput(f"{str(path)!r} is neither a SQLite ledger nor a JSON export of one")


def restore(ledger: Ledger, path: Path, *, force: bool = False) -> RestoreResult:
    """Replace the ledger's contents with the backup at ``path``, whole or not at all."""
    path = Path(path)
    if not path.is_file():
        raise InvalidInput(f"backup {str(path)!r} does not exist or is not a file")
    ws = ledger.workspace
    if ws.sqlite_path is not None and path.resolve() == ws.sqlite_path.resolve():
        raise InvalidInput("that is the ledger itself, not a backup of it")
    kind = _kind(path)
    notes: list[str] = []
    with tempfile.TemporaryDirectory(prefix=leftovers.prefix(leftovers.RESTORE), dir=_scratch_dir(ws)) as scratch:
        if kind == "sqlite":
            # copy, migrate and check the copy: the backup file itself is never written to
            copy = Path(scratch) / "restore.db"
            Database._check_sqlite_file(path.resolve())
            try:
                copy_sqlite(path.resolve(), copy)
            except sqlite3.DatabaseError as exc:
                raise WorkspaceError(f"{path} is not a readable ledger: {exc}") from exc
            Database(Workspace(url=f"sqlite:///{copy}", root=copy.parent)).dispose()
            with _open_copy(copy) as conn:
                _verified(conn, f"backup {path}")
        previous = _save_current(ledger, force=force)
        try:
            if kind == "sqlite" and ws.is_sqlite:
                _replace_sqlite(ledger, copy)
            else:
                notes = _restore_other(ledger, kind, path, copy if kind == "sqlite" else None, Path(scratch))
        except BaseException:
            if previous is not None:  # nothing was replaced: the safety copy is not needed
                previous.unlink(missing_ok=True)
            raise
    with ledger.db.read() as conn:
        head, tally = _head(conn), counts(conn)
        missing = _missing_files(conn, ws.sources_dir)
    return RestoreResult(source=path, format=kind, counts=tally, head=head, previous=previous,
                         missing_files=missing, notes=[n for n in notes if "sources/" not in n])


def _restore_other(ledger: Ledger, kind: str, path: Path, copy: Path | None, scratch: Path) -> list[str]:
    """A JSON backup into any ledger, or a SQLite backup into a PostgreSQL ledger (through its
    JSON export, written to the scratch folder)."""
    json_path = path
    if copy is not None:
        from ledger.services.export import export

        source_ledger = _ledger_on(copy)
        json_path = scratch / "restore.json"
        try:
            with json_path.open("w", encoding="utf-8", newline="\n") as out:
                export(source_ledger, "json", out)
        finally:
            source_ledger.close()
    return _restore_json(ledger, json_path, name=str(path))


def _scratch_dir(ws: Workspace) -> str | None:
    """Scratch copies go beside the ledger (same disk, so the space is known to be there)."""
    root = ws.sqlite_path.parent if ws.sqlite_path is not None else ws.root
    return str(root) if root.is_dir() and os.access(root, os.W_OK) else None


def _ledger_on(path: Path) -> Ledger:
    from ledger.services.ledger import open_ledger

    return open_ledger(str(path), actor="restore")


def _save_current(ledger: Ledger, *, force: bool) -> Path | None:
    with ledger.db.read() as conn:
        held = counts(conn)
    if not any(held.values()):
        return None
    tally = ", ".join(f"{n} {what}" for what, n in held.items() if n)
    if not force:
        raise LedgerError(f"{ledger.workspace.describe()} is not empty ({tally}); restoring replaces everything "
                          "in it: give --force (its contents are backed up first)")
    ws = ledger.workspace
    if ws.sqlite_path is not None:
        target = ws.sqlite_path.with_name(f"{ws.sqlite_path.name}.pre-restore-{_stamp()}.bak")
        return backup(ledger, _free(target), fmt="sqlite").path
    ws.root.mkdir(parents=True, exist_ok=True)
    return backup(ledger, _free(ws.root / f"ledger-pre-restore-{_stamp()}.json"), fmt="json").path


def _replace_sqlite(ledger: Ledger, copy: Path) -> None:
    """Write the checked copy over the live ledger with the online backup API: one transaction on
    the ledger file, so a crash leaves the old contents or the new, never a mixture."""
    ledger.db.dispose()
    target = ledger.workspace.sqlite_path
    from ledger.db import busy_timeout_ms

    src = sqlite3.connect(copy)
    try:
        dst = sqlite3.connect(target, timeout=busy_timeout_ms() / 1000)
        try:
            src.backup(dst)
        except sqlite3.OperationalError as exc:
            if "locked" in str(exc) or "busy" in str(exc):
                raise WorkspaceError(f"the ledger {ledger.workspace.describe()} is busy (another editor is "
                                     "writing); nothing was restored, try again") from exc
            raise WorkspaceError(f"restoring into {ledger.workspace.describe()} failed: {exc}") from exc
        finally:
            dst.close()
    finally:
        src.close()


def _restore_json(ledger: Ledger, path: Path, *, name: str) -> list[str]:
    """Empty the ledger and load the JSON export in the same transaction."""
    from ledger.services.importing.json_ledger import restore as load_json

    with ledger.db.write() as conn:
        _empty(conn)
        shim = SimpleNamespace(db=_InTransaction(conn), workspace=ledger.workspace, config=ledger.config,
                               actor=ledger.actor, vocabulary=ledger.vocabulary)
        with path.open("r", encoding="utf-8") as fp:
            report = load_json(shim, fp, name, strict=True)
        _verified(conn, f"backup {name}")  # before the transaction commits: refused, nothing is replaced
    return list(getattr(report, "notes", []))


class _InTransaction:
    """Stands for a Database whose ``write()`` is the transaction already open."""

    def __init__(self, conn: Connection):
        self.conn = conn
        self.dialect = conn.dialect.name

    def write(self) -> _Same:
        return _Same(self.conn)

    read = write


class _Same:
    def __init__(self, conn: Connection):
        self.conn = conn

    def __enter__(self) -> Connection:
        return self.conn

    def __exit__(self, *exc: Any) -> None:
        return None


def _empty(conn: Connection) -> None:
    if conn.dialect.name == "postgresql":
        names = ", ".join(t.name for t in _TABLES)
        conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY"))
        return
    for table in _TABLES:
        conn.execute(table.delete())


def _missing_files(conn: Connection, sources_dir: Path) -> int:
    src = Source.__table__
    missing = 0
    for rows in _pages(conn, select(src.c.id, src.c.file_name).where(src.c.file_name.is_not(None)), src.c.id):
        for r in rows:
            try:
                missing += not archive.archived_path(sources_dir, r.file_name).is_file()
            except InvalidInput:  # a name the archive never writes
                missing += 1
    return missing


def _pages(conn: Connection, query: Any, key: Any, size: int = 2000) -> Iterator[list[Any]]:
    last = 0
    while rows := conn.execute(query.where(key > last).order_by(key).limit(size)).all():
        yield rows
        last = rows[-1][0]
