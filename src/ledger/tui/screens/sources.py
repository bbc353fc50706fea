"""The sources: every source with its kind, publisher, reliability grade and how many claims cite
it; beside the list, the highlighted source in full with the start of its archived text."""

from __future__ import annotations

from typing import Any, Callable, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Footer, Input, Static

from ledger.errors import LedgerError
from ledger.models import SourceRow
from ledger.tui.widgets.header import LedgerHeader
from ledger.tui.screens.cite import read_source_fields, source_fields
from ledger.tui.screens.listing import ListingScreen
from ledger.tui.text import block, muted_cell, palette, plain
from ledger.tui.widgets.forms import FormModal
from ledger.tui.widgets.inspector import lines
from ledger.tui.widgets.virtual_table import Column, VirtualTable
from ledger.tui.workers import post_to

PREVIEW_CHARS = 3000


class AddSourceModal(FormModal):
    TITLE_TEXT = "Add a source"
    SUBMIT_LABEL = "Add source"

    def compose_fields(self) -> ComposeResult:
        yield from source_fields()

    def on_mount(self) -> None:
        self.query_one("#new-title", Input).focus()

    def prepare(self) -> Callable[[], Any]:
        fields = read_source_fields(self)
        ledger = self.ledger
        return lambda: ledger.add_source(**fields)


def render_source(app: Any, s: SourceRow, text: str | None) -> Any:
    muted = palette(app).muted
    parts: list[Any] = [Text.assemble((f"Source #{s.id}  ", "bold"), (s.kind, muted)),
                        Text(""), plain(s.title, style="bold"), Text("")]
    for label, value in (("publisher", s.publisher), ("author", s.author), ("url", s.url),
                         ("published", s.published), ("accessed", s.accessed),
                         ("reliability", s.reliability), ("cited by", f"{s.citation_count} claim(s)")):
        if value:
            parts.append(Text.assemble((f"{label:<12}", muted), plain(value, width=200)))
    if s.file_name:
        parts.append(Text.assemble((f"{'archived':<12}", muted), plain(f"sources/{s.file_name}", width=200)))
        parts.append(Text.assemble((f"{'':<12}", muted), (f"{s.media_type or '?'}, {s.size or 0:,} bytes", muted)))
    parts.append(Text(""))
    if text is None:
        parts.append(Text("No archived text to show (a URL only, or not a text file).", style=muted))
    else:
        parts.append(Text("Archived text", style="bold underline"))
        shown = text[:PREVIEW_CHARS]
        parts.append(block(shown))
        if len(text) > len(shown):
            parts.append(Text(f"… {len(text) - len(shown):,} more characters", style=muted))
    return lines(parts)


class SourcesScreen(ListingScreen):
    NOUN = "source"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "filter", "Filter", tooltip="Filter the sources by title or publisher"),
        Binding("a", "add_source", "Add source", tooltip="Add a source (a file or a URL)"),
    ]

    def compose(self) -> ComposeResult:
        yield LedgerHeader()
        yield from self.filter_bar("Filter by title or publisher  ( / )")
        with Horizontal(id="sources-body"):
            yield VirtualTable(self._columns(), id="sources", empty="No source yet — press a to add one.")
            with VerticalScroll(id="source-detail"):
                yield Static(id="source-detail-body")
        yield Footer()

    def _columns(self) -> list[Column]:
        app = self.app
        return [
            Column("#", lambda s: muted_cell(app, str(s.id)), width=6, justify="right"),
            Column("Kind", lambda s: Text(s.kind, end=""), width=8, drop=2),
            Column("Title", lambda s: plain(s.title), min_width=16),
            Column("Publisher", lambda s: plain(s.publisher), width=18, drop=3),
            Column("Grade", lambda s: Text(s.reliability or "–", end=""), width=5, drop=1),
            Column("Cited", lambda s: Text(str(s.citation_count), end=""), width=5, justify="right"),
        ]

    def on_mount(self) -> None:
        self.table.focus()
        self.query_sources()

    def on_screen_resume(self) -> None:
        table = self.table
        if table.loaded:  # coming back: citations may have been added meanwhile
            table.reload()

    def reload(self) -> None:
        """Re-read the list (refresh), staying on the same row."""
        self.table.reload()

    def query_sources(self) -> None:
        text = self.filter_input.value.strip() or None
        ledger = self.ledger
        self.table.load(
            lambda offset, limit: ledger.list_sources(limit=limit, offset=offset, text=text),
            lambda: ledger.count_sources(text=text))

    query_rows = query_sources

    def rows_loaded(self, event: VirtualTable.Loaded) -> None:
        self.show_count(event)
        if event.total == 0:
            self.query_one("#source-detail-body", Static).update("")

    @on(VirtualTable.Highlighted, "#sources")
    def _highlighted(self, event: VirtualTable.Highlighted) -> None:
        source: SourceRow = event.row
        ledger = self.ledger

        def work() -> None:
            try:
                text = ledger.source_text(source)
            except (LedgerError, OSError):
                text = None
            post_to(self, self._show, source, text)

        self.run_worker(work, thread=True, exclusive=True, group="detail")

    def _show(self, source: SourceRow, text: str | None) -> None:
        current = self.table.cursor_row
        if current is not None and current.id == source.id:
            self.query_one("#source-detail-body", Static).update(render_source(self.app, source, text))

    @on(VirtualTable.Activated, "#sources")
    def _activated(self) -> None:
        self.query_one("#source-detail").focus()

    def key_escape(self) -> None:
        if self.focused is not self.table:
            self.table.focus()

    def action_add_source(self) -> None:
        def added(source_id: int | None) -> None:
            if source_id is not None:
                self.notify(f"Added source #{source_id}.")
                self.reload()

        self.app.push_screen(AddSourceModal(self.ledger), added)
