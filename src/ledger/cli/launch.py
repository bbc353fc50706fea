"""``ledger`` with no command: the terminal UI when a terminal is there, else an overview."""

from __future__ import annotations

import sys

from ledger.cli.common import LedgerContext, echo, short


def print_overview(ctx: LedgerContext) -> None:
    lg = ctx.ledger
    articles = lg.list_articles(limit=20)
    echo(f"Claim Ledger — {lg.workspace.describe()}")
    if not articles:
        echo("The ledger is empty. Build the sample ledger with `ledger demo`, or add an article with "
             "`ledger article add FILE --title T`.")
        return
    for r in articles:
        tally = ", ".join(f"{n} {s}" for s, n in sorted(r.status_counts.items())) or "no claims"
        echo(f"{r.id:>5}  {r.state:<9} {short(r.title, 55):<55}  {tally}")
    echo("See `ledger --help` for the commands.")


def launch_ui(ctx: LedgerContext) -> None:
    try:
        from ledger.tui.app import run_app
    except ImportError:
        run_app = None
    if run_app is None or not sys.stdout.isatty():
        if ctx.read_only is None:  # `ledger` alone only reads; the terminal UI offers to build the sample
            ctx.read_only = True
        print_overview(ctx)
        return
    code = run_app(ctx.ledger)
    if code:
        raise SystemExit(code)
