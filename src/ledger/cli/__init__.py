"""The command line. ``ledger`` alone opens the terminal UI on the workspace.

Exit codes: 0 done, 1 refused (bad input or a rule; nothing changed), 2 usage error.
"""

from __future__ import annotations

import sys

import click

from ledger.cli.articles import article
from ledger.cli.audit import audit
from ledger.cli.backup import backup, restore
from ledger.cli.claims import claim, status
from ledger.cli.common import LedgerContext
from ledger.cli.corrections import citation, claim_confirm, claim_edit
from ledger.cli.demo import demo
from ledger.cli.export import export
from ledger.cli.importing import import_
from ledger.cli.opening import open_
from ledger.cli.editorial import article_state, article_update
from ledger.cli.search import search
from ledger.cli.sources import cite, source
from ledger.cli.verify import verify
from ledger.errors import LedgerError


@click.group(invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--db", envvar="LEDGER_DB", help="Ledger file or database URL (default ./ledger.db; env LEDGER_DB).")
@click.option("--by", envvar="LEDGER_USER", help="Who is making the change (default: env LEDGER_USER, then the OS user).")
@click.version_option(package_name="claim-ledger", prog_name="ledger")
@click.pass_context
def cli(ctx: click.Context, db: str | None, by: str | None) -> None:
    """Claim Ledger — record, verify and audit the factual claims of news articles."""
    ctx.obj = LedgerContext(db, by)
    ctx.call_on_close(ctx.obj.close)
    if ctx.invoked_subcommand is None:
        from ledger.cli.launch import launch_ui

        launch_ui(ctx.obj)


for command in (article, claim, status, source, cite, search, audit, verify, demo, export, import_):
    cli.add_command(command)
for command in (backup, restore, citation, open_):
    cli.add_command(command)
for command in (claim_edit, claim_confirm):
    claim.add_command(command)
for command in (article_state, article_update):
    article.add_command(command)


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else list(argv)
    if any("\x00" in a for a in args):  # no shell can pass one; a calling program can
        click.echo("error: an argument holds a NUL character; nothing was changed", err=True)
        sys.exit(2)
    try:
        rv = cli.main(args=args, prog_name="ledger", standalone_mode=False)
    except LedgerError as exc:
        from ledger.cli.common import literal

        click.echo(f"error: {literal(str(exc))}", err=True)
        sys.exit(exc.exit_code)
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        sys.exit(1)
    except click.ClickException as exc:
        from ledger.cli.common import literal

        exc.message = literal(exc.message)  # a usage error may quote the user's text back
        exc.show()
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        click.echo("interrupted; nothing was changed by the unfinished command", err=True)
        sys.exit(130)
    sys.exit(rv if isinstance(rv, int) else 0)
