"""``ledger verify``: is the history intact? Re-hashes the event chain and the archived evidence."""

from __future__ import annotations

from pathlib import Path

import click

from ledger.cli.common import LedgerContext, echo, json_option, literal, pass_ledger, print_json


@click.command("verify")
@click.option("--known-head", help="A chain head noted earlier (printed by a previous verify): fail unless the "
                                   "history still passes through it.")
@click.option("--checkpoints", "checkpoints", type=click.Path(path_type=Path),
              help="A checkpoints file (from `ledger checkpoint`): fail unless the history passes through "
                   "every signed head and every signature verifies.")
@click.option("--key", "key", type=click.Path(path_type=Path),
              help="The desk's public key (PATH.pub from `ledger key new`): every checkpoint must be signed by it.")
@json_option
@pass_ledger
def verify(ctx: LedgerContext, known_head: str | None, checkpoints: Path | None, key: Path | None,
           as_json: bool) -> int:
    """Walk the hash-chained history and re-hash every archived source file; exit 1 at the first break."""
    if known_head is not None:
        known_head = known_head.strip().lower()
        if len(known_head) != 64 or any(c not in "0123456789abcdef" for c in known_head):
            raise click.BadParameter("a chain head is 64 hexadecimal characters", param_hint="--known-head")
    if key is not None and checkpoints is None:
        raise click.UsageError("--key checks the signatures of --checkpoints FILE; give both")
    if checkpoints is not None:
        from ledger.services.checkpoints import verify_against

        report = verify_against(ctx.ledger, checkpoints, key_path=key)
    else:
        report = ctx.ledger.verify(known_head=known_head)
    if as_json:
        print_json({"ok": report.ok, "events": report.events, "head": report.head, "files": report.files,
                    "chain_problem": report.chain_problem.message if report.chain_problem else None,
                    "broken_event_id": report.chain_problem.event_id if report.chain_problem else None,
                    "file_problems": [{"source_id": p.source_id, "source_ids": list(p.source_ids or (p.source_id,)),
                                       "file": p.file_name, "problem": p.problem,
                                       "expected": p.expected, "found": p.found, "message": p.describe()}
                                      for p in report.file_problems],
                    "file_problem_count": report.file_problem_count,
                    "status_problem": report.status_problem,
                    "rows": report.rows, "row_problem_count": report.row_problem_count,
                    "row_problems": [p.record() for p in report.row_problems],
                    "checkpoints": report.checkpoints, "checkpoint_problem": report.checkpoint_problem})
        return 0 if report.ok else 1
    for line in report.problems():
        echo(literal(line))
    hidden = report.row_problem_count - len(report.row_problems)
    if hidden > 0:
        echo(f"… and {hidden} more row difference(s)")
    hidden = report.file_problem_count - len(report.file_problems)
    if hidden > 0:
        echo(f"… and {hidden} more archived file(s) missing or changed")
    if report.ok:
        held = f"; it passes through {report.checkpoints} signed checkpoint(s)" if checkpoints is not None else ""
        echo(f"OK: {report.events} events chained, head {report.head}; {report.rows} row(s) match the replay; "
             f"{report.files} archived file(s) intact{held}")
        return 0
    return 1
