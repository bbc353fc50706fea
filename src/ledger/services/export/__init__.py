"""Exports: what leaves the ledger, for people and for other tools.

``export(ledger, fmt, out, article_id=None)`` writes one article's part of the ledger (or the
whole ledger when ``article_id`` is None) to the text stream ``out`` in one of ``FORMATS``:

- ``md`` / ``html``: the verification report a desk chief reads (``report.py``);
- ``json``: the complete ledger, which ``ledger import --format json`` restores (``json_ledger.py``);
- ``csv``: one row per appearance, for spreadsheets (``csv_export.py``);
- ``claimreview``: schema.org ClaimReview JSON-LD for fact-check aggregators (``claimreview.py``);
- ``csl``: the sources as CSL-JSON for citation managers (``csl.py``).

All of them read one snapshot of the ledger a page at a time and write as they go, so memory
stays bounded; and all of them depend on the ledger's content only (stable order, sorted keys,
no clock), so the same ledger always gives byte-identical files.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, TextIO

from ledger.errors import InvalidInput, NotFound
from ledger.services.progress import NO_PROGRESS, Progress

FORMATS = ("md", "html", "json", "csv", "claimreview", "csl")
REPORTS = ("md", "html")


@dataclass(frozen=True)
class ExportResult:
    format: str
    records: int  # claims, rows or sources written (what the format counts)


def check_request(fmt: str, *, style: str | None = None) -> Any:
    """Validate before anything is written; returns the loaded citation style for reports."""
    from ledger.services.export.citations import load_style

    if fmt not in FORMATS:
        raise InvalidInput(f"unknown export format {fmt!r}; formats: {', '.join(FORMATS)}")
    if fmt in REPORTS:
        return load_style(style)
    if style is not None:
        raise InvalidInput(f"--style applies to the md and html reports, not to {fmt}")
    return None


def export(ledger: Any, fmt: str, out: TextIO, *, article_id: int | None = None, style: str | None = None,
           as_of: date | None = None, progress: Progress = NO_PROGRESS) -> ExportResult:
    from ledger.services.export import claimreview, csl, csv_export, json_ledger
    from ledger.services.export.citations import canonical_style
    from ledger.services.export.query import CLAIM, Scope, article_row, count, ledger_head, snapshot
    from ledger.services.export.report import day_of

    style_obj = check_request(fmt, style=style)
    scope = Scope(article_id)
    with snapshot(ledger.db) as conn:
        if article_id is not None and article_row(conn, article_id) is None:
            raise NotFound(f"no article with id {article_id}")
        if fmt in REPORTS:
            from ledger.services.export.html import write_html
            from ledger.services.export.markdown import write_markdown

            when = as_of or day_of(ledger_head(conn)[1])
            writer = write_markdown if fmt == "md" else write_html
            writer(ledger, conn, scope, out, style=style_obj, style_name=canonical_style(style), as_of=when)
            return ExportResult(fmt, count(conn, CLAIM, where=scope.where(CLAIM)))
        if fmt == "json":
            n = json_ledger.write_json(conn, scope, out, progress=progress)
        elif fmt == "csv":
            n = csv_export.write_csv(conn, scope, out, vocabulary=ledger.vocabulary, progress=progress)
        elif fmt == "claimreview":
            settings = ledger.config.raw.get("export", {}).get("claimreview", {})
            n = claimreview.write_claimreview(conn, scope, out, vocabulary=ledger.vocabulary,
                                              settings=settings if isinstance(settings, dict) else {},
                                              progress=progress)
        else:
            n = csl.write_csl(conn, scope, out, progress=progress)
    return ExportResult(fmt, n)
