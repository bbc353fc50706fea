"""``ledger match``, ``ledger suggest``, ``ledger claim similar`` and ``ledger claim merge``."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from ledger.cli.common import LedgerContext, echo, json_option, pass_ledger, print_json, short
from ledger.errors import InvalidInput


def _match_json(matches) -> list[dict]:  # noqa: ANN001 - list[Match]
    return [{"claim_id": m.claim_id, "score": m.score, "status": m.status, "text": m.text} for m in matches]


def _read_jsonl(path: Path) -> list[tuple[object, str]]:
    items: list[tuple[object, str]] = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidInput(f"cannot read {path}: {exc}") from None
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InvalidInput(f"{path} line {n}: not JSON ({exc.msg})") from None
        if not isinstance(obj, dict) or not isinstance(obj.get("text"), str) or not obj["text"].strip():
            raise InvalidInput(f"{path} line {n}: each line must be an object with a non-empty \"text\"")
        items.append((obj.get("id", n), obj["text"]))
    return items


@click.command("match")
@click.argument("text", required=False)
@click.option("--file", "file", type=click.Path(path_type=Path, dir_okay=False),
              help="JSON Lines of {\"id\": …, \"text\": …}; prints one line of matches per input line.")
@click.option("--limit", type=click.IntRange(1, 100), default=5, show_default=True)
@json_option
@pass_ledger
def match(ctx: LedgerContext, text: str | None, file: Path | None, limit: int, as_json: bool) -> None:
    """Rank the ledger's claims for TEXT (or each text of --file): has this been checked before?"""
    if (text is None) == (file is None):
        raise click.UsageError("give a TEXT or --file FILE, not both or neither")
    if file is not None:
        items = _read_jsonl(file)
        for key, found in ctx.reader.matching.match(items, limit=limit):
            sys.stdout.write(json.dumps({"id": key, "matches": _match_json(found)}, ensure_ascii=False) + "\n")
        return
    if not text.strip():
        raise InvalidInput("the text to match is empty")
    (_, found), = ctx.reader.matching.match([(None, text)], limit=limit)
    if as_json:
        print_json({"id": None, "matches": _match_json(found)})
        return
    if not found:
        echo("no claim of the ledger matches")
    for m in found:
        echo(f"#{m.claim_id:<6} {m.score:.2f}  {m.status:<12} {short(m.text, 80)}")


@click.command("suggest")
@click.argument("article_id", type=int)
@click.option("--accept", "accept", type=click.IntRange(1), metavar="N",
              help="Suggestion N becomes an appearance of its claim.")
@click.option("--reject", "reject", type=click.IntRange(1), metavar="N",
              help="Suggestion N is wrong: remembered, not suggested again.")
@json_option
@pass_ledger
def suggest(ctx: LedgerContext, article_id: int, accept: int | None, reject: int | None, as_json: bool) -> None:
    """Sentences of ARTICLE_ID that match claims already in the ledger (* = near-certain)."""
    if accept is not None and reject is not None:
        raise click.UsageError("--accept and --reject go one at a time")
    if accept is not None or reject is not None:
        desk = ctx.ledger.matching
        decision = desk.accept(article_id, accept) if accept is not None else desk.reject(article_id, reject)
        s = decision.suggestion
        if as_json:
            print_json({"n": s.n, "claim_id": s.claim_id, "start": s.start, "end": s.end,
                        "appearance_id": decision.appearance_id, "rejection_id": decision.rejection_id})
        elif decision.appearance_id is not None:
            echo(f"appearance {decision.appearance_id}: claim {s.claim_id} at {s.start}-{s.end}")
        else:
            echo(f"claim {s.claim_id} will not be suggested again for “{short(s.sentence, 60)}”")
        return
    found = ctx.reader.matching.suggestions(article_id)  # plain reads on an up-to-date ledger
    if as_json:
        print_json({"suggestions": [{"n": s.n, "start": s.start, "end": s.end, "sentence": s.sentence,
                                     "claim_id": s.claim_id, "score": s.score, "confirmed": s.confirmed,
                                     "status": s.status, "claim_text": s.claim_text} for s in found]})
        return
    if not found:
        echo(f"no suggestion for article {article_id}")
    for s in found:
        mark = "*" if s.confirmed else " "
        echo(f"{s.n:>3}{mark} {s.score:.2f} @{s.start}-{s.end} “{short(s.sentence, 50)}” → "
             f"#{s.claim_id} {s.status}: {short(s.claim_text, 50)}")


@click.command("similar")
@click.argument("claim_id", type=int)
@click.option("--limit", type=click.IntRange(1, 100), default=10, show_default=True)
@json_option
@pass_ledger
def claim_similar(ctx: LedgerContext, claim_id: int, limit: int, as_json: bool) -> None:
    """Near-duplicates of CLAIM_ID in the ledger, best first."""
    found = ctx.ledger.matching.similar(claim_id, limit=limit)
    if as_json:
        print_json(_match_json(found))
        return
    if not found:
        echo(f"no claim reads like claim {claim_id}: {short(ctx.ledger.claim(claim_id).claim.text, 70)}")
    for m in found:
        echo(f"#{m.claim_id:<6} {m.score:.2f}  {m.status:<12} {short(m.text, 80)}")


@click.command("merge")
@click.argument("keep", type=int)
@click.argument("other", type=int)
@click.option("--note", required=True, help="Why OTHER is the same claim as KEEP (kept in both histories).")
@pass_ledger
def claim_merge(ctx: LedgerContext, keep: int, other: int, note: str) -> None:
    """Merge claim OTHER into KEEP: its appearances and citations move, its id resolves to KEEP."""
    moved = ctx.ledger.matching.merge(keep, other, note=note)
    echo(f"claim {other} merged into claim {keep}: {len(moved['appearances'])} appearance(s) and "
         f"{len(moved['citations'])} citation(s) moved")
