"""A table that shows a list of any length by fetching only the pages on screen.

The rows live in the database. The table knows a ``fetch(offset, limit)`` function and, when it can,
a ``count()`` function; both run in worker threads. Lines are drawn through Textual's line API
(``render_line``) from a small cache of pages, like a log viewer showing a file of millions of
lines: a page that is not there yet draws as a placeholder and is requested, and the lines are
redrawn when it arrives. Changing the query (a filter) starts a new generation, and anything a
worker brings back for an older generation is dropped.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from typing import Any, Callable, ClassVar, Sequence

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from ledger.errors import LedgerError
from ledger.tui.widgets.cursor_line import in_cursor_colours
from ledger.tui.workers import post_to

Fetch = Callable[[int, int], Sequence[Any]]
Count = Callable[[], int]


@dataclass(frozen=True)
class Column:
    label: str
    render: Callable[[Any], Text]
    width: int | None = None  # None: share the room left by fixed columns
    justify: str = "left"
    min_width: int = 12  # a flexible column is never narrower (columns are dropped first)
    drop: int = 0  # when the table is too narrow, columns are left out from the highest ``drop`` down; 0 stays


class TableMessage(Message):
    """A message from a ``VirtualTable`` (its ``control``, for ``@on`` selectors)."""

    def __init__(self, table: VirtualTable) -> None:
        super().__init__()
        self.table = table

    @property
    def control(self) -> VirtualTable:
        return self.table


class VirtualTable(ScrollView, can_focus=True):
    """Rows fetched page by page from SQL; a cursor row; enter or a click activates it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "cursor_up", "Up", show=False),
        Binding("down", "cursor_down", "Down", show=False),
        Binding("pageup", "page_up", "Page up", show=False),
        Binding("pagedown", "page_down", "Page down", show=False),
        Binding("home", "first", "First", show=False),
        Binding("end", "last", "Last", show=False),
        Binding("enter", "activate", "Open"),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "virtual-table--header", "virtual-table--cursor", "virtual-table--placeholder",
    }

    DEFAULT_CSS = """
    VirtualTable {
        height: 1fr;
        padding: 0 1;
        overflow-x: hidden;
        background: $surface;
    }
    VirtualTable > .virtual-table--header {
        text-style: bold;
        background: $panel;
        color: $foreground;
    }
    VirtualTable > .virtual-table--cursor {
        background: $block-cursor-blurred-background;
    }
    VirtualTable:focus > .virtual-table--cursor {
        background: $block-cursor-background;
        color: $block-cursor-foreground;
    }
    VirtualTable > .virtual-table--placeholder {
        color: $text-muted;
    }
    """

    cursor: reactive[int] = reactive(0, init=False, always_update=True)

    class Highlighted(TableMessage):
        """The cursor came to rest on a loaded row."""

        def __init__(self, table: VirtualTable, index: int, row: Any) -> None:
            super().__init__(table)
            self.index = index
            self.row = row

    class Activated(Highlighted):
        """Enter, or a click on the cursor row."""

    class Loaded(TableMessage):
        """A generation's first page arrived (``total`` may still be an estimate)."""

        def __init__(self, table: VirtualTable, total: int, exact: bool) -> None:
            super().__init__(table)
            self.total = total
            self.exact = exact

    class Counted(Loaded):
        """The count of a query's rows arrived."""

    class Failed(TableMessage):
        def __init__(self, table: VirtualTable, message: str) -> None:
            super().__init__(table)
            self.message = message

    def __init__(self, columns: Sequence[Column], *, page_size: int = 100, empty: str = "Nothing here.",
                 cached_pages: int = 60, name: str | None = None, id: str | None = None,
                 classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.columns = list(columns)
        self.page_size = page_size
        self.empty = empty
        self.cached_pages = cached_pages
        self._fetch: Fetch | None = None
        self._count: Count | None = None
        self._generation = 0
        self._pages: OrderedDict[int, Sequence[Any]] = OrderedDict()
        self._stale: dict[int, Sequence[Any]] = {}  # the previous read, drawn until a re-read arrives
        self._pending: set[int] = set()
        self._total = 0  # rows the scroll area spans
        self._exact = False  # is _total the true count?
        self._loaded_once = False
        self._widths: list[int] = []
        self._widths_for = -1
        self._shown: list[int] = []

    # ------------------------------------------------------------------ data
    @property
    def total(self) -> int:
        return self._total

    @property
    def total_is_exact(self) -> bool:
        return self._exact

    @property
    def loaded(self) -> bool:
        """Has the current query's first page arrived?"""
        return self._loaded_once

    def load(self, fetch: Fetch, count: Count | None = None, *, keep_cursor: bool = False) -> None:
        """Show the rows of a new query (or the same one re-read, with ``keep_cursor``)."""
        self._fetch = fetch
        self._count = count
        self._generation += 1
        self._stale = dict(self._pages) if keep_cursor else {}
        self._pages = OrderedDict()
        self._pending.clear()
        self._loaded_once = False
        self._exact = False
        if not keep_cursor:
            self._total = 0
            self.set_reactive(VirtualTable.cursor, 0)
            self.scroll_to(y=0, animate=False, immediate=True)
        first = self.cursor // self.page_size if keep_cursor else 0
        self._request(first)
        if first:
            self._request(0)
        self.refresh()

    def reload(self) -> None:
        """Re-read the current query from the database, keeping the cursor where it is."""
        if self._fetch is not None:
            self.load(self._fetch, self._count, keep_cursor=True)

    def row(self, index: int) -> Any | None:
        if index < 0:
            return None
        page = self._pages.get(index // self.page_size)
        if page is None:
            page = self._stale.get(index // self.page_size)
        if page is None:
            return None
        offset = index % self.page_size
        return page[offset] if offset < len(page) else None

    @property
    def cursor_row(self) -> Any | None:
        return self.row(self.cursor)

    def _request(self, page: int) -> None:
        if page in self._pages or page in self._pending or self._fetch is None:
            return
        self._pending.add(page)
        generation, fetch, size = self._generation, self._fetch, self.page_size

        def work() -> None:
            try:
                rows = list(fetch(page * size, size))
            except LedgerError as exc:
                post_to(self, self._failed, generation, exc.message)
                return
            except Exception as exc:  # noqa: BLE001 - reported, never raised into the UI
                post_to(self, self.app.report_error, exc)
                return
            post_to(self, self._arrived, generation, page, rows)

        self.run_worker(work, thread=True, group="pages", exit_on_error=True)

    def _count_rows(self) -> None:
        generation, count = self._generation, self._count
        if count is None:
            return

        def work() -> None:
            try:
                n = count()
            except LedgerError as exc:
                post_to(self, self._failed, generation, exc.message)
                return
            except Exception as exc:  # noqa: BLE001 - reported, never raised into the UI
                post_to(self, self.app.report_error, exc)
                return
            post_to(self, self._counted, generation, n)

        self.run_worker(work, thread=True, group="count")

    def _failed(self, generation: int, message: str) -> None:
        if generation == self._generation:
            self._pending.clear()
            self.post_message(self.Failed(self, message))

    def _arrived(self, generation: int, page: int, rows: list[Any]) -> None:
        if generation != self._generation:
            return
        self._pending.discard(page)
        self._stale.pop(page, None)
        self._pages[page] = rows
        self._pages.move_to_end(page)
        while len(self._pages) > self.cached_pages:
            self._pages.popitem(last=False)
        end = page * self.page_size + len(rows)
        full = len(rows) == self.page_size
        if not full:
            # the last page: the true count is known now
            if not self._exact or self._total != end:
                self._set_total(end, exact=True)
        elif not self._exact and end + 1 > self._total:
            # more rows beyond: one placeholder line until the count (or the next page) says how many
            self._set_total(end + 1, exact=False)
        first_arrival = not self._loaded_once and page == 0
        if first_arrival:
            self._loaded_once = True
            if full and not self._exact:
                self._count_rows()
        if self.cursor >= self._total and self._total:
            self.set_reactive(VirtualTable.cursor, self._total - 1)
        self.refresh()
        if first_arrival:
            self.post_message(self.Loaded(self, self._total, self._exact))
        if page == self.cursor // self.page_size:
            self._announce()

    def _counted(self, generation: int, n: int) -> None:
        if generation == self._generation:
            self._set_total(n, exact=True)
            if self.cursor >= n and n:
                self.set_reactive(VirtualTable.cursor, n - 1)
            self.refresh()
            self.post_message(self.Counted(self, n, True))

    def _set_total(self, n: int, *, exact: bool) -> None:
        self._total = n
        self._exact = exact
        self.virtual_size = Size(self.size.width, n + 1)  # + the header line

    # ---------------------------------------------------------------- drawing
    def on_resize(self, event: events.Resize) -> None:
        self._widths = []
        self._widths_for = -1
        self.virtual_size = Size(event.size.width, self._total + 1)

    def _column_widths(self, width: int) -> list[int]:
        if len(self._widths) == len(self.columns) and self._widths_for == width:
            return self._widths
        self._widths_for = width
        shown = list(range(len(self.columns)))

        def room_left() -> int:
            fixed = sum(self.columns[i].width or 0 for i in shown)
            return width - fixed - (len(shown) - 1)

        flex = [i for i in shown if self.columns[i].width is None]
        needed = sum(self.columns[i].min_width for i in flex)
        # too narrow: leave out the least useful columns before squeezing the flexible ones
        for i in sorted((i for i in shown if self.columns[i].drop), key=lambda i: -self.columns[i].drop):
            if room_left() >= needed:
                break
            shown.remove(i)
        room = max(0, room_left())
        share = room // len(flex) if flex else 0
        widths = [0] * len(self.columns)
        for i in shown:
            widths[i] = self.columns[i].width if self.columns[i].width is not None else share
        if flex:  # the first flexible column takes what division left over
            widths[flex[0]] += room - share * len(flex)
        self._widths = widths
        self._shown = shown
        return widths

    def _line(self, cells: list[Text], style: Style) -> Strip:
        width = self.scrollable_content_region.width
        widths = self._column_widths(width)
        line = Text(end="", no_wrap=True)
        for n, i in enumerate(self._shown):
            cell, w = cells[i], widths[i]
            if n:
                line.append(" ")
            cell = cell.copy()
            cell.truncate(w, overflow="ellipsis")
            pad = w - cell.cell_len
            if pad > 0:
                if self.columns[i].justify == "right":
                    cell = Text(" " * pad, end="") + cell
                else:
                    cell.append(" " * pad)
            line.append_text(cell)
        segments = list(line.render(self.app.console))
        return Strip(segments, line.cell_len).crop_extend(0, width, None).apply_style(style)

    def render_line(self, y: int) -> Strip:
        base = self.rich_style
        if y == 0:
            header = self.get_component_rich_style("virtual-table--header")
            return self._line([Text(c.label, end="") for c in self.columns], base + header)
        index = int(self.scroll_offset.y) + y - 1
        width = self.scrollable_content_region.width
        if index >= self._total:
            if index == 0 and self._loaded_once:
                muted = self.get_component_rich_style("virtual-table--placeholder")
                return Strip([Segment(self.empty[:width].ljust(width), base + muted)], width)
            return Strip.blank(width, base)
        page = index // self.page_size
        if page not in self._pages:
            self._request(page)
        row = self.row(index)
        style = base
        cursor = index == self.cursor
        if cursor:
            style = base + self.get_component_rich_style("virtual-table--cursor")
        if row is None:
            muted = self.get_component_rich_style("virtual-table--placeholder")
            strip = Strip([Segment("…".ljust(width), style + muted)], width)
        else:
            strip = self._line([c.render(row) for c in self.columns], style)
        return in_cursor_colours(strip, style) if cursor and self.has_focus else strip

    # ------------------------------------------------------------------ cursor
    @property
    def _page_height(self) -> int:
        return max(1, self.scrollable_content_region.height - 1)

    def watch_cursor(self, old: int, new: int) -> None:
        self._scroll_to_cursor()
        self.refresh()
        self._announce()

    def _scroll_to_cursor(self) -> None:
        top = int(self.scroll_offset.y)
        height = self._page_height
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False, immediate=True)
        elif self.cursor >= top + height:
            self.scroll_to(y=self.cursor - height + 1, animate=False, immediate=True)

    def _announce(self) -> None:
        row = self.cursor_row
        if row is not None:
            self.post_message(self.Highlighted(self, self.cursor, row))

    def move_to(self, index: int) -> None:
        if self._total == 0:
            return
        self.cursor = max(0, min(index, self._total - 1))

    def action_cursor_up(self) -> None:
        self.move_to(self.cursor - 1)

    def action_cursor_down(self) -> None:
        self.move_to(self.cursor + 1)

    def action_page_up(self) -> None:
        self.move_to(self.cursor - self._page_height)

    def action_page_down(self) -> None:
        self.move_to(self.cursor + self._page_height)

    def action_first(self) -> None:
        self.move_to(0)

    def action_last(self) -> None:
        self.move_to(self._total - 1)

    def action_activate(self) -> None:
        row = self.cursor_row
        if row is not None:
            self.post_message(self.Activated(self, self.cursor, row))

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None or offset.y == 0:
            return
        index = int(self.scroll_offset.y) + offset.y - 1
        if index >= self._total:
            return
        event.stop()
        if index == self.cursor or event.chain > 1:
            self.cursor = index
            self.action_activate()
        else:
            self.cursor = index
