"""``ledger import FILE --format json|csv|claimreview``.

Exit codes: 0 everything imported; 3 imported, but some records were refused (listed on
stderr); 1 nothing imported (the file as a whole was refused, or --strict and a record was bad).
"""

from __future__ import annotations

from pathlib import Path

import click

from ledger.cli.common import LedgerContext, echo, json_option, literal, pass_ledger, print_json
from ledger.cli.progress import terminal_progress
from ledger.errors import LedgerError
from ledger.services.importing import FORMATS

PARTIAL = 3


@click.command("import")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--format", "fmt", type=click.Choice(FORMATS), required=True,
              help="json: restore a whole-ledger export into an empty workspace; csv: claims from a spreadsheet "
                   "into articles of this ledger; claimreview: fact-checkers' schema.org ClaimReview JSON-LD.")
@click.option("--strict", is_flag=True, help="Refuse the whole file if any record is bad.")
@json_option
@pass_ledger
def import_(ctx: LedgerContext, file: Path, fmt: str, strict: bool, as_json: bool) -> int:
    """Import FILE; bad records are reported with their line and reason, the good ones imported."""
    try:
        with terminal_progress() as progress:
            report = ctx.ledger.import_file(file, fmt=fmt, strict=strict, progress=progress)
    except LedgerError:
        ctx.discard_if_created()  # a refused import into a new folder leaves no empty ledger behind
        raise
    if report.total == 0:
        ctx.discard_if_created()
    if as_json:
        print_json(report)
    else:
        echo(report.summary())
        for s in report.skipped:
            echo(f"  skipped {s.where}: {s.reason}")
        if report.outcomes:
            echo("  records: " + ", ".join(f"{n} {what}" for what, n in report.outcomes.items()))
        if report.unmapped:
            more = report.unmapped_labels - len(report.unmapped)
            echo(f"  verdict labels not read ({report.unmapped_total} record(s), {report.unmapped_labels} label(s)"
                 f"{f'; the {len(report.unmapped)} most frequent' if more > 0 else ''}; map them with "
                 "`ledger verdicts map LABEL STATUS`):")
            for label, n in report.unmapped:
                echo(f"    {n:>6}  {label}")
        for note in report.notes:
            echo(f"  note: {note}")
        for bad in report.bad:
            click.echo(f"refused {literal(bad.where)}: {literal(bad.reason)}", err=True)
        if report.bad_total > len(report.bad):
            click.echo(f"… and {report.bad_total - len(report.bad)} more refused record(s)", err=True)
    return PARTIAL if report.bad_total else 0
