"""Citing evidence for a claim: pick a source already in the ledger or add one (a file archived
into ``sources/`` or a URL), then the stance, the exact excerpt and where it stands (locator).

The ledger checks the excerpt against the archived file and refuses one that is not there; a new
source and its citation are written together, so a refusal leaves neither behind.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable, ClassVar, Sequence

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, OptionList, Select, Static, TabbedContent, TabPane, TextArea
from textual.widgets.option_list import Option

from ledger.models import RELIABILITY_GRADES, SOURCE_KINDS, STANCES, CitationRow, ClaimRow, SourceRow
from ledger.tui.text import palette, plain
from ledger.tui.widgets.cursor_line import CursorOptionList
from ledger.tui.widgets.forms import FormError, FormModal, PathSuggester, field_label, value_of
from ledger.tui.workers import Debounce, run_ledger

SOURCES_SHOWN = 50


def source_prompt(app: Any, s: SourceRow) -> Text:
    muted = palette(app).muted
    prompt = Text(end="")
    prompt.append(f"#{s.id:<5} ", style=muted)
    prompt.append_text(plain(s.title, width=70))
    if s.publisher:
        prompt.append(" — ", style=muted)
        prompt.append_text(plain(s.publisher, width=30, style=muted))
    prompt.append(f"  {s.kind}", style=muted)
    if s.reliability:
        prompt.append(f" {s.reliability}", style=muted)
    if not s.file_name:
        prompt.append("  (URL only)", style=muted)
    return prompt


def source_fields() -> ComposeResult:
    """The fields describing a new source (shared by the cite dialog and the sources screen)."""
    yield field_label("Title")
    yield Input(id="new-title")
    yield field_label("File", "archived into sources/ under its SHA-256; → completes the path")
    yield Input(id="new-file", placeholder="path/to/transcript.txt", suggester=PathSuggester())
    yield field_label("or URL")
    yield Input(id="new-url", placeholder="https://…")
    with Horizontal(classes="field-row"):
        with Vertical():
            yield field_label("Kind")
            yield Select([(k, k) for k in SOURCE_KINDS], value="document", allow_blank=False, id="new-kind")
        with Vertical():
            yield field_label("Reliability", "Admiralty A–F")
            yield Select([(g, g) for g in RELIABILITY_GRADES], prompt="not graded", id="new-reliability")
    with Horizontal(classes="field-row"):
        with Vertical():
            yield field_label("Publisher")
            yield Input(id="new-publisher")
        with Vertical(classes="narrow"):
            yield field_label("Published")
            yield Input(id="new-published", placeholder="2024-06-18")


def read_source_fields(form: FormModal) -> dict[str, Any]:
    """The new-source fields as keyword arguments of ``Ledger.add_source``."""
    title = value_of(form.query_one("#new-title", Input))
    file = value_of(form.query_one("#new-file", Input))
    url = value_of(form.query_one("#new-url", Input))
    grade = form.query_one("#new-reliability", Select).value
    if not title:
        form.query_one("#new-title", Input).focus()
        raise FormError("a new source needs a title")
    if not file and not url:
        form.query_one("#new-file", Input).focus()
        raise FormError("a new source needs a file to archive or a URL")
    return dict(title=title, file=Path(file).expanduser() if file else None, url=url,
                kind=str(form.query_one("#new-kind", Select).value),
                reliability=grade if isinstance(grade, str) else None,
                publisher=value_of(form.query_one("#new-publisher", Input)),
                published=value_of(form.query_one("#new-published", Input)))


class CiteModal(FormModal):
    TITLE_TEXT = "Cite evidence for the claim"
    SUBMIT_LABEL = "Cite"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+n", "new_source", "New source"),
    ]

    def __init__(self, ledger: Any, claim: ClaimRow, citations: Sequence[CitationRow] = ()) -> None:
        """``citations``: what the claim already cites, so the same citation is not added twice."""
        super().__init__(ledger)
        self.claim = claim
        self.citations = list(citations)
        self._find_later = Debounce(self, 0.2, self.find_sources)

    def compose_fields(self) -> ComposeResult:
        yield field_label(f"Claim #{self.claim.id}")
        yield Static(plain(self.claim.text, width=300), classes="quote")
        with TabbedContent(id="source-tabs", initial="existing"):
            with TabPane("Existing source", id="existing"):
                yield Input(id="source-query", placeholder="Filter sources by title or publisher")
                yield CursorOptionList(id="sources", markup=False)
            with TabPane("New source", id="new"):
                yield from source_fields()
        with Horizontal(classes="field-row"):
            with Vertical(classes="narrow"):
                yield field_label("Stance")
                yield Select([(s, s) for s in STANCES], value="supports", allow_blank=False, id="stance")
            with Vertical():
                yield field_label("Locator", "page, paragraph, timestamp")
                yield Input(id="locator", placeholder="p. 3, §2, 00:14:05 …")
        yield field_label("Excerpt", "the exact words in the source")
        yield TextArea(id="excerpt", soft_wrap=True, tab_behavior="focus")

    def on_mount(self) -> None:
        self.query_one("#source-query", Input).focus()
        self.find_sources()

    def action_new_source(self) -> None:
        self.query_one("#source-tabs", TabbedContent).active = "new"
        self.query_one("#new-title", Input).focus()

    @on(Input.Changed, "#source-query")
    def _typed(self) -> None:
        self._find_later()

    @on(Input.Submitted, "#source-query")
    def _query_enter(self) -> None:
        self.query_one("#sources", OptionList).focus()

    @on(OptionList.OptionSelected, "#sources")
    def _source_chosen(self) -> None:
        self.query_one("#stance", Select).focus()

    @on(Input.Submitted, "#locator")
    def _locator_enter(self) -> None:
        self.action_submit()

    def find_sources(self) -> None:
        text = self.query_one("#source-query", Input).value.strip() or None
        ledger = self.ledger

        run_ledger(self, lambda: ledger.list_sources(limit=SOURCES_SHOWN, text=text),
                   lambda rows: self._show_sources(text, rows), group="sources")

    def _show_sources(self, text: str | None, rows: list[SourceRow]) -> None:
        if text != (self.query_one("#source-query", Input).value.strip() or None):
            return
        options = self.query_one("#sources", OptionList)
        options.clear_options()
        for s in rows:
            options.add_option(Option(source_prompt(self.app, s), id=str(s.id)))
        # nothing is highlighted until the editor moves onto a source: a citation is never
        # saved from whichever row happened to come first
        options.highlighted = None
        if not rows:
            if text is None:  # no source in the ledger yet: straight to adding one
                self.action_new_source()
            options.add_option(Option(Text("No source matches — add one under “New source” (ctrl+n).",
                                           style=palette(self.app).muted), disabled=True))

    def prepare(self) -> Callable[[], Any]:
        stance = str(self.query_one("#stance", Select).value)
        excerpt = self.query_one("#excerpt", TextArea).text.strip() or None
        locator = value_of(self.query_one("#locator", Input))
        ledger, claim_id = self.ledger, self.claim.id
        if self.query_one("#source-tabs", TabbedContent).active == "new":
            fields = read_source_fields(self)
            return lambda: ledger.add_source_and_cite(claim_id=claim_id, stance=stance, excerpt=excerpt,
                                                      locator=locator, **fields)
        options = self.query_one("#sources", OptionList)
        option = (options.get_option_at_index(options.highlighted)
                  if options.highlighted is not None and options.option_count else None)
        if option is None or option.id is None:
            options.focus()
            raise FormError("pick a source (↓ then enter, or click it), or add one under “New source” (ctrl+n)")
        source_id = int(option.id)
        for c in self.citations:
            if (c.source_id, c.stance, (c.excerpt or "").strip() or None) == (source_id, stance, excerpt):
                raise FormError(f"the claim already cites source #{source_id} as {stance} with this excerpt")
        return lambda: ledger.cite(claim_id=claim_id, source_id=source_id, stance=stance, excerpt=excerpt,
                                   locator=locator)
