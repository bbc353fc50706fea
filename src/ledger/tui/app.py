"""The terminal UI: where a fact-checker spends the day.

``LedgerApp(ledger)`` is the one way the app is made — by ``ledger`` on a terminal (``run_app``)
and by the tests. Three places to be, each keeping its own stack of screens: the articles (and
the reader opened from them), the sources, and search. The app talks to the ledger only through
the ``Ledger`` facade, in worker threads.
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path
from typing import ClassVar

from textual.app import App
from textual.binding import Binding, BindingType

from ledger.services.ledger import Ledger
from ledger.tui.commands import LedgerCommands
from ledger.tui.screens.articles import ArticlesScreen
from ledger.tui.screens.help import HelpScreen
from ledger.tui.screens.search import SearchScreen
from ledger.tui.screens.sources import SourcesScreen
from ledger.tui.text import one_line


def describe_workspace(ledger: Ledger) -> str:
    """The ledger's location, relative to the current folder when it lies inside it."""
    path = ledger.workspace.sqlite_path
    if path is None:
        return ledger.workspace.describe()
    try:
        return str(path.relative_to(Path(os.getcwd()).resolve()))
    except ValueError:
        return str(path)


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
        reader on that article (``ledger open ARTICLE_ID``), over the articles list."""
        super().__init__()
        self.ledger = ledger
        self.as_of = as_of
        self.start_article = article_id
        self.sub_title = one_line(f"{describe_workspace(ledger)} · {ledger.actor}")

    def tell(self, message: str, *, severity: str = "information", title: str = "", timeout: float | None = None) -> None:
        """A notification carrying ledger or user text: shown literally, on one line."""
        self.notify(one_line(message), severity=severity, title=one_line(title), markup=False,  # type: ignore[arg-type]
                    timeout=timeout)

    def on_mount(self) -> None:
        if self.start_article is not None:
            from ledger.tui.screens.reader import ReaderScreen

            self.push_screen(ReaderScreen(self.start_article))

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_reload(self) -> None:
        reload = getattr(self.screen, "reload", None)
        if reload is None:
            return
        reload()
        self.notify("Re-read from the ledger.", timeout=2)


def run_app(ledger: Ledger, *, article_id: int | None = None) -> None:
    LedgerApp(ledger, article_id=article_id).run()
