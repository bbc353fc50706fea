"""``ledger open [ARTICLE_ID]``: the terminal UI, opened on one article's reader."""

from __future__ import annotations

import click

from ledger.cli.common import LedgerContext, pass_ledger


@click.command("open")
@click.argument("article_id", type=click.IntRange(1), required=False)
@pass_ledger
def open_(ctx: LedgerContext, article_id: int | None) -> None:
    """Open the terminal UI on ARTICLE_ID's reader (alone, the same as `ledger`)."""
    from ledger.cli.launch import launch_ui

    launch_ui(ctx, article_id=article_id)
