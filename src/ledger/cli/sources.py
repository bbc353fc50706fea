"""``ledger source add|list|show`` and ``ledger cite``."""

from __future__ import annotations

from pathlib import Path

import click

from ledger.cli.common import LedgerContext, echo, json_option, pass_ledger, print_json, short, to_jsonable
from ledger.vocabulary import RELIABILITY_GRADES, SOURCE_KINDS, STANCES


@click.group("source")
def source() -> None:
    """Sources: the evidence claims are checked against, archived by content hash."""


@source.command("add")
@click.option("--file", "file", type=click.Path(path_type=Path, dir_okay=False), help="File to archive in sources/.")
@click.option("--url", help="Where the source is published; without --file the page is fetched and captured.")
@click.option("--no-fetch", "no_fetch", is_flag=True, help="Keep the URL only: fetch nothing.")
@click.option("--title", help="Title (default: the fetched page's own).")
@click.option("--publisher")
@click.option("--author")
@click.option("--published", help="Date the source was published.")
@click.option("--accessed", help="Date the source was consulted (default: today).")
@click.option("--kind", type=click.Choice(SOURCE_KINDS), default="document", show_default=True)
@click.option("--reliability", type=click.Choice(RELIABILITY_GRADES, case_sensitive=False),
              help="Admiralty grade: A reliable … F cannot be judged.")
@pass_ledger
def source_add(ctx: LedgerContext, file, url, no_fetch, title, publisher, author, published, accessed, kind,
               reliability) -> None:
    """Add a source (an archived file, a URL, or both); prints its id.

    A URL without --file is fetched: the exchange is kept as a WARC file in sources/, the page's
    text checks excerpts, and its title, publisher, author and date fill the options not given."""
    if file is None and not url:
        raise click.UsageError("give --file PATH or --url URL")
    if title is None and (file is not None or no_fetch):  # only a fetched page can give its own title
        raise click.UsageError("give the source's --title")
    click.echo(ctx.ledger.add_source(title=title, file=file, url=url, publisher=publisher, author=author,
                                     published=published, accessed=accessed, kind=kind,
                                     reliability=reliability.upper() if reliability else None, fetch=not no_fetch))


@source.command("refresh")
@click.argument("source_id", type=int)
@json_option
@pass_ledger
def source_refresh(ctx: LedgerContext, source_id: int, as_json: bool) -> None:
    """Fetch the URL of SOURCE_ID again and keep the new capture beside the earlier ones.

    Says whether the text changed since the claims citing the source were checked."""
    report = ctx.ledger.refresh_source(source_id)
    if as_json:
        print_json(report)
        return
    for line in report.lines():
        echo(line)


@source.command("list")
@click.option("--limit", type=click.IntRange(1, 100_000), default=500, show_default=True)
@click.option("--offset", type=click.IntRange(0), default=0)
@json_option
@pass_ledger
def source_list(ctx: LedgerContext, limit: int, offset: int, as_json: bool) -> None:
    """List sources with how many claims cite each."""
    rows = ctx.ledger.list_sources(limit=limit, offset=offset)
    if as_json:
        print_json(rows)
        return
    for r in rows:
        echo(f"{r.id:>5}  {r.kind:<8} {r.reliability or '-'}  {short(r.title, 45):<45}  "
             f"{short(r.publisher or '', 25):<25}  cited by {r.citation_count}")


@source.command("show")
@click.argument("source_id", type=int)
@json_option
@pass_ledger
def source_show(ctx: LedgerContext, source_id: int, as_json: bool) -> None:
    """Show one source and where its archived copy is."""
    r = ctx.ledger.source(source_id)
    captures = ctx.ledger.captures(source_id)
    if as_json:
        print_json({**to_jsonable(r), "captures": captures})
        return
    echo(f"Source {r.id}: {r.title}")
    for label, value in (("Kind", r.kind), ("Publisher", r.publisher), ("Author", r.author), ("URL", r.url),
                         ("Published", r.published), ("Accessed", r.accessed), ("Reliability", r.reliability),
                         ("Archived", f"sources/{r.file_name}" if r.file_name else None), ("SHA-256", r.sha256),
                         ("Cited by", f"{r.citation_count} claim(s)")):
        if value:
            echo(f"  {label + ':':<13}{value}")
    for c in captures:
        moved = f" (from {c.url})" if c.final_url != c.url else ""
        echo(f"  Capture {c.version}:  {c.fetched_at[:19].replace('T', ' ')} UTC  {c.status}  {c.final_url}{moved}  "
             f"{c.media_type or ''}  {c.size} bytes  sources/{c.warc_file}"
             + ("" if c.text_sha256 else "  (no readable text)"))


@click.command("cite")
@click.argument("claim_id", type=int)
@click.argument("source_id", type=int)
@click.option("--stance", type=click.Choice(STANCES), required=True)
@click.option("--excerpt", help="The exact words of the source (checked against its archived text).")
@click.option("--locator", help="Where in the source: page, paragraph, timestamp.")
@pass_ledger
def cite(ctx: LedgerContext, claim_id: int, source_id: int, stance: str, excerpt, locator) -> None:
    """Cite SOURCE_ID as evidence for or against CLAIM_ID; prints the citation id."""
    click.echo(ctx.ledger.cite(claim_id=claim_id, source_id=source_id, stance=stance, excerpt=excerpt,
                               locator=locator, notice=lambda line: click.echo(line, err=True)))
