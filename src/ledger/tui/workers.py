"""Keeping the UI responsive: ledger calls run in worker threads, and queries typed into a field
run once the typing pauses."""

from __future__ import annotations

from functools import partial
from typing import Any, Callable, TypeVar

from textual.dom import DOMNode
from textual.message_pump import MessagePump
from textual.timer import Timer

from ledger.errors import LedgerError
from ledger.tui.guard import deliver

T = TypeVar("T")


def post_to(node: DOMNode, callback: Callable[..., Any], *args: Any) -> None:
    """From a worker thread: ``callback(*args)`` on the UI thread, if ``node``'s screen is still kept."""
    try:
        node.app.call_from_thread(deliver, node, callback, *args)
    except RuntimeError:
        pass  # the app has stopped meanwhile: nobody to tell


def run_ledger(node: DOMNode, call: Callable[[], T], done: Callable[[T], Any], *, group: str,
               refused: Callable[[str], Any] | None = None) -> None:
    """Run ``call`` (one or more ledger calls) in a worker thread of ``node``, then ``done(result)``
    on the UI thread. A refusal (``LedgerError``) calls ``refused(message)`` there instead, or,
    without ``refused``, shows the message as an error notification. Any other error is reported
    (one line, a log file) and the app goes on.

    Results reach ``node`` only while its screen is still kept by the app: a reader closed while
    its article loaded drops the article. The worker is exclusive in its ``group``: starting
    another one cancels the previous."""

    def post(callback: Callable[..., Any], *args: Any) -> None:
        post_to(node, callback, *args)

    def work() -> None:
        app = node.app
        try:
            result = call()
        except LedgerError as exc:
            if refused is None:
                post(partial(app.tell, severity="error"), exc.message)
            else:
                post(refused, exc.message)
            return
        except Exception as exc:  # noqa: BLE001 - reported, never raised into the UI
            post(app.report_error, exc)
            return
        post(done, result)

    node.run_worker(work, thread=True, exclusive=True, group=group)


class Debounce:
    """Calls ``callback`` once ``delay`` seconds have passed without a new call (a query re-run
    when the typing pauses, not at each key)."""

    def __init__(self, node: MessagePump, delay: float, callback: Callable[[], Any]) -> None:
        self.node = node
        self.delay = delay
        self.callback = callback
        self._timer: Timer | None = None

    def __call__(self) -> None:
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.node.set_timer(self.delay, self.callback)
