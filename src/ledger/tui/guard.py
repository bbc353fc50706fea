"""Never crash on the user: an unexpected error in a key's action, a message handler or a ledger
call is written with its traceback to a log file, shown as one line, and the app goes on. When
the app cannot go on, it exits non-zero naming the log file — the traceback (which may hold an
article's text) goes to the file, never to the terminal.
"""

from __future__ import annotations

import traceback
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from textual.css.query import NoMatches
from textual.dom import DOMNode
from textual.screen import Screen

from ledger.tui.settings import APP_NAME


def log_folder() -> Path:
    from platformdirs import user_log_path

    return user_log_path(APP_NAME, appauthor=False)


def write_log(error: BaseException) -> Path | None:
    """The error's traceback in a new log file; its path (None when nothing could be written)."""
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
    path = log_folder() / f"error-{stamp}.log"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("".join(traceback.format_exception(type(error), error, error.__traceback__)),
                        encoding="utf-8")
    except OSError:
        return None
    return path


def showing(node: DOMNode) -> bool:
    """Whether ``node`` still belongs to a screen the app keeps (results for it are worth showing)."""
    if not node.is_attached:
        return False
    try:
        screen = node if isinstance(node, Screen) else node.screen
    except Exception:  # noqa: BLE001 - detached half-way: no screen
        return False
    if not screen.is_attached:
        return False
    app = node.app
    return any(screen in stack for stack in app._screen_stacks.values())  # noqa: SLF001


def deliver(node: DOMNode, callback: Any, *args: Any) -> None:
    """Call ``callback(*args)`` for ``node`` if its screen is still there; dropped otherwise (its
    screen was closed while the ledger worked)."""
    if not showing(node):
        return
    try:
        callback(*args)
    except NoMatches:
        if showing(node):
            raise  # the screen is there and a widget is not: a real bug


def on_top(screen: Screen) -> bool:
    """Whether ``screen`` is the one in view (keys and results queued for it may arrive later)."""
    stack = screen.app.screen_stack if screen.is_attached else []
    return bool(stack) and stack[-1] is screen


class Guarded:
    """A screen whose message handlers report an unexpected error instead of stopping the app, and
    that only closes while it is the one in view (a second escape queued behind the first, or a
    result arriving under another dialog, does nothing)."""

    def dismiss(self, result: Any = None) -> Any:
        if not on_top(self) or len(self.app.screen_stack) < 2:  # type: ignore[arg-type, attr-defined]
            return None  # (and never the last screen: a mode's own screen stays)
        return super().dismiss(result)  # type: ignore[misc]

    async def _dispatch_message(self, message: Any) -> None:
        try:
            await super()._dispatch_message(message)  # type: ignore[misc]
        except Exception as error:  # noqa: BLE001 - the point: report it, keep going
            self.app.report_error(error)  # type: ignore[attr-defined]
