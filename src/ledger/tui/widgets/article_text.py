"""The article body in the reader: read-only, selectable with the keyboard (shift+arrows) and the
mouse, every anchored passage highlighted in its claim's status colour.

Offsets are characters of the stored text. The text shown has the same length (control characters
become pictures of themselves), so a selection maps straight back to the stored text and a stored
appearance straight onto the screen.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass

from rich.style import Style
from textual.widgets import TextArea
from textual.widgets.text_area import Selection

from ledger.tui.text import palette, reader_text


@dataclass(frozen=True)
class Mark:
    start: int
    end: int
    category: str  # the status category of the claim: its colour


class ArticleText(TextArea):
    """Read-only article text with highlighted passages."""

    DEFAULT_CSS = """
    ArticleText {
        height: 1fr;
        border: none;
        padding: 0 1;
    }
    ArticleText:focus {
        border: none;
    }
    /* the selection in the text's own colours reversed: it stands out from every status highlight */
    ArticleText > .text-area--selection {
        background: $foreground;
        color: $background;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("", read_only=True, soft_wrap=True, show_line_numbers=False, id=id,
                         tab_behavior="focus")
        self._body = ""
        self._starts: list[int] = [0]
        self._marks: list[Mark] = []
        self.suggested: list[Mark] = []  # sentences suggested as claims (``widgets.suggestions``)
        self._current: int | None = None
        self._styled_theme: str | None = None

    # --------------------------------------------------------------- content
    @property
    def body(self) -> str:
        """The stored text (not the display copy)."""
        return self._body

    def show(self, body: str, marks: list[Mark], *, current: int | None = None) -> None:
        self._body = body
        shown = reader_text(body)
        starts = [0]
        for i, ch in enumerate(shown):
            if ch == "\n":
                starts.append(i + 1)
        self._starts = starts
        self._marks = list(marks)
        self._current = current
        self.load_text(shown)

    def set_marks(self, marks: list[Mark], *, current: int | None = None) -> None:
        self._marks = list(marks)
        self._current = current
        self._build_highlight_map()
        self.refresh()

    def set_current(self, current: int | None) -> None:
        if current != self._current:
            self._current = current
            self._build_highlight_map()
            self.refresh()

    # -------------------------------------------------------------- offsets
    def location(self, offset: int) -> tuple[int, int]:
        offset = max(0, min(offset, len(self._body)))
        row = bisect_right(self._starts, offset) - 1
        return row, offset - self._starts[row]

    def offset(self, location: tuple[int, int]) -> int:
        row, column = location
        row = max(0, min(row, len(self._starts) - 1))
        return min(self._starts[row] + column, len(self._body))

    @property
    def cursor_offset(self) -> int:
        return self.offset(self.selection.end)

    @property
    def selected_span(self) -> tuple[int, int] | None:
        """The selected passage as (start, end) offsets, surrounding whitespace left out."""
        a, b = sorted((self.offset(self.selection.start), self.offset(self.selection.end)))
        while a < b and self._body[a].isspace():
            a += 1
        while b > a and self._body[b - 1].isspace():
            b -= 1
        return (a, b) if a < b else None

    def select_span(self, start: int, end: int) -> None:
        self.selection = Selection(self.location(start), self.location(end))
        self.scroll_cursor_visible(center=True)

    def place_cursor(self, offset: int) -> None:
        location = self.location(offset)
        self.selection = Selection(location, location)
        self.scroll_cursor_visible(center=True)

    # ----------------------------------------------------------- highlighting
    def watch_selection(self, previous: Selection, selection: Selection) -> None:
        # marks are painted over the selection: leave the selected stretch out of them
        if previous.start != previous.end or selection.start != selection.end:
            self._build_highlight_map()

    def _build_highlight_map(self) -> None:
        """Appearances instead of syntax: one highlight per passage and line, by byte column."""
        self._line_cache.clear()
        highlights = self._highlights
        highlights.clear()
        if not (getattr(self, "_marks", None) or getattr(self, "suggested", None)) or not self._body:
            return  # (also reached while TextArea itself is being set up)
        lines = self.document.lines
        a, b = sorted((self.offset(self.selection.start), self.offset(self.selection.end)))
        for index, mark in enumerate(self._marks):
            name = f"{'current' if index == self._current else 'mark'}-{mark.category}"
            pieces = [(mark.start, mark.end)]
            if a < b:
                pieces = [(s, e) for s, e in ((mark.start, min(mark.end, a)), (max(mark.start, b), mark.end)) if s < e]
            for start, end in pieces:
                self._add_highlight(lines, start, end, name)
        for mark in self.suggested:
            self._add_highlight(lines, mark.start, mark.end, mark.category)

    def _add_highlight(self, lines: list[str], start: int, end: int, name: str) -> None:
        first_row, first_col = self.location(start)
        last_row, last_col = self.location(end)
        for row in range(first_row, last_row + 1):
            if row >= len(lines):
                break
            line = lines[row]
            col_a = first_col if row == first_row else 0
            col_b = last_col if row == last_row else len(line)
            if col_b <= col_a:
                continue
            byte_a = len(line[:col_a].encode("utf-8"))
            byte_b = len(line[:col_b].encode("utf-8"))
            self._highlights[row].append((byte_a, byte_b, name))

    def render_lines(self, crop):  # noqa: ANN001, ANN201 - Textual's signature
        theme = self._theme
        if theme is not None and self._styled_theme != f"{self.app.theme}:{id(theme)}":
            pal = palette(self.app)
            styles = dict(theme.syntax_styles)
            for category, style in pal.mark.items():
                styles[f"mark-{category}"] = style
            for category, style in pal.current.items():
                styles[f"current-{category}"] = style
            styles["suggested"] = Style(underline=True, italic=True)
            theme.syntax_styles = styles
            self._styled_theme = f"{self.app.theme}:{id(theme)}"
            self._line_cache.clear()
        return super().render_lines(crop)
