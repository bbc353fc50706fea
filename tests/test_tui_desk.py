"""The checker's desk: the verify-a-claim key script replayed in the app, sentence keys, the claimant
proposed, status by letter, calm escapes and the theme remembered."""

from __future__ import annotations

from pathlib import Path

import pytest

from ledger.tui.app import LedgerApp
from ledger.tui.screens.reader import ReaderScreen
from tests.flows import replay
from tests.tui import run, settle, text_of

SCRIPT = replay.FLOWS / "verify_a_claim.keys"


def test_the_key_script_verifies_a_claim_in_twelve_keys(lg, tmp_path: Path):
    article_id, values = replay.prepare(lg, tmp_path)
    steps = replay.parse(SCRIPT.read_text(encoding="utf-8"), values)
    assert replay.key_count(steps) <= 12
    app = LedgerApp(lg, article_id=article_id)

    async def flow() -> None:
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(app, pilot)
            assert isinstance(app.screen, ReaderScreen)
            await replay.replay_in_pilot(pilot, steps, settle)
            await settle(app, pilot)
            assert isinstance(app.screen, ReaderScreen)
            assert not app.unexpected_errors

    run(flow)
    assert replay.check(lg, article_id) == ""
    citation = lg.claim(lg.list_claims(article_id=article_id)[0].id).citations[0]
    assert citation.locator == "¶ 3"


def test_sentence_keys_select_extend_and_jump_to_what_is_worth_checking(lg):
    from ledger.tui.widgets.article_text import ArticleText
    from tests.desk import HARBOUR_EN

    article_id = lg.add_article(title="Harbour", body=HARBOUR_EN, lang="en")
    first = HARBOUR_EN.index("The port")
    second = HARBOUR_EN.index("Officials")
    third = HARBOUR_EN.index("“Traffic")
    lg.add_claim(article_id=article_id, quote=HARBOUR_EN[first:second].strip())
    app = LedgerApp(lg, article_id=article_id)

    async def keys() -> None:
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(app, pilot)
            text = app.screen.query_one(ArticleText)
            text.place_cursor(second + 3)
            await pilot.press("space")
            assert text.selected_span == (second, third - 1)
            await pilot.press("space")  # again: the next sentence too
            span = text.selected_span
            assert span[0] == second and HARBOUR_EN[span[0]:span[1]].endswith("annual meeting.")
            await pilot.press("escape")  # the selection goes first, the reader stays
            assert text.selected_span is None and isinstance(app.screen, ReaderScreen)
            text.place_cursor(0)
            await pilot.press("w")  # the first sentence is covered; the quotation is the next worth checking
            span = text.selected_span
            assert HARBOUR_EN[span[0]:span[1]].startswith("“Traffic has doubled")
            told: list[str] = []
            notify = app.notify
            app.notify = lambda message, **kw: (told.append(str(message)), notify(message, **kw))[1]  # type: ignore
            await pilot.press("c")
            await settle(app, pilot)
            # the speaker is proposed: an attribution, its claimant filled in
            assert app.screen.query_one("#kind").value == "attribution"
            assert app.screen.query_one("#claimant").value == "the harbour master"
            await pilot.press("enter")
            await settle(app, pilot)
            assert isinstance(app.screen, ReaderScreen)
            assert any("Recorded claim" in m for m in told), told

    run(keys)
    recorded = [c for c in lg.list_claims(article_id=article_id) if c.kind == "attribution"]
    assert [(c.claimant, c.text[:20]) for c in recorded] == [("the harbour master", "“Traffic has doubled")]


def test_escape_is_calm_and_a_typed_note_is_not_thrown_away(lg):
    from tests.desk import HARBOUR_EN

    article_id = lg.add_article(title="Harbour", body=HARBOUR_EN, lang="en")
    claim_id = lg.add_claim(article_id=article_id, quote="40 cargo ships docked at the northern quay")
    app = LedgerApp(lg, article_id=article_id)

    async def calm() -> None:
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(app, pilot)
            await pilot.press("i")  # the inspector
            await pilot.press("escape")  # leaves the pane, not the article
            assert isinstance(app.screen, ReaderScreen)
            await pilot.press("s")
            await settle(app, pilot)
            await pilot.press("f")  # one letter: false, on to the note
            await pilot.press(*"wrong")
            await pilot.press("escape")  # asks before the typed note is lost
            await settle(app, pilot)
            assert type(app.screen).__name__ == "DiscardModal"
            await pilot.press("n")  # keep editing
            await settle(app, pilot)
            assert type(app.screen).__name__ == "StatusModal"
            assert app.screen.query_one("#note").value == "wrong"
            await pilot.press("escape", "y")
            await settle(app, pilot)
            assert isinstance(app.screen, ReaderScreen)
            await pilot.press("s", "i")  # one letter per status: i is in_progress
            await pilot.press(*"started")
            await pilot.press("enter")
            await settle(app, pilot)
            assert isinstance(app.screen, ReaderScreen)

    run(calm)
    assert lg.claim(claim_id).claim.status == "in_progress"


def test_quitting_asks_first_while_a_dialog_holds_typed_text(lg):
    """ctrl+q (and the palette's Quit) with a typed note in a dialog asks, as Escape does; with
    nothing typed it quits at once."""
    from tests.desk import HARBOUR_EN

    article_id = lg.add_article(title="Harbour", body=HARBOUR_EN, lang="en")
    claim_id = lg.add_claim(article_id=article_id, quote="40 cargo ships docked at the northern quay")
    app = LedgerApp(lg, article_id=article_id)

    async def quitting() -> None:
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(app, pilot)
            await pilot.press("s")
            await settle(app, pilot)
            await pilot.press("f", *"wrong")
            await pilot.press("ctrl+q")
            await settle(app, pilot)
            assert app.is_running and type(app.screen).__name__ == "DiscardModal"
            assert "quits Claim Ledger" in text_of(app.screen.query_one(".dialog-hint"))
            await pilot.press("n")  # back to the note, as typed
            await settle(app, pilot)
            assert type(app.screen).__name__ == "StatusModal"
            assert app.screen.query_one("#note").value == "wrong"
            await pilot.press("ctrl+q", "y")
            await settle(app, pilot)
            assert not app.is_running

    run(quitting)
    assert app.return_code == 0 and not app.unexpected_errors
    assert lg.claim(claim_id).claim.status == "unverified"  # the note was never saved
    plain = LedgerApp(lg, article_id=article_id)

    async def at_once() -> None:
        async with plain.run_test(size=(120, 40)) as pilot:
            await settle(plain, pilot)
            await pilot.press("ctrl+q")
            await settle(plain, pilot)
            assert not plain.is_running

    run(at_once)


def test_a_theme_change_redraws_every_widget_and_is_remembered(lg, user_folders):
    from ledger.tui.settings import load_settings, settings_path
    from ledger.tui.widgets.inspector import ClaimInspector
    from tests.desk import HARBOUR_EN

    article_id = lg.add_article(title="Harbour", body=HARBOUR_EN, lang="en")
    lg.add_claim(article_id=article_id, quote="40 cargo ships docked at the northern quay")
    app = LedgerApp(lg, article_id=article_id)

    def colours(static) -> set:
        import io

        from rich.console import Console

        console = Console(width=100, color_system="truecolor", file=io.StringIO())
        return {str(seg.style.color) for seg in console.render(static.content) if seg.style and seg.style.color}

    async def themes() -> None:
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(app, pilot)
            meta = app.screen.query_one("#article-meta")
            body = app.screen.query_one(ClaimInspector).query_one("#inspector-body")
            before = (colours(meta), colours(body))
            app.theme = "textual-light"
            await settle(app, pilot)
            after = (colours(meta), colours(body))
            assert after[0] != before[0] and after[1] != before[1]

    run(themes)
    assert str(settings_path()).startswith(str(user_folders))
    assert load_settings()["theme"] == "textual-light"
    again = LedgerApp(lg)

    async def reopen() -> None:
        async with again.run_test(size=(120, 40)) as pilot:
            await settle(again, pilot)
            assert again.theme == "textual-light"

    run(reopen)



def test_the_audit_opens_on_its_first_finding_and_changes_are_confirmed_by_toasts(lg, tmp_path: Path):
    from ledger.tui.screens.audit import AuditScreen
    from tests.test_tui_bursts import build_desk

    build_desk(lg, tmp_path)  # "Supply": claim 1 cited, claim 2 verified and reworded since
    app = LedgerApp(lg, article_id=1)
    told: list[str] = []
    notify = app.notify
    app.notify = lambda message, **kw: (told.append(kw.get("title", "")), notify(message, **kw))[1]  # type: ignore

    def titles() -> list[str]:
        return told

    async def desk() -> None:
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(app, pilot)
            await pilot.press("u")
            await settle(app, pilot)
            assert isinstance(app.screen, AuditScreen)
            findings = app.screen.query_one("#findings")
            first = next(i for i in range(findings.option_count) if not findings.get_option_at_index(i).disabled)
            assert findings.highlighted == first  # enter acts on it at once
            await pilot.press("escape")
            await settle(app, pilot)
            # claim 1 is under the cursor: cite it, set its status, correct it, retract a citation
            await pilot.press("e", *"Agency", "enter")
            await settle(app, pilot)
            await pilot.press("space", "r", "enter")  # its first sentence, as refuting
            await settle(app, pilot)
            assert "Cited" in titles(), titles()
            await pilot.press("s", "u", *"unclear", "enter")
            await settle(app, pilot)
            assert "Status" in titles(), titles()
            await pilot.press("E", "tab", "down", "enter")
            await settle(app, pilot)
            app.screen.query_one("#text").value = "North Korea supplied 11,000 shells to Russia"
            app.screen.query_one("#note").value = "shorter"
            await pilot.press("ctrl+s")
            await settle(app, pilot)
            assert "Corrected" in titles(), titles()
            await pilot.press("R", "enter", *"wrong report", "enter")  # the citation, then the note
            await settle(app, pilot)
            assert "Retracted" in titles(), titles()
            assert isinstance(app.screen, ReaderScreen) and not app.unexpected_errors

    run(desk)


def test_the_key_script_verifies_a_claim_typed_into_a_real_terminal(tmp_path: Path):
    """The same key script typed into ``ledger open ID`` in a real terminal (tmux), as a person
    types it: keys arrive while screens open and ledger calls run, and still land where meant."""
    import shutil

    if shutil.which("tmux") is None:
        pytest.skip("tmux is not installed (.ci/run installs it)")
    problem, shown, keys = replay.play_in_tmux(SCRIPT, tmp_path)
    assert keys <= 12
    assert problem == "", shown
