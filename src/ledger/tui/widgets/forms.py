"""What every dialog shares: a title, fields, a line for the ledger's refusal, Save and Cancel.

A dialog's ``prepare()`` reads its fields and returns the action to run. The action runs in a
worker thread (it writes to the database); success closes the dialog with the action's result,
a refusal (``LedgerError``) stays on screen with its reason and nothing is changed.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Callable, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.suggester import Suggester
from textual.widgets import Button, Footer, Input, Label, Static, TextArea

from ledger.tui.guard import Guarded
from ledger.tui.text import one_line
from ledger.tui.workers import run_ledger


class FormError(Exception):
    """A field the dialog itself can tell is missing or wrong, before asking the ledger."""


def field_label(text: str, hint: str = "") -> Label:
    label = Text(text, style="bold", end="")
    if hint:
        label.append(f"  {hint}", style="dim")
    return Label(label, classes="field-label")


def value_of(widget: Input) -> str | None:
    value = widget.value.strip()
    return value or None


class FormModal(Guarded, ModalScreen[Any]):
    """A dialog whose Save runs one ledger action in a worker."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel"),
        Binding("ctrl+s", "submit", "Save"),
    ]

    TITLE_TEXT = "Dialog"
    SUBMIT_LABEL = "Save"

    def __init__(self, ledger: Any) -> None:
        super().__init__()
        self.ledger = ledger

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog"):
            with Vertical(classes="dialog-foot"):
                yield Static("", classes="form-error")
                with Horizontal(classes="dialog-buttons"):
                    yield Button(self.SUBMIT_LABEL, variant="primary", id="submit")
                    yield Button("Cancel", id="cancel")
            yield Static(Text(self.TITLE_TEXT, style="bold"), classes="dialog-title")
            with Vertical(classes="dialog-body"):
                yield from self.compose_fields()
        yield Footer()

    def compose_fields(self) -> ComposeResult:
        yield from ()

    def prepare(self) -> Callable[[], Any]:
        raise NotImplementedError

    # ---------------------------------------------------------------- running
    @on(Button.Pressed, "#submit")
    def _submit_pressed(self) -> None:
        self.action_submit()

    @on(Button.Pressed, "#cancel")
    def _cancel_pressed(self) -> None:
        self.action_cancel()

    ready = False  # keys typed while it opens wait until its field has the focus (see LedgerApp)

    def on_mount(self) -> None:
        # (runs after the dialog's own on_mount: what its fields hold once it has filled them in)
        self._initial = self._typed_values()
        self.call_after_refresh(self._now_ready)

    def _now_ready(self) -> None:
        self.ready = True

    def move_focus(self, widget: Any) -> None:
        """Focus ``widget``; keys typed meanwhile wait until it has the focus (it moves later)."""
        self.ready = False
        widget.focus()
        self.call_after_refresh(self._now_ready)

    def _typed_values(self) -> dict[str, str]:
        values: dict[str, str] = {}
        for i, widget in enumerate(self.query("Input, TextArea")):
            if isinstance(widget, TextArea) and widget.read_only:
                continue
            values[widget.id or f"#{i}"] = widget.value if isinstance(widget, Input) else widget.text
        return values

    def has_unsaved(self) -> bool:
        """Whether cancelling would throw away something the user typed."""
        initial = getattr(self, "_initial", None)
        return initial is not None and self._typed_values() != initial

    def action_cancel(self) -> None:
        """Escape: close — after asking, when something typed would be lost."""
        if self.query_one("#submit", Button).disabled:
            return  # saving: the result decides
        if not self.has_unsaved():
            self.dismiss(None)
            return

        def answered(discard: bool | None) -> None:
            if discard and self.is_attached and self.app.screen is self:
                self.dismiss(None)

        self.app.push_screen(DiscardModal(), answered)

    def action_submit(self) -> None:
        if self.query_one("#submit", Button).disabled:
            return
        try:
            job = self.prepare()
        except FormError as exc:
            self.show_error(str(exc))
            return
        self._busy(True)
        self.show_error("")
        run_ledger(self, job, self.dismiss, group="submit", refused=self._refused)

    def _refused(self, message: str) -> None:
        self._busy(False)
        self.show_error(f"Refused: {message}")

    def _busy(self, busy: bool) -> None:
        self.query_one("#submit", Button).disabled = busy
        self.ready = not busy  # keys typed while saving wait for the outcome

    def show_error(self, message: str) -> None:
        error = self.query_one(".form-error", Static)
        error.update(Text(one_line(message), end=""))
        error.set_class(bool(message), "-shown")


class DiscardModal(Guarded, ModalScreen[bool]):
    """Asks before a dialog's typed text is thrown away."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y,d", "answer(True)", "Discard"),
        Binding("n,escape", "answer(False)", "Keep editing"),
    ]

    def __init__(self, closes: str = "closes the dialog") -> None:
        super().__init__()
        self.closes = closes  # what y does besides throwing the text away

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog confirm-dialog"):
            yield Static(Text("Discard what you typed?", style="bold"), classes="dialog-title")
            yield Static(f"y discards it and {self.closes} · n or escape goes back to it",
                         classes="dialog-hint")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Discard", variant="error", id="discard")
                yield Button("Keep editing", variant="primary", id="keep")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#keep", Button).focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.action_answer(event.button.id == "discard")

    def action_answer(self, discard: bool) -> None:
        if self.app.screen is self:
            self.dismiss(discard)


class PathSuggester(Suggester):
    """Completes a file path as it is typed (the first entry of the folder that fits)."""

    def __init__(self) -> None:
        super().__init__(use_cache=False, case_sensitive=True)

    async def get_suggestion(self, value: str) -> str | None:
        if not value or value == "~":
            return None
        expanded = os.path.expanduser(value)
        folder, _, start = expanded.rpartition(os.sep)
        base = Path(folder or ".") if os.sep in expanded else Path(".")
        try:
            names = sorted(n for n in os.listdir(base)
                           if n.startswith(start) and (start.startswith(".") or not n.startswith(".")))
        except OSError:
            return None
        if not names:
            return None
        name = names[0]
        if (base / name).is_dir():
            name += os.sep
        return value[: len(value) - len(start)] + name
