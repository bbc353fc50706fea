"""``ledger article state`` and ``ledger article update``: the article's editorial life."""

from __future__ import annotations

from pathlib import Path

import click

from ledger.cli.common import LedgerContext, echo, json_option, pass_ledger, print_json, short
from ledger.vocabulary import ARTICLE_STATES


@click.command("state")
@click.argument("article_id", type=int)
@click.argument("state", type=click.Choice(ARTICLE_STATES))
@click.option("--note", help="Why (kept in the history; required with --override).")
@click.option("--override", is_flag=True, help="Publish although the audit blocks (needs --note).")
@pass_ledger
def article_state(ctx: LedgerContext, article_id: int, state: str, note: str | None, override: bool) -> None:
    """Move an article to draft, in_review, approved or published (publishing runs the audit first)."""
    change = ctx.ledger.set_article_state(article_id, state, note=note, override=override)
    if not change.changed:
        echo(f"article {article_id} is already {state}; nothing changed")
    elif change.overridden:
        echo(f"article {article_id}: {change.previous} → {change.state}, over {len(change.blocking)} blocking "
             "audit finding(s); the override and its note are in the history")
    else:
        echo(f"article {article_id}: {change.previous} → {change.state}")


@click.command("update")
@click.argument("article_id", type=int)
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--expect-revision", type=int,
              help="Refuse if the article is no longer at this revision (someone else stored a newer text).")
@json_option
@pass_ledger
def article_update(ctx: LedgerContext, article_id: int, file: Path, expect_revision, as_json: bool) -> None:
    """Store FILE as the article's new revision and re-anchor every claim's passage in it."""
    summary = ctx.ledger.update_article(article_id, file=file, expected_revision=expect_revision)
    if as_json:
        print_json({"article_id": summary.article_id, "revision": summary.revision,
                    "content_hash": summary.content_hash, "changed": summary.changed, "counts": summary.counts,
                    "appearances": summary.moves})
        return
    if not summary.changed:
        echo(f"article {article_id}: the text is unchanged (revision {summary.revision}); nothing changed")
        return
    c = summary.counts
    echo(f"article {article_id}: revision {summary.revision} stored — {c['kept']} passage(s) in place, "
         f"{c['moved']} moved, {c['fuzzy']} reworded, {c['orphaned']} orphaned")
    for m in summary.moves:
        if m.method == "moved":
            echo(f"  moved     claim {m.claim_id}: {m.old_start}-{m.old_end} → {m.start}-{m.end}")
        elif m.method == "fuzzy":
            echo(f"  reworded  claim {m.claim_id} (similarity {m.score:.0f}): “{short(m.old_quote, 50)}” → "
                 f"“{short(m.quote, 50)}”")
        elif m.method == "orphaned":
            echo(f"  orphaned  claim {m.claim_id}: “{short(m.old_quote, 70)}” is no longer in the text")
