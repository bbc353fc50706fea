"""The articles: every article with outlet, date, editorial state and a bar of its claims by
status, filtered as you type. On an empty workspace, a welcome that builds the sample ledger or
imports a first article."""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Center, Horizontal, Vertical
from textual.widgets import Button, Footer, Select, Static

from ledger.models import ARTICLE_STATES, ArticleRow
from ledger.tui.widgets.header import LedgerHeader
from ledger.tui.commands import Command
from ledger.tui.screens.importing import ImportArticleModal
from ledger.tui.screens.listing import ListingScreen
from ledger.tui.text import muted_cell, plain, tally_bar
from ledger.tui.widgets.virtual_table import Column, VirtualTable
from ledger.tui.workers import run_ledger

WELCOME = (
    "This ledger is empty.\n\n"
    "Build the sample ledger to look around: four articles on a summit, their claims, the sources "
    "cited for them and a few verdicts. Or import the text of an article you are checking.\n"
)


class ArticlesScreen(ListingScreen):
    NOUN = "article"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "filter", "Filter", tooltip="Filter the articles by title or outlet"),
        Binding("i", "import_article", "Import article", tooltip="Import an article from a text file"),
        Binding("d", "build_demo", "Build sample", tooltip="Build the sample ledger"),
        Binding("u", "audit", "Audit", tooltip="Audit the highlighted article"),
        Binding("x", "export", "Export", tooltip="Export the highlighted article's report"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._empty: bool | None = None
        self._building = False

    def compose(self) -> ComposeResult:
        yield LedgerHeader()
        yield from self.filter_bar("Filter by title or outlet  ( / )",
                                   Select([(s.replace("_", " "), s) for s in ARTICLE_STATES], prompt="any state",
                                          id="state"))
        yield VirtualTable(self._columns(), id="articles", empty="No article matches the filter.")
        with Vertical(id="welcome"):
            yield Static(Text("Claim Ledger", style="bold"), classes="welcome-title")
            yield Static(WELCOME, classes="welcome-text", markup=False)
            with Center():
                with Horizontal(classes="welcome-buttons"):
                    yield Button("Build the sample ledger", variant="primary", id="build-demo")
                    yield Button("Import an article…", id="import")
        yield Footer()

    def _columns(self) -> list[Column]:
        app = self.app
        vocabulary = self.app.ledger.vocabulary

        def state(r: ArticleRow) -> Text:
            return Text(r.state.replace("_", " "), style="bold" if r.state == "published" else "", end="")

        return [
            Column("#", lambda r: muted_cell(app, str(r.id)), width=7, justify="right"),
            Column("Title", lambda r: plain(r.title), min_width=24),
            Column("Outlet", lambda r: plain(r.outlet), width=22, drop=1),
            Column("Published", lambda r: Text(r.published.isoformat() if r.published else "", end=""), width=10,
                   drop=2),
            Column("State", state, width=9),
            Column("Claims  ✓ verified ○ open ? ✗", lambda r: tally_bar(app, vocabulary, r.status_counts), width=28),
        ]

    def on_mount(self) -> None:
        self.query_one("#welcome").display = False
        self.table.focus()
        self.reload()

    def on_screen_resume(self) -> None:
        # back from the reader or another mode: counts may have changed
        if self._empty is not None:
            self.table.reload()

    # ------------------------------------------------------------------ data
    def _filters(self) -> tuple[str | None, str | None]:
        text = self.filter_input.value.strip() or None
        state = self.query_one("#state", Select).value
        return text, state if isinstance(state, str) else None

    def reload(self) -> None:
        """Re-read the list (refresh), staying on the same row."""
        self.query_articles(keep_cursor=self._empty is not None)

    def query_articles(self, *, keep_cursor: bool = False) -> None:
        text, state = self._filters()
        ledger = self.ledger
        self.table.load(lambda offset, limit: ledger.list_articles(limit=limit, offset=offset, text=text, state=state),
                        lambda: ledger.count_articles(text=text, state=state), keep_cursor=keep_cursor)

    query_rows = query_articles

    def rows_loaded(self, event: VirtualTable.Loaded) -> None:
        text, state = self._filters()
        empty = event.total == 0 and text is None and state is None
        if empty != self._empty:
            self._empty = empty
            self.query_one("#welcome").display = empty
            self.query_one(".filter-bar").display = not empty
            self.table.display = not empty
            if empty:
                self.query_one("#build-demo", Button).focus()
            elif self.focused is None or self.focused.id in ("build-demo", "import"):
                self.table.focus()
            self.refresh_bindings()
        self.show_count(event)

    @on(Select.Changed, "#state")
    def _state(self) -> None:
        self.query_articles()

    def key_escape(self) -> None:
        if self.focused is self.filter_input:
            self.table.focus()

    # --------------------------------------------------------------- actions
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "build_demo":
            return bool(self._empty)
        if action in ("open", "audit", "export", "filter"):
            return not self._empty
        return True

    def palette_commands(self) -> list[Command]:
        if self._empty or self.selected is None:
            return []
        return [Command("Read the highlighted article", "key enter", self.action_open)]

    @property
    def selected(self) -> ArticleRow | None:
        return self.table.cursor_row

    @on(VirtualTable.Activated, "#articles")
    def _activated(self, event: VirtualTable.Activated) -> None:
        self.open_article(event.row.id)

    def open_article(self, article_id: int, **focus: Any) -> None:
        from ledger.tui.screens.reader import ReaderScreen

        self.app.push_screen(ReaderScreen(article_id, **focus))

    def action_open(self) -> None:
        row = self.selected
        if row is not None:
            self.open_article(row.id)

    def action_import_article(self) -> None:
        def imported(article_id: int | None) -> None:
            if article_id is not None:
                self.notify(f"Imported article #{article_id}. Select a passage and press c to record a claim.")
                self.reload()
                self.open_article(article_id)

        self.app.push_screen(ImportArticleModal(self.ledger), imported)

    @on(Button.Pressed, "#import")
    def _import_pressed(self) -> None:
        self.action_import_article()

    @on(Button.Pressed, "#build-demo")
    def _demo_pressed(self) -> None:
        self.action_build_demo()

    def action_build_demo(self) -> None:
        if self._building:
            return
        self._building = True
        self.query_one("#build-demo", Button).disabled = True
        ledger = self.ledger

        def build() -> Any:
            from ledger.services.demo import build_demo

            return build_demo(ledger)

        run_ledger(self, build, self._built, group="demo", refused=self._not_built)

    def _not_built(self, message: str) -> None:
        self._building = False
        self.query_one("#build-demo", Button).disabled = False
        self.app.tell(message, severity="error", title="Refused")

    def _built(self, summary: Any) -> None:
        self._building = False
        self.query_one("#build-demo", Button).disabled = False
        self.notify(f"Built the sample ledger: {summary.articles} articles, {summary.claims} claims, "
                    f"{summary.sources} sources. Press enter to read one.", title="Sample ledger")
        self.reload()

    def action_audit(self) -> None:
        row = self.selected
        if row is not None:
            from ledger.tui.screens.audit import AuditScreen

            self.app.push_screen(AuditScreen(row.id))

    def action_export(self) -> None:
        row = self.selected
        if row is not None:
            from ledger.tui.screens.export import ExportScreen

            self.app.push_screen(ExportScreen(row.id))
