"""HTML verification report: one self-contained, printable file (see ``report.py`` for content).

No external assets: the stylesheet is inline (with ``@media print`` rules: one article per page,
claims kept whole, link targets printed) and the status chart is an inline SVG drawn from the
tally. Jinja autoescape escapes every value; control characters are shown as ``\\x1b`` text; a URL
becomes a link only when it is http(s), so a ``javascript:`` URL in the ledger stays inert text.
"""

from __future__ import annotations

from datetime import date
from html import escape
from typing import Any, TextIO

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup
from sqlalchemy import Connection

from ledger.services.checkpoints import latest as latest_checkpoint
from ledger.services.export.citations import Cited, render
from ledger.services.export.query import Scope
from ledger.services.export.report import TallyRow, article_reports, ledger_as_of
from ledger.services.export.textsafe import visible_controls

COLOURS = {"pass": "#2e7d32", "fail": "#c62828", "unresolved": "#b26a00", "open": "#546e7a"}


def _finalize(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, Markup):
        return value
    if isinstance(value, str):
        return visible_controls(value)
    return value


def _cite(value: Cited | str) -> Markup:
    text = value.text if isinstance(value, Cited) else value
    return Markup(render(text, lambda s: escape(visible_controls(s)), ("<i>", "</i>"), ("<b>", "</b>")))


def _link(url: str) -> Markup:
    shown = escape(visible_controls(url))
    if url.lower().startswith(("http://", "https://")):
        return Markup(f'<a href="{escape(url, quote=True)}">{shown}</a>')
    return Markup(shown)


def when(stamp: str | None) -> str:
    return stamp[:16].replace("T", " ") + " UTC" if stamp else "(no events)"


def chart(tally: list[TallyRow]) -> Markup:
    """A horizontal bar per status, coloured by category, drawn to scale."""
    rows = [t for t in tally if t.count] or tally
    top = max((t.count for t in rows), default=0) or 1
    label_w, bar_w, row_h = 130, 300, 22
    height = row_h * len(rows) + 4
    parts = [f'<svg class="chart" role="img" xmlns="http://www.w3.org/2000/svg" width="{label_w + bar_w + 50}" '
             f'height="{height}" viewBox="0 0 {label_w + bar_w + 50} {height}">',
             "<title>Claims by status</title>"]
    for i, t in enumerate(rows):
        y = 2 + i * row_h
        w = round(bar_w * t.count / top, 1)
        name = escape(visible_controls(t.status))
        parts.append(f'<text x="{label_w - 8}" y="{y + 15}" text-anchor="end">{name}</text>')
        parts.append(f'<rect x="{label_w}" y="{y + 3}" width="{w}" height="{row_h - 6}" '
                     f'fill="{COLOURS.get(t.category, COLOURS["open"])}"><title>{name}: {t.count}</title></rect>')
        parts.append(f'<text x="{label_w + w + 6}" y="{y + 15}">{t.count}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def environment() -> Environment:
    env = Environment(loader=PackageLoader("ledger.services", "templates"),
                      autoescape=select_autoescape(["html.j2", "html"], default_for_string=True),
                      finalize=_finalize, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
                      undefined=StrictUndefined)
    env.filters.update(cite=_cite, link=_link, when=when, chart=chart)
    return env


def write_html(ledger: Any, conn: Connection, scope: Scope, out: TextIO, *, style: Any, style_name: str,
               as_of: date | None) -> None:
    head, at = ledger_as_of(conn)
    template = environment().get_template("report.html.j2")
    reports = article_reports(ledger, conn, scope, style=style, as_of=as_of)
    title, lang = None, "en"
    if not scope.whole:
        from ledger.services.export.query import article_row

        art = article_row(conn, scope.article_id) or {}  # type: ignore[arg-type]
        title, lang = art.get("title"), art.get("lang") or "en"
    heading = "Verification report" if not scope.whole else "Verification reports"
    for chunk in template.generate(reports=reports, heading=heading, title=title, lang=lang, as_of=at,
                                   chain_head=head, style_name=style_name, checkpoint=latest_checkpoint(conn)):
        out.write(chunk)
