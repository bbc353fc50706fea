"""``ledger claim edit|confirm`` and ``ledger citation retract``: corrections that keep history."""

from __future__ import annotations

import click

from ledger.cli.common import LedgerContext, echo, pass_ledger
from ledger.vocabulary import CLAIM_KINDS


@click.command("edit")
@click.argument("claim_id", type=int)
@click.option("--text", help="The claim in corrected words.")
@click.option("--kind", type=click.Choice(CLAIM_KINDS))
@click.option("--claimant", help="Who made the statement ('' clears it).")
@click.option("--date", "claim_date", help="When the claim was made ('' clears it); a date without a year takes "
                                           "the year of the article it appears in.")
@click.option("--priority", type=click.IntRange(1, 3))
@click.option("--note", required=True, help="Why the claim is corrected (kept in the history).")
@click.option("--expect-version", type=int, help="Refuse if the claim changed since this version was read.")
@pass_ledger
def claim_edit(ctx: LedgerContext, claim_id: int, text, kind, claimant, claim_date, priority, note: str,
               expect_version) -> None:
    """Correct CLAIM_ID's text, kind, claimant, date or priority; the old values stay in its history."""
    if all(v is None for v in (text, kind, claimant, claim_date, priority)):
        raise click.UsageError("give at least one of --text, --kind, --claimant, --date, --priority")
    row = ctx.ledger.edit_claim(claim_id, note=note, text=text, kind=kind, claimant=claimant, claim_date=claim_date,
                                priority=priority, expected_version=expect_version)
    echo(f"claim {row.id} corrected (version {row.version})")


@click.command("confirm")
@click.argument("claim_id", type=int)
@click.option("--note", required=True, help="Why the verdict still holds for the new words (kept in the history).")
@pass_ledger
def claim_confirm(ctx: LedgerContext, claim_id: int, note: str) -> None:
    """Confirm CLAIM_ID's verdict still holds after a revision reworded its passage."""
    row = ctx.ledger.confirm_claim(claim_id, note=note)
    echo(f"claim {row.id}: {row.status} confirmed for its reworded passage")


@click.group("citation")
def citation() -> None:
    """Citations: the links between claims and their sources."""


@citation.command("retract")
@click.argument("citation_id", type=int)
@click.option("--note", required=True, help="Why the citation is withdrawn (kept in the history).")
@pass_ledger
def citation_retract(ctx: LedgerContext, citation_id: int, note: str) -> None:
    """Retract CITATION_ID: it stays in the history, marked, and no longer counts as evidence.

    When it was the last support of a verified claim (or the last refutation of a false or
    misleading one), the claim is reopened to in_progress."""
    r = ctx.ledger.retract_citation(citation_id, note=note)
    echo(f"citation {r.citation_id} of claim {r.claim_id} retracted")
    if r.reopened:
        echo(f"claim {r.claim_id} reopened: {r.previous_status} → {r.status} (it lost the last evidence "
             "for its verdict)")
