"""``ledger`` with no command: the terminal UI when a terminal is there, else an overview."""

from __future__ import annotations

import sys

from ledger.cli.common import LedgerContext, category_tally, echo, short


def print_overview(ctx: LedgerContext) -> None:
    lg = ctx.ledger
    articles = lg.list_articles(limit=20)
    echo(f"Claim Ledger — {lg.workspace.describe()}")
    if not articles:
        echo("The ledger is empty. Build the sample ledger with `ledger demo`, or add an article with "
             "`ledger article add FILE --title T`.")
        return
    for r in articles:
        echo(f"{r.id:>5}  {r.state:<9} {short(r.title, 55):<55}  {category_tally(r.category_counts)}")
    echo("See `ledger --help` for the commands.")


def print_article(ctx: LedgerContext, article_id: int) -> None:
    """``ledger open ARTICLE_ID`` without a terminal: the article in a few lines."""
    r = ctx.ledger.article(article_id)
    echo(f"Article {r.id}: {r.title}")
    echo(f"  {r.state}, {category_tally(r.category_counts)}")
    echo(f"Open it in a terminal to read it, or see `ledger article show {r.id}`.")


def launch_ui(ctx: LedgerContext, *, article_id: int | None = None) -> None:
    if article_id is not None:  # never create a ledger to look for an article in it
        ctx.read_only = True
        ctx.ledger.article(article_id)  # a missing article is refused before any screen opens
    try:
        from ledger.tui.app import run_app
    except ImportError:
        run_app = None
    if run_app is None or not sys.stdout.isatty():
        if ctx.read_only is None:  # `ledger` alone only reads; the terminal UI offers to build the sample
            ctx.read_only = True
        if article_id is not None:
            print_article(ctx, article_id)
        else:
            print_overview(ctx)
        return
    code = run_app(ctx.ledger, article_id=article_id)
    if code:
        raise SystemExit(code)
