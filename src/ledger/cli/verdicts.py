"""``ledger verdicts [--json]`` and ``ledger verdicts map LABEL STATUS``."""

from __future__ import annotations

import click

from ledger.cli.common import LedgerContext, echo, json_option, pass_ledger, print_json, short


@click.group("verdicts", invoke_without_command=True)
@click.option("--unmapped", is_flag=True, help="Only the labels the ledger does not read.")
@click.option("--limit", type=click.IntRange(1), default=200, show_default=True, help="Labels to list at most.")
@json_option
@pass_ledger
@click.pass_context
def verdicts(click_ctx: click.Context, ctx: LedgerContext, unmapped: bool, limit: int, as_json: bool) -> None:
    """The verdict labels of imported claims: how many claims carry each, and what it reads as.

    Labels the ledger does not read come first; map one with `ledger verdicts map LABEL STATUS`."""
    if click_ctx.invoked_subcommand is not None:
        return
    from ledger.services.verdict_worklist import verdict_labels

    rows = [r for r in verdict_labels(ctx.ledger) if not unmapped or r.status is None][:limit]
    if as_json:
        print_json(rows)
        return
    if not rows:
        echo("no claim carries a published verdict label")
        return
    echo(f"{'claims':>7}  {'reads as':<14} {'by':<6} label")
    for r in rows:
        scale = r.read_as.get("rating", 0)
        also = f"  ({scale} claim(s) read from their rating scale)" if scale and r.status is None else ""
        echo(f"{r.claims:>7}  {r.status or '—':<14} {r.basis or '':<6} {short(r.label, 70)}{also}")


@verdicts.command("map")
@click.argument("label")
@click.argument("status")
@pass_ledger
def verdicts_map(ctx: LedgerContext, label: str, status: str) -> None:
    """Read LABEL as STATUS from now on (kept in ledger.toml) and read again every claim carrying it."""
    from ledger.services.verdict_worklist import map_verdict

    result = map_verdict(ctx.ledger, label, status)
    echo(f"{result.label!r} reads as {result.status}; {result.reread} claim(s) read again")
    if result.kept_open:
        echo(f"  {result.kept_open} claim(s) stay open: their review has no page to cite as evidence")
