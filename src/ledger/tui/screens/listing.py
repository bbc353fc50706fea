"""What the list screens (articles, sources, search) share: a filter bar — the field, any further
filters, the count of rows found — over a ``VirtualTable`` whose query re-runs once the typing
pauses."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widget import Widget
from textual.widgets import Input, Static

from ledger.tui.screens.base import LedgerScreen
from ledger.tui.text import palette
from ledger.tui.widgets.virtual_table import VirtualTable
from ledger.tui.workers import Debounce


class ListingScreen(LedgerScreen):
    """A list of rows from the ledger, narrowed by what is typed in the filter bar."""

    FILTER_ID: ClassVar[str] = "filter"
    NOUN: ClassVar[str] = "row"  # the count: "1 row", "12 rows", "100+ rows"
    TYPING_PAUSE: ClassVar[float] = 0.15  # seconds without a key before the query re-runs

    def __init__(self) -> None:
        super().__init__()
        self._query_later = Debounce(self, self.TYPING_PAUSE, self.query_rows)

    def filter_bar(self, placeholder: str, *filters: Widget) -> ComposeResult:
        """The filter field, then ``filters``, then the count."""
        with Horizontal(classes="filter-bar"):
            yield Input(id=self.FILTER_ID, placeholder=placeholder)
            yield from filters
            yield Static(id="count", classes="count")

    @property
    def table(self) -> VirtualTable:
        return self.query_one(VirtualTable)

    @property
    def filter_input(self) -> Input:
        return self.query_one(f"#{self.FILTER_ID}", Input)

    def query_rows(self) -> None:
        """Load the table with the rows the filter bar asks for."""
        raise NotImplementedError

    # ------------------------------------------------------------- the table
    def rows_loaded(self, event: VirtualTable.Loaded) -> None:
        """The query's first page (or its count) arrived."""
        self.show_count(event)

    def show_count(self, event: VirtualTable.Loaded | None = None) -> None:
        if event is not None:
            self._count_shown = (event.total, event.exact)
        total, exact = getattr(self, "_count_shown", (None, True))
        if total is None:
            return
        shown = f"{total:,}" if exact else f"{total - 1:,}+"
        self.query_one("#count", Static).update(Text(f"{shown} {self.NOUN}{'s' if total != 1 else ''}",
                                                     style=palette(self.app).muted))

    def rerender(self) -> None:
        """Redraw what carries the theme's colours (after a theme change)."""
        self.show_count()
        self.table.refresh()

    @on(VirtualTable.Loaded)
    def _loaded(self, event: VirtualTable.Loaded) -> None:
        self.rows_loaded(event)

    @on(VirtualTable.Failed)
    def _failed(self, event: VirtualTable.Failed) -> None:
        self.app.tell(event.message, severity="error")

    # ------------------------------------------------------------ the filter
    @on(Input.Changed, ".filter-bar > Input")
    def _typed(self) -> None:
        self._query_later()

    @on(Input.Submitted, ".filter-bar > Input")
    def _filter_done(self) -> None:
        self.filter_submitted()

    def filter_submitted(self) -> None:
        """Enter in the filter field: on to the rows."""
        self.table.focus()

    def action_filter(self) -> None:
        self.filter_input.focus()
