"""``ledger audit ARTICLE_ID``: can this article be published? Exit 0 yes, 1 when a finding blocks."""

from __future__ import annotations

import click

from ledger.cli.common import LedgerContext, echo, json_option, pass_ledger, print_json, short
from ledger.services.audit import AuditReport

LABELS = {"block": "BLOCK", "warn": "WARN ", "info": "INFO "}


def report_json(report: AuditReport, title: str | None = None) -> dict:
    return {"article_id": report.article_id, "title": title, "as_of": report.as_of.isoformat(),
            "publishable": report.publishable, "counts": report.counts(),
            "findings": [{"severity": f.severity, "rule": f.rule, "claim_id": f.claim_id,
                          "appearance_id": f.appearance_id, "quote": f.quote, "message": f.text,
                          "command": f.command}
                         for f in report.findings]}


def print_report(report: AuditReport, title: str) -> None:
    counts = report.counts()
    verdict = "publishable" if report.publishable else "NOT publishable"
    echo(f"Audit of article {report.article_id} ({short(title, 60)}) as of {report.as_of}: {verdict} — "
         f"{counts['block']} blocking, {counts['warn']} warning(s), {counts['info']} note(s)")
    for f in report.findings:
        about = f"claim {f.claim_id}" if f.claim_id is not None else "no claim"
        echo(f"{LABELS[f.severity]} {f.rule:<20} {about}")
        if f.quote:
            echo(f"       “{short(f.quote, 100)}”")
        echo(f"       {f.text}")


@click.command("audit")
@click.argument("article_id", type=int)
@click.option("--as-of", "as_of", help="Date the evidence's age is measured against (default: today).")
@json_option
@pass_ledger
def audit(ctx: LedgerContext, article_id: int, as_of: str | None, as_json: bool) -> int:
    """Audit an article before publication: every claim, rule by rule (rules and severities in ledger.toml)."""
    lg = ctx.ledger
    report = lg.audit(article_id, as_of=as_of)
    title = lg.article(article_id).title
    if as_json:
        print_json(report_json(report, title))
    else:
        print_report(report, title)
    return 0 if report.publishable else 1
