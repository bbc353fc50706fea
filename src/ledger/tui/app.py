"""The terminal UI: where a fact-checker spends the day.

``LedgerApp(ledger)`` is the one way the app is made — by ``ledger`` on a terminal (``run_app``)
and by the tests. Three places to be, each keeping its own stack of screens: the articles (and
the reader opened from them), the sources, and search. The app talks to the ledger only through
the ``Ledger`` facade, in worker threads.
"""

from __future__ import annotations

import os
from datetime import date
from functools import partial
from time import monotonic
from pathlib import Path
from typing import ClassVar

from textual import events, messages
from textual.message_pump import MessagePump
from textual.app import App
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.timer import Timer

from ledger.services.ledger import Ledger
from ledger.tui.commands import LedgerCommands
from ledger.tui.guard import write_log
from ledger.tui.screens.articles import ArticlesScreen
from ledger.tui.screens.help import HelpScreen
from ledger.tui.screens.search import SearchScreen
from ledger.tui.screens.sources import SourcesScreen
from ledger.tui.settings import load_settings, save_setting
from ledger.tui.text import one_line
from ledger.tui.widgets.forms import DiscardModal


def describe_workspace(ledger: Ledger) -> str:
    """The ledger's location, relative to the current folder when it lies inside it."""
    path = ledger.workspace.sqlite_path
    if path is None:
        return ledger.workspace.describe()
    try:
        return str(path.relative_to(Path(os.getcwd()).resolve()))
    except ValueError:
        return str(path)


def settled(node: MessagePump) -> bool:
    """Nothing in ``node``'s queue but redrawing (``Update``, ``Layout``) and the wake-ups of the
    app's own look at the waiting keys (``Prompt``): no key, no handler still to run. That includes
    the message Textual has already taken off the queue to see whether the one before it can be
    merged with it (``_pending_message``): a key waits there while the message before it runs."""
    pending = node._pending_message  # noqa: SLF001
    return (pending is None or isinstance(pending, _NOT_FROM_A_KEY)) and \
        all(isinstance(m, _NOT_FROM_A_KEY) for m in node._message_queue.values)  # noqa: SLF001


_NOT_FROM_A_KEY = (messages.Update, messages.Layout, messages.Prompt)

KEY_POLL = 0.005  # seconds between looks at whether a screen is ready for the keys waiting for it


class LedgerApp(App[None]):
    TITLE = "Claim Ledger"
    CSS_PATH = "styles/app.tcss"
    COMMANDS = App.COMMANDS | {LedgerCommands}
    MODES: ClassVar[dict[str, type]] = {
        "articles": ArticlesScreen,
        "sources": SourcesScreen,
        "search": SearchScreen,
    }
    DEFAULT_MODE = "articles"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("1", "switch_mode('articles')", "Articles", tooltip="Go to the articles"),
        Binding("2", "switch_mode('sources')", "Sources", tooltip="Go to the sources"),
        Binding("3", "switch_mode('search')", "Search", tooltip="Search the whole ledger"),
        Binding("f5,ctrl+r", "reload", "Refresh", show=False, tooltip="Re-read from the ledger"),
        Binding("question_mark,f1", "help", "Help", tooltip="Show the help and the keys"),
    ]

    def __init__(self, ledger: Ledger, *, as_of: date | None = None, article_id: int | None = None) -> None:
        """``as_of``: the day audits are judged on (today when not given); ``article_id``: open the
        reader on that article straight away (``ledger open ID``)."""
        super().__init__()
        self.ledger = ledger
        self.as_of = as_of
        self.article_id = article_id
        self.sub_title = one_line(f"{describe_workspace(ledger)} · {ledger.actor}")
        self.unexpected_errors: list[BaseException] = []  # reported and gone past (the tests look)
        self.crash_log: Path | None = None
        self._theme_loaded = False
        self._early_keys: list[events.Key] = []
        self._replaying: events.Key | None = None
        self._waiting_since = 0.0
        self._replay_timer: Timer | None = None

    def on_mount(self) -> None:
        theme = load_settings().get("theme")
        if isinstance(theme, str) and theme in self.available_themes:
            self.theme = theme
        self._theme_loaded = True
        if self.article_id is not None:
            from ledger.tui.screens.reader import ReaderScreen

            self.push_screen(ReaderScreen(self.article_id))

    def watch_theme(self, theme: str) -> None:
        """Every screen redrawn in the new theme's colours, and the choice remembered."""
        self.call_next(self._rerender_screens)  # after Textual has applied the theme's variables
        if self._theme_loaded:
            save_setting("theme", theme)

    def _rerender_screens(self) -> None:
        screens = [screen for stack in self._screen_stacks.values() for screen in stack]
        for screen in dict.fromkeys(screens + list(self.screen_stack)):
            rerender = getattr(screen, "rerender", None)
            if rerender is not None and screen.is_mounted:
                rerender()

    # ------------------------------------------------------------ fast keys
    async def on_event(self, event: events.Event) -> None:
        """Keys typed while a screen is still opening (or saving) wait for it, in order: ``s v note
        enter`` typed in one go picks the status and fills the note, as typed."""
        if isinstance(event, events.Key) and event is self._replaying:
            self._replaying = None  # taken: the next waiting key may follow it
        if isinstance(event, events.Key) and self._shown() is None:
            return  # no screen (starting, or closing down): nowhere for the key to go
        if isinstance(event, events.Key) and not event.is_forwarded and not getattr(event, "replayed", False) \
                and (self._early_keys or not self._takes_keys(self._shown())):
            self._early_keys.append(events.Key(event.key, event.character))
            if len(self._early_keys) == 1:
                self._waiting_since = monotonic()
            self._watch_early_keys()
            return
        await super().on_event(event)

    KEY_WAIT = 3.0  # seconds a screen may take to open before the keys typed meanwhile go on anyway

    def _watch_early_keys(self) -> None:
        """Look every ``KEY_POLL`` seconds whether the waiting keys can go on, until none is left.
        A repeating timer: a one-shot timer whose moment has passed before its task first runs (a
        busy machine, a worker thread holding the interpreter) is skipped by Textual and never
        fires, which left the keys waiting for good and every later key queued behind them."""
        if self._replay_timer is None:
            # (each tick looks from the app's own message loop, between two of its messages)
            self._replay_timer = self.set_interval(KEY_POLL, partial(self.call_next, self._replay_early_keys),
                                                   name="early-keys")

    def _shown(self) -> Screen | None:
        try:
            return self.screen
        except Exception:  # noqa: BLE001 - no screen yet (starting), or between two
            return None

    @staticmethod
    def _takes_keys(screen: Screen | None) -> bool:
        """A screen is ready for keys once mounted and, for ours, once its fields have the focus
        (or its content is loaded: ``ready``), with nothing left from the last key on its way from
        the focused widget up to the screen (a key a widget does not take bubbles up through its
        containers, one queue after another)."""
        if screen is None or not screen.is_mounted or not getattr(screen, "ready", True):
            return False
        path = screen.focused.ancestors_with_self if screen.focused is not None else [screen]
        return all(settled(node) for node in path if node is not screen.app)

    def _replay_early_keys(self) -> None:
        if not self._early_keys or self._closing:
            if self._replay_timer is not None:
                self._replay_timer.stop()
                self._replay_timer = None
            return
        shown = self._shown()
        if shown is None:
            return  # between two screens: look again at the next tick
        late = monotonic() - self._waiting_since >= self.KEY_WAIT
        if not late and (self._replaying is not None or not self._takes_keys(shown) or not settled(self)):
            return  # (the last key sent on not yet taken by the app: two ticks may come before it is)
        key = self._early_keys.pop(0)  # one at a time: a key may open the next screen
        key.set_sender(self)
        key.replayed = True  # type: ignore[attr-defined] - goes on, never queued again
        self._replaying = key
        self._waiting_since = monotonic()
        self.post_message(key)

    # ---------------------------------------------------------------- errors
    def report_error(self, error: BaseException) -> None:
        """An unexpected error: its traceback to a log file, one line on screen, and on we go."""
        self.unexpected_errors.append(error)
        path = write_log(error)
        where = f" Details in {path}." if path else ""
        self.tell(f"Something went wrong ({type(error).__name__}); nothing was saved by it.{where}",
                  severity="error", title="Unexpected error", timeout=8)

    async def run_action(self, action, default_namespace=None, namespaces=None) -> bool:  # noqa: ANN001
        """Textual's ``run_action`` (same signature: a widget's ``run_action``, as the command
        palette calls it, passes its namespaces too), never stopping the app on an error."""
        try:
            return await super().run_action(action, default_namespace, namespaces)
        except Exception as error:  # noqa: BLE001 - a key never stops the app
            self.report_error(error)
            return True

    def _handle_exception(self, error: Exception) -> None:
        """What Textual cannot go on from: exit non-zero, the traceback in a log file it names —
        never the traceback (with an article's text in its locals) on the terminal."""
        self._return_code = 1
        if self._exception is None:
            self._exception = error  # under Pilot, the test sees it
            self._exception_event.set()
        if self.crash_log is None:
            self.crash_log = write_log(error)
            where = f"the details are in {self.crash_log}" if self.crash_log else "no log could be written"
            self._exit_renderables.append(
                f"Claim Ledger stopped on an unexpected error ({type(error).__name__}); {where}.")
        self._close_messages_no_wait()

    def tell(self, message: str, *, severity: str = "information", title: str = "", timeout: float | None = None) -> None:
        """A notification carrying ledger or user text: shown literally, on one line."""
        self.notify(one_line(message), severity=severity, title=one_line(title), markup=False,  # type: ignore[arg-type]
                    timeout=timeout)

    async def action_quit(self) -> None:
        """ctrl+q, or the palette's Quit: a dialog still holding typed text asks first, as its
        Escape does (everything saved is already in the ledger; the typed text is not)."""
        typed = any(callable(getattr(screen, "has_unsaved", None)) and screen.has_unsaved()
                    for screen in self.screen_stack)
        if not typed or isinstance(self.screen, DiscardModal):
            self.exit()
            return

        def answered(discard: bool | None) -> None:
            if discard:
                self.exit()

        self.push_screen(DiscardModal(closes="quits Claim Ledger"), answered)

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_reload(self) -> None:
        reload = getattr(self.screen, "reload", None)
        if reload is None:
            return
        reload()
        self.notify("Re-read from the ledger.", timeout=2)


def run_app(ledger: Ledger, *, article_id: int | None = None) -> int:
    """Run the terminal UI; the exit code (non-zero when it stopped on an error)."""
    app = LedgerApp(ledger, article_id=article_id)
    app.run()
    return app.return_code or 0
