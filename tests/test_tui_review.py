"""Defects a user review of the terminal UI found, each pinned key by key on a real temporary
ledger: a citation saved from a source nobody picked, dialogs hiding their own refusals, a list
too narrow for its titles, and the like."""

from __future__ import annotations

from ledger.tui.app import LedgerApp
from ledger.tui.screens.cite import CiteModal
from ledger.tui.screens.reader import ReaderScreen
from tests.conftest import snapshot_tables
from tests.tui import paste, run, screen_lines, settle, text_of

QUOTE = "les premiers missiles nord-coréens ont frappé Kharkiv dès janvier"
EXCERPT = "The first North Korean ballistic missiles hit Kharkiv in January"
SENTENCE = EXCERPT + ", the spokesman said."


def test_a_citation_needs_a_source_the_editor_picked(lg, article_files):
    article_id = lg.add_article(title="Visite", file=article_files["fr"])
    claim_id = lg.add_claim(article_id=article_id, quote=QUOTE)
    source_id = lg.add_source(title="Briefing transcript", file=article_files["evidence"])
    app = LedgerApp(lg)

    async def cite() -> None:
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(app, pilot)
            app.push_screen(ReaderScreen(article_id))
            await settle(app, pilot)
            before = snapshot_tables(lg)
            await pilot.press("e")
            await settle(app, pilot)
            assert isinstance(app.screen, CiteModal)
            await pilot.press("ctrl+s")  # straight away: no source was picked
            await settle(app, pilot)
            assert isinstance(app.screen, CiteModal)
            assert "pick a source" in text_of(app.screen.query_one(".form-error"))
            assert snapshot_tables(lg) == before

            await pilot.press("down", "enter")  # on to the list, the first source chosen: its text opens
            await settle(app, pilot)
            await pilot.press("enter")  # no excerpt selected yet: refused in the dialog
            await settle(app, pilot)
            assert "select the excerpt" in text_of(app.screen.query_one(".form-error"))
            await pilot.press("slash", *"ballistic missiles", "enter", "enter")
            await settle(app, pilot)
            assert isinstance(app.screen, ReaderScreen)
            assert [(c.source_id, c.excerpt) for c in lg.claim(claim_id).citations] == [(source_id, SENTENCE)]

            # the very same citation again is refused in the dialog
            await pilot.press("e")
            await settle(app, pilot)
            await pilot.press("down", "enter")
            await settle(app, pilot)
            await pilot.press("slash", *"ballistic missiles", "enter")
            before = snapshot_tables(lg)
            await pilot.press("enter")
            await settle(app, pilot)
            assert isinstance(app.screen, CiteModal)
            assert "already cites source" in text_of(app.screen.query_one(".form-error"))
            assert snapshot_tables(lg) == before

    run(cite)


def test_dialogs_keep_their_buttons_and_refusals_in_view(lg, article_files):
    article_id = lg.add_article(title="Visite", file=article_files["fr"])
    lg.add_claim(article_id=article_id, quote=QUOTE)
    lg.add_source(title="Briefing transcript", file=article_files["evidence"])
    app = LedgerApp(lg)

    async def small() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(app, pilot)
            app.push_screen(ReaderScreen(article_id))
            await settle(app, pilot)
            for keys, message in ((("e", "ctrl+s"), "pick a source"),
                                  (("e", "down", "enter", "enter"), "select the excerpt"),
                                  (("s", "enter", "ctrl+s"), "needs a note")):
                await pilot.press(keys[0])
                await settle(app, pilot)
                await pilot.press(*keys[1:])
                await settle(app, pilot)
                lines = "\n".join(screen_lines(app))
                assert message in lines, lines
                for button in app.screen.query("Button"):
                    assert app.screen.region.contains_region(button.region), button
                assert any("Cancel" in line and "▁" not in line and "esc" not in line for line in screen_lines(app))
                while not isinstance(app.screen, ReaderScreen):  # escape steps back a pane at a time
                    await pilot.press("y" if type(app.screen).__name__ == "DiscardModal" else "escape")
                    await settle(app, pilot)

    run(small)


def test_titles_keep_their_room_on_a_narrow_terminal(lg, article_files):
    lg.add_article(title="Visite à Pyongyang et accords de défense", file=article_files["fr"], outlet="Le Quotidien")
    lg.add_source(title="Briefing transcript", file=article_files["evidence"], publisher="White House")
    app = LedgerApp(lg)

    async def narrow() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(app, pilot)
            lines = screen_lines(app)
            assert any("Visite à Pyongyang" in line for line in lines), lines
            assert any("Claims" in line for line in lines)  # the bar of the claims stays
            assert not any("Outlet" in line for line in lines)  # the outlet gave way to the title
            await pilot.press("2")
            await settle(app, pilot)
            assert any("Briefing transcript" in line for line in screen_lines(app))
        wide = LedgerApp(lg)
        async with wide.run_test(size=(160, 40)) as pilot:
            await settle(wide, pilot)
            assert any("Outlet" in line and "Published" in line for line in screen_lines(wide))

    run(narrow)


def test_a_selection_stands_out_from_every_status_colour(lg, article_files):
    from textual.color import Color

    from ledger.tui.text import palette
    from ledger.tui.widgets.article_text import ArticleText

    article_id = lg.add_article(title="Visite", file=article_files["fr"])
    lg.add_claim(article_id=article_id, quote=QUOTE)
    app = LedgerApp(lg)

    async def select() -> None:
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(app, pilot)
            app.push_screen(ReaderScreen(article_id))
            await settle(app, pilot)
            text = app.screen.query_one(ArticleText)
            for theme in ("textual-dark", "textual-light"):
                app.theme = theme
                await settle(app, pilot)
                start = text.body.index(QUOTE)
                text.select_span(start - 10, start + 10)  # half in the highlighted claim
                await settle(app, pilot)
                selection = text._theme.selection_style
                assert selection is not None and selection.bgcolor is not None
                chosen = Color.from_rich_color(selection.bgcolor)
                pal = palette(app)
                for style in [*pal.mark.values(), *pal.current.values()]:
                    other = Color.from_rich_color(style.bgcolor)
                    assert abs(chosen.brightness - other.brightness) > 0.3, (theme, chosen, other)

    run(select)


def test_the_audit_explains_a_blocked_publication_and_the_reader_follows_the_state(lg, article_files):
    from ledger.tui.screens.audit import AuditScreen

    article_id = lg.add_article(title="Visite", file=article_files["fr"], state="approved")
    lg.add_claim(article_id=article_id, quote=QUOTE)  # unverified: publication is blocked
    other = lg.add_article(title="Pact", file=article_files["en"])
    app = LedgerApp(lg)
    told: list[str] = []

    async def audit() -> None:
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(app, pilot)
            app.notify = lambda message, **kw: told.append(str(message))  # type: ignore[method-assign]
            app.push_screen(ReaderScreen(article_id))
            await settle(app, pilot)
            await pilot.press("u")
            await settle(app, pilot)
            assert isinstance(app.screen, AuditScreen) and not app.screen.report.publishable
            before = snapshot_tables(lg)
            await pilot.press("a")
            await settle(app, pilot)
            assert isinstance(app.screen, AuditScreen)
            assert any("Publication is blocked" in m for m in told), told
            assert snapshot_tables(lg) == before

            # an article that is not up for publication moves on; the reader shows it on return
            await pilot.press("escape")
            await settle(app, pilot)
            app.screen.dismiss()
            await settle(app, pilot)
            app.push_screen(ReaderScreen(other))
            await settle(app, pilot)
            assert " draft " in text_of(app.screen.query_one("#article-meta"))
            await pilot.press("u")
            await settle(app, pilot)
            await pilot.press("a")
            await settle(app, pilot)
            await pilot.press("ctrl+s")
            await settle(app, pilot)
            assert lg.article(other).state == "in_review"
            await pilot.press("escape")
            await settle(app, pilot)
            assert isinstance(app.screen, ReaderScreen)
            assert " in review " in text_of(app.screen.query_one("#article-meta"))  # as the list words it

    run(audit)


def test_the_export_preview_follows_the_choice_and_an_existing_file_is_kept_unless_confirmed(lg, article_files,
                                                                                              tmp_path):
    from ledger.tui.screens.export import ExportScreen

    article_id = lg.add_article(title="Visite", file=article_files["fr"])
    lg.add_claim(article_id=article_id, quote=QUOTE, text="Missiles first hit Kharkiv in January")
    app = LedgerApp(lg)

    async def export() -> None:
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(app, pilot)
            app.push_screen(ExportScreen(article_id))
            await settle(app, pilot)
            screen = app.screen
            assert "Markdown report of article" in text_of(screen.query_one("#export-status"))
            screen.query_one("#format").value = "csv"
            await settle(app, pilot)
            raw = text_of(screen.query_one("#preview-text"))
            assert screen.query_one("#preview-text").display and not screen.query_one("#preview-body").display
            assert "Missiles first hit Kharkiv in January" in raw and "," in raw.splitlines()[0]
            assert "CSV (one row per appearance) of article" in text_of(screen.query_one("#export-status"))

            target = tmp_path / "kept.csv"
            target.write_text("someone's file\n", encoding="utf-8")
            screen.query_one("#path").value = str(target)
            screen.query_one("#path").focus()
            await pilot.press("enter")
            await settle(app, pilot)
            assert target.read_text(encoding="utf-8") == "someone's file\n"
            assert "exists" in text_of(screen.query_one("#export-status"))
            await pilot.press("enter")  # asked and confirmed
            await settle(app, pilot)
            assert "Missiles first hit Kharkiv in January" in target.read_text(encoding="utf-8")

    run(export)


def test_status_and_cite_without_a_claim_say_where_to_go(lg, article_files):
    article_id = lg.add_article(title="Visite", file=article_files["fr"])
    app = LedgerApp(lg)
    told: list[str] = []

    async def nothing_here() -> None:
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(app, pilot)
            app.notify = lambda message, **kw: told.append(str(message))  # type: ignore[method-assign]
            app.push_screen(ReaderScreen(article_id))
            await settle(app, pilot)
            for key in ("s", "e"):
                await pilot.press(key)
                await settle(app, pilot)
                assert isinstance(app.screen, ReaderScreen)
            assert told.count("Move to a claim first (n / p).") == 2, told
            assert any("Audit" in line and "Export" in line for line in screen_lines(app))  # u and x in the footer

    run(nothing_here)
