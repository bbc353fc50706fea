"""Markdown verification report (see ``report.py`` for what it holds).

Every value the template prints goes through ``finalize``, which escapes Markdown syntax and
shows control characters, so a title like ``# [click](javascript:…)`` prints as text. Only what
the code builds itself (citations rendered from citeproc's marks, block quotes) is marked safe.
"""

from __future__ import annotations

from datetime import date
from typing import Any, TextIO

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup
from sqlalchemy import Connection

from ledger.services.export.citations import Cited, render
from ledger.services.export.query import Scope
from ledger.services.export.report import article_reports, ledger_as_of
from ledger.services.export.textsafe import MdSafe, md_inline, md_quote


def _finalize(value: Any) -> Any:
    if isinstance(value, (MdSafe, Markup)):
        return str(value)
    return md_inline(value)


def _cite(value: Cited | str) -> MdSafe:
    text = value.text if isinstance(value, Cited) else value
    return MdSafe(render(text, md_inline, ("*", "*"), ("**", "**")))


def _quote(value: Any, indent: int = 0) -> MdSafe:
    pad = " " * indent
    return MdSafe("\n".join(pad + line for line in md_quote(value).split("\n")))


def sentence(finding: Any) -> MdSafe:
    """An info finding's sentence, quoted after its message (a note must say which sentence it means)."""
    if finding.severity != "info" or not finding.quote:
        return MdSafe("")
    return MdSafe(" — “" + md_inline(" ".join(finding.quote.split())) + "”")


def when(stamp: str | None) -> MdSafe:
    if not stamp:
        return MdSafe("(no events)")
    return MdSafe(md_inline(stamp[:16].replace("T", " ")) + " UTC")


def environment() -> Environment:
    env = Environment(loader=PackageLoader("ledger.services", "templates"), autoescape=False,
                      finalize=_finalize, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
                      undefined=StrictUndefined)
    env.filters.update(cite=_cite, quote=_quote, when=when, sentence=sentence)
    return env


def write_markdown(ledger: Any, conn: Connection, scope: Scope, out: TextIO, *, style: Any, style_name: str,
                   as_of: date | None) -> None:
    head, at = ledger_as_of(conn)
    template = environment().get_template("report.md.j2")
    reports = article_reports(ledger, conn, scope, style=style, as_of=as_of)
    heading = "Verification report" if not scope.whole else "Verification reports"
    for chunk in template.generate(reports=reports, multiple=scope.whole, heading=heading, as_of=at,
                                   chain_head=head, style_name=style_name):
        out.write(chunk)
