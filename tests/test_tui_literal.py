"""User text reaches the screen exactly as typed: terminal markup is not interpreted and escape
sequences are shown as visible pictures (␛), never sent to the terminal."""

from __future__ import annotations

from ledger.tui.app import LedgerApp
from ledger.tui.screens.reader import ReaderScreen
from ledger.tui.text import one_line, reader_text
from tests.tui import run, screen_lines, settle, text_of

MARKUP = "[bold red]x[/]"
BODY = f"Opening line. The minister said {MARKUP} and \x1b[31mred\x1b[0m today.\nSecond paragraph.\n"
QUOTE = f"{MARKUP} and \x1b[31mred"


def test_markup_and_escapes_are_shown_literally(lg):
    article_id = lg.add_article(title="[b]Headline[/b] \x1b[2J", body=BODY, outlet="[link=x]Outlet[/link]")
    claim_id = lg.add_claim(article_id=article_id, quote=QUOTE, text=f"{MARKUP} \x1b[31mred\x1b[0m",
                            kind="attribution", claimant="[i]Someone[/i]")
    app = LedgerApp(lg)

    async def look() -> None:
        async with app.run_test(size=(120, 30)) as pilot:
            await settle(app, pilot)
            listing = "\n".join(screen_lines(app))
            assert "[b]Headline[/b] ␛[2J" in listing
            assert "[link=x]Outlet[/link]" in listing
            assert "\x1b" not in app.export_screenshot()

            app.push_screen(ReaderScreen(article_id, claim_id=claim_id))
            await settle(app, pilot)
            shown = "\n".join(screen_lines(app))
            assert f"The minister said {MARKUP} and ␛[31mred␛[0m" in shown  # the article text
            assert f"{MARKUP} ␛[31mred␛[0m" in shown  # the claim in the inspector
            assert "[i]Someone[/i]" in shown
            inspector = text_of(app.screen.query_one("#inspector-body"))
            assert f"{MARKUP} ␛[31mred␛[0m" in inspector
            assert "\x1b" not in app.export_screenshot()

    run(look)


def test_reader_text_keeps_every_offset():
    body = "a\x1b[1mb\r\nc\u2028d\te\x07f\u202eg\n"
    shown = reader_text(body)
    assert len(shown) == len(body)
    assert "\x1b" not in shown and "\x07" not in shown and "\u202e" not in shown and "\u2028" not in shown
    assert shown.count("\n") == body.count("\n")
    assert one_line("[bold]x[/]\n\x1b[0m  y") == "[bold]x[/] ␛[0m y"
