"""``ledger export (ARTICLE_ID | --all) --format FORMAT [-o FILE] [--style STYLE]``."""

from __future__ import annotations

import io
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator, TextIO

import click

from ledger.cli.common import LedgerContext, literal, pass_ledger
from ledger.cli.progress import terminal_progress
from ledger.errors import InvalidInput
from ledger.services.export import FORMATS, check_request
from ledger.services.outputs import replace_when_complete
from ledger.text.controls import entity_escaped, json_escaped, visible

UNITS = {"md": ("claim", "claims"), "html": ("claim", "claims"), "json": ("record", "records"),
         "csv": ("row", "rows"), "claimreview": ("claim review", "claim reviews"), "csl": ("source", "sources")}
# On standard output, what a terminal would obey is escaped the way each format keeps its meaning
STDOUT_ESCAPES: dict[str, Callable[[str], str]] = {
    "json": json_escaped, "claimreview": json_escaped, "csl": json_escaped,
    "md": entity_escaped, "html": entity_escaped,
    "csv": lambda s: visible(s, crlf=True),
}


class _TerminalSafe(io.TextIOBase):
    """Passes every write through ``escape``. A trailing CR is held back until the next write, so
    a CRLF line end split between two writes is still seen whole."""

    def __init__(self, inner: TextIO, escape: Callable[[str], str]):
        self.inner = inner
        self.escape = escape
        self.held = ""

    def write(self, s: str) -> int:
        text = self.held + s
        self.held = "\r" if text.endswith("\r") else ""
        self.inner.write(self.escape(text[:-1] if self.held else text))
        return len(s)

    def flush(self) -> None:
        if self.held:
            self.inner.write(self.escape(self.held))
            self.held = ""
        self.inner.flush()


@contextmanager
def _stdout(fmt: str) -> Iterator[TextIO]:
    """Standard output, with what a terminal would obey escaped (``STDOUT_ESCAPES``)."""
    sys.stdout.flush()
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:  # a text-only stream
        safe = _TerminalSafe(sys.stdout, STDOUT_ESCAPES[fmt])  # type: ignore[arg-type]
        yield safe  # type: ignore[misc]
        safe.flush()
        return
    stream = io.TextIOWrapper(buffer, encoding="utf-8", newline="")
    safe = _TerminalSafe(stream, STDOUT_ESCAPES[fmt])
    try:
        yield safe  # type: ignore[misc]
        safe.flush()
    finally:
        stream.flush()
        stream.detach()


def print_styles(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    """``--list-styles``: the common citation styles, then what else ``--style`` takes."""
    if not value or ctx.resilient_parsing:
        return
    from ledger.services.export.citations import DEFAULT_STYLE, common_styles, repository_size

    for info in common_styles():
        also = f" (or {', '.join(info.aliases)})" if info.aliases else ""
        default = " — the default" if info.name == DEFAULT_STYLE else ""
        click.echo(f"{info.name}{also}: {info.title}{default}")
    click.echo(f"--style also takes any of the {repository_size()} styles of the CSL repository by its name "
               "(as Zotero lists them), or the path of a .csl file.")
    ctx.exit(0)


@click.command("export")
@click.option("--list-styles", is_flag=True, expose_value=False, is_eager=True, callback=print_styles,
              help="List the common citation styles --style takes, and exit.")
@click.argument("article_id", type=int, required=False)
@click.option("--all", "whole", is_flag=True, help="Export the whole ledger instead of one article.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), required=True,
              help="md/html: verification report; json: the ledger (re-importable); csv: one row per passage; "
                   "claimreview: schema.org JSON-LD; csl: sources as CSL-JSON.")
@click.option("-o", "--output", type=click.Path(path_type=Path),
              help="Write to FILE (a new or regular file, replaced only once complete) instead of standard output.")
@click.option("--style", help="Citation style for md/html: a name from --list-styles (apa, chicago, mla, ieee, "
                              "harvard — the default —, vancouver…), any CSL repository style name, or the "
                              "path of a .csl file.")
@click.option("--as-of", "as_of", help="Date the report's audit is run as of (default: the day of the ledger's "
                                       "latest change, so the same ledger gives the same report).")
@pass_ledger
def export(ctx: LedgerContext, article_id: int | None, whole: bool, fmt: str, output: Path | None,
           style: str | None, as_of: str | None) -> None:
    """Export one article (ARTICLE_ID) or the whole ledger (--all)."""
    if article_id is None and not whole:
        raise click.UsageError("give an ARTICLE_ID or --all")
    if article_id is not None and whole:
        raise click.UsageError("give an ARTICLE_ID or --all, not both")
    if as_of is not None and fmt not in ("md", "html"):
        raise click.UsageError("--as-of applies to the md and html reports")
    check_request(fmt, style=style)
    lg = ctx.ledger
    if output is not None and (danger := lg.workspace.protected(output)):
        raise InvalidInput(danger)
    # a file holds user text exactly (it imports back unchanged); standard output is escaped
    target = replace_when_complete(output) if output is not None else _stdout(fmt)
    with terminal_progress() as progress, target as out:
        result = lg.export(fmt, out, article_id=article_id, style=style, as_of=as_of, progress=progress)
    if output is not None:
        unit = UNITS[fmt][0 if result.records == 1 else 1]
        click.echo(f"wrote {result.records} {unit} to {literal(output)}", err=True)
