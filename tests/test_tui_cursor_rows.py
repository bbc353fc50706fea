"""Rows under the cursor read in every theme, and the status dialog keeps the user's place when it
refuses a change without a note."""

from __future__ import annotations

from textual.color import Color
from textual.widgets import Input, OptionList

from ledger.tui.app import LedgerApp
from ledger.tui.screens.reader import ReaderScreen
from ledger.tui.screens.status import StatusModal
from ledger.tui.widgets.virtual_table import VirtualTable
from tests.conftest import snapshot_tables
from tests.tui import paste, run, settle, text_of

QUOTE = "les premiers missiles nord-coréens ont frappé Kharkiv dès janvier"
THEMES = ("textual-dark", "textual-light")


def _inked(strip) -> list:
    """The segments of a line that show something (not padding)."""
    return [seg for seg in strip if seg.text.strip()]


def _legible(strip, theme: str) -> None:
    inked = _inked(strip)
    assert inked, theme
    colours = {(seg.style.color, seg.style.bgcolor) for seg in inked}
    assert len(colours) == 1, (theme, colours)  # one ink on one background: the cursor's
    (ink, paper), = colours
    assert ink is not None and paper is not None
    contrast = abs(Color.from_rich_color(ink).brightness - Color.from_rich_color(paper).brightness)
    assert contrast > 0.4, (theme, ink, paper)


def test_the_cursor_row_of_a_list_is_drawn_in_the_cursor_colours(lg, article_files):
    article_id = lg.add_article(title="Visite", file=article_files["fr"])
    lg.add_claim(article_id=article_id, quote=QUOTE)
    lg.add_article(title="Pact", file=article_files["en"])
    app = LedgerApp(lg)

    async def look() -> None:
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(app, pilot)
            table = app.screen.query_one("#articles", VirtualTable)
            table.focus()
            for theme in THEMES:
                app.theme = theme
                await settle(app, pilot)
                cursor_line = table.render_line(1 + table.cursor)
                _legible(cursor_line, theme)
                # rows off the cursor keep their colours: the tally bar still tells categories apart
                other = table.render_line(2 if table.cursor == 0 else 1)
                assert len({seg.style.color for seg in _inked(other)}) > 1, theme

    run(look)


def test_the_highlighted_finding_of_an_audit_is_drawn_in_the_cursor_colours(lg, article_files):
    from ledger.tui.screens.audit import AuditScreen

    article_id = lg.add_article(title="Visite", file=article_files["fr"], state="approved")
    lg.add_claim(article_id=article_id, quote=QUOTE)  # unverified: a blocking finding with its quote
    app = LedgerApp(lg)

    async def look() -> None:
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(app, pilot)
            app.push_screen(AuditScreen(article_id))
            await settle(app, pilot)
            findings = app.screen.query_one("#findings", OptionList)
            await pilot.press("down")  # onto the first finding (its heading cannot be chosen)
            assert findings.has_focus and findings.highlighted is not None
            for theme in THEMES:
                app.theme = theme
                await settle(app, pilot)
                line = findings._lines.index((findings.highlighted, 0)) - findings.scroll_offset.y
                _legible(findings.render_line(line), theme)
                _legible(findings.render_line(line + 1), theme)  # the quote under the finding

    run(look)


def test_a_refused_status_change_keeps_focus_where_the_user_was(lg, article_files):
    article_id = lg.add_article(title="Visite", file=article_files["fr"])
    claim_id = lg.add_claim(article_id=article_id, quote=QUOTE)
    app = LedgerApp(lg)

    async def change() -> None:
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(app, pilot)
            app.push_screen(ReaderScreen(article_id))
            await settle(app, pilot)
            await pilot.press("s")
            await settle(app, pilot)
            assert isinstance(app.screen, StatusModal)
            before = snapshot_tables(lg)
            statuses = app.screen.query_one("#statuses", OptionList)
            note = app.screen.query_one("#note", Input)

            await pilot.press("ctrl+s")  # from the list, no note yet
            await settle(app, pilot)
            assert "needs a note" in text_of(app.screen.query_one(".form-error"))
            assert app.screen.focused is statuses  # not moved: one tab still leads to the note
            await pilot.press("ctrl+s")  # refused again: still where the user is
            await settle(app, pilot)
            assert app.screen.focused is statuses
            assert snapshot_tables(lg) == before

            await pilot.press("tab")
            assert app.screen.focused is note
            await pilot.press(*"typed")
            assert note.value == "typed"

            # from the button, where typing would be lost, the refusal brings the user to the note
            note.value = ""
            app.screen.query_one("#submit").focus()
            await pilot.pause()
            await pilot.press("ctrl+s")
            await settle(app, pilot)
            assert app.screen.focused is note
            assert snapshot_tables(lg) == before

            await paste(pilot, "#note", "checked by phone")
            await pilot.press("enter")
            await settle(app, pilot)
            assert isinstance(app.screen, ReaderScreen)
            history = lg.claim(claim_id).history
            assert any("checked by phone" in str(event.payload) for event in history), history

    run(change)
