"""``ledger search``: full-text over claims, quoted passages and article titles."""

from __future__ import annotations

import click

from ledger.cli.common import LedgerContext, echo, json_option, pass_ledger, print_json, short


@click.command("search")
@click.argument("query")
@click.option("--limit", type=click.IntRange(1, 1000), default=50, show_default=True)
@click.option("--offset", type=click.IntRange(0), default=0)
@json_option
@pass_ledger
def search(ctx: LedgerContext, query: str, limit: int, offset: int, as_json: bool) -> None:
    """Find claims, passages and articles; every word must match (prefixes count)."""
    reader = ctx.reader  # plain reads on an up-to-date ledger: no database layer to load
    hits = reader.search(query, limit=limit, offset=offset)
    if as_json:
        print_json(hits)
        return
    if not hits and offset and reader.search(query, limit=1, offset=0):
        echo(f"no more matches after {offset}")
    elif not hits:
        echo(f"no match for {query!r}")
    for h in hits:
        where = {"claim": f"claim #{h.claim_id}", "appearance": f"claim #{h.claim_id} in article {h.article_id}",
                 "article": f"article {h.article_id}"}[h.kind]
        echo(f"{where:<28} {short(h.snippet or h.text, 90)}")
