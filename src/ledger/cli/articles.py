"""``ledger article add|list|show``."""

from __future__ import annotations

from pathlib import Path

import click

from ledger.cli.common import LedgerContext, category_tally, echo, json_option, pass_ledger, print_json, short, to_jsonable
from ledger.models import EventRow


@click.group("article")
def article() -> None:
    """Articles: the texts whose claims are checked."""


@article.command("add")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--title", required=True, help="Headline of the article.")
@click.option("--outlet", help="Publication the article appears in.")
@click.option("--author")
@click.option("--url")
@click.option("--published", help="Publication date (2024-06-19, 19 juin 2024, June 19, 2024).")
@click.option("--lang", type=click.Choice(["fr", "en"]), help="Language of the text.")
@pass_ledger
def article_add(ctx: LedgerContext, file: Path, title: str, outlet, author, url, published, lang) -> None:
    """Add the article in FILE (UTF-8 text); prints its id."""
    article_id = ctx.ledger.add_article(title=title, file=file, outlet=outlet, author=author, url=url,
                                        published=published, lang=lang)
    click.echo(article_id)


@article.command("list")
@click.option("--limit", type=click.IntRange(1, 10_000), default=200, show_default=True)
@click.option("--offset", type=click.IntRange(0), default=0)
@json_option
@pass_ledger
def article_list(ctx: LedgerContext, limit: int, offset: int, as_json: bool) -> None:
    """List articles (newest first) with their claim tallies."""
    rows = ctx.ledger.list_articles(limit=limit, offset=offset)
    if as_json:
        print_json(rows)
        return
    for r in rows:
        echo(f"{r.id:>5}  {r.published or '          '}  {r.state:<9}  {short(r.title, 50):<50}  "
             f"{short(r.outlet or '', 20):<20}  {category_tally(r.category_counts)}")


@article.command("show")
@click.argument("article_id", type=int)
@json_option
@pass_ledger
def article_show(ctx: LedgerContext, article_id: int, as_json: bool) -> None:
    """Show one article: metadata, text and the claims recorded in it."""
    lg = ctx.ledger
    row = lg.article(article_id)
    body = lg.article_body(article_id)
    claims = lg.list_claims(article_id=article_id, limit=10_000)
    history = lg.article_history(article_id)
    if as_json:
        data = {**to_jsonable(row), "body": body,
                "claims": [{"id": c.id, "text": c.text, "status": c.status} for c in claims],
                "history": [{**to_jsonable(e.payload), "at": e.at, "actor": e.actor, "action": e.action}
                            for e in history]}
        print_json(data)
        return
    echo(f"Article {row.id}: {row.title}")
    for label, value in (("Outlet", row.outlet), ("Author", row.author), ("URL", row.url), ("Language", row.lang),
                         ("Published", row.published), ("State", row.state), ("Revision", row.revision),
                         ("SHA-256", row.content_hash)):
        if value:
            echo(f"  {label + ':':<11}{value}")
    echo(f"  Claims:    {category_tally(row.category_counts)}")
    for c in claims:
        echo(f"    #{c.id:<5} {c.status:<13} {short(c.text, 60)}")
    echo("  History:")
    for e in history:
        for line in history_lines(e):
            echo(line)
    echo()
    echo(body)


def history_lines(e: EventRow) -> list[str]:
    """One editorial event as lines of ``article show``: a state change with its note (and, for an
    override, the blocking findings overridden), a revision, the article's creation."""
    p = e.payload
    head = f"    {e.at[:19].replace('T', ' ')}  {e.actor:<12} "
    if e.action == "article.state":
        note = f": {short(str(p.get('note')), 60)}" if p.get("note") else ""
        lines = [head + f"{p.get('from')} → {p.get('to')}" + (" (audit overridden)" if p.get("override") else "")
                 + note]
        lines += [f"{'':<40}overrode {f.get('rule')}: {short(str(f.get('message')), 70)}"
                  for f in p.get("blocking") or []]
        return lines
    if e.action == "article.update":
        return [head + f"revision {p.get('revision')}: {p.get('kept', 0)} kept, {p.get('moved', 0)} moved, "
                f"{p.get('fuzzy', 0)} reworded, {p.get('orphaned', 0)} orphaned"]
    if e.action == "article.add":
        return [head + "added"]
    return [head + e.action]
