"""Driving the terminal UI in tests: waiting for its workers, pasting text, a fixed clock."""

from __future__ import annotations

import asyncio
import sys
from typing import Any, Awaitable, Callable

from textual import events

FIXED_NOW = "2024-06-21T09:30:00.000000Z"


async def settle(app: Any, pilot: Any, rounds: int = 3) -> None:
    """Let every database worker finish and the screen catch up with what they posted."""
    from textual.worker import WorkerCancelled

    for _ in range(rounds):
        await pilot.pause()
        try:
            await app.workers.wait_for_complete()
        except WorkerCancelled:  # a worker of a screen closed meanwhile: its result is dropped, as meant
            pass
    await pilot.pause()


async def paste(pilot: Any, selector: str, text: str) -> None:
    """Focus a field and paste into it, as a user pasting a path or a quote."""
    widget = pilot.app.screen.query_one(selector)
    widget.focus()
    await pilot.pause()
    pilot.app.post_message(events.Paste(text))  # the terminal sends it to the app, which hands it on
    await pilot.pause()


def run(coro_fn: Callable[[], Awaitable[None]]) -> None:
    asyncio.run(coro_fn())


def fix_clock(monkeypatch: Any) -> None:
    """Every row and event stamped at one instant, so what the screens show never moves."""
    for name, module in list(sys.modules.items()):
        if name.startswith("ledger.") and callable(getattr(module, "now", None)) and name.startswith(("ledger.store", "ledger.services")):
            monkeypatch.setattr(module, "now", lambda: FIXED_NOW)


def steady_cursors(app: Any) -> None:
    """No blinking cursor in a snapshot (it would be on or off depending on timing)."""
    for widget in app.screen.query("Input, TextArea"):
        widget.cursor_blink = False


def text_of(static: Any) -> str:
    """What a Static shows, as plain text."""
    import io

    from rich.console import Console

    console = Console(width=200, file=io.StringIO(), color_system=None)
    console.print(static.content)
    return console.file.getvalue()


def screen_lines(app: Any) -> list[str]:
    """The screen as lines of text, read back from the app's own SVG screenshot (what a person sees)."""
    import html
    import re

    svg = app.export_screenshot()
    rows: dict[float, list[tuple[float, str]]] = {}
    for m in re.finditer(r'<text class="[^"]*" x="([\d.]+)" y="([\d.]+)"[^>]*>([^<]*)</text>', svg):
        rows.setdefault(float(m.group(2)), []).append((float(m.group(1)), html.unescape(m.group(3))))
    return ["".join(t for _x, t in sorted(parts)).replace("\xa0", " ") for _y, parts in sorted(rows.items())]


def key_event(key: str) -> events.Key:
    """The key event a terminal sends for ``key`` (as ``pilot.press`` names keys)."""
    import unicodedata

    from textual.keys import REPLACED_KEYS, _character_to_key, _get_unicode_name_from_key

    if len(key) == 1 and not key.isalnum():
        key = _character_to_key(key)
    original = REPLACED_KEYS.get(key, key)
    try:
        char = unicodedata.lookup(_get_unicode_name_from_key(original))
    except KeyError:
        char = key if len(key) == 1 else None
    return events.Key(key, char)


async def burst(app: Any, keys: list[str]) -> None:
    """Send ``keys`` as a terminal does when keys come faster than the app can follow: one after
    another with no wait for the app to catch up (``pilot.press`` waits after each key)."""
    for key in keys:
        event = key_event(key)
        event.set_sender(app)
        app._driver.send_message(event)
        await asyncio.sleep(0)
