"""Bringing material into an empty (or any) workspace: import an article from a text file, or
build the sample ledger to explore."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, Select

from ledger.services import archive
from ledger.tui.widgets.forms import FormError, FormModal, PathSuggester, field_label, value_of

TITLE_FROM_TEXT = 120


def first_line(path: Path) -> str:
    """A title for an article file that came without one: its first non-blank line."""
    text = archive.read_article_file(path)
    for line in text.splitlines():
        if line.strip():
            line = " ".join(line.split())
            return line if len(line) <= TITLE_FROM_TEXT else line[: TITLE_FROM_TEXT - 1] + "…"
    return path.stem


class ImportArticleModal(FormModal):
    TITLE_TEXT = "Import an article"
    SUBMIT_LABEL = "Import"

    def compose_fields(self) -> ComposeResult:
        yield field_label("Text file", "UTF-8 plain text; → or enter completes the path")
        yield Input(id="file", placeholder="articles/summit.txt", suggester=PathSuggester())
        yield field_label("Title", "left empty: the file's first line")
        yield Input(id="title")
        with Horizontal(classes="field-row"):
            with Vertical():
                yield field_label("Outlet")
                yield Input(id="outlet")
            with Vertical():
                yield field_label("Published", "19 juin 2024 …")
                yield Input(id="published")
            with Vertical(classes="narrow"):
                yield field_label("Language")
                yield Select([("French", "fr"), ("English", "en")], prompt="unknown", id="lang")
        yield field_label("Author")
        yield Input(id="author")

    def on_mount(self) -> None:
        self.query_one("#file", Input).focus()

    ASKED = ("file", "title", "outlet", "published", "author")

    @on(Input.Submitted)
    def _enter(self, event: Input.Submitted) -> None:
        """Enter goes on to the next thing the document does not say (its title comes from its first
        line); on the last field, or when nothing is left to ask, it imports. ctrl+s imports at once."""
        suggestion = getattr(event.input, "_suggestion", "")
        if event.input.id == "file" and suggestion and suggestion != event.input.value:
            event.input.action_cursor_right()  # accept the completion first
            return
        if event.input.id == "file":
            self._read_title()
        after = self.ASKED[self.ASKED.index(event.input.id) + 1:] if event.input.id in self.ASKED else ()
        for name in after:
            field = self.query_one(f"#{name}", Input)
            if not field.value.strip():
                field.focus()
                return
        self.action_submit()

    def _read_title(self) -> None:
        """The title the document carries (its first line), proposed in the Title field."""
        file = value_of(self.query_one("#file", Input))
        title = self.query_one("#title", Input)
        if not file or title.value.strip():
            return
        path = Path(file).expanduser()
        try:
            if path.is_file():
                title.value = first_line(path)
        except Exception:  # noqa: BLE001 - unreadable: the import itself will say why
            pass

    def prepare(self) -> Callable[[], Any]:
        file = value_of(self.query_one("#file", Input))
        if not file:
            self.query_one("#file", Input).focus()
            raise FormError("give the path of the article's text file")
        path = Path(file).expanduser()
        title = value_of(self.query_one("#title", Input))
        outlet = value_of(self.query_one("#outlet", Input))
        author = value_of(self.query_one("#author", Input))
        published = value_of(self.query_one("#published", Input))
        lang = self.query_one("#lang", Select).value
        lang = lang if isinstance(lang, str) else None
        ledger = self.ledger

        def job() -> int:
            return ledger.add_article(title=title or first_line(path), file=path, outlet=outlet, author=author,
                                      published=published, lang=lang)

        return job
