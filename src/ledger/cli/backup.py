"""``ledger backup PATH`` and ``ledger restore PATH``."""

from __future__ import annotations

import os
from pathlib import Path

import click

from ledger.cli.common import LedgerContext, echo, json_option, pass_ledger, print_json
from ledger.services import backup as backups


def _tally(counts: dict[str, int]) -> str:
    return ", ".join(f"{n} {what}" for what, n in counts.items())


@click.command("backup")
@click.argument("path", type=click.Path())
@click.option("--format", "fmt", type=click.Choice(backups.FORMATS),
              help="sqlite (a copy of the ledger file; SQLite ledgers only) or json (the full export). "
                   "Default: sqlite for a SQLite ledger, json for a PostgreSQL one.")
@click.option("--force", is_flag=True, help="Replace PATH if it exists.")
@json_option
@pass_ledger
def backup(ctx: LedgerContext, path: str, fmt: str | None, force: bool, as_json: bool) -> None:
    """Copy the whole ledger to PATH (a file, or a folder to put a dated file in, created if PATH ends
    with a slash), while others keep working."""
    folder = path.endswith(tuple(sep for sep in (os.sep, os.altsep) if sep))
    result = backups.backup(ctx.ledger, Path(path), fmt=fmt, force=force, folder=folder)
    if as_json:
        print_json({"path": str(result.path), "format": result.format, "counts": result.counts,
                    "head": result.head})
        return
    echo(f"Backed up {ctx.ledger.workspace.describe()} to {result.path} ({result.format}): {_tally(result.counts)}; "
         f"chain head {result.head}")
    echo("The archived files in sources/ are not inside the backup: copy that folder along.")


@click.command("restore")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--force", is_flag=True,
              help="Replace a ledger that is not empty (its contents are backed up first).")
@json_option
@pass_ledger
def restore(ctx: LedgerContext, path: Path, force: bool, as_json: bool) -> None:
    """Put the backup in PATH back (a SQLite backup or a JSON export), replacing the ledger's contents whole."""
    result = backups.restore(ctx.ledger, path, force=force)
    if as_json:
        print_json({"source": str(result.source), "format": result.format, "counts": result.counts,
                    "head": result.head, "previous": str(result.previous) if result.previous else None,
                    "missing_files": result.missing_files, "notes": result.notes})
        return
    echo(f"Restored {result.source} into {ctx.ledger.workspace.describe()}: {_tally(result.counts)}; "
         f"chain head {result.head}")
    if result.previous is not None:
        echo(f"The contents it replaced were saved to {result.previous}")
    if result.missing_files:
        echo(f"{result.missing_files} archived source file(s) are not in {ctx.ledger.workspace.sources_dir}: "
             "copy the original sources/ folder there")
    for note in result.notes:
        echo(note)
