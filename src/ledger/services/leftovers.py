"""What a killed command leaves behind, and clearing it on the next open.

Two kinds of scratch files live beside a ledger while a command runs: evidence files streamed
into ``sources/.staging/`` (waiting for their transaction to commit) and ``ledger-restore-*``
folders beside the ledger (a backup's copy being checked before a restore). A ``SIGKILL`` leaves
them there. Their names carry the host and the process id of the command that made them
(``.staging-<host>-<pid>-<random>``), so the next open of the ledger removes exactly those whose
process is gone. A name from another host (a ``sources/`` shared over the network) is removed only
once it is a day old, and a name without a process id (written by an older version, directly in
``sources/``) once it is an hour old: nothing a live command is still using is ever taken from it.

Staging files have a folder of their own (``sources/.staging/``, there only while something is
staged) so that this costs one small listing per open, not a listing of an archive of 80,000
files; what older versions left at the archive's top level is swept the first time a command
stages a file.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import time
from pathlib import Path

from ledger.workspace import Workspace

STAGING = ".staging-"
STAGING_DIR = ".staging"
RESTORE = "ledger-restore-"
OTHER_HOST_AGE = 24 * 3600  # seconds
UNTAGGED_AGE = 3600
_HOST = re.sub(r"[^A-Za-z0-9.]", "_", socket.gethostname() or "host")[:40]
_TAGGED = re.compile(r"^(?P<host>[A-Za-z0-9._]+)-(?P<pid>\d+)-[A-Za-z0-9_]+$")


def prefix(kind: str) -> str:
    """The name prefix for a scratch file or folder of this process (``tempfile``'s ``prefix``)."""
    return f"{kind}{_HOST}-{os.getpid()}-"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # it exists but belongs to someone else
        return True
    return True


def stale(name: str, kind: str, age: float) -> bool:
    """Whether the scratch entry ``name`` (of ``kind``, last changed ``age`` seconds ago) belongs to
    no running command."""
    m = _TAGGED.match(name[len(kind):])
    if m is None:
        return age > UNTAGGED_AGE
    if m["host"] != _HOST:
        return age > OTHER_HOST_AGE
    pid = int(m["pid"])
    return pid != os.getpid() and not _alive(pid)


def clean(folder: Path, kind: str) -> list[Path]:
    """Remove the stale scratch entries of ``kind`` in ``folder``; the ones removed."""
    removed: list[Path] = []
    try:
        entries = os.scandir(folder)
    except OSError:  # no folder, or not one we may list: nothing of ours can be there
        return removed
    now = time.time()
    with entries:
        for entry in entries:
            if not entry.name.startswith(kind):
                continue
            try:
                info = entry.stat(follow_symlinks=False)
                if not stale(entry.name, kind, now - info.st_mtime):
                    continue
                if entry.is_dir(follow_symlinks=False):
                    shutil.rmtree(entry.path)
                else:
                    os.unlink(entry.path)
                removed.append(Path(entry.path))
            except OSError:  # gone meanwhile, or not ours to remove: leave it
                continue
    return removed


_swept: set[Path] = set()


def staging_dir(sources_dir: Path) -> Path:
    """Where evidence files wait for their transaction (made when needed, removed once empty).
    The first time a process stages a file, the archive's top level is swept once for what
    older versions left there."""
    if sources_dir not in _swept:
        _swept.add(sources_dir)
        clean(sources_dir, STAGING)
    folder = sources_dir / STAGING_DIR
    folder.mkdir(exist_ok=True)
    return folder


def drop_staging_dir(sources_dir: Path) -> None:
    """Remove the staging folder if nothing waits in it any more."""
    try:
        (sources_dir / STAGING_DIR).rmdir()
    except OSError:  # not empty (another command is staging), or already gone
        pass


def clean_workspace(ws: Workspace) -> list[Path]:
    """Clear what killed commands left in ``sources/.staging/`` and beside the ledger."""
    root = ws.sqlite_path.parent if ws.sqlite_path is not None else ws.root
    removed = clean(root, RESTORE)
    folder = ws.sources_dir / STAGING_DIR
    if folder.is_dir():
        removed += clean(folder, STAGING)
        drop_staging_dir(ws.sources_dir)
    return removed
