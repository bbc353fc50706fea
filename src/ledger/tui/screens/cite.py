"""Citing evidence for a claim by selecting, not typing: pick a source already in the ledger
(type to filter, enter) or add one (type a file path or a URL, enter); the source's archived text
then opens in a reading pane where the excerpt is found (``/`` and a few words) and selected as in
the reader (space: the sentence, again: the next one; shift+arrows; the mouse). One key gives the
stance (s supports, r refutes, c context), the locator is proposed from the selection (page,
paragraph), enter saves. Nothing saves before the source's text has been offered.

The ledger checks the excerpt against the archived file and refuses one that is not there.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable, ClassVar, Sequence

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Footer, Input, OptionList, Select, Static
from textual.widgets.option_list import Option

from ledger.models import RELIABILITY_GRADES, SOURCE_KINDS, CitationRow, ClaimRow, SourceRow
from ledger.text.locating import find_words, locator_at
from ledger.text.sentences import SentenceIndex
from ledger.tui.text import one_line, palette, plain
from ledger.tui.widgets.article_text import ArticleText
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


def looks_like_url(text: str) -> bool:
    return text.startswith(("http://", "https://"))


def as_file(text: str) -> Path | None:
    """``text`` as the path of an existing file (``~`` expanded), or None."""
    if not text or "\n" in text:
        return None
    try:
        path = Path(text).expanduser()
        return path if path.is_file() else None
    except (OSError, ValueError):
        return None


def title_of_file(path: Path) -> str:
    """A title for a file added as a source: its first non-blank line, else its name."""
    try:
        with path.open(encoding="utf-8", errors="replace") as f:
            for _ in range(40):
                line = f.readline()
                if not line:
                    break
                line = " ".join(line.split())
                if line and not line.startswith(("<", "%PDF")):
                    return line if len(line) <= 120 else line[:119] + "…"
    except OSError:
        pass
    return path.name


STANCE_KEYS = {"s": "supports", "r": "refutes", "c": "context"}


class SourceText(ArticleText):
    """The source's archived text in the cite dialog: s / r / c give the stance there."""


class CiteModal(FormModal):
    TITLE_TEXT = "Cite evidence for the claim"
    SUBMIT_LABEL = "Cite"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+n", "new_source", "New source", show=False),
    ]

    def __init__(self, ledger: Any, claim: ClaimRow, citations: Sequence[CitationRow] = ()) -> None:
        """``citations``: what the claim already cites, so the same citation is not added twice."""
        super().__init__(ledger)
        self.claim = claim
        self.citations = list(citations)
        self._find_later = Debounce(self, 0.2, self.find_sources)
        self.source: SourceRow | None = None
        self.source_text: str | None = None
        self.stance = "supports"
        self._shown_for: str | None = None
        self._rows: list[SourceRow] = []
        self._enter_pending = False
        self._sentences: SentenceIndex | None = None
        self._proposed_locator = ""

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog cite-dialog"):
            yield Static(Text(self.TITLE_TEXT, style="bold"), classes="dialog-title")
            yield Static(plain(f"#{self.claim.id}  {self.claim.text}", width=300), classes="quote")
            with Vertical(id="pick-source"):
                yield field_label("Source", "type to filter, enter picks · or a file path / URL, enter adds it")
                yield Input(id="source-query", placeholder="title, publisher · ~/evidence/report.txt · https://…",
                            select_on_focus=False,
                            suggester=PathSuggester())
                yield CursorOptionList(id="sources", markup=False)
            with Vertical(id="excerpt-pane"):
                yield Static(id="source-head")
                yield SourceText(id="source-text")
                yield Input(id="find", placeholder="words of the excerpt, enter finds them (again: the next)",
                            select_on_focus=False)
                with Horizontal(classes="field-row"):
                    yield Static(id="stance-line")
                    yield field_label("Locator")
                    yield Input(id="locator", placeholder="p. 3, ¶ 2, 00:14:05 …")
            with Vertical(classes="dialog-foot"):
                yield Static("", classes="form-error")
                yield Static(id="cite-hint", classes="dialog-hint")
                with Horizontal(classes="dialog-buttons"):
                    yield Button(self.SUBMIT_LABEL, variant="primary", id="submit")
                    yield Button("Cancel", id="cancel")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#excerpt-pane").display = False
        self.query_one("#find").display = False
        self.query_one("#source-query", Input).focus()
        self._hint("Pick the source first.")
        self.find_sources()

    def rerender(self) -> None:
        """Redraw in the theme's colours (after a theme change)."""
        if self.source is not None:
            self.set_stance(self.stance)
        elif self._shown_for is not None or self._rows:
            self._show_sources(self._shown_for, self._rows)

    def has_unsaved(self) -> bool:
        return self.source is not None or bool(self.query_one("#source-query", Input).value.strip())

    def _hint(self, message: str) -> None:
        self.query_one("#cite-hint", Static).update(Text(message, end=""))

    # ---------------------------------------------------------- the source
    def action_new_source(self) -> None:
        self.query_one("#source-query", Input).focus()
        self._hint("Type the path of a file or a URL, then enter, to add it as a new source.")

    @on(Input.Changed, "#source-query")
    def _typed(self) -> None:
        self._find_later()

    @on(Input.Submitted, "#source-query")
    def _query_enter(self) -> None:
        query = self.query_one("#source-query", Input)
        value = query.value.strip()
        suggestion = getattr(query, "_suggestion", "")
        if suggestion and suggestion != query.value and as_file(value) is None:
            query.action_cursor_right()  # accept the path completion first
            return
        if as_file(value) is not None or looks_like_url(value):
            self.add_source(value)
            return
        if self._shown_for == (value or None) and self._rows:
            options = self.query_one("#sources", OptionList)
            index = options.highlighted if options.highlighted is not None else 0
            self.pick(self._rows[index])
            return
        self._enter_pending = True  # the list for these words is on its way: enter picks its first
        self.ready = False
        self.find_sources()

    @on(OptionList.OptionSelected, "#sources")
    def _source_chosen(self, event: OptionList.OptionSelected) -> None:
        if event.option.id is None:
            return
        chosen = next((r for r in self._rows if str(r.id) == event.option.id), None)
        if chosen is not None:
            self.pick(chosen)

    def on_key(self, event) -> None:  # noqa: ANN001 - events.Key
        focused = self.focused
        if isinstance(focused, Input) and focused.id == "source-query" and event.key in ("down", "up"):
            options = self.query_one("#sources", OptionList)
            if options.option_count:
                event.stop()
                options.focus()
                if options.highlighted is None:
                    options.highlighted = 0
            return
        if isinstance(focused, SourceText):
            if event.character in STANCE_KEYS:
                event.stop()
                self.set_stance(STANCE_KEYS[event.character])
            elif event.character == "/":
                event.stop()
                self.action_find()
            elif event.key == "space":
                event.stop()
                self.action_sentence()
            elif event.key == "enter":
                event.stop()
                self.action_submit()

    def find_sources(self) -> None:
        text = self.query_one("#source-query", Input).value.strip() or None
        if text is not None and (looks_like_url(text) or as_file(text) is not None):
            self._show_sources(text, [])
            return
        ledger = self.ledger
        run_ledger(self, lambda: ledger.list_sources(limit=SOURCES_SHOWN, text=text),
                   lambda rows: self._show_sources(text, rows), group="sources")

    def _show_sources(self, text: str | None, rows: list[SourceRow]) -> None:
        if text != (self.query_one("#source-query", Input).value.strip() or None):
            return
        self._shown_for, self._rows = text, rows
        options = self.query_one("#sources", OptionList)
        options.clear_options()
        muted = palette(self.app).muted
        if text is not None and (looks_like_url(text) or as_file(text) is not None):
            what = "the page at this URL" if looks_like_url(text) else "this file"
            options.add_option(Option(Text(f"enter adds {what} as a new source", style=muted), disabled=True))
            return
        for s in rows:
            options.add_option(Option(source_prompt(self.app, s), id=str(s.id)))
        options.highlighted = 0 if rows and text is not None else None
        if not rows:
            options.add_option(Option(Text("No source matches — type a file path or a URL to add one.",
                                           style=muted), disabled=True))
        if self._enter_pending:
            self._enter_pending = False
            if rows:
                self.pick(rows[0])
            else:
                self.ready = True

    def add_source(self, value: str) -> None:
        """A new source from a file path or a URL (the page fetched and archived), then its text."""
        ledger = self.ledger
        path = as_file(value)

        def add() -> tuple[SourceRow, str | None]:
            if path is not None:
                source_id = ledger.add_source(title=title_of_file(path), file=path)
            else:
                source_id = ledger.add_source(title=value, url=value)
            source = ledger.source(source_id)
            return source, ledger.source_text(source)

        self._hint("Adding the source…")
        self.ready = False  # what is typed meanwhile goes to the source's text, once it is open
        run_ledger(self, add, lambda found: self._added(*found), group="source",
                   refused=self._not_added)

    def _not_added(self, message: str) -> None:
        self.ready = True
        self.show_error(f"Refused: {message}")

    def _added(self, source: SourceRow, text: str | None) -> None:
        self.app.tell(f"Added source #{source.id}: {source.title}", title="Source added", timeout=4)
        self._offer(source, text)

    def pick(self, source: SourceRow) -> None:
        ledger = self.ledger
        self._hint("Opening the source…")
        self.ready = False
        run_ledger(self, lambda: ledger.source_text(source), lambda text: self._offer(source, text),
                   group="source", refused=self._not_added)

    # --------------------------------------------------------- the excerpt
    def _offer(self, source: SourceRow, text: str | None) -> None:
        """The source's text in the reading pane: find and select the excerpt there."""
        self.source, self.source_text = source, text
        self.ready = True
        self.show_error("")
        self.query_one("#pick-source").display = False
        self.query_one("#excerpt-pane").display = True
        head = Text(end="")
        head.append(f"Source #{source.id}  ", style="bold")
        head.append_text(plain(source.title, width=80))
        if source.publisher:
            head.append(" — ", style=palette(self.app).muted)
            head.append_text(plain(source.publisher, width=40, style=palette(self.app).muted))
        self.query_one("#source-head", Static).update(head)
        pane = self.query_one(SourceText)
        if text:
            pane.show(text, [])
            pane.display = True
            self._sentences = SentenceIndex(text)
            self.move_focus(pane)
            self._hint("/ finds words · space selects the sentence (again: the next) · s r c stance · enter cites")
        else:
            pane.display = False
            self._sentences = None
            self.move_focus(self.query_one("#locator", Input))
            self._hint("This source has no archived text to quote: give a locator if you can, enter cites it.")
        self.set_stance(self.stance)

    def set_stance(self, stance: str) -> None:
        self.stance = stance
        pal = palette(self.app)
        line = Text("Stance ", style="bold", end="")
        for key, name in STANCE_KEYS.items():
            chosen = name == stance
            category = {"supports": "pass", "refutes": "fail"}.get(name, "open")
            line.append(f" {key} {name} ", style=pal.current[category] if chosen else pal.muted)
        self.query_one("#stance-line", Static).update(line)

    def action_find(self) -> None:
        find = self.query_one("#find", Input)
        find.display = True
        self.move_focus(find)

    @on(Input.Submitted, "#find")
    def _find_enter(self) -> None:
        words = self.query_one("#find", Input).value
        pane = self.query_one(SourceText)
        if not words.strip() or not pane.body:
            pane.focus()
            return
        a, b = sorted((pane.offset(pane.selection.start), pane.offset(pane.selection.end)))
        start_from = b if a != b else 0
        found = find_words(pane.body, words, start_from)
        if found is None:
            self.show_error(f"“{one_line(words, 60)}” is not in this source's text")
            return
        self.show_error("")
        self.query_one("#find", Input).display = False  # (/ then enter again: the next match)
        # the sentence holding the words: the excerpt as the reader selects it
        sentences = self._sentences or SentenceIndex(pane.body)
        start, end = sentences.around(*found)
        pane.select_span(start, end)
        self.move_focus(pane)

    @on(SourceText.SelectionChanged, "#source-text")
    def _selection_changed(self) -> None:
        pane = self.query_one(SourceText)
        span = pane.selected_span
        locator = self.query_one("#locator", Input)
        if span is None or locator.value not in ("", self._proposed_locator):
            return  # a locator the checker typed stays
        self._proposed_locator = locator_at(pane.body, span[0])
        locator.value = self._proposed_locator

    def action_sentence(self) -> None:
        pane = self.query_one(SourceText)
        if self._sentences is None:
            return
        a, b = sorted((pane.offset(pane.selection.start), pane.offset(pane.selection.end)))
        start, end = self._sentences.extend(a, b)
        if (start, end) != (a, b):
            pane.select_span(start, end)

    @on(Input.Submitted, "#locator")
    def _locator_enter(self) -> None:
        self.action_submit()

    def action_cancel(self) -> None:
        """Escape, calmly: the find field, then the selection, then back to the sources, then close."""
        find = self.query_one("#find", Input)
        pane = self.query_one(SourceText)
        if self.focused is find:
            find.display = False
            pane.focus()
            return
        if self.source is not None:
            if pane.selection.start != pane.selection.end:
                pane.place_cursor(pane.cursor_offset)
                return
            self.source = self.source_text = None
            self.query_one("#excerpt-pane").display = False
            self.query_one("#pick-source").display = True
            self.query_one("#locator", Input).value = ""
            self._proposed_locator = ""
            self.query_one("#source-query", Input).focus()
            self._hint("Pick the source first.")
            return
        super().action_cancel()

    def prepare(self) -> Callable[[], Any]:
        if self.source is None:
            self.query_one("#source-query", Input).focus()
            raise FormError("pick a source first: type to filter and enter, or a file path or URL and enter")
        pane = self.query_one(SourceText)
        excerpt = None
        if self.source_text:
            span = pane.selected_span
            if span is None:
                pane.focus()
                raise FormError("select the excerpt in the source: / and a few of its words, or space for the "
                                "sentence at the cursor")
            excerpt = pane.body[span[0]:span[1]]
        locator = value_of(self.query_one("#locator", Input))
        ledger, claim_id, source_id, stance = self.ledger, self.claim.id, self.source.id, self.stance
        for c in self.citations:
            if (c.source_id, c.stance, (c.excerpt or "").strip() or None) == (source_id, stance, excerpt):
                raise FormError(f"the claim already cites source #{source_id} as {stance} with this excerpt")
        return lambda: ledger.cite(claim_id=claim_id, source_id=source_id, stance=stance, excerpt=excerpt,
                                   locator=locator)
