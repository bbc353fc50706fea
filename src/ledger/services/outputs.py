"""Output files: what ``export -o``, ``backup`` and the TUI's export write, and what they may replace.

An output only ever replaces a regular file. A character device (``/dev/full``, a terminal), a
FIFO, a socket, a folder or a symbolic link at the output path is refused with one line: replacing
it with a regular file would destroy a system node or write somewhere the name does not say. The
file is written under a temporary name beside the target (created exclusively, never through a
link) and moved into place only once complete, so a failure leaves the old file as it was.
"""

from __future__ import annotations

import os
import stat
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, TextIO

from ledger.errors import InvalidInput

_KINDS = ((stat.S_ISLNK, "a symbolic link"), (stat.S_ISDIR, "a folder"), (stat.S_ISCHR, "a character device"),
          (stat.S_ISBLK, "a block device"), (stat.S_ISFIFO, "a FIFO (named pipe)"), (stat.S_ISSOCK, "a socket"))


def not_regular(path: Path) -> str | None:
    """What ``path`` is when it exists and is not a regular file (a link is not followed); None otherwise."""
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise InvalidInput(f"cannot look at {str(path)!r}: {exc.strerror}") from exc
    if stat.S_ISREG(mode):
        return None
    return next((what for test, what in _KINDS if test(mode)), "not a regular file")


def check_target(path: Path) -> Path:
    """Refuse an output path that names anything but a regular file or nothing; the path itself."""
    what = not_regular(path)
    if what is not None:
        raise InvalidInput(f"{str(path)!r} is {what}; an output only replaces a regular file, nothing was written")
    return path


def create_partial(path: Path, mode: str = "w", **kwargs: object):  # noqa: ANN201 - a file object
    """Open a new file at ``path`` for writing: created here and now (``O_EXCL``), never through a
    link someone left under that name; permissions from the umask like any new file."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(path, flags, 0o666)
    except FileExistsError:  # a leftover of a killed run with the same name: it is ours to replace
        if not_regular(path) is not None:
            raise
        os.unlink(path)
        fd = os.open(path, flags, 0o666)
    return os.fdopen(fd, mode, **kwargs)


def install(partial: Path, target: Path) -> None:
    """Move a complete ``partial`` over ``target``, checking again that the target is still a
    regular file or nothing (it may have been swapped for a link while the output was written)."""
    check_target(target)
    os.replace(partial, target)


@contextmanager
def replace_when_complete(path: Path) -> Iterator[TextIO]:
    """A text stream whose content replaces ``path`` (a regular file or nothing) only once complete."""
    path = Path(path).expanduser()
    if not path.parent.is_dir():
        raise InvalidInput(f"folder {str(path.parent)!r} does not exist")
    check_target(path)
    tmp = path.with_name(f".{path.name}.partial-{os.getpid()}")
    try:
        with create_partial(tmp, "w", encoding="utf-8", newline="") as out:
            yield out
        install(tmp, path)
    finally:
        if not_regular(tmp) is None:
            tmp.unlink(missing_ok=True)
