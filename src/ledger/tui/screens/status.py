"""Changing a claim's verification status: the workspace's statuses, and a note saying why.

The ledger may refuse (``verified`` without a supporting citation, say): the dialog then shows the
reason and nothing is changed. The claim's version is sent along, so a change someone else saved
meanwhile is refused rather than overwritten.
"""

from __future__ import annotations

from typing import Any, Callable

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.widgets import Button, Input, OptionList, Static
from textual.widgets.option_list import Option

from ledger.models import ClaimRow
from ledger.tui.text import CATEGORY_MARK, palette, plain
from ledger.tui.widgets.cursor_line import CursorOptionList
from ledger.tui.widgets.forms import FormError, FormModal, field_label, value_of

CATEGORY_HELP = {
    "open": "still being checked",
    "pass": "needs a supporting citation",
    "fail": "needs a refuting citation",
    "unresolved": "could not be settled",
}


def status_keys(statuses: list[str]) -> dict[str, str]:
    """One letter per status, for picking it with one key: its first letter not yet taken, else the
    next of its letters, else a digit. ``{"v": "verified", "f": "false", "m": "misleading", …}``"""
    keys: dict[str, str] = {}
    for status in statuses:
        letters = [ch for ch in status.lower() if ch.isalpha() and ch.isascii()]
        free = next((ch for ch in letters if ch not in keys), None)
        if free is None:
            free = next(str(d) for d in range(10) if str(d) not in keys)
        keys[free] = status
    return keys


class StatusModal(FormModal):
    TITLE_TEXT = "Set the claim's status"
    SUBMIT_LABEL = "Set status"

    def __init__(self, ledger: Any, claim: ClaimRow) -> None:
        super().__init__(ledger)
        self.claim = claim

    def compose_fields(self) -> ComposeResult:
        yield field_label(f"Claim #{self.claim.id}")
        yield Static(plain(self.claim.text, width=300), classes="quote")
        yield field_label("Status", f"now {self.claim.status} — press a status's letter, then the note")
        yield CursorOptionList(id="statuses", markup=False)
        yield field_label("Note", "why — required, kept in the claim's history")
        yield Input(id="note", placeholder="e.g. confirmed by the agency's transcript", select_on_focus=False)

    def on_mount(self) -> None:
        self._fill()
        self.query_one("#statuses", OptionList).focus()

    def rerender(self) -> None:
        self._fill()

    def _fill(self) -> None:
        options = self.query_one("#statuses", OptionList)
        keep = options.highlighted
        options.clear_options()
        pal = palette(self.app)
        vocabulary = self.ledger.vocabulary
        self.keys = status_keys(list(vocabulary.statuses))
        letter = {status: key for key, status in self.keys.items()}
        current = 0
        for i, (status, category) in enumerate(vocabulary.statuses.items()):
            prompt = Text(end="")
            prompt.append(f"{letter[status]} ", style="bold")
            prompt.append(f"{CATEGORY_MARK.get(category, '○')} {status:<14}", style=pal.category_text(category))
            prompt.append(f" {category} — {CATEGORY_HELP.get(category, '')}", style=pal.muted)
            options.add_option(Option(prompt, id=status))
            if status == self.claim.status:
                current = i
        options.highlighted = current if keep is None else keep

    @on(OptionList.OptionSelected, "#statuses")
    def _picked(self) -> None:
        self.move_focus(self.query_one("#note", Input))

    def on_key(self, event) -> None:  # noqa: ANN001 - events.Key
        """A status's letter picks it and moves on to the note (not while typing the note)."""
        if isinstance(self.focused, Input) or event.character is None:
            return
        status = getattr(self, "keys", {}).get(event.character.lower())
        if status is None:
            return
        event.stop()
        event.prevent_default()
        options = self.query_one("#statuses", OptionList)
        options.highlighted = list(self.ledger.vocabulary.statuses).index(status)
        self.move_focus(self.query_one("#note", Input))

    @on(Input.Submitted, "#note")
    def _enter(self) -> None:
        self.action_submit()

    def prepare(self) -> Callable[[], Any]:
        options = self.query_one("#statuses", OptionList)
        if options.highlighted is None:
            raise FormError("pick a status")
        status = options.get_option_at_index(options.highlighted).id
        note_field = self.query_one("#note", Input)
        note = value_of(note_field)
        if not note:
            # focus stays where the user is (tab from the statuses reaches the note); only from the
            # buttons, where typing would go nowhere, does it go to the note
            hint = " (tab to the Note field)" if isinstance(self.focused, OptionList) else ""
            if isinstance(self.focused, Button):
                note_field.focus()
            raise FormError(f"a status change needs a note saying why{hint}")
        ledger, claim = self.ledger, self.claim
        return lambda: ledger.set_status(claim_id=claim.id, status=str(status), note=note,
                                         expected_version=claim.version)
