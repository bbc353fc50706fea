"""``ledger article add|list|show``."""

from __future__ import annotations

from pathlib import Path

import click

from ledger.cli.common import LedgerContext, category_tally, echo, json_option, pass_ledger, print_json, short, to_jsonable
from ledger.models import ArticleRow, EventRow


@click.group("article")
def article() -> None:
    """Articles: the texts whose claims are checked."""


@article.command("add")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False), required=False)
@click.option("--title", help="Headline of the article (default: the document's own).")
@click.option("--outlet", help="Publication the article appears in (default: the page's site name).")
@click.option("--author")
@click.option("--url", help="The article's address; without FILE, the page is fetched from it.")
@click.option("--published", help="Publication date: a day (2024-06-19, 19 juin 2024), a month (juin 2024) "
                                  "or a year.")
@click.option("--lang", help="Language of the text, a BCP 47 tag (fr, en, es, pt-BR…); detected when not given.")
@pass_ledger
def article_add(ctx: LedgerContext, file: Path | None, title, outlet, author, url, published, lang) -> None:
    """Add the article in FILE (.txt, .md, .html/.htm, .docx) or at --url URL; prints its id.

    Pages and drafts are read into clean text (paragraphs kept, markup gone); their title,
    author, date, site name and language fill the options not given."""
    if file is None and not url:
        raise click.UsageError("give the article's FILE or --url URL")
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
                         ("SHA-256", row.content_hash), ("From", origin_line(row))):
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


def origin_line(row: ArticleRow) -> str | None:
    """Where the article's text came from: the file or address it was read from and, for a text
    read out of a page or a draft, the original kept in the archive."""
    if not row.origin_name:
        return None
    where = row.origin_url if row.origin_url and row.origin_url != row.origin_name else None
    fetched = f"fetched from {row.origin_name}" + (f" (final address {where})" if where else "") \
        if row.origin_url else f"read from {row.origin_name}"
    if row.origin_file:
        return f"{fetched}, {row.origin_media_type or 'document'} kept as sources/{row.origin_file}"
    return fetched


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


def _attach_editorial() -> None:
    from ledger.cli.editorial import article_state, article_update

    for command in (article_state, article_update):
        article.add_command(command)


_attach_editorial()
