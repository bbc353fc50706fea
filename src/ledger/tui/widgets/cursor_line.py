"""Cursor rows that stay legible: the cursor's own foreground replaces the cells' colours.

Cells carry colours of their own (a category's mark, a muted id, a tally bar). On a row under the
focused cursor those colours sit on the cursor's background, where the theme never promised them
any contrast (navy counts on a blue cursor in the light theme, grey ids in the dark one). So a
cursor row is drawn entirely in the cursor's foreground; marks and glyphs still say what they say.
"""

from __future__ import annotations

from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip
from textual.widgets import OptionList


def in_cursor_colours(strip: Strip, cursor: Style) -> Strip:
    """``strip`` with every cell's foreground (and background) replaced by the cursor style's own.

    A cursor style without a foreground (the blurred cursor: a faint background only) keeps the
    cells' colours, which read well on it.
    """
    if cursor.color is None:
        return strip
    over = Style(color=cursor.color, bgcolor=cursor.bgcolor)
    segments = [
        Segment(text, over if style is None else style + over, control)
        for text, style, control in strip
    ]
    return Strip(segments, strip.cell_length)


class CursorOptionList(OptionList):
    """An option list whose highlighted option is drawn in the cursor's colours."""

    def render_line(self, y: int) -> Strip:
        strip = super().render_line(y)
        line = self.scroll_offset.y + y
        if self.highlighted is None or line >= len(self._lines):
            return strip
        index, _ = self._lines[line]
        if index != self.highlighted or self.options[index].disabled:
            return strip
        style = self.get_visual_style("option-list--option", "option-list--option-highlighted")
        return in_cursor_colours(strip, style.rich_style)
