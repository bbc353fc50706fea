"""``ledger demo [DIR]``: build the sample ledger, to see the product with real-looking data."""

from __future__ import annotations

from pathlib import Path

import click

from ledger.cli.common import LedgerContext, echo, pass_ledger
from ledger.services.demo import build_demo


@click.command("demo")
@click.argument("directory", required=False, type=click.Path(path_type=Path, file_okay=False))
@click.option("--open", "open_after", is_flag=True,
              help="Then open the ledger; a ledger that already has articles is opened as it is.")
@pass_ledger
def demo(ctx: LedgerContext, directory: Path | None, open_after: bool) -> None:
    """Build the sample ledger in DIR (default: the current workspace, ./ledger.db)."""
    if directory is not None:
        directory.mkdir(parents=True, exist_ok=True)
        ctx.use(str(directory / "ledger.db"))
    lg = ctx.ledger
    if open_after and lg.list_articles(limit=1):
        echo(f"{lg.workspace.describe()} already holds articles; opening it as it is.")
    else:
        summary = build_demo(lg)
        echo(f"Sample ledger built in {lg.workspace.describe()}: {summary.articles} articles, "
             f"{summary.claims} claims, {summary.sources} sources ({summary.citations} citations).")
    if open_after:
        from ledger.cli.launch import launch_ui

        launch_ui(ctx)
