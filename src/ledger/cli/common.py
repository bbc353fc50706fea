"""What every command shares: the ledger from the global options, safe printing, JSON output."""

from __future__ import annotations

import dataclasses
import json
import re
import sys
from datetime import date
from typing import Any

import click

from ledger.services.ledger import Ledger, open_ledger

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


class LedgerContext:
    """Opened lazily so ``--help`` and usage errors never touch the database."""

    def __init__(self, db: str | None, by: str | None):
        self.db_arg = db
        self.by = by
        self._ledger: Ledger | None = None

    @property
    def ledger(self) -> Ledger:
        if self._ledger is None:
            self._ledger = open_ledger(self.db_arg, actor=self.by)
        return self._ledger

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


def short(text: str | None, width: int = 70) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= width else text[: width - 1] + "…"
