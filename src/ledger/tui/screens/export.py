"""Exporting an article's verification report (or the whole ledger) in any of the export formats,
previewed inside the app in the format and scope chosen (the Markdown report rendered, the others
as their text)."""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Footer, Input, Markdown, Select, Static

from ledger.errors import InvalidInput
from ledger.tui.widgets.header import LedgerHeader
from ledger.tui.screens.base import LedgerScreen
from ledger.tui.text import palette, reader_text
from ledger.tui.widgets.forms import PathSuggester
from ledger.tui.workers import run_ledger

FORMAT_LABELS = {
    "md": "Markdown report",
    "html": "HTML report (one printable file)",
    "json": "JSON (the ledger, re-importable)",
    "csv": "CSV (one row per appearance)",
    "claimreview": "ClaimReview JSON-LD",
    "csl": "CSL-JSON (the sources)",
}
EXTENSIONS = {"md": "md", "html": "html", "json": "json", "csv": "csv", "claimreview": "jsonld", "csl": "json"}
PREVIEW_LIMIT = 200_000


class _Full(Exception):
    """The preview has all the text it shows."""


class _Bounded(io.StringIO):
    """A buffer that stops the export once the preview has enough of it (a whole ledger is never
    held in memory just to show its first screens)."""

    def write(self, s: str) -> int:
        n = super().write(s)
        if self.tell() > PREVIEW_LIMIT:
            raise _Full
        return n


def export_to_file(ledger: Any, fmt: str, target: Path, *, article_id: int | None) -> Any:
    """Write the export next to ``target`` and move it into place once complete: a failed export
    leaves no half-written file (and an existing file untouched)."""
    from ledger.services.export import export

    from ledger.services.outputs import check_target, create_partial, install

    target = check_target(target.expanduser())
    if not target.parent.is_dir():
        raise InvalidInput(f"folder {target.parent} does not exist")
    partial = target.with_name(f".{target.name}.partial")
    try:
        with create_partial(partial, "w", encoding="utf-8", newline="") as out:
            result = export(ledger, fmt, out, article_id=article_id)
        install(partial, target)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise InvalidInput(f"cannot write {target}: {exc.strerror or exc}") from exc
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return result


class ExportScreen(LedgerScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back"),
        Binding("ctrl+s", "export", "Export", tooltip="Write the export file"),
    ]

    def __init__(self, article_id: int | None) -> None:
        super().__init__()
        self.article_id = article_id
        self._overwrite: Path | None = None  # the existing file a second Export replaces

    def compose(self) -> ComposeResult:
        yield LedgerHeader()
        with Horizontal(classes="filter-bar export-bar"):
            yield Select([(label, fmt) for fmt, label in FORMAT_LABELS.items()], value="md", allow_blank=False,
                         id="format")
            yield Select([("this article", "article"), ("the whole ledger", "all")], value="article",
                         allow_blank=False, id="scope")
            yield Input(id="path", suggester=PathSuggester())
            yield Button("Export", variant="primary", id="export")
        yield Static(id="export-status")
        with VerticalScroll(id="preview"):
            yield Markdown(id="preview-body", open_links=False)
            yield Static(id="preview-text", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = f"Export #{self.article_id}" if self.article_id is not None else "Export"
        if self.article_id is None:
            scope = self.query_one("#scope", Select)
            scope.value = "all"
            scope.disabled = True
        self._suggest_path()
        self.query_one("#path", Input).focus()
        self.preview()

    def _scope_id(self) -> int | None:
        return self.article_id if self.query_one("#scope", Select).value == "article" else None

    def _suggest_path(self) -> None:
        fmt = str(self.query_one("#format", Select).value)
        scope = self._scope_id()
        stem = f"article-{scope}" if scope is not None else "ledger"
        suffix = "-sources" if fmt == "csl" else ("-claimreview" if fmt == "claimreview" else "")
        self.query_one("#path", Input).value = f"{stem}{suffix}.{EXTENSIONS[fmt]}"

    @on(Select.Changed, "#format")
    @on(Select.Changed, "#scope")
    def _changed(self) -> None:
        self._suggest_path()
        if self.is_mounted:
            self.preview()

    @on(Input.Changed, "#path")
    def _path_changed(self) -> None:
        self._overwrite = None

    @on(Button.Pressed, "#export")
    @on(Input.Submitted, "#path")
    def _go(self) -> None:
        self.action_export()

    def _what(self) -> str:
        fmt = str(self.query_one("#format", Select).value)
        scope = self._scope_id()
        return f"{FORMAT_LABELS[fmt]} of {f'article #{scope}' if scope is not None else 'the whole ledger'}"

    def preview(self) -> None:
        """The export in the format and scope chosen: the Markdown report rendered, others as text."""
        ledger, article_id = self.ledger, self._scope_id()
        fmt = str(self.query_one("#format", Select).value)
        what = self._what()
        self._status(f"Preparing the preview of the {what}…")

        def report() -> tuple[str, str, str]:
            from ledger.services.export import export

            buffer = _Bounded()
            cut = False
            try:
                export(ledger, fmt, buffer, article_id=article_id)
            except _Full:
                cut = True
            text = buffer.getvalue()[:PREVIEW_LIMIT]
            if cut:
                text += ("\n\n*(preview cut here; the exported file is complete)*\n" if fmt == "md"
                         else "\n\n… (preview cut here; the exported file is complete)\n")
            return fmt, what, reader_text(text)

        run_ledger(self, report, lambda found: self._show_preview(*found), group="preview",
                   refused=lambda message: self._status(message, error=True))

    def _show_preview(self, fmt: str, what: str, text: str) -> None:
        if what != self._what():
            return  # the choice changed meanwhile; its own preview follows
        markdown = self.query_one("#preview-body", Markdown)
        raw = self.query_one("#preview-text", Static)
        markdown.display, raw.display = fmt == "md", fmt != "md"
        if fmt == "md":
            markdown.update(text)
        else:
            raw.update(Text(text, end=""))
        self.query_one("#preview", VerticalScroll).scroll_home(animate=False)
        self._status(f"Preview of the {what}. Choose a file, then ctrl+s or Export.")

    def _status(self, message: str, *, error: bool = False) -> None:
        pal = palette(self.app)
        self.query_one("#export-status", Static).update(
            Text(message, style=pal.category_text("fail") if error else pal.muted))

    def action_back(self) -> None:
        self.dismiss()

    def action_export(self) -> None:
        fmt = str(self.query_one("#format", Select).value)
        path = self.query_one("#path", Input).value.strip()
        if not path:
            self._status("Give the file to write.", error=True)
            return
        target = Path(path)
        if target.expanduser().is_file() and self._overwrite != target:
            self._overwrite = target
            self._status(f"{path} exists: press Export (or ctrl+s, enter) again to replace it.", error=True)
            return
        self._overwrite = None
        ledger, article_id = self.ledger, self._scope_id()
        self.query_one("#export", Button).disabled = True
        run_ledger(self, lambda: export_to_file(ledger, fmt, target, article_id=article_id),
                   lambda result: self._done(result, str(target)), group="export",
                   refused=lambda message: self._done(None, f"Refused: {message}"))

    def _done(self, result: Any, message: str) -> None:
        self.query_one("#export", Button).disabled = False
        if result is None:
            self._status(message, error=True)
            return
        self._status(f"Wrote {message} ({FORMAT_LABELS[result.format]}, {result.records} record(s)).")
        self.app.tell(f"Exported to {message}.")
