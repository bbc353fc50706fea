"""Corrections that keep history, from the reader: edit a claim's text, kind, claimant, date or
priority; retract a citation from its evidence list; confirm a verdict still holds for a passage a
revision reworded. Each needs a note saying why, and each is an event in the claim's history."""

from __future__ import annotations

from typing import Any, Callable

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.widgets import Input, OptionList, Select, Static
from textual.widgets.option_list import Option

from ledger.models import ClaimDetail
from ledger.tui.screens.claim_forms import ClaimFieldsForm, kind_and_priority
from ledger.tui.text import palette, plain
from ledger.tui.widgets.cursor_line import CursorOptionList
from ledger.tui.widgets.forms import FormError, FormModal, field_label, value_of

NOTE_HINT = "why — required, kept in the claim's history"


def _note(form: FormModal) -> str:
    note = value_of(form.query_one("#note", Input))
    if not note:
        form.query_one("#note", Input).focus()
        raise FormError("a correction needs a note saying why")
    return note


class EditClaimModal(ClaimFieldsForm):
    TITLE_TEXT = "Correct the claim"
    SUBMIT_LABEL = "Save correction"

    def __init__(self, ledger: Any, detail: ClaimDetail) -> None:
        super().__init__(ledger)
        self.claim = detail.claim

    def compose_fields(self) -> ComposeResult:
        c = self.claim
        yield field_label(f"Claim #{c.id}", "every field as it stands; change what is wrong")
        yield Input(value=c.text, id="text")
        yield from kind_and_priority(c.kind, c.priority)
        yield field_label("Claimant", "empty clears it")
        yield Input(value=c.claimant or "", id="claimant")
        yield field_label("Date of the claim", "empty clears it")
        yield Input(value=c.claim_date.isoformat() if c.claim_date else "", id="date")
        yield field_label("Note", NOTE_HINT)
        yield Input(id="note", placeholder="e.g. the claimant was misnamed")

    def prepare(self) -> Callable[[], Any]:
        c = self.claim
        text = value_of(self.query_one("#text", Input))
        if not text:
            self.query_one("#text", Input).focus()
            raise FormError("a claim needs its text")
        kind = str(self.query_one("#kind", Select).value)
        priority = int(self.query_one("#priority", Select).value)  # type: ignore[arg-type]
        claimant = self.query_one("#claimant", Input).value.strip()
        when = self.query_one("#date", Input).value.strip()
        changes: dict[str, Any] = {}
        if text != c.text:
            changes["text"] = text
        if kind != c.kind:
            changes["kind"] = kind
        if priority != c.priority:
            changes["priority"] = priority
        if claimant != (c.claimant or ""):
            changes["claimant"] = claimant
        if when != (c.claim_date.isoformat() if c.claim_date else ""):
            changes["claim_date"] = when
        if not changes:
            raise FormError("nothing changed: edit a field, or escape")
        note = _note(self)
        ledger, claim_id, version = self.ledger, c.id, c.version
        return lambda: ledger.edit_claim(claim_id, note=note, expected_version=version, **changes)


class RetractCitationModal(FormModal):
    TITLE_TEXT = "Retract a citation"
    SUBMIT_LABEL = "Retract"

    def __init__(self, ledger: Any, detail: ClaimDetail) -> None:
        super().__init__(ledger)
        self.claim = detail.claim
        self.citations = [c for c in detail.citations if not c.retracted]

    def compose_fields(self) -> ComposeResult:
        yield field_label(f"Claim #{self.claim.id}")
        yield Static(plain(self.claim.text, width=300), classes="quote")
        yield field_label("Evidence", "the citation to retract: it stays in the history, no longer counts")
        yield CursorOptionList(id="citations", markup=False)
        yield field_label("Note", NOTE_HINT)
        yield Input(id="note", placeholder="e.g. the excerpt is from another report")

    def on_mount(self) -> None:
        options = self.query_one("#citations", OptionList)
        muted = palette(self.app).muted
        for c in self.citations:
            prompt = Text(end="")
            prompt.append(f"#{c.id:<5} {c.stance:<9}", style="bold")
            prompt.append_text(plain(c.source_title or f"source {c.source_id}", width=50))
            if c.excerpt:
                prompt.append("  “", style=muted)
                prompt.append_text(plain(c.excerpt, width=60, style=muted))
                prompt.append("”", style=muted)
            options.add_option(Option(prompt, id=str(c.id)))
        options.highlighted = 0 if self.citations else None
        options.focus()

    @on(OptionList.OptionSelected, "#citations")
    def _picked(self) -> None:
        self.query_one("#note", Input).focus()

    @on(Input.Submitted, "#note")
    def _enter(self) -> None:
        self.action_submit()

    def prepare(self) -> Callable[[], Any]:
        options = self.query_one("#citations", OptionList)
        if options.highlighted is None or not self.citations:
            raise FormError("no citation to retract")
        citation_id = int(options.get_option_at_index(options.highlighted).id or 0)
        note = _note(self)
        ledger = self.ledger
        return lambda: ledger.retract_citation(citation_id, note=note)


class ConfirmClaimModal(FormModal):
    TITLE_TEXT = "Confirm the verdict holds for the reworded passage"
    SUBMIT_LABEL = "Confirm"

    def __init__(self, ledger: Any, detail: ClaimDetail) -> None:
        super().__init__(ledger)
        self.claim = detail.claim
        self.reworded = [a for a in detail.appearances if a.needs_confirm]

    def compose_fields(self) -> ComposeResult:
        yield field_label(f"Claim #{self.claim.id}", f"{self.claim.status}")
        yield Static(plain(self.claim.text, width=300), classes="quote")
        yield field_label("Now reads")
        for a in self.reworded:
            yield Static(plain(a.quote, width=300), classes="quote")
        yield field_label("Note", NOTE_HINT)
        yield Input(id="note", placeholder="e.g. the new wording says the same")

    def on_mount(self) -> None:
        self.query_one("#note", Input).focus()

    @on(Input.Submitted, "#note")
    def _enter(self) -> None:
        self.action_submit()

    def prepare(self) -> Callable[[], Any]:
        note = _note(self)
        ledger, claim_id = self.ledger, self.claim.id
        return lambda: ledger.confirm_claim(claim_id, note=note)
