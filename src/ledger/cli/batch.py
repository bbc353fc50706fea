"""``ledger batch FILE|-``: many commands in one process, for newsroom scripts and pipelines.

Each line of FILE is a JSON object ``{"command": ["status", "12", "verified", "--note", "…"]}``
(optionally with an ``"id"`` echoed back in its result). Every command runs exactly as it would
from the command line — the same options, validation and refusals — against the ledger opened
once for the whole batch, each in its own transaction, and prints one JSON result line:

    {"line": 1, "ok": true, "exit": 0, "output": …}
    {"line": 2, "ok": false, "exit": 1, "error": "claim 99 …"}

``output`` is the command's JSON when it was given ``--json``, a number when it printed an id,
else its text. A summary line ends the run: ``{"summary": {"commands": …, "ok": …, "failed": …}}``.
With ``--atomic`` the whole file is one transaction: the first failure stops the batch and
nothing of it is kept. Exit 0 when every command succeeded, 1 otherwise.
"""

from __future__ import annotations

import io
import json
import re
import sys
from contextlib import redirect_stderr, redirect_stdout
from typing import Any, TextIO

import click

from ledger.cli.common import LedgerContext, pass_ledger
from ledger.errors import LedgerError

# commands that make no sense inside a batch: they replace or switch the ledger the batch runs on
NOT_IN_BATCH = {
    "batch": "a batch cannot run another batch",
    "demo": "the sample ledger is built with `ledger demo`, not inside a batch",
    "restore": "a restore replaces the whole ledger; run `ledger restore` on its own",
}
_NUMBER = re.compile(r"-?\d+")


class _RolledBack(Exception):
    """Raised out of an atomic batch to roll its transaction back."""


def parse_line(text: str) -> tuple[list[str], Any]:
    """The command's arguments and the caller's id from one JSON line; refuses anything else."""
    try:
        item = json.loads(text)
    except json.JSONDecodeError as exc:
        raise click.UsageError(f"not a JSON object ({exc.msg} at column {exc.colno})") from None
    if not isinstance(item, dict) or "command" not in item:
        raise click.UsageError('each line is a JSON object with a "command" list, e.g. '
                               '{"command": ["claim", "show", "12", "--json"]}')
    args = item["command"]
    if not isinstance(args, list) or not args or not all(isinstance(a, str) for a in args):
        raise click.UsageError('"command" must be a non-empty list of strings')
    if args[0].startswith("-"):
        raise click.UsageError(f"{args[0]} is a global option: give it to `ledger batch` itself, "
                               "not to one of its commands")
    if args[0] in NOT_IN_BATCH:
        raise click.UsageError(NOT_IN_BATCH[args[0]])
    if any("\x00" in a for a in args):
        raise click.UsageError("an argument holds a NUL character")
    return args, item.get("id")


def run_command(obj: LedgerContext, args: list[str]) -> dict[str, Any]:
    """Run one command line in this process; its result as a JSON-ready dict."""
    from ledger.cli import cli

    out, err = io.StringIO(), io.StringIO()
    error: str | None = None
    with redirect_stdout(out), redirect_stderr(err):
        try:
            rv = cli.main(args=args, prog_name="ledger", standalone_mode=False, obj=obj)
            code = rv if isinstance(rv, int) else 0
        except LedgerError as exc:
            error, code = str(exc), exc.exit_code
        except click.ClickException as exc:
            error, code = exc.format_message(), exc.exit_code
        except click.exceptions.Exit as exc:
            code = exc.exit_code
        except click.exceptions.Abort:
            error, code = "aborted", 1
    result: dict[str, Any] = {"ok": code == 0 and error is None, "exit": code}
    if error is not None:
        result["error"] = error
    text = out.getvalue()
    if text:
        result["output"] = _output(text, as_json="--json" in args)
    notices = [line for line in err.getvalue().splitlines() if line.strip()]
    if notices and error is None:
        result["notices"] = notices
    return result


def _output(text: str, *, as_json: bool) -> Any:
    if as_json:
        try:
            return json.loads(text)
        except json.JSONDecodeError:
            pass
    text = text.rstrip("\n")
    return int(text) if _NUMBER.fullmatch(text) else text


def _emit(stream: TextIO, value: dict[str, Any]) -> None:
    stream.write(json.dumps(value, ensure_ascii=False) + "\n")
    stream.flush()


def run_batch(obj: LedgerContext, lines: TextIO, out: TextIO, *, atomic: bool) -> dict[str, int | bool]:
    """Run every command of ``lines``, writing a result line for each to ``out``; the tally."""
    tally: dict[str, int | bool] = {"commands": 0, "ok": 0, "failed": 0}

    def each() -> None:
        for number, text in enumerate(lines, start=1):
            if not text.strip():
                continue
            tally["commands"] += 1
            caller_id: Any = None
            try:
                args, caller_id = parse_line(text)
            except click.UsageError as exc:
                result = {"ok": False, "exit": 2, "error": exc.format_message()}
            else:
                result = run_command(obj, args)
            _emit(out, {"line": number, **({"id": caller_id} if caller_id is not None else {}), **result})
            tally["ok" if result["ok"] else "failed"] += 1
            if atomic and not result["ok"]:
                raise _RolledBack

    if not atomic:
        each()
        return tally
    try:
        with obj.ledger.db.atomic():
            each()
        tally["committed"] = True
    except _RolledBack:
        tally["committed"] = False
    return tally


@click.command("batch")
@click.argument("file", type=click.File("r", encoding="utf-8", lazy=False))
@click.option("--atomic", is_flag=True, help="Run the whole file as one transaction: all of it, or nothing.")
@pass_ledger
def batch(ctx: LedgerContext, file: TextIO, atomic: bool) -> int:
    """Run the commands in FILE (JSON Lines, - for standard input) in one process, one result line each.

    A line is {"command": ["status", "12", "verified", "--note", "…"]}, optionally with an "id"
    echoed back. Each command is its own transaction (--atomic: one for the whole file), refused or
    done exactly as on the command line. Prints a JSON result per line, then a summary; exit 1 if
    any command failed."""
    tally = run_batch(ctx, file, sys.stdout, atomic=atomic)
    if atomic:
        tally["atomic"] = True
    _emit(sys.stdout, {"summary": tally})
    return 0 if tally["failed"] == 0 else 1
