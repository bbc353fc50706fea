"""The pre-publication audit of one article: findings grouped by severity; enter jumps to the
claim in the reader; when nothing blocks, the article's editorial state moves on from here."""

from __future__ import annotations

from typing import Any, Callable, ClassVar

from rich.style import Style
from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Footer, Input, OptionList, Static
from textual.widgets.option_list import Option

from ledger.models import ARTICLE_STATES, ArticleRow
from ledger.tui.widgets.header import LedgerHeader
from ledger.tui.guard import on_top
from ledger.tui.screens.base import LedgerScreen
from ledger.tui.text import palette, plain
from ledger.tui.widgets.cursor_line import CursorOptionList
from ledger.tui.widgets.forms import FormModal, field_label, value_of
from ledger.tui.workers import run_ledger

SEVERITY_TITLE = {"block": "Blocking", "warn": "Warnings", "info": "For information"}
SEVERITY_CATEGORY = {"block": "fail", "warn": "unresolved", "info": "open"}
BOLD = Style(bold=True)


def next_state(state: str) -> str | None:
    i = ARTICLE_STATES.index(state) if state in ARTICLE_STATES else -1
    return ARTICLE_STATES[i + 1] if 0 <= i < len(ARTICLE_STATES) - 1 else None


class StateModal(FormModal):
    TITLE_TEXT = "Move the article on"
    SUBMIT_LABEL = "Move"

    def __init__(self, ledger: Any, article: ArticleRow, state: str) -> None:
        super().__init__(ledger)
        self.article = article
        self.state = state

    def compose_fields(self) -> ComposeResult:
        yield field_label(f"Article #{self.article.id}")
        yield Static(plain(self.article.title), classes="quote")
        yield field_label("From → to")
        yield Static(f"{self.article.state.replace('_', ' ')} → {self.state.replace('_', ' ')}")
        yield field_label("Note", "optional, kept in the history")
        yield Input(id="note")

    def on_mount(self) -> None:
        self.query_one("#note", Input).focus()

    @on(Input.Submitted)
    def _enter(self) -> None:
        self.action_submit()

    def prepare(self) -> Callable[[], Any]:
        note = value_of(self.query_one("#note", Input))
        ledger, article_id, state = self.ledger, self.article.id, self.state
        return lambda: ledger.set_article_state(article_id, state, note=note)


class AuditScreen(LedgerScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back"),
        Binding("a", "advance", "Advance state", tooltip="Move the article to its next editorial state"),
    ]

    def __init__(self, article_id: int) -> None:
        super().__init__()
        self.article_id = article_id
        self.article: ArticleRow | None = None
        self.report: Any = None

    def compose(self) -> ComposeResult:
        yield LedgerHeader()
        yield Static(id="audit-summary")
        yield CursorOptionList(id="findings", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#audit-summary", Static).update(Text("Auditing…", style=palette(self.app).muted))
        self.query_one("#findings", OptionList).focus()
        self.reload()

    def reload(self) -> None:
        ledger, article_id, as_of = self.ledger, self.article_id, self.app.as_of

        def audit() -> tuple[ArticleRow, Any]:
            return ledger.article(article_id), ledger.audit(article_id, as_of=as_of)

        run_ledger(self, audit, lambda found: self._show(*found), group="audit")

    def _show(self, article: ArticleRow, report: Any, keep: int | None = None) -> None:
        self.article, self.report = article, report
        pal = palette(self.app)
        counts = report.counts()
        summary = Text(end="")
        summary.append_text(plain(article.title, style="bold"))
        summary.append(f"  #{article.id} · {article.state.replace('_', ' ')} · audited as of {report.as_of}\n",
                       style=pal.muted)
        if report.publishable:
            summary.append("✓ Nothing blocks publication", style=pal.category_text("pass") + BOLD)
        else:
            summary.append(f"✗ {counts.get('block', 0)} finding(s) block publication",
                           style=pal.category_text("fail") + BOLD)
        summary.append(f"   {counts.get('warn', 0)} warning(s) · {counts.get('info', 0)} note(s)", style=pal.muted)
        upcoming = next_state(article.state)
        if upcoming:
            can = report.publishable or upcoming != "published"
            summary.append("\na ", style="bold")
            summary.append(f"advance to {upcoming.replace('_', ' ')}" if can else
                           "publishing waits until no finding blocks", style=pal.muted)
        self.query_one("#audit-summary", Static).update(summary)
        self.sub_title = f"Audit #{article.id}"

        options = self.query_one("#findings", OptionList)
        options.clear_options()
        for severity in ("block", "warn", "info"):
            found = [f for f in report.findings if f.severity == severity]
            if not found:
                continue
            style = pal.category_text(SEVERITY_CATEGORY[severity])
            options.add_option(Option(Text(f"{SEVERITY_TITLE[severity]} ({len(found)})", style=style + BOLD),
                                      disabled=True))
            for i, f in enumerate(found):
                body = Text(end="")
                if f.claim_id is not None:
                    body.append(f"claim #{f.claim_id}  ", style=pal.muted)
                body.append_text(plain(f.message, width=400))
                if f.quote:
                    body.append("\n“", style=pal.muted)
                    body.append_text(plain(f.quote, width=200, style=pal.muted))
                    body.append("”", style=pal.muted)
                grid = Table.grid(padding=(0, 1), expand=True)
                grid.add_column(width=22, no_wrap=True)
                grid.add_column(ratio=1)
                grid.add_row(Text(f"  {f.rule}", style=style, overflow="ellipsis"), body)
                options.add_option(Option(grid, id=f"{severity}:{i}"))
        if not report.findings:
            options.add_option(Option(Text("No finding: every claim in the text is settled and sourced.",
                                           style=pal.muted), disabled=True))
        # on the first finding (or where the checker was), so enter acts on it straight away
        first = next((i for i in range(options.option_count) if not options.get_option_at_index(i).disabled), None)
        if keep is not None and keep < options.option_count and not options.get_option_at_index(keep).disabled:
            first = keep
        options.highlighted = first
        self.refresh_bindings()

    def rerender(self) -> None:
        """Redraw in the theme's colours (after a theme change), on the same finding."""
        if self.article is not None and self.report is not None:
            self._show(self.article, self.report, keep=self.query_one("#findings", OptionList).highlighted)

    def _finding(self, option_id: str) -> Any:
        severity, _, index = option_id.partition(":")
        found = [f for f in self.report.findings if f.severity == severity]
        return found[int(index)]

    @on(OptionList.OptionSelected, "#findings")
    def _open(self, event: OptionList.OptionSelected) -> None:
        if self.report is None or event.option.id is None or not on_top(self):
            return
        finding = self._finding(event.option.id)
        passage = finding.quote if finding.claim_id is None and finding.appearance_id is None else None
        if finding.claim_id is None and finding.appearance_id is None and not passage:
            self.notify("This finding is about the text as a whole, not one claim.")
            return
        from ledger.tui.screens.reader import ReaderScreen

        below = self.app.screen_stack[-2] if len(self.app.screen_stack) > 1 else None
        if isinstance(below, ReaderScreen) and below.article_id == self.article_id:
            self.dismiss()
            if passage:
                below.select_passage(passage)
            else:
                below.focus_claim(claim_id=finding.claim_id, appearance_id=finding.appearance_id)
        else:
            self.app.switch_screen(ReaderScreen(self.article_id, claim_id=finding.claim_id,
                                                appearance_id=finding.appearance_id, passage=passage))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "advance":
            if self.article is None or self.report is None:
                return None
            upcoming = next_state(self.article.state)
            # a blocked publication still takes the key: it says what stands in the way
            return upcoming is not None
        return True

    def action_back(self) -> None:
        self.dismiss()

    def action_advance(self) -> None:
        if self.article is None or self.report is None:
            return
        upcoming = next_state(self.article.state)
        if upcoming is None:
            return
        if upcoming == "published" and not self.report.publishable:
            blocking = self.report.counts().get("block", 0)
            self.notify(f"Publication is blocked by {blocking} finding(s): settle them first (listed under "
                        "Blocking).", severity="warning", title="Not published")
            return

        def moved(change: Any) -> None:
            if change is not None:
                self.notify(f"Article #{self.article_id} is now {upcoming.replace('_', ' ')}.")
                self.reload()

        self.app.push_screen(StateModal(self.ledger, self.article, upcoming), moved)
