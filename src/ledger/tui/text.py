"""User text made safe to draw, and the status colours of the current theme.

Everything an editor typed (titles, claims, notes, excerpts, article bodies) reaches the screen as
plain ``rich.text.Text``, never as markup, so ``[bold red]x[/]`` reads exactly so. Control
characters, ANSI escapes included, are replaced one for one by visible pictures (``␛`` for ESC),
which keeps character offsets in the reader identical to the stored text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.style import Style
from rich.text import Text
from textual.color import Color

if TYPE_CHECKING:
    from textual.app import App

    from ledger.vocabulary import Vocabulary

# C0 and C1 controls, DEL, and the bidirectional overrides that would reorder what follows them.
# Line and paragraph separators too: they would split a line where the stored text has none.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2028\u2029\u2066-\u2069]")
_LINE_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2028\u2029\u2066-\u2069]")
_SPACES = re.compile(r"[ \t\n]+")


def _picture(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code < 0x20:
        return chr(0x2400 + code)  # ␀ … ␟ (Unicode control pictures)
    if code == 0x7F:
        return "\u2421"  # ␡
    if code in (0x2028, 0x2029):
        return "\u21b5"  # ↵
    return "\ufffd"  # C1 controls and direction overrides


def reader_text(body: str) -> str:
    """An article body for display: newlines and tabs kept, every other control character shown
    as a picture of itself. Same length as ``body``, so offsets carry over unchanged."""
    return _CONTROL.sub(_picture, body.replace("\r\n", " \n"))


def one_line(value: object, width: int | None = None) -> str:
    """A value on one line: whitespace runs become one space, controls become pictures."""
    if value is None:
        return ""
    s = str(value).replace("\t", " ").replace("\n", " ").replace("\r", " ")
    s = _SPACES.sub(" ", _LINE_CONTROL.sub(_picture, s)).strip()
    if width is not None and len(s) > width:
        s = s[: max(0, width - 1)] + "…"
    return s


def plain(value: object, style: str | Style = "", width: int | None = None) -> Text:
    """User text on one line as a Text (never parsed as markup)."""
    return Text(one_line(value, width), style=style, end="")


def block(value: object, style: str | Style = "") -> Text:
    """User text over several lines (paragraphs kept) as a Text."""
    s = "" if value is None else str(value).replace("\r\n", "\n")
    return Text(_CONTROL.sub(_picture, s).replace("\r", "\u240d"), style=style, end="")


# ------------------------------------------------------------------ colours
CATEGORY_VARIABLE = {"pass": "success", "fail": "error", "unresolved": "warning", "open": "primary"}
CATEGORY_MARK = {"pass": "✓", "fail": "✗", "unresolved": "?", "open": "○"}


@dataclass(frozen=True)
class Palette:
    """Styles derived from the app theme, so highlights stay legible in light and dark themes."""

    text: dict[str, Style]  # coloured text per category
    mark: dict[str, Style]  # highlighted passage per category
    current: dict[str, Style]  # the passage the reader is on
    muted: Style

    def category_text(self, category: str) -> Style:
        return self.text.get(category, self.text["open"])


def _color(variables: dict[str, str], name: str, fallback: str) -> Color:
    try:
        return Color.parse(variables.get(name) or fallback)
    except Exception:  # "ansi_default" and friends in the ANSI theme
        return Color.parse(fallback)


_PALETTES: dict[tuple[str, str | None, str | None, str | None], Palette] = {}


def palette(app: App) -> Palette:
    theme = app.current_theme
    variables = getattr(app, "theme_variables", None) or app.get_css_variables()
    # keyed by the colours too: right after a theme change the variables may still be the old ones
    key = (theme.name, variables.get("background"), variables.get("foreground"), variables.get("primary"))
    cached = _PALETTES.get(key)
    if cached is not None:
        return cached
    dark = theme.dark
    background = _color(variables, "background", "#1e1e1e" if dark else "#f5f5f5")
    foreground = _color(variables, "foreground", "#e0e0e0" if dark else "#1e1e1e")
    text, mark, current = {}, {}, {}
    for category, var in CATEGORY_VARIABLE.items():
        base = _color(variables, var, "#4EBF71")
        readable = _color(variables, f"text-{var}", base.hex)
        text[category] = Style(color=readable.rich_color)
        mark[category] = Style(bgcolor=background.blend(base, 0.32).rich_color, color=foreground.rich_color)
        current[category] = Style(bgcolor=background.blend(base, 0.62).rich_color,
                                  color=foreground.rich_color, bold=True, underline=True)
    muted = Style(color=background.blend(foreground, 0.6).rich_color)
    result = Palette(text=text, mark=mark, current=current, muted=muted)
    _PALETTES[key] = result
    return result


def muted_cell(app: App, value: str) -> Text:
    """A table cell in the muted colour (numbers, references)."""
    return Text(value, style=palette(app).muted, end="")


def status_text(app: App, vocabulary: Vocabulary, status: str, label: str | None = None) -> Text:
    """A status word with its category's mark and colour, e.g. ``✓ verified``."""
    category = vocabulary.category(status)
    shown = one_line(label) if label else status
    return Text(f"{CATEGORY_MARK.get(category, '○')} {shown}", style=palette(app).category_text(category), end="")


def tally_bar(app: App, vocabulary: Vocabulary, counts: dict[str, int], width: int = 10) -> Text:
    """A small bar of an article's claims by category, then the verified / open / failed counts."""
    by_category = {"pass": 0, "unresolved": 0, "fail": 0, "open": 0}
    for status, n in counts.items():
        by_category[vocabulary.category(status)] = by_category.get(vocabulary.category(status), 0) + n
    total = sum(by_category.values())
    pal = palette(app)
    bar = Text(end="")
    if total == 0:
        bar.append("·" * width, style=pal.muted)
    else:
        cells, used = [], 0
        for category in ("pass", "unresolved", "fail", "open"):
            n = by_category[category]
            share = round(width * n / total) if n else 0
            if n and share == 0:
                share = 1
            cells.append([category, share])
            used += share
        # give or take the rounding on the largest share so the bar is exactly `width` wide
        largest = max(cells, key=lambda c: c[1])
        largest[1] += width - used
        for category, share in cells:
            if share > 0:
                bar.append(("█" if category != "open" else "▒") * share, style=pal.category_text(category))
    bar.append(" ")
    # open (still being checked) and unresolved (could not be settled) are counted apart
    bar.append(f"{by_category['pass']:>3}✓", style=pal.category_text("pass"))
    bar.append(f"{by_category['open']:>3}○", style=pal.category_text("open"))
    bar.append(f"{by_category['unresolved']:>3}?", style=pal.category_text("unresolved"))
    bar.append(f"{by_category['fail']:>3}✗", style=pal.category_text("fail"))
    return bar
