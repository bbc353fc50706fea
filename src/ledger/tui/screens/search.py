"""Full-text search across the ledger — claims, quoted passages, article titles — as you type;
enter opens the hit in its article, on the claim."""

from __future__ import annotations

import re
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer, Header, Input, Static

from ledger.errors import LedgerError
from ledger.models import SearchHit
from ledger.tui.commands import Command
from ledger.tui.text import palette, plain
from ledger.tui.widgets.virtual_table import Column, VirtualTable

_WORD = re.compile(r"\w", re.UNICODE)
KIND_LABEL = {"claim": "claim", "appearance": "passage", "article": "article"}


class SearchScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "focus_query", "Search", tooltip="Type a new search"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._timer: Timer | None = None

    @property
    def ledger(self):  # noqa: ANN201
        return self.app.ledger

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(classes="filter-bar"):
            yield Input(id="query", placeholder="Search claims, quoted passages and article titles")
            yield Static(id="count", classes="count")
        yield VirtualTable(self._columns(), id="hits", empty="No hit. Words match from their start: “missil” finds “missiles”.")
        yield Footer()

    def _columns(self) -> list[Column]:
        app = self.app

        def muted(value: str) -> Text:
            return Text(value, style=palette(app).muted, end="")

        return [
            Column("Found in", lambda h: Text(KIND_LABEL.get(h.kind, h.kind), end=""), width=8),
            Column("Text", lambda h: plain(h.snippet or h.text)),
            Column("Claim", lambda h: muted(f"#{h.claim_id}" if h.claim_id else ""), width=8, justify="right"),
            Column("Article", lambda h: muted(f"#{h.article_id}" if h.article_id else ""), width=8, justify="right"),
        ]

    def on_mount(self) -> None:
        self.query_one("#query", Input).focus()
        self.run_search()

    def reload(self) -> None:
        """Run the search again (refresh), staying on the same hit."""
        self.query_one(VirtualTable).reload()

    def run_search(self) -> None:
        query = self.query_one("#query", Input).value
        ledger = self.ledger
        table = self.query_one(VirtualTable)
        if not _WORD.search(query):
            table.empty = "Type words to search the whole ledger."
            table.load(lambda offset, limit: [])
            self.query_one("#count", Static).update("")
            return
        table.empty = "No hit. Words match from their start: “missil” finds “missiles”."
        table.load(lambda offset, limit: ledger.search(query, limit=limit, offset=offset))

    @on(VirtualTable.Loaded, "#hits")
    def _loaded(self, event: VirtualTable.Loaded) -> None:
        if not _WORD.search(self.query_one("#query", Input).value):
            return
        shown = f"{event.total:,}" if event.exact else f"{event.total - 1:,}+"
        self.query_one("#count", Static).update(Text(f"{shown} hit{'s' if event.total != 1 else ''}",
                                                     style=palette(self.app).muted))

    @on(VirtualTable.Failed, "#hits")
    def _failed(self, event: VirtualTable.Failed) -> None:
        self.app.tell(event.message, severity="error")

    @on(Input.Changed, "#query")
    def _typed(self) -> None:
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(0.2, self.run_search)

    @on(Input.Submitted, "#query")
    def _submitted(self) -> None:
        table = self.query_one(VirtualTable)
        if table.total:
            table.focus()

    def key_escape(self) -> None:
        if self.focused is not self.query_one("#query", Input):
            self.query_one("#query", Input).focus()

    def action_focus_query(self) -> None:
        self.query_one("#query", Input).focus()

    def palette_commands(self) -> list[Command]:
        if self.query_one(VirtualTable).cursor_row is None:
            return []
        return [Command("Open the highlighted hit in its article", "key enter", self.action_open)]

    def action_open(self) -> None:
        hit = self.query_one(VirtualTable).cursor_row
        if hit is not None:
            self.open_hit(hit)

    @on(VirtualTable.Activated, "#hits")
    def _activated(self, event: VirtualTable.Activated) -> None:
        self.open_hit(event.row)

    def open_hit(self, hit: SearchHit) -> None:
        from ledger.tui.screens.reader import ReaderScreen

        if hit.kind == "article" and hit.article_id:
            self.app.push_screen(ReaderScreen(hit.article_id))
        elif hit.kind == "appearance" and hit.article_id:
            self.app.push_screen(ReaderScreen(hit.article_id, appearance_id=hit.id))
        elif hit.claim_id:
            ledger, claim_id = self.ledger, hit.claim_id

            def work() -> None:
                try:
                    detail = ledger.claim(claim_id)
                except LedgerError as exc:
                    self.app.call_from_thread(self.app.tell, exc.message, severity="error")
                    return
                anchored = [a for a in detail.appearances if not a.orphaned] or detail.appearances
                if not anchored:
                    self.app.call_from_thread(self.notify, f"Claim #{claim_id} appears in no article.",
                                              severity="warning")
                    return
                first = anchored[0]
                self.app.call_from_thread(self.app.push_screen,
                                          ReaderScreen(first.article_id, appearance_id=first.id))

            self.run_worker(work, thread=True, exclusive=True, group="open")
