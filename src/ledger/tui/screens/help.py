"""The help: how a day in the ledger goes, and the keys."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Footer, Markdown, Static

from ledger.tui.guard import Guarded

HELP = """\
# Claim Ledger

Record every factual claim of an article, cite the evidence, set a verdict, audit before publishing.

## Getting around

| Key | |
|---|---|
| `1` `2` `3` | Articles · Sources · Search |
| `ctrl+p` | every action, by name (command palette) |
| `f5` / `ctrl+r` | re-read from the ledger (changes made in the CLI or by a colleague) |
| `?` / `f1` | this help |
| `escape` | back / close (a dialog with typed text asks first) |
| `ctrl+q` | quit |

## Articles

`enter` reads the article · `/` filters as you type · `i` imports an article from a text file ·
`u` audits · `x` exports. In the audit, `a` moves the article to its next editorial state (draft →
in review → approved → published); only publishing waits until no finding blocks. The bar shows each article's claims: verified ✓, open (still being checked) ○, unresolved ?, failed ✗.

## Reading an article

Highlighted passages are claims, coloured by status (green verified, red false or misleading,
amber unresolved, blue still open). The claim under the cursor is shown in the inspector on the right.

| Key | |
|---|---|
| `space` | select the sentence at the cursor; again: add the next sentence |
| `w` | the next sentence worth checking (figures, dates, quotations) no claim covers |
| `n` / `p` | next / previous claim |
| `shift+arrows`, mouse drag | select a passage |
| `c` | record a claim from the selection; `enter` saves it (the speaker is proposed for reported words) |
| `l` | link the selection to a claim already in the ledger (closest first) |
| `s` | set the status: one letter per status (`v` verified, `f` false…), the note, `enter` |
| `e` | cite evidence: type to pick a source, or a file path / URL to add one, `enter`; in its text `/` finds words, `space` selects, `s` `r` `c` stance, `enter` cites |
| `E` / `i` then `enter` | correct the claim (text, kind, claimant, date, priority), with a note |
| `R` | retract a citation: it stays in the history, no longer counts as evidence |
| `k` | confirm the verdict still holds for a passage a revision reworded |
| `o` | orphaned appearances (the text changed): select the new passage, then choose the orphan |
| `u` / `x` | audit / export this article |
| `escape` | clear the selection, then leave the pane, then the article |

A status the ledger refuses (verified without a supporting citation, say) is shown with the
reason, and nothing changes.

## Sources and search

`a` adds a source (a file archived under its SHA-256, or a URL). Search matches words from their
start across claims, quoted passages and titles; `enter` opens a hit in its article.
"""


class HelpScreen(Guarded, ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,question_mark,f1,q", "close", "Close"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog help-dialog"):
            with VerticalScroll():
                yield Markdown(HELP, open_links=False)
            yield Static("escape closes", classes="dialog-hint")
        yield Footer()

    def action_close(self) -> None:
        self.dismiss()
