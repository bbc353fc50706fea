"""Suggestions in the reader: sentences that match a claim already in the ledger.

The reader's article text underlines each suggested sentence; a line above the text says how
many there are and, with the cursor in one, which claim it matches and how surely. ``a``
accepts the suggestion under the cursor (the sentence becomes an appearance of that claim),
``r`` rejects it (remembered; not suggested again). Suggestions are computed in a worker each
time the reader (re)reads the article, so the text never waits for them.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.binding import Binding, BindingType
from textual.widgets import Static, TextArea

from ledger.services.matching import Suggestion
from ledger.tui.screens.base import LedgerScreen
from ledger.tui.text import one_line
from ledger.tui.widgets.article_text import ArticleText, Mark
from ledger.tui.workers import run_ledger

SUGGESTED = "suggested"  # the highlight name of a suggested sentence in ArticleText (underlined there)


class SuggestionBar(Static):
    """One line above the text: the suggestions, and the one under the cursor."""

    DEFAULT_CSS = """
    SuggestionBar {
        height: auto;
        padding: 0 1;
        color: $text-muted;
    }
    """


class SuggestionActions(LedgerScreen):
    """What the reader screen gains: suggestion marks, the bar, and the accept / reject keys.
    Expects ``article_id``, an ``ArticleText`` with id ``article-text`` and ``reload()``."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "accept_suggestion", "Accept", show=False,
                tooltip="Accept the suggestion under the cursor: the sentence becomes an appearance of the claim"),
        Binding("r", "reject_suggestion", "Reject", show=False,
                tooltip="Reject the suggestion under the cursor: it is not suggested again"),
    ]
    suggestions: list[Suggestion] = []

    def load_suggestions(self) -> None:
        ledger, article_id = self.ledger, self.article_id
        run_ledger(self, lambda: ledger.matching.suggestions(article_id), self._show_suggestions,
                   group="suggestions", refused=lambda message: None)

    def _bar(self) -> SuggestionBar:
        found = self.query(SuggestionBar)
        if found:
            return found.first()
        bar = SuggestionBar(id="suggestion-bar", markup=False)
        self.query_one("#article-text", ArticleText).parent.mount(bar, before=self.query_one("#article-text"))
        return bar

    def _show_suggestions(self, found: list[Suggestion]) -> None:
        self.suggestions = found
        text = self.query_one("#article-text", ArticleText)
        text.suggested = [Mark(s.start, s.end, SUGGESTED) for s in found]
        text._build_highlight_map()
        text.refresh()
        self._describe()

    def suggestion_at(self, offset: int) -> Suggestion | None:
        return next((s for s in self.suggestions if s.start <= offset < s.end), None)

    def _describe(self) -> None:
        if not self.suggestions:
            if self.query(SuggestionBar):
                self._bar().display = False
            return
        bar = self._bar()
        bar.display = True
        here = self.suggestion_at(self.query_one("#article-text", ArticleText).cursor_offset)
        if here is None:
            n = len(self.suggestions)
            bar.update(Text(f"{n} suggested sentence{'s' if n > 1 else ''} (underlined) match claims already "
                            "in the ledger — move into one, then a accept, r reject"))
            return
        sure = "near-certain" if here.confirmed else "possible"
        bar.update(Text(f"Suggested ({sure}, {here.score:.2f}): claim #{here.claim_id} {here.status} — "
                        f"{one_line(here.claim_text)} — a accept, r reject"))

    @on(TextArea.SelectionChanged, "#article-text")
    def _suggestion_cursor(self, event: TextArea.SelectionChanged) -> None:
        if self.suggestions:
            self._describe()

    def _act(self, accept: bool) -> None:
        s = self.suggestion_at(self.query_one("#article-text", ArticleText).cursor_offset)
        if s is None:
            self.app.tell("Move the cursor into a suggested (underlined) sentence first.", severity="warning")
            return
        desk, article_id = self.ledger.matching, self.article_id
        call = (lambda: desk.accept(article_id, s.n)) if accept else (lambda: desk.reject(article_id, s.n))
        run_ledger(self, call, self._decided, group="suggestion-decision")

    def _decided(self, decision) -> None:  # noqa: ANN001 - Decision
        s = decision.suggestion
        if decision.appearance_id is not None:
            self.app.tell(f"Claim #{s.claim_id} recorded in this sentence.")
        else:
            self.app.tell(f"Claim #{s.claim_id} will not be suggested for this sentence again.")
        self.reload()

    def action_accept_suggestion(self) -> None:
        self._act(True)

    def action_reject_suggestion(self) -> None:
        self._act(False)
