"""Recording a claim from a selected passage, or linking the passage to a claim already recorded."""

from __future__ import annotations

from typing import Any, Callable, ClassVar

from rapidfuzz import fuzz
from rapidfuzz.utils import default_process
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, OptionList, Select, Static
from textual.widgets.option_list import Option

from ledger.models import ClaimRow
from ledger.text.anchoring import find_all
from ledger.text.attribution import attribution
from ledger.tui.text import block, one_line, palette, plain, status_text
from ledger.tui.widgets.cursor_line import CursorOptionList
from ledger.tui.widgets.forms import FormError, FormModal, field_label, value_of
from ledger.tui.workers import Debounce, run_ledger


def occurrence_of(body: str, start: int, end: int) -> int | None:
    """Which occurrence of the passage ``body[start:end]`` was selected (None when it is unique)."""
    spans = find_all(body, body[start:end])
    if len(spans) <= 1:
        return None
    for i, (s, _e) in enumerate(spans, 1):
        if s == start:
            return i
    return min(range(len(spans)), key=lambda i: abs(spans[i][0] - start)) + 1


KINDS = [("assertion — the article states it", "assertion"), ("attribution — someone said it", "attribution")]
PRIORITIES = [("1 high", 1), ("2 normal", 2), ("3 low", 3)]


def kind_and_priority(kind: str, priority: int) -> ComposeResult:
    """The claim's kind and priority, side by side (recording a claim, correcting one)."""
    with Horizontal(classes="field-row"):
        with Vertical():
            yield field_label("Kind")
            yield Select(KINDS, value=kind if kind in ("assertion", "attribution") else "assertion",
                         allow_blank=False, id="kind")
        with Vertical(classes="narrow"):
            yield field_label("Priority")
            yield Select(PRIORITIES, value=priority if priority in (1, 2, 3) else 2, allow_blank=False,
                         id="priority")


class ClaimFieldsForm(FormModal):
    """A dialog whose fields are a claim's: the text first, enter in any field saves."""

    def on_mount(self) -> None:
        self.query_one("#text", Input).focus()

    @on(Input.Submitted)
    def _enter(self) -> None:
        self.action_submit()


class PassageForm(FormModal):
    """A dialog about one selected passage of an article."""

    def __init__(self, ledger: Any, article_id: int, body: str, span: tuple[int, int], *,
                 context: str | None = None) -> None:
        """``context``: the sentence(s) around the passage, where a speaker may be named."""
        super().__init__(ledger)
        self.context = context if context is not None else body[span[0]:span[1]]
        self.article_id = article_id
        self.body = body
        self.start, self.end = span
        self.quote = body[self.start:self.end]
        self.occurrence = occurrence_of(body, self.start, self.end)

    def passage(self) -> ComposeResult:
        yield field_label("Passage", f"characters {self.start}–{self.end}")
        yield Static(block(self.quote), classes="quote")


class RecordClaimModal(PassageForm, ClaimFieldsForm):
    TITLE_TEXT = "Record a claim from the selected passage"
    SUBMIT_LABEL = "Record claim"

    def compose_fields(self) -> ComposeResult:
        said = attribution(self.context)
        claimant = said.claimant if said is not None else None
        yield from self.passage()
        yield field_label("Claim", "the checkable statement; defaults to the passage — enter records it")
        yield Input(value=one_line(self.quote), id="text")
        yield from kind_and_priority("attribution" if claimant else "assertion", 2)
        hint = (f"proposed from “{one_line(said.cue)}”" if claimant else
                f"reported speech (“{one_line(said.cue)}”): who said it?" if said else
                "who said it — needed for an attribution")
        yield field_label("Claimant", hint)
        yield Input(value=one_line(claimant or ""), id="claimant")
        yield field_label("Date of the claim", "2024-06-18, 18 juin, June 18 …")
        yield Input(id="date")

    def prepare(self) -> Callable[[], Any]:
        text = value_of(self.query_one("#text", Input))
        kind = self.query_one("#kind", Select).value
        priority = self.query_one("#priority", Select).value
        claimant = value_of(self.query_one("#claimant", Input))
        when = value_of(self.query_one("#date", Input))
        if kind == "attribution" and not claimant:
            self.query_one("#claimant", Input).focus()
            raise FormError("an attribution needs the person or body who said it (Claimant)")
        ledger, article_id, quote, occurrence = self.ledger, self.article_id, self.quote, self.occurrence
        return lambda: ledger.add_claim(article_id=article_id, quote=quote, text=text, kind=str(kind),
                                        claimant=claimant, claim_date=when, priority=int(priority),
                                        occurrence=occurrence)


def rank_claims(query: str, claims: list[ClaimRow]) -> list[ClaimRow]:
    """Closest first: a claim named by its number, then by fuzzy likeness to what was typed,
    the full-text rank breaking ties."""
    wanted = query.strip().lstrip("#")
    scored = []
    for order, c in enumerate(claims):
        exact = wanted.isdigit() and c.id == int(wanted)
        score = fuzz.token_set_ratio(query, c.text, processor=default_process)
        scored.append((not exact, -score, order, c))
    scored.sort(key=lambda t: t[:3])
    return [t[3] for t in scored]


class LinkClaimModal(PassageForm):
    TITLE_TEXT = "Link the passage to a claim already in the ledger"
    SUBMIT_LABEL = "Link"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down", "move(1)", "Next match", show=False),
        Binding("up", "move(-1)", "Previous match", show=False),
    ]

    def __init__(self, ledger: Any, article_id: int, body: str, span: tuple[int, int]) -> None:
        super().__init__(ledger, article_id, body, span)
        self._find_later = Debounce(self, 0.2, self.find)
        self._shown_for: str | None = None

    def compose_fields(self) -> ComposeResult:
        yield from self.passage()
        yield field_label("Find the claim", "type words of it, or its number; closest first")
        yield Input(value=one_line(self.quote, 120), id="query")
        yield CursorOptionList(id="candidates", markup=False)

    def on_mount(self) -> None:
        self.query_one("#query", Input).focus()
        self.find()

    @on(Input.Changed, "#query")
    def _typed(self) -> None:
        self._find_later()

    @on(Input.Submitted, "#query")
    def _enter(self) -> None:
        self.action_submit()

    @on(OptionList.OptionSelected, "#candidates")
    def _chosen(self) -> None:
        self.action_submit()

    def action_move(self, step: int) -> None:
        options = self.query_one("#candidates", OptionList)
        if options.option_count:
            current = options.highlighted if options.highlighted is not None else -1
            options.highlighted = max(0, min(options.option_count - 1, current + step))

    def find(self) -> None:
        query = self.query_one("#query", Input).value
        ledger = self.ledger

        def ranked() -> list[ClaimRow]:
            found = ledger.claim_candidates(query, limit=40) if query.strip() else []
            return rank_claims(query, found)

        run_ledger(self, ranked, lambda claims: self._show(query, claims), group="candidates")

    def _show(self, query: str, claims: list[ClaimRow]) -> None:
        if query != self.query_one("#query", Input).value:
            return
        self._shown_for = query
        options = self.query_one("#candidates", OptionList)
        options.clear_options()
        vocabulary = self.ledger.vocabulary
        muted = palette(self.app).muted
        for c in claims:
            prompt = Text(end="")
            prompt.append(f"#{c.id:<6} ", style=muted)
            prompt.append_text(status_text(self.app, vocabulary, c.status, c.status_label))
            prompt.append("  ")
            prompt.append_text(plain(c.text, width=200))
            options.add_option(Option(prompt, id=str(c.id)))
        if claims:
            options.highlighted = 0
        else:
            options.add_option(Option(Text("No claim matches; edit the words above.", style=muted), disabled=True))

    def prepare(self) -> Callable[[], Any]:
        options = self.query_one("#candidates", OptionList)
        index = options.highlighted
        option = options.get_option_at_index(index) if index is not None and options.option_count else None
        if option is None or option.id is None:
            raise FormError("pick the claim to link the passage to")
        claim_id = int(option.id)
        ledger, article_id, quote, occurrence = self.ledger, self.article_id, self.quote, self.occurrence

        def link() -> int:
            ledger.link_claim(claim_id=claim_id, article_id=article_id, quote=quote, occurrence=occurrence)
            return claim_id

        return link
