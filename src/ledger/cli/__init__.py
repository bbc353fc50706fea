"""The command line. ``ledger`` alone opens the terminal UI on the workspace.

Exit codes: 0 done, 1 refused (bad input or a rule; nothing changed), 2 usage error.

Commands are loaded lazily, so a command pays only for what it uses: ``ledger --version`` and
``ledger --help`` import no database layer, and ``ledger claim show`` imports ``cli.claims``
alone. ``COMMANDS`` maps each top-level name to ``"module:attribute"`` and the one-line help
that ``ledger --help`` lists without importing the module (tests/test_startup.py checks both
stay in step with the command itself).

**Adding a command is one line**: write it in its own module under ``cli/`` and add
``"name": ("ledger.cli.module:function", "One-line help."),`` to ``COMMANDS``. A command that
only reads also joins ``READ_ONLY_COMMANDS`` in ``cli/common.py``. Sub-commands of a group
(``article state``) are attached by the group's own module.
"""

from __future__ import annotations

import errno
import importlib
import os
import sys
from collections.abc import Iterator, MutableMapping

import click
from click.utils import make_default_short_help

from ledger import __version__
from ledger.errors import LedgerError

# one line per command: name, "module:attribute", the one-line help `ledger --help` shows
COMMANDS: dict[str, tuple[str, str]] = {  # noqa: E501
    "article": ("ledger.cli.articles:article", "Articles: the texts whose claims are checked."),
    "audit": ("ledger.cli.audit:audit", "Audit an article before publication: every claim, rule by rule (rules and severities in ledger.toml)."),
    "backup": ("ledger.cli.backup:backup", "Copy the whole ledger to PATH (a file, or a folder to put a dated file in, created if PATH ends with a slash), while others keep working."),
    "batch": ("ledger.cli.batch:batch", "Run the commands in FILE (JSON Lines, - for standard input) in one process, one result line each."),
    "cite": ("ledger.cli.sources:cite", "Cite SOURCE_ID as evidence for or against CLAIM_ID; prints the citation id."),
    "citation": ("ledger.cli.corrections:citation", "Citations: the links between claims and their sources."),
    "checkpoint": ("ledger.cli.checkpoints:checkpoint", "Sign the chain head with the desk key and append it to a checkpoints file kept (or published) outside the ledger; `ledger verify --checkpoints FILE` then holds the history to it."),
    "claim": ("ledger.cli.claims:claim", "Claims: checkable statements, anchored in the articles they appear in."),
    "demo": ("ledger.cli.demo:demo", "Build the sample ledger in DIR (default: the current workspace, ./ledger.db)."),
    "export": ("ledger.cli.export:export", "Export one article (ARTICLE_ID) or the whole ledger (--all)."),
    "import": ("ledger.cli.importing:import_", "Import FILE; bad records are reported with their line and reason, the good ones imported."),
    "key": ("ledger.cli.checkpoints:key", "Desk keys (Ed25519) that sign checkpoints of the history."),
    "match": ("ledger.cli.matching:match", "Rank the ledger's claims for TEXT (or each text of --file): has this been checked before?"),
    "open": ("ledger.cli.opening:open_", "Open the terminal UI on ARTICLE_ID's reader (alone, the same as `ledger`)."),
    "restore": ("ledger.cli.backup:restore", "Put the backup in PATH back (a SQLite backup or a JSON export), replacing the ledger's contents whole."),
    "search": ("ledger.cli.search:search", "Find claims, passages and articles; every word must match (prefixes count)."),
    "source": ("ledger.cli.sources:source", "Sources: the evidence claims are checked against, archived by content hash."),
    "status": ("ledger.cli.claims:status", "Set the verification status of a claim."),
    "suggest": ("ledger.cli.matching:suggest", "Sentences of ARTICLE_ID that match claims already in the ledger (* = near-certain)."),
    "verdicts": ("ledger.cli.verdicts:verdicts", "The verdict labels of imported claims: how many claims carry each, and what it reads as."),
    "verify": ("ledger.cli.verify:verify", "Walk the hash-chained history and re-hash every archived source file; exit 1 at the first break."),
}


def load_command(target: str) -> click.Command:
    """The command object named by ``"module:attribute"``, importing its module."""
    module, _, attr = target.partition(":")
    return getattr(importlib.import_module(module), attr)


class LazyCommands(MutableMapping):
    """The group's commands: a name from ``COMMANDS`` is imported the first time it is looked up.
    Click's own ``Group`` code (``get_command``, ``list_commands``, ``add_command``) works on it
    unchanged."""

    def __init__(self, table: dict[str, tuple[str, str]]):
        self.table = table
        self.loaded: dict[str, click.Command] = {}

    def __getitem__(self, name: str) -> click.Command:
        if name not in self.loaded:
            if name not in self.table:
                raise KeyError(name)
            self.loaded[name] = load_command(self.table[name][0])
        return self.loaded[name]

    def __setitem__(self, name: str, command: click.Command) -> None:
        self.loaded[name] = command

    def __delitem__(self, name: str) -> None:
        self.loaded.pop(name, None)
        self.table.pop(name, None)

    def __iter__(self) -> Iterator[str]:
        return iter(sorted(set(self.table) | set(self.loaded)))

    def __len__(self) -> int:
        return len(set(self.table) | set(self.loaded))

    def short_help(self, name: str, limit: int) -> str:
        """The one line ``--help`` lists, from the table while the command is not loaded."""
        if name in self.loaded or name not in self.table:
            return self[name].get_short_help_str(limit=limit)
        return make_default_short_help(self.table[name][1], limit)


class LazyGroup(click.Group):
    """A click Group whose commands are imported on first use (see ``COMMANDS``)."""

    def __init__(self, *args, lazy: dict[str, tuple[str, str]], **kwargs):  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        self.commands = LazyCommands(lazy)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        names = self.list_commands(ctx)
        if names:
            limit = formatter.width - 6 - max(len(n) for n in names)  # as click.Group lays it out
            rows = [(name, self.commands.short_help(name, limit)) for name in names]
            with formatter.section("Commands"):
                formatter.write_dl(rows)


@click.group(cls=LazyGroup, lazy=COMMANDS, invoke_without_command=True,
             context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--db", envvar="LEDGER_DB", help="Ledger file or database URL (default ./ledger.db; env LEDGER_DB).")
@click.option("--by", envvar="LEDGER_USER", help="Who is making the change (default: env LEDGER_USER, then the OS user).")
@click.version_option(__version__, prog_name="ledger")
@click.pass_context
def cli(ctx: click.Context, db: str | None, by: str | None) -> None:
    """Claim Ledger — record, verify and audit the factual claims of news articles."""
    from ledger.cli.common import LedgerContext

    if isinstance(ctx.obj, LedgerContext):  # a command of `ledger batch`: the batch's ledger, kept open
        return
    ctx.obj = LedgerContext(db, by)
    ctx.call_on_close(ctx.obj.close)
    if ctx.invoked_subcommand is None:
        from ledger.cli.launch import launch_ui

        launch_ui(ctx.obj)


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else list(argv)
    if any("\x00" in a for a in args):  # no shell can pass one; a calling program can
        click.echo("error: an argument holds a NUL character; nothing was changed", err=True)
        sys.exit(2)
    try:
        rv = cli.main(args=args, prog_name="ledger", standalone_mode=False)
        sys.stdout.flush()  # a full or closed standard output fails here, not at exit
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
    except OSError as exc:  # the output could not be written: standard output full or closed, a file too large
        _drop_stdout()
        if exc.errno != errno.EPIPE:  # a reader that has had enough (`| head`) needs no message, as Click does
            where = f" {exc.filename}" if exc.filename else ""
            click.echo(f"error: could not write{where}: {exc.strerror or exc}", err=True)
        sys.exit(1)
    sys.exit(rv if isinstance(rv, int) else 0)


def _drop_stdout() -> None:
    """After standard output failed, send what is still buffered for it nowhere, so the
    interpreter's own flush at exit does not print a second error with a traceback."""
    try:
        sys.stdout.flush()
    except OSError:
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            os.close(devnull)
        except (OSError, ValueError, AttributeError):  # not a real file (tests capture it)
            pass
