"""Where a ledger lives: the database URL, the ``sources/`` archive and ``ledger.toml``.

A newsroom workspace is a folder holding ``ledger.db`` and ``sources/``. ``--db PATH`` or the
``LEDGER_DB`` environment variable name another ledger file; a database URL such as
``postgresql://…`` puts the ledger on a server, with ``sources/`` in the current folder
(or ``LEDGER_HOME``).
"""

from __future__ import annotations

import getpass
import os
from dataclasses import dataclass
from pathlib import Path

from ledger.errors import WorkspaceError

DEFAULT_DB = "ledger.db"
BUSY_TIMEOUT_MS = 15_000
_POSTGRES = ("postgresql", "postgres", "postgresql+psycopg")


@dataclass(frozen=True)
class Workspace:
    url: str
    root: Path

    @property
    def sources_dir(self) -> Path:
        return self.root / "sources"

    @property
    def config_path(self) -> Path:
        return self.root / "ledger.toml"

    @property
    def is_sqlite(self) -> bool:
        return self.url.startswith("sqlite")

    @property
    def sqlite_path(self) -> Path | None:
        if not self.is_sqlite:
            return None
        return Path(self.url.split("///", 1)[1])

    def protected(self, path: Path) -> str | None:
        """Why writing an output file at ``path`` would destroy the ledger (its file, or the
        -wal/-shm companions) or archived evidence (anything inside ``sources/``); None if it would not."""
        target = Path(path).expanduser().resolve()
        if self.sqlite_path is not None:
            live = self.sqlite_path.resolve()
            if target in (live, live.with_name(live.name + "-wal"), live.with_name(live.name + "-shm")):
                return f"{str(path)!r} is the ledger itself; choose another file name"
        archive = self.sources_dir.resolve()
        if target == archive or archive in target.parents:
            return f"{str(path)!r} is inside the sources/ archive of evidence files; choose a file outside it"
        return None

    @property
    def server_url(self) -> str | None:
        """A PostgreSQL ledger's address as libpq takes it (``postgresql://…``); None for SQLite."""
        return None if self.is_sqlite else "postgresql://" + self.url.split("://", 1)[1]

    def describe(self) -> str:
        """The ledger's location for messages, without any password in a URL."""
        if self.is_sqlite:
            return str(self.sqlite_path)
        scheme, _, rest = self.url.partition("://")
        host = rest.rsplit("@", 1)[-1]
        return f"{scheme.split('+', 1)[0]}://{host}"


def resolve_workspace(db: str | None = None) -> Workspace:
    """Pick the ledger: ``db`` argument, else ``LEDGER_DB``, else ``./ledger.db``."""
    target = db or os.environ.get("LEDGER_DB") or DEFAULT_DB
    if "://" in target:
        scheme, _, rest = target.partition("://")
        if scheme.lower() == "sqlite" and rest.startswith("/") and len(rest) > 1:
            target = rest[1:]  # sqlite:///path: the file path
        elif scheme.lower() not in _POSTGRES:
            shown = f"{scheme}://" if len(scheme) <= 30 else f"{scheme[:29]}…://"
            raise WorkspaceError(f"unsupported ledger location {shown!r}: give a SQLite file path "
                                 "or a postgresql:// URL")
    if "://" in target:
        url = "postgresql+psycopg://" + target.split("://", 1)[1]
        root = Path(os.environ.get("LEDGER_HOME") or os.getcwd()).resolve()
        return Workspace(url=url, root=root)
    path = Path(target).expanduser().resolve()
    return Workspace(url=f"sqlite:///{path}", root=path.parent)


def resolve_actor(by: str | None = None) -> str:
    """Who is making the change: ``--by``, else ``LEDGER_USER``, else the OS user."""
    for candidate in (by, os.environ.get("LEDGER_USER")):
        if candidate and candidate.strip():
            return candidate.strip()
    try:
        return getpass.getuser()
    except Exception:  # no login name (containers): still record something honest
        return "unknown"


def busy_timeout_ms() -> int:
    """How long a writer waits for another to finish before giving up with a clear message
    (``LEDGER_BUSY_TIMEOUT_MS`` overrides the default of 15 s)."""
    raw = os.environ.get("LEDGER_BUSY_TIMEOUT_MS", "").strip()
    try:
        return max(0, int(raw)) if raw else BUSY_TIMEOUT_MS
    except ValueError:
        raise WorkspaceError(f"LEDGER_BUSY_TIMEOUT_MS must be a number of milliseconds, not {raw!r}") from None


def server_session_options() -> str:
    """The settings every PostgreSQL session of the ledger runs with (libpq's ``options``).

    PostgreSQL waits for row locks forever by default: a teammate's stuck transaction would hang
    every writer, so waits are bounded by the same timeout as SQLite's. Its JIT compiler (on by
    default above an estimated cost that full-text searches of a large ledger pass at once)
    spends far longer compiling the ledger's short index look-ups than running them -- 0.47 s to
    compile a batch of sentence searches that then ran in 0.06 s -- so it is off for the ledger."""
    return f"-c lock_timeout={busy_timeout_ms()} -c jit=off"
