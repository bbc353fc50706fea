"""Full-text search across the ledger — claims, quoted passages, article titles — as you type;
enter opens the hit in its article, on the claim."""

from __future__ import annotations

import re
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Footer, Static

from ledger.models import ClaimDetail, SearchHit
from ledger.tui.widgets.header import LedgerHeader
from ledger.tui.commands import Command
from ledger.tui.screens.listing import ListingScreen
from ledger.tui.text import muted_cell, plain
from ledger.tui.widgets.virtual_table import Column, VirtualTable
from ledger.tui.workers import run_ledger

_WORD = re.compile(r"\w", re.UNICODE)
KIND_LABEL = {"claim": "claim", "appearance": "passage", "article": "article"}


class SearchScreen(ListingScreen):
    FILTER_ID = "query"
    NOUN = "hit"
    TYPING_PAUSE = 0.2

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "filter", "Search", tooltip="Type a new search"),
    ]

    def compose(self) -> ComposeResult:
        yield LedgerHeader()
        yield from self.filter_bar("Search claims, quoted passages and article titles")
        yield VirtualTable(self._columns(), id="hits", empty="No hit. Words match from their start: “missil” finds “missiles”.")
        yield Footer()

    def _columns(self) -> list[Column]:
        app = self.app

        def reference(number: int | None) -> Text:
            return muted_cell(app, f"#{number}" if number else "")

        return [
            Column("Found in", lambda h: Text(KIND_LABEL.get(h.kind, h.kind), end=""), width=8),
            Column("Text", lambda h: plain(h.snippet or h.text), min_width=24),
            Column("Claim", lambda h: reference(h.claim_id), width=8, justify="right"),
            Column("Article", lambda h: reference(h.article_id), width=8, justify="right"),
        ]

    def on_mount(self) -> None:
        self.filter_input.focus()
        self.run_search()

    def reload(self) -> None:
        """Run the search again (refresh), staying on the same hit."""
        self.table.reload()

    def run_search(self) -> None:
        query = self.filter_input.value
        ledger = self.ledger
        table = self.table
        if not _WORD.search(query):
            table.empty = "Type words to search the whole ledger."
            table.load(lambda offset, limit: [])
            self.query_one("#count", Static).update("")
            return
        table.empty = "No hit. Words match from their start: “missil” finds “missiles”."
        table.load(lambda offset, limit: ledger.search(query, limit=limit, offset=offset))

    query_rows = run_search

    def rows_loaded(self, event: VirtualTable.Loaded) -> None:
        if _WORD.search(self.filter_input.value):
            self.show_count(event)

    def filter_submitted(self) -> None:
        if self.table.total:
            self.table.focus()

    def key_escape(self) -> None:
        if self.focused is not self.filter_input:
            self.filter_input.focus()

    def palette_commands(self) -> list[Command]:
        if self.table.cursor_row is None:
            return []
        return [Command("Open the highlighted hit in its article", "key enter", self.action_open)]

    def action_open(self) -> None:
        hit = self.table.cursor_row
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
            run_ledger(self, lambda: ledger.claim(claim_id), lambda detail: self._open_claim(claim_id, detail),
                       group="open")

    def _open_claim(self, claim_id: int, detail: ClaimDetail) -> None:
        from ledger.tui.screens.reader import ReaderScreen

        anchored = [a for a in detail.appearances if not a.orphaned] or detail.appearances
        if not anchored:
            self.notify(f"Claim #{claim_id} appears in no article.", severity="warning")
            return
        first = anchored[0]
        self.app.push_screen(ReaderScreen(first.article_id, appearance_id=first.id))
