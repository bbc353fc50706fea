"""What every command shares: the ledger from the global options, safe printing, JSON output."""

from __future__ import annotations

import dataclasses
import json
import re
import sys
from datetime import date
from typing import TYPE_CHECKING, Any

import click

from ledger.errors import WorkspaceError
from ledger.text.controls import UNSAFE, escape_code, json_escaped
from ledger.workspace import resolve_workspace

if TYPE_CHECKING:
    from ledger.services.ledger import Ledger
    from ledger.services.reading import Reader

_CONTROL = re.compile(f"{UNSAFE.pattern[:-1]}\ud800-\udfff]")


def literal(text: Any) -> str:
    """User text made safe for a terminal: control characters (ANSI escapes, C1 controls, DEL)
    and bidirectional overrides are shown as visible ``\\x1b``/``\\u202e`` escapes instead of being
    sent raw (see ``ledger.text.controls``), and so are lone surrogates (undecodable bytes in
    arguments), which no terminal encoding can carry."""
    if text is None:
        return ""
    return _CONTROL.sub(lambda m: escape_code(m.group()), str(text))


def echo(text: Any = "") -> None:
    click.echo(literal(text))


def to_jsonable(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_jsonable(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    return value


def print_json(value: Any) -> None:
    """One JSON value on standard output: accents as they are, but C1 controls, DEL and bidi
    overrides as ``\\u`` escapes (the same value, nothing a terminal obeys)."""
    sys.stdout.write(json_escaped(json.dumps(to_jsonable(value), ensure_ascii=False, indent=2)) + "\n")


# Commands that only read the ledger: on a SQLite path that does not exist they refuse instead
# of creating an empty ledger there (a typo in --db, or the wrong folder). Every other command
# writes and creates the ledger when it is missing.
READ_ONLY_COMMANDS = frozenset({
    "article list", "article show", "claim list", "claim show", "source list", "source show",
    "search", "audit", "verify", "export", "backup", "verdicts", "match", "claim similar",
})


def _command_path() -> str:
    """The running command below ``ledger``, e.g. ``"claim list"`` ("" for ``ledger`` alone)."""
    names: list[str] = []
    ctx = click.get_current_context(silent=True)
    while ctx is not None and ctx.parent is not None:
        names.append(ctx.info_name or "")
        ctx = ctx.parent
    return " ".join(reversed(names))


class LedgerContext:
    """Opened lazily so ``--help`` and usage errors never touch the database."""

    def __init__(self, db: str | None, by: str | None):
        self.db_arg = db
        self.by = by
        self._ledger: Ledger | None = None
        self._reader: Reader | None | bool = None  # False: the ledger must be opened in full
        self.read_only: bool | None = None  # None: decided by the running command (READ_ONLY_COMMANDS)
        self.created = False  # this command created the ledger file

    def _may_open(self) -> bool:
        """Refuse what a read command must not open (a missing or empty file); whether it exists."""
        path = resolve_workspace(self.db_arg).sqlite_path
        existed = path is None or path.exists()
        read_only = self.read_only if self.read_only is not None else _command_path() in READ_ONLY_COMMANDS
        if read_only and not existed:
            raise WorkspaceError(f"no ledger at {path} (create one with `ledger demo` or "
                                 "`ledger article add FILE --title T`)")
        if read_only and path is not None and path.is_file() and path.stat().st_size == 0:
            # a command that only reads never writes a schema into an empty file
            raise WorkspaceError(f"{path} is an empty file (0 bytes), not a ledger; nothing was written to it")
        return existed

    @property
    def ledger(self) -> Ledger:
        if self._ledger is None:
            existed = self._may_open()
            from ledger.services.ledger import open_ledger  # the database layer, only when a command needs it

            self._ledger = open_ledger(self.db_arg, actor=self.by)
            self.created = not existed
        return self._ledger

    @property
    def reader(self) -> Ledger | Reader:
        """What a command that only reads reads through: the ledger if it is open already (a
        batch's, whose transaction it then joins), else a plain reader when the ledger is an
        up-to-date ledger file or server (no database layer loaded: ``services.reading``), else the ledger."""
        if self._ledger is not None:
            return self._ledger
        if self._reader is None:
            self._may_open()
            from ledger.services.reading import open_reader

            self._reader = open_reader(self.db_arg) or False
        return self._reader or self.ledger

    def discard_if_created(self) -> None:
        """Close and remove the ledger file this command created (a refused first import), so a
        refusal leaves the folder as it was."""
        path = self._ledger.workspace.sqlite_path if self._ledger is not None else None
        if not self.created or path is None:
            return
        self.close()
        self._ledger = None
        self.created = False
        for p in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
            p.unlink(missing_ok=True)

    def use(self, db: str) -> Ledger:
        """Switch to another ledger (``ledger demo DIR``)."""
        self.close()
        self.db_arg = db
        self._ledger = None
        return self.ledger

    def close(self) -> None:
        if self._reader:
            self._reader.close()
        self._reader = None
        if self._ledger is not None:
            self._ledger.close()


pass_ledger = click.make_pass_decorator(LedgerContext)

json_option = click.option("--json", "as_json", is_flag=True, help="Print one JSON value.")


def category_tally(counts: dict[str, int]) -> str:
    """An article's claims by category, open and unresolved apart: ``4 claims: 4 unresolved, 0 open``."""
    total = sum(counts.values())
    if not total:
        return "no claims"
    parts = [f"{counts[c]} {c}" for c in ("pass", "fail", "unresolved") if counts.get(c)]
    parts.append(f"{counts.get('open', 0)} open")
    return f"{total} claim{'s' if total != 1 else ''}: " + ", ".join(parts)


def short(text: str | None, width: int = 70) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= width else text[: width - 1] + "…"
