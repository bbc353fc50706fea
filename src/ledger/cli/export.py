"""``ledger export (ARTICLE_ID | --all) --format FORMAT [-o FILE] [--style STYLE]``."""

from __future__ import annotations

import io
import os
import re
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, TextIO

import click

from ledger.cli.common import LedgerContext, literal, pass_ledger
from ledger.cli.progress import terminal_progress
from ledger.errors import InvalidInput
from ledger.services.export import FORMATS, check_request

UNITS = {"md": ("claim", "claims"), "html": ("claim", "claims"), "json": ("record", "records"),
         "csv": ("row", "rows"), "claimreview": ("claim review", "claim reviews"), "csl": ("source", "sources")}
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


class _TerminalSafe(io.TextIOBase):
    """Shows control characters in user text as ``\\x1b`` instead of sending them to a terminal."""

    def __init__(self, inner: TextIO):
        self.inner = inner

    def write(self, s: str) -> int:
        self.inner.write(_CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", s))
        return len(s)

    def flush(self) -> None:
        self.inner.flush()


@contextmanager
def _stdout(visible: bool = False) -> Iterator[TextIO]:
    """Standard output; control characters shown as ``\\x1b`` on a terminal, or always when ``visible``."""
    sys.stdout.flush()
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:  # a text-only stream
        yield _TerminalSafe(sys.stdout) if visible else sys.stdout  # type: ignore[misc]
        return
    stream = io.TextIOWrapper(buffer, encoding="utf-8", newline="")
    try:
        yield _TerminalSafe(stream) if visible or sys.stdout.isatty() else stream  # type: ignore[misc]
    finally:
        stream.flush()
        stream.detach()


@contextmanager
def _file(path: Path) -> Iterator[TextIO]:
    """Write to a temporary file beside ``path`` and move it into place only when complete."""
    path = path.expanduser()
    if not path.parent.is_dir():
        raise InvalidInput(f"folder {str(path.parent)!r} does not exist")
    if path.is_dir():
        raise InvalidInput(f"{str(path)!r} is a folder")
    tmp = path.with_name(f".{path.name}.partial-{os.getpid()}")
    try:
        with tmp.open("w", encoding="utf-8", newline="") as out:
            yield out
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


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
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False),
              help="Write to FILE (replaced only once complete) instead of standard output.")
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
    # CSV cells hold user text raw (a file imports back exactly); printed, its escapes are made visible
    target = _file(output) if output is not None else _stdout(visible=fmt == "csv")
    with terminal_progress() as progress, target as out:
        result = lg.export(fmt, out, article_id=article_id, style=style, as_of=as_of, progress=progress)
    if output is not None:
        unit = UNITS[fmt][0 if result.records == 1 else 1]
        click.echo(f"wrote {result.records} {unit} to {literal(output)}", err=True)
