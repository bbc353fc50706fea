"""What every command shares: the ledger from the global options, safe printing, JSON output."""

from __future__ import annotations

import dataclasses
import json
import re
import sys
from datetime import date
from typing import Any

import click

from ledger.errors import WorkspaceError
from ledger.services.ledger import Ledger, open_ledger
from ledger.workspace import resolve_workspace

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")


def literal(text: Any) -> str:
    """User text made safe for a terminal: control characters (ANSI escapes included) are shown
    as visible ``\\x1b``-style escapes instead of being sent raw, and so are lone surrogates
    (undecodable bytes in arguments), which no terminal encoding can carry."""
    if text is None:
        return ""
    return _CONTROL.sub(_visible, str(text))


def _visible(m: re.Match[str]) -> str:
    code = ord(m.group())
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"  # undecodable bytes arrive as surrogates


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
    sys.stdout.write(json.dumps(to_jsonable(value), ensure_ascii=False, indent=2) + "\n")


# Commands that only read the ledger: on a SQLite path that does not exist they refuse instead
# of creating an empty ledger there (a typo in --db, or the wrong folder). Every other command
# writes and creates the ledger when it is missing.
READ_ONLY_COMMANDS = frozenset({
    "article list", "article show", "claim list", "claim show", "source list", "source show",
    "search", "audit", "verify", "export", "backup",
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
        self.read_only: bool | None = None  # None: decided by the running command (READ_ONLY_COMMANDS)
        self.created = False  # this command created the ledger file

    @property
    def ledger(self) -> Ledger:
        if self._ledger is None:
            path = resolve_workspace(self.db_arg).sqlite_path
            existed = path is None or path.exists()
            read_only = self.read_only if self.read_only is not None else _command_path() in READ_ONLY_COMMANDS
            if read_only and not existed:
                raise WorkspaceError(f"no ledger at {path} (create one with `ledger demo` or "
                                     "`ledger article add FILE --title T`)")
            self._ledger = open_ledger(self.db_arg, actor=self.by)
            self.created = not existed
        return self._ledger

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
