"""The reader marks suggested sentences; one key accepts a suggestion, another rejects it."""

from __future__ import annotations

from ledger.tui.app import LedgerApp
from ledger.tui.screens.reader import ReaderScreen
from ledger.tui.widgets.article_text import ArticleText
from ledger.tui.widgets.suggestions import SuggestionBar
from tests.test_matching import FIRST, SECOND
from tests.tui import run, settle, text_of

THIRD = ("Officials in Washington said Pyongyang shipped 11 000 artillery shells to Russia since August. "
         "Putin and Kim, the two leaders, signed a mutual defence treaty in Pyongyang.\n")


def _ledger(lg):
    a1 = lg.add_article(title="Supply", body=FIRST, lang="en")
    shells = lg.add_claim(article_id=a1, quote="North Korea has supplied 11,000 artillery shells to Russia since August")
    treaty = lg.add_claim(article_id=a1, quote="The two leaders signed a mutual defence treaty in Pyongyang")
    return shells, treaty


def test_accept_and_reject_in_one_key(lg):
    shells, treaty = _ledger(lg)
    a2 = lg.add_article(title="Summit", body=SECOND, lang="en")
    a3 = lg.add_article(title="Again", body=THIRD, lang="en")
    app = LedgerApp(lg)

    async def read() -> None:
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(app, pilot)
            app.push_screen(ReaderScreen(a2))
            await settle(app, pilot)
            screen = app.screen
            [s] = screen.suggestions
            assert s.claim_id == shells
            text = screen.query_one(ArticleText)
            assert [(m.start, m.end) for m in text.suggested] == [(s.start, s.end)]
            bar = screen.query_one(SuggestionBar)
            assert "1 suggested sentence" in text_of(bar)
            await pilot.press("a")  # not in a suggested sentence: nothing happens
            await settle(app, pilot)
            assert [a.article_id for a in lg.claim(shells).appearances] == [1]
            text.place_cursor(s.start + 3)
            await settle(app, pilot)
            assert f"claim #{shells}" in text_of(bar)
            await pilot.press("a")
            await settle(app, pilot)
            assert sorted(a.article_id for a in lg.claim(shells).appearances) == [1, a2]
            assert screen.suggestions == [] and screen.query_one(SuggestionBar).display is False
            assert any(r.claim_id == shells for r in screen.mark_rows)  # now a claim of the article

            app.pop_screen()
            app.push_screen(ReaderScreen(a3))
            await settle(app, pilot)
            screen = app.screen
            ids = sorted(s.claim_id for s in screen.suggestions)
            assert ids == sorted([shells, treaty])
            target = next(s for s in screen.suggestions if s.claim_id == treaty)
            screen.query_one(ArticleText).place_cursor(target.start)
            await settle(app, pilot)
            await pilot.press("r")
            await settle(app, pilot)
            assert [s.claim_id for s in screen.suggestions] == [shells]
            assert [a.article_id for a in lg.claim(treaty).appearances] == [1]

    run(read)
