"""The reader: an article's text with every claim highlighted in its status colour, the claim
inspector beside it, and the actions of a fact-checker's day — record a claim from a selected
passage, link a passage to a claim already recorded, cite evidence, set a status."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Footer, OptionList, Static, TextArea
from textual.widgets.option_list import Option

from ledger.models import AppearanceRow, ArticleView, ClaimDetail
from ledger.text.anchoring import find_all
from ledger.text.sentences import SentenceIndex
from ledger.text.worth import next_uncovered, uncovered
from ledger.tui.widgets.header import LedgerHeader
from ledger.tui.screens.base import LedgerScreen
from ledger.tui.screens.claim_forms import LinkClaimModal, RecordClaimModal, occurrence_of
from ledger.tui.screens.cite import CiteModal
from ledger.tui.screens.corrections import ConfirmClaimModal, EditClaimModal, RetractCitationModal
from ledger.tui.screens.status import StatusModal
from ledger.tui.text import one_line, palette, plain, tally_bar
from ledger.tui.widgets.article_text import ArticleText, Mark
from ledger.tui.widgets.cursor_line import CursorOptionList
from ledger.tui.widgets.inspector import ClaimInspector
from ledger.tui.widgets.suggestions import SuggestionActions
from ledger.tui.workers import run_ledger

SELECT_HINT = "Select a passage first: space selects the sentence (again: the next one too), or shift+arrows, or drag with the mouse."


class ReaderScreen(SuggestionActions):
    """One article, read claim by claim."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", tooltip="Clear the selection, leave the pane, then the article"),
        Binding("space", "sentence", "Sentence", tooltip="Select the sentence at the cursor (again: add the next)"),
        Binding("w", "worth", "To check", tooltip="Next sentence worth checking that no claim covers"),
        Binding("n", "next_claim", "Next", tooltip="Next claim"),
        Binding("p", "previous_claim", "Prev", tooltip="Previous claim"),
        Binding("c", "record", "Record", tooltip="Record a claim from the selected passage"),
        Binding("l", "link", "Link", tooltip="Link the selected passage to an existing claim"),
        Binding("s", "status", "Status", tooltip="Set the claim's status"),
        Binding("e", "cite", "Cite", tooltip="Cite evidence for the claim"),
        Binding("E", "edit_claim", "Edit", show=False, tooltip="Correct the claim's text, kind, claimant, date"),
        Binding("R", "retract", "Retract", show=False, tooltip="Retract a citation of the claim"),
        Binding("k", "confirm_claim", "Confirm", show=False,
                tooltip="Confirm the verdict still holds for the reworded passage"),
        Binding("u", "audit", "Audit", tooltip="Audit this article"),
        Binding("x", "export", "Export", tooltip="Export this article's report"),
        Binding("o", "orphans", "Orphans", show=False, tooltip="Relink the orphaned appearances"),
        Binding("i", "inspector", "Inspector", show=False, tooltip="Scroll the claim inspector"),
    ]

    def __init__(self, article_id: int, *, claim_id: int | None = None, appearance_id: int | None = None,
                 passage: str | None = None) -> None:
        """Open on a claim (or one appearance of it), or with a passage of the text selected."""
        super().__init__()
        self._passage = passage
        self.article_id = article_id
        self.view: ArticleView | None = None
        self.marks: list[Mark] = []
        self.mark_rows: list[AppearanceRow] = []
        self.current: int | None = None
        self.details: dict[int, ClaimDetail] = {}
        self._focus_claim = claim_id
        self._focus_appearance = appearance_id
        self._loading = False

    def compose(self) -> ComposeResult:
        yield LedgerHeader()
        with Horizontal(id="reader"):
            with Vertical(id="reading"):
                yield Static(id="article-meta")
                yield ArticleText(id="article-text")
                yield CursorOptionList(id="orphans", markup=False)
            yield ClaimInspector(id="inspector")
        yield Footer()

    @property
    def ready(self) -> bool:
        """Keys typed while the article loads wait for it (space selects a sentence of it)."""
        if self.view is None or self._loading:
            return False
        return self.current is None or not self.mark_rows or self.current_detail is not None

    def on_mount(self) -> None:
        self.query_one("#orphans", OptionList).display = False
        self.query_one(ClaimInspector).show_claim(self.ledger.vocabulary, None, hint="Loading…")
        self.query_one(ArticleText).focus()
        self.reload()

    # ------------------------------------------------------------------ data
    def reload(self) -> None:
        """Re-read the article and its claims (after a change here, in the CLI, by a colleague)."""
        self.details.clear()
        self._loading = True
        ledger, article_id = self.ledger, self.article_id

        def failed(message: str) -> None:
            self._loading = False
            self.app.tell(message, severity="error")

        run_ledger(self, lambda: ledger.article_view(article_id), self._apply, group="article", refused=failed)

    def _apply(self, view: ArticleView) -> None:
        self._loading = False
        previous = self.view
        keep = self.mark_rows[self.current].id if self.current is not None and self.mark_rows else None
        self.view = view
        vocabulary = self.ledger.vocabulary
        rows = [a for a in view.appearances if not a.orphaned]
        self.mark_rows = rows
        self.marks = [Mark(a.start, a.end, vocabulary.category(view.claims[a.claim_id].status)) for a in rows]
        self._show_meta(view)
        orphans = [a for a in view.appearances if a.orphaned]
        self._show_orphans(orphans)
        orphan_ids = [a.id for a in orphans]
        if self._focus_appearance in orphan_ids:
            listing = self.query_one("#orphans", OptionList)
            listing.highlighted = orphan_ids.index(self._focus_appearance)
            listing.focus()

        text = self.query_one(ArticleText)
        target = self._target_index(keep)
        if target is None and previous is None and self.mark_rows:
            target = 0  # opening the article: the first claim is in the inspector straight away
        if previous is None or previous.article.content_hash != view.article.content_hash:
            cursor = text.cursor_offset if previous is not None else 0
            text.show(view.body, self.marks, current=target)
            if target is None:
                text.place_cursor(cursor)
        else:
            text.set_marks(self.marks, current=target)
        if target is not None and (self._focus_claim or self._focus_appearance or previous is None):
            text.place_cursor(self.marks[target].start)  # on the claim asked for, or the first one
        self._focus_claim = self._focus_appearance = None
        self.current = target
        self.load_suggestions()
        if self._passage:
            passage, self._passage = self._passage, None
            self.select_passage(passage)
        if target is None:
            hint = ("No claim recorded in this article yet. " + SELECT_HINT + " Then press c to record it."
                    if not rows else "Press n for the first claim, or move the cursor onto a highlighted passage.")
            self.query_one(ClaimInspector).show_claim(vocabulary, None, hint=hint)
        else:
            self._inspect(self.mark_rows[target].claim_id)
        self._bindings_may_change()

    def rerender(self) -> None:
        """Redraw what carries the theme's colours (after a theme change)."""
        if self.view is None:
            return
        self._show_meta(self.view)
        self._show_orphans([a for a in self.view.appearances if a.orphaned])
        self.query_one(ClaimInspector).rerender()
        self.query_one(ArticleText).refresh()

    def _target_index(self, keep_appearance: int | None) -> int | None:
        if not self.mark_rows:
            return None
        for wanted, attr in ((self._focus_appearance, "id"), (self._focus_claim, "claim_id"),
                             (keep_appearance, "id")):
            if wanted is not None:
                for i, a in enumerate(self.mark_rows):
                    if getattr(a, attr) == wanted:
                        return i
        return None

    def _show_meta(self, view: ArticleView) -> None:
        a = view.article
        pal = palette(self.app)
        meta = Text(end="")
        meta.append_text(plain(a.title, style="bold"))
        meta.append("\n")
        bits = [x for x in (a.outlet, a.author) if x]
        for i, bit in enumerate(bits):
            if i:
                meta.append(" · ", style=pal.muted)
            meta.append_text(plain(bit, width=50))
        details = [a.published.isoformat() if a.published else "undated", a.lang or "", a.state.replace("_", " "),
                   f"revision {a.revision}", f"#{a.id}"]
        meta.append(("  " if bits else "") + " · ".join(d for d in details if d), style=pal.muted)
        meta.append("\n")
        meta.append_text(tally_bar(self.app, self.ledger.vocabulary, a.status_counts, width=24))
        meta.append(f"  {a.claim_count} claim(s)", style=pal.muted)
        self.query_one("#article-meta", Static).update(meta)
        self.sub_title = one_line(f"#{a.id} {a.title}", 60)

    def _show_orphans(self, orphans: list[AppearanceRow]) -> None:
        options = self.query_one("#orphans", OptionList)
        options.clear_options()
        options.display = bool(orphans)
        if not orphans:
            return
        pal = palette(self.app)
        options.border_title = f"Orphaned appearances ({len(orphans)}) — the text changed; relink them"
        for a in orphans:
            prompt = Text(end="")
            prompt.append(f"claim #{a.claim_id}  ", style=pal.category_text("fail"))
            prompt.append("“")
            prompt.append_text(plain(a.quote, width=90))
            prompt.append("”")
            options.add_option(Option(prompt, id=str(a.id)))
        options.highlighted = 0

    # --------------------------------------------------------------- claims
    def _inspect(self, claim_id: int) -> None:
        inspector = self.query_one(ClaimInspector)
        cached = self.details.get(claim_id)
        if cached is not None:
            inspector.show_claim(self.ledger.vocabulary, cached, article_id=self.article_id)
            return
        ledger = self.ledger
        run_ledger(self, lambda: ledger.claim(claim_id), self._inspected, group="inspector")

    def _inspected(self, detail: ClaimDetail) -> None:
        self.details[detail.claim.id] = detail
        if self.current is not None and self.mark_rows and self.mark_rows[self.current].claim_id == detail.claim.id:
            self.query_one(ClaimInspector).show_claim(self.ledger.vocabulary, detail, article_id=self.article_id)
            self._bindings_may_change()

    def _mark_at(self, offset: int) -> int | None:
        best = None
        for i, m in enumerate(self.marks):
            if m.start <= offset < m.end or (offset == m.end and m.end > m.start and best is None):
                if best is None or (m.end - m.start) < (self.marks[best].end - self.marks[best].start):
                    best = i
        return best

    def set_current(self, index: int, *, move: bool) -> None:
        self.current = index
        text = self.query_one(ArticleText)
        text.set_current(index)
        if move:
            text.place_cursor(self.marks[index].start)
        self._inspect(self.mark_rows[index].claim_id)
        self._bindings_may_change()

    @on(TextArea.SelectionChanged, "#article-text")
    def _cursor_moved(self, event: TextArea.SelectionChanged) -> None:
        if not self.marks:
            return
        text = self.query_one(ArticleText)
        offset = text.cursor_offset
        if self.current is not None and self.current < len(self.marks) and \
                self.marks[self.current].start <= offset <= self.marks[self.current].end:
            return  # still on the claim in view (overlapping claims: the one chosen stays)
        index = self._mark_at(offset)
        if index is not None and index != self.current:
            self.set_current(index, move=False)

    @property
    def current_detail(self) -> ClaimDetail | None:
        if self.current is None or not self.mark_rows:
            return None
        return self.details.get(self.mark_rows[self.current].claim_id)

    # --------------------------------------------------------------- actions
    def _bindings_may_change(self) -> None:
        """Redraw the footer only when an action's availability changed (it is rebuilt each time)."""
        state = (self.current_detail is not None, bool(self.marks), self.query_one("#orphans", OptionList).display)
        if state != getattr(self, "_binding_state", None):
            self._binding_state = state
            self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # status and cite stay live without a claim under the cursor: the key says to move to one
        if action in ("next_claim", "previous_claim"):
            return True if self.marks else None
        if action == "orphans":
            return self.query_one("#orphans", OptionList).display
        return True

    def action_back(self) -> None:
        """Escape, calmly: the selection goes first, then the pane (inspector, orphans), then the article."""
        text = self.query_one(ArticleText)
        if text.selection.start != text.selection.end:
            text.place_cursor(text.cursor_offset)
            return
        if self.focused is not text:
            text.focus()
            return
        self.dismiss()

    # ------------------------------------------------------------ sentences
    def _sentences(self) -> SentenceIndex:
        body = self.query_one(ArticleText).body
        index = getattr(self, "_sentence_index", None)
        if index is None or index.text != body:
            index = self._sentence_index = SentenceIndex(body)
        return index

    def action_sentence(self) -> None:
        """Select the sentence under the cursor; pressed again, carry the selection over the next one."""
        text = self.query_one(ArticleText)
        a, b = sorted((text.offset(text.selection.start), text.offset(text.selection.end)))
        start, end = self._sentences().extend(a, b)
        if (start, end) != (a, b):
            text.select_span(start, end)

    def action_worth(self) -> None:
        """Select the next sentence with figures, a date or a quotation that no claim covers yet."""
        if self.view is None:
            return
        text = self.query_one(ArticleText)
        covered = [(a.start, a.end) for a in self.mark_rows if text.body[a.start:a.end] == a.quote]
        found = uncovered(self._sentences().sentences, covered)
        a, b = sorted((text.offset(text.selection.start), text.offset(text.selection.end)))
        worth = next_uncovered(found, a, here=a == b)
        if worth is None:
            self.notify("Every sentence with figures, dates or quotations is covered by a claim.")
            return
        text.select_span(worth.sentence.start, worth.sentence.end)
        text.focus()

    def action_next_claim(self) -> None:
        self._step(1)

    def action_previous_claim(self) -> None:
        self._step(-1)

    def _step(self, direction: int) -> None:
        if not self.marks:
            self.notify("No claim in this article yet.", severity="warning")
            return
        offset = self.query_one(ArticleText).cursor_offset
        order = sorted(range(len(self.marks)), key=lambda i: (self.marks[i].start, i))
        if direction > 0:
            after = [i for i in order if self.marks[i].start > offset]
            index = after[0] if after else order[0]
        else:
            before = [i for i in order if self.marks[i].start < offset]
            if self.current is not None and self.marks[self.current].start < offset <= self.marks[self.current].end:
                before = [i for i in before if self.marks[i].start < self.marks[self.current].start]
            index = before[-1] if before else order[-1]
        self.set_current(index, move=True)

    def _selected(self) -> tuple[int, int] | None:
        text = self.query_one(ArticleText)
        span = text.selected_span
        if span is None:
            self.notify(SELECT_HINT, severity="warning", title="No passage selected")
        return span

    def action_record(self) -> None:
        span = self._selected()
        if span is None or self.view is None:
            return
        context = self._sentences().around(*span)

        def recorded(claim_id: int | None) -> None:
            if claim_id is not None:
                self.notify(f"Recorded claim #{claim_id}. Press e to cite evidence for it.", title="Recorded")
            self._changed(claim_id)

        self.app.push_screen(RecordClaimModal(self.ledger, self.article_id, self.view.body, span,
                                              context=self.view.body[context[0]:context[1]]), recorded)

    def action_link(self) -> None:
        span = self._selected()
        if span is None or self.view is None:
            return
        self.app.push_screen(LinkClaimModal(self.ledger, self.article_id, self.view.body, span), self._changed)

    def action_status(self) -> None:
        detail = self.current_detail
        if detail is None:
            self.notify("Move to a claim first (n / p).", severity="warning")
            return
        def changed(row) -> None:  # noqa: ANN001 - ClaimRow
            if row is not None:
                self.notify(f"Claim #{row.id} is now {row.status}.", title="Status")
                self._changed(row.id)

        self.app.push_screen(StatusModal(self.ledger, detail.claim), changed)

    def action_cite(self) -> None:
        detail = self.current_detail
        if detail is None:
            self.notify("Move to a claim first (n / p).", severity="warning")
            return
        claim_id = detail.claim.id

        def cited(result) -> None:  # noqa: ANN001 - the citation's id
            if result is not None:
                self.notify(f"Cited for claim #{claim_id}.", title="Cited")
                self._changed(claim_id)

        self.app.push_screen(CiteModal(self.ledger, detail.claim, detail.citations), cited)

    def _claim_for(self, what: str) -> ClaimDetail | None:
        detail = self.current_detail
        if detail is None:
            self.notify(f"Move to a claim first (n / p) to {what}.", severity="warning")
        return detail

    def action_edit_claim(self) -> None:
        detail = self._claim_for("correct it")
        if detail is None:
            return

        def edited(row) -> None:  # noqa: ANN001 - ClaimRow
            if row is not None:
                self.notify(f"Claim #{row.id} corrected; the history keeps what it said.", title="Corrected")
                self._changed(row.id)

        self.app.push_screen(EditClaimModal(self.ledger, detail), edited)

    def action_retract(self) -> None:
        detail = self._claim_for("retract one of its citations")
        if detail is None:
            return
        if not any(not c.retracted for c in detail.citations):
            self.notify("This claim has no citation to retract.", severity="warning")
            return
        claim_id = detail.claim.id

        def retracted(result) -> None:  # noqa: ANN001 - Retraction
            if result is not None:
                again = f"; the claim lost its last evidence and is {result.status} again" if result.reopened else ""
                self.notify(f"Citation #{result.citation_id} retracted{again}.", title="Retracted")
                self._changed(claim_id)

        self.app.push_screen(RetractCitationModal(self.ledger, detail), retracted)

    def action_confirm_claim(self) -> None:
        detail = self._claim_for("confirm its verdict")
        if detail is None:
            return
        if not any(a.needs_confirm for a in detail.appearances):
            self.notify("Nothing to confirm: no passage of this claim was reworded since its verdict.")
            return

        def confirmed(row) -> None:  # noqa: ANN001 - ClaimRow
            if row is not None:
                self.notify(f"Claim #{row.id}: the verdict holds for the new wording.", title="Confirmed")
                self._changed(row.id)

        self.app.push_screen(ConfirmClaimModal(self.ledger, detail), confirmed)

    def _changed(self, claim_id: int | None) -> None:
        """A dialog saved something: re-read, staying on (or moving to) the claim it concerned."""
        if claim_id is None:
            return
        self._focus_claim = claim_id
        self.reload()

    def focus_claim(self, *, claim_id: int | None = None, appearance_id: int | None = None) -> None:
        """Bring a claim (or one of its appearances) under the cursor, re-reading if it is new here."""
        orphans = [a.id for a in (self.view.appearances if self.view else []) if a.orphaned]
        if appearance_id in orphans:
            listing = self.query_one("#orphans", OptionList)
            listing.highlighted = orphans.index(appearance_id)
            listing.focus()
            return
        for i, a in enumerate(self.mark_rows):
            if a.id == appearance_id or (appearance_id is None and a.claim_id == claim_id):
                self.set_current(i, move=True)
                self.query_one(ArticleText).focus()
                return
        self._focus_claim, self._focus_appearance = claim_id, appearance_id
        self.reload()

    def select_passage(self, passage: str) -> None:
        """Select a passage of the text (an audit finding about a sentence no claim covers yet)."""
        text = self.query_one(ArticleText)
        spans = find_all(text.body, passage)
        if spans:
            text.select_span(*spans[0])
            text.focus()
            self.notify("Passage selected: press c to record the claim it makes.")

    def action_orphans(self) -> None:
        orphans = self.query_one("#orphans", OptionList)
        if orphans.display:
            orphans.focus()

    def action_inspector(self) -> None:
        self.query_one(ClaimInspector).focus()

    @on(OptionList.OptionSelected, "#orphans")
    def _relink_orphan(self, event: OptionList.OptionSelected) -> None:
        appearance_id = int(event.option.id or 0)
        orphan = next((a for a in (self.view.appearances if self.view else []) if a.id == appearance_id), None)
        if orphan is None:
            return
        text = self.query_one(ArticleText)
        span = text.selected_span
        if span is None:
            self.query_one(ArticleText).focus()
            self.notify("Select the passage where the claim now stands, then choose the orphan again "
                        "(o, enter).", title=f"Relink claim #{orphan.claim_id}")
            return
        ledger, article_id = self.ledger, self.article_id
        quote = text.body[span[0]:span[1]]
        occurrence = occurrence_of(text.body, *span)

        def relink() -> None:
            ledger.relink_appearance(appearance_id=appearance_id, quote=quote, occurrence=occurrence)

        run_ledger(self, relink, lambda _: self._changed(orphan.claim_id), group="relink",
                   refused=lambda message: self.app.tell(message, severity="error", title="Refused"))

    def action_audit(self) -> None:
        from ledger.tui.screens.audit import AuditScreen

        # back from the audit, the article may have moved on (or a finding been settled): re-read
        self.app.push_screen(AuditScreen(self.article_id), lambda _: self.reload())

    def action_export(self) -> None:
        from ledger.tui.screens.export import ExportScreen

        self.app.push_screen(ExportScreen(self.article_id))
