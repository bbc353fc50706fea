"""The claim inspector beside the reader: what the claim says, who said it, where it appears, the
evidence cited for it with excerpts and locators, and its history (who, when, why)."""

from __future__ import annotations

from typing import Any, ClassVar

from rich.console import Group
from rich.padding import Padding
from rich.style import Style
from rich.text import Text
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Static

from ledger.models import ClaimDetail, EventRow
from ledger.vocabulary import Vocabulary
from ledger.tui.text import block, palette, plain, status_text

HISTORY_SHOWN = 30

STANCE_MARK = {"supports": "+", "refutes": "−", "context": "·"}


def when(stamp: str) -> str:
    """``2024-06-19T10:02:03.000001Z`` as ``2024-06-19 10:02``."""
    return stamp[:16].replace("T", " ")


def describe_event(event: EventRow) -> str:
    p = event.payload or {}
    if event.action == "claim.status":
        return f"{p.get('from', '?')} → {p.get('to', '?')}: {p.get('note', '')}"
    if event.action in ("claim.add", "claim.import"):
        return "recorded"
    if event.action == "appearance.add":
        return f"anchored in article {event.article_id}"
    if event.action == "citation.add":
        return f"cited source {p.get('source_id')} ({p.get('stance', '')})"
    if event.action == "claim.edit":
        changed = ", ".join(sorted((p.get("changes") or {}).keys())) if isinstance(p.get("changes"), dict) else ""
        return f"corrected {changed}: {p.get('note', '')}".replace(" :", ":")
    if event.action == "citation.retract":
        return f"retracted citation #{event.entity_id} (source {p.get('source_id')}): {p.get('note', '')}"
    if event.action == "claim.confirm":
        return f"verdict confirmed for the new wording: {p.get('note', '')}"
    note = p.get("note")
    return f"{event.action}{': ' + str(note) if note else ''}"


def render_claim(app, vocabulary: Vocabulary, detail: ClaimDetail, *, article_id: int | None = None) -> Group:  # noqa: ANN001
    c = detail.claim
    pal = palette(app)
    muted = pal.muted
    head = Text(end="")
    head.append(f"Claim #{c.id}  ", style="bold")
    head.append_text(status_text(app, vocabulary, c.status, c.status_label))
    parts: list[Any] = [head, Text(""), block(c.text, style="bold"), Text("")]
    if any(a.needs_confirm for a in detail.appearances):
        parts[1:1] = [Text("reworded since the verdict — k confirms it still holds, s changes it",
                           style=pal.category_text("unresolved") + Style(bold=True))]

    facts = Text(end="")
    facts.append("kind ", style=muted)
    facts.append(c.kind)
    if c.claimant:
        facts.append("  claimant ", style=muted)
        facts.append_text(plain(c.claimant))
    if c.claim_date:
        facts.append("  date ", style=muted)
        facts.append(c.claim_date.isoformat())
    facts.append("  priority ", style=muted)
    facts.append(str(c.priority))
    parts.append(facts)

    parts.append(Text(""))
    parts.append(Text(f"Appears in ({len(detail.appearances)})", style="bold underline"))
    for a in detail.appearances:
        here = article_id is not None and a.article_id == article_id
        line = Text(end="")
        line.append(f"#{a.article_id} ", style=muted)
        line.append_text(plain(a.article_title or f"article {a.article_id}", width=120))
        if here:
            line.append("  (this article)", style=muted)
        if a.orphaned:
            line.append("  orphaned", style=pal.category_text("fail"))
        parts.append(indent(line, 2))
        parts.append(indent(Text.assemble("“", plain(a.quote, width=160), "”", style=muted), 4))

    parts.append(Text(""))
    standing = [c for c in detail.citations if not c.retracted]
    parts.append(Text(f"Evidence ({len(standing)})", style="bold underline"))
    if not detail.citations:
        parts.append(indent(Text("none yet — press e to cite a source", style=muted), 2))
    for cit in detail.citations:
        stance_cat = {"supports": "pass", "refutes": "fail"}.get(cit.stance, "open")
        line = Text(end="")
        if cit.retracted:
            line.append(f"× {cit.stance} — retracted", style=muted + Style(strike=True))
        else:
            line.append(f"{STANCE_MARK.get(cit.stance, '·')} {cit.stance}",
                        style=pal.category_text(stance_cat) + Style(bold=True))
        line.append(f"  #{cit.id} source #{cit.source_id}", style=muted)
        if cit.source_kind:
            line.append(f" · {cit.source_kind}", style=muted)
        if cit.locator:
            line.append(" · at ", style=muted)
            line.append_text(plain(cit.locator, width=60))
        parts.append(indent(line, 2))
        source = Text(end="")
        source.append_text(plain(cit.source_title or f"source {cit.source_id}", width=160))
        if cit.source_publisher:
            source.append(" — ", style=muted)
            source.append_text(plain(cit.source_publisher, width=60, style=muted))
        parts.append(indent(source, 4))
        if cit.excerpt:
            parts.append(indent(Text.assemble("“", plain(cit.excerpt, width=400), "”", style="italic"), 4))

    parts.append(Text(""))
    parts.append(Text("History", style="bold underline"))
    events = detail.history[-HISTORY_SHOWN:]
    if len(detail.history) > len(events):
        parts.append(indent(Text(f"… {len(detail.history) - len(events)} earlier events", style=muted), 2))
    for ev in events:
        line = Text(end="")
        line.append(when(ev.at), style=muted)
        line.append("  ")
        line.append_text(plain(ev.actor, width=40, style="bold"))
        parts.append(indent(line, 2))
        parts.append(indent(plain(describe_event(ev), width=400), 4))
    return lines(parts)


def indent(text: Text, n: int) -> Padding:
    """A paragraph whose wrapped lines keep the indent of its first."""
    return Padding(text, (0, 0, 0, n))


def lines(parts: list[Any]) -> Group:
    """One renderable per line (the pieces are built with ``end=""`` to be joined)."""
    for part in parts:
        if isinstance(part, Text):
            part.end = "\n"
    return Group(*parts)


class ClaimInspector(VerticalScroll):
    """Shows one claim in full; empty until the reader's cursor is on a claim. Focused (``i`` in the
    reader), enter corrects the claim and R retracts one of its citations."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "screen.edit_claim", "Edit claim", tooltip="Correct the claim"),
        Binding("R", "screen.retract", "Retract citation", tooltip="Retract one of the claim's citations"),
    ]

    DEFAULT_CSS = """
    ClaimInspector {
        width: 40%;
        min-width: 40;
        max-width: 72;
        border-left: vkey $foreground 20%;
        padding: 0 1;
        background: $surface;
    }
    ClaimInspector > #inspector-body {
        width: 1fr;
    }
    """

    def compose(self):  # noqa: ANN201
        yield Static(id="inspector-body")

    def show_claim(self, vocabulary: Vocabulary, detail: ClaimDetail | None, *, article_id: int | None = None,
                   hint: str = "") -> None:
        self._shown = (vocabulary, detail, article_id, hint)
        body = self.query_one("#inspector-body", Static)
        if detail is None:
            body.update(Text(hint or "No claim here.", style=palette(self.app).muted))
            return
        body.update(render_claim(self.app, vocabulary, detail, article_id=article_id))
        self.scroll_home(animate=False)

    def rerender(self) -> None:
        """The claim shown again, in the theme's colours now."""
        shown = getattr(self, "_shown", None)
        if shown is not None:
            vocabulary, detail, article_id, hint = shown
            body = self.query_one("#inspector-body", Static)
            body.update(Text(hint or "No claim here.", style=palette(self.app).muted) if detail is None
                        else render_claim(self.app, vocabulary, detail, article_id=article_id))

    def show_text(self, text: Text) -> None:
        self.query_one("#inspector-body", Static).update(text)
