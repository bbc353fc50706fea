"""``ledger claim add|link|list|show`` and ``ledger status``."""

from __future__ import annotations

from typing import Any

import click

from ledger.cli.common import LedgerContext, echo, json_option, pass_ledger, print_json, short, to_jsonable
from ledger.rows import ClaimDetail
from ledger.services.history import changes, describe, readable_time
from ledger.vocabulary import CLAIM_KINDS


@click.group("claim")
def claim() -> None:
    """Claims: checkable statements, anchored in the articles they appear in."""


@claim.command("add")
@click.option("--article", "article_id", type=int, required=True, help="Article the passage is in.")
@click.option("--quote", required=True, help="The exact passage of the article.")
@click.option("--text", help="The claim in normalised words (defaults to the quote).")
@click.option("--kind", type=click.Choice(CLAIM_KINDS), default="assertion", show_default=True)
@click.option("--claimant", help="Who made the statement (for an attribution).")
@click.option("--date", "claim_date", help="When the claim was made; a date without a year takes the article's.")
@click.option("--priority", type=click.IntRange(1, 3), default=2, show_default=True)
@click.option("--occurrence", type=click.IntRange(1), help="Which occurrence, when the passage occurs several times.")
@pass_ledger
def claim_add(ctx: LedgerContext, article_id: int, quote: str, text, kind, claimant, claim_date, priority,
              occurrence) -> None:
    """Record a claim from a passage of an article; prints the new claim id."""
    click.echo(ctx.ledger.add_claim(article_id=article_id, quote=quote, text=text, kind=kind, claimant=claimant,
                                    claim_date=claim_date, priority=priority, occurrence=occurrence))


@claim.command("link")
@click.argument("claim_id", type=int)
@click.option("--article", "article_id", type=int, required=True)
@click.option("--quote", required=True, help="The passage of that article where the claim appears.")
@click.option("--occurrence", type=click.IntRange(1))
@pass_ledger
def claim_link(ctx: LedgerContext, claim_id: int, article_id: int, quote: str, occurrence) -> None:
    """Record that CLAIM_ID also appears in another article; prints the appearance id.

    When the claim's passage in that article was orphaned by a revision, that appearance is
    anchored on the new passage instead of a second one being added."""
    click.echo(ctx.ledger.link_claim(claim_id=claim_id, article_id=article_id, quote=quote, occurrence=occurrence))


@claim.command("unlink")
@click.argument("appearance_id", type=int)
@click.option("--note", required=True, help="Why the claim no longer appears there (kept in the history).")
@pass_ledger
def claim_unlink(ctx: LedgerContext, appearance_id: int, note: str) -> None:
    """Drop appearance APPEARANCE_ID of a claim from its article (the claim itself stays)."""
    claim_id = ctx.ledger.unlink_appearance(appearance_id=appearance_id, note=note)
    echo(f"appearance {appearance_id} of claim {claim_id} removed")


@claim.command("list")
@click.option("--article", "article_id", type=int)
@click.option("--status")
@click.option("--limit", type=click.IntRange(1, 100_000), default=500, show_default=True)
@click.option("--after", "after_id", type=click.IntRange(0), default=0, help="Start after this claim id (paging).")
@json_option
@pass_ledger
def claim_list(ctx: LedgerContext, article_id, status, limit: int, after_id: int, as_json: bool) -> None:
    """List claims, optionally those of one article or in one status."""
    rows = ctx.ledger.list_claims(article_id=article_id, status=status, limit=limit, after_id=after_id)
    if as_json:
        print_json([{k: v for k, v in to_jsonable(r).items() if k in (
            "id", "text", "kind", "claimant", "claim_date", "priority", "status", "status_label")} for r in rows])
        return
    for r in rows:
        who = f" {short(f'({r.claimant})', 30)}" if r.claimant else ""  # short() would eat the space
        echo(f"#{r.id:<6} {r.status:<13} {r.kind:<11} {short(r.text, 70)}{who}")


READ_AS = {"label": "read from its published label", "rating": "read from its published rating scale",
           "map": "read by the verdict map in ledger.toml"}


def status_read(d: ClaimDetail, review: Any) -> str | None:
    """How the claim's status was read, when it came from another fact-checker's review."""
    if review is None or d.claim.status_label is None:
        return None  # the desk's own status (a status set by hand clears the published label)
    return review.read_as or "none"


def claim_json(d: ClaimDetail, review: Any = None) -> dict[str, Any]:
    c = d.claim
    return {
        "id": c.id, "text": c.text, "kind": c.kind, "claimant": c.claimant,
        "claim_date": c.claim_date.isoformat() if c.claim_date else None, "priority": c.priority,
        "status": c.status, "status_label": c.status_label, "version": c.version, "updated_at": c.updated_at,
        "updated_by": c.updated_by,
        "appearances": [{"id": a.id, "article_id": a.article_id, "article_title": a.article_title, "quote": a.quote,
                         "start": a.start, "end": a.end, "orphaned": a.orphaned, "needs_confirm": a.needs_confirm}
                        for a in d.appearances],
        "citations": [{"id": x.id, "source_id": x.source_id, "source_title": x.source_title, "stance": x.stance,
                       "excerpt": x.excerpt, "locator": x.locator, "retracted": x.retracted,
                       "retracted_at": x.retracted_at, "retracted_by": x.retracted_by,
                       "retraction_note": x.retraction_note} for x in d.citations],
        "status_read_from": status_read(d, review),
        "review": to_jsonable(review) if review is not None else None,
        "history": [{**to_jsonable(e.payload), "at": e.at, "actor": e.actor, "action": e.action}
                    for e in d.history],
    }


@claim.command("show")
@click.argument("claim_id", type=int)
@json_option
@pass_ledger
def claim_show(ctx: LedgerContext, claim_id: int, as_json: bool) -> None:
    """Show a claim with its appearances, citations and history."""
    reader = ctx.reader  # plain reads on an up-to-date ledger: no database layer to load
    d = reader.claim(claim_id)
    review = reader.claim_review(d.claim.id)
    if d.claim.id != claim_id:
        click.echo(f"note: claim {claim_id} was merged into claim {d.claim.id}", err=True)
    if as_json:
        print_json(claim_json(d, review))
        return
    c = d.claim
    echo(f"Claim {c.id}: {c.text}")
    echo(f"  Kind:      {c.kind}" + (f" — claimant: {c.claimant}" if c.claimant else ""))
    if c.claim_date:
        echo(f"  Date:      {c.claim_date}")
    echo(f"  Status:    {c.status} ({reader.config.vocabulary.category(c.status)}), priority {c.priority}")
    if c.status_label:
        who = f"by {review.publisher or review.author}" if review and (review.publisher or review.author) else \
            "by the fact-checker it was imported from"
        echo(f"  Verdict:   “{c.status_label}” (as published {who})")
        how = status_read(d, review)
        if how is not None:
            echo(f"  Read as:   {c.status}, {READ_AS.get(how, 'not read: the label is not one the ledger knows')}")
    if review is not None:
        scale = f" ({review.rating_value} on {review.worst_rating or '?'}–{review.best_rating or '?'})" \
            if review.rating_value else ""
        echo(f"  Review:    {review.url or '(no URL)'}{', ' + review.date_published if review.date_published else ''}"
             f"{scale}{', ' + review.lang if review.lang else ''}")
    echo("  Appearances:")
    for a in d.appearances:
        flag = ("  [orphaned]" if a.orphaned else "") + ("  [reworded: confirm the verdict]" if a.needs_confirm else "")
        echo(f"    article {a.article_id} ({short(a.article_title, 40)}) @{a.start}-{a.end}: “{short(a.quote, 60)}”{flag}")
    echo("  Citations:" if d.citations else "  Citations: none")
    for x in d.citations:
        loc = f" [{x.locator}]" if x.locator else ""
        echo(f"    #{x.id:<5} {x.stance:<9} source {x.source_id} ({short(x.source_title, 40)}){loc}")
        if x.excerpt:
            echo(f"{'':<20}“{short(x.excerpt, 70)}”")
        if x.retracted:
            echo(f"{'':<20}[retracted by {x.retracted_by} at {readable_time(x.retracted_at)}: "
                 f"{short(x.retraction_note, 60)}] — no longer counts as evidence")
    echo("  History:")
    for e in d.history:
        detail = describe(e.action, e.payload, e.entity_id)
        if e.action == "claim.edit":
            detail = str(e.payload.get("note") or "")
        echo(f"    {e.at[:19].replace('T', ' ')}  {e.actor:<12} {e.action:<16} {short(detail, 80)}")
        for line in changes(e.payload) if e.action == "claim.edit" else ():
            echo(f"{'':<38}{short(line, 400)}")


@click.command("status")
@click.argument("claim_id", type=int)
@click.argument("status")
@click.option("--note", required=True, help="Why the status changes (kept in the history).")
@click.option("--expect-version", type=int, help="Refuse if the claim changed since this version was read.")
@pass_ledger
def status(ctx: LedgerContext, claim_id: int, status: str, note: str, expect_version) -> None:
    """Set the verification status of a claim."""
    row = ctx.ledger.set_status(claim_id=claim_id, status=status, note=note, expected_version=expect_version)
    echo(f"claim {row.id}: {row.status}")


def _attach_subcommands() -> None:
    """Claim commands that live in modules of their own (corrections, matching)."""
    from ledger.cli.corrections import claim_confirm, claim_edit
    from ledger.cli.matching import claim_merge, claim_similar

    for command in (claim_edit, claim_confirm, claim_similar, claim_merge):
        claim.add_command(command)


_attach_subcommands()
