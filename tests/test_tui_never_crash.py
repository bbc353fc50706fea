"""An unexpected error never dumps a traceback (and the article text in its locals) on the terminal:
a key's action that fails shows one line, logs the traceback and the app goes on; what the app
cannot go on from ends it non-zero, naming the log file."""

from __future__ import annotations

import asyncio

import pytest

from ledger.tui.app import LedgerApp
from ledger.tui.screens.reader import ReaderScreen
from tests.tui import burst, run, settle

SECRET = "Texte confidentiel de l'article"


def test_a_failing_key_shows_one_line_and_the_app_goes_on(lg, monkeypatch, user_folders):
    article_id = lg.add_article(title="Harbour", body=f"{SECRET}. 40 ships docked in March.\n")

    def broken(self) -> None:  # noqa: ANN001
        raise RuntimeError(SECRET)

    monkeypatch.setattr(ReaderScreen, "action_worth", broken)
    app = LedgerApp(lg, article_id=article_id)

    async def press() -> None:
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(app, pilot)
            await pilot.press("w")
            await settle(app, pilot)
            assert isinstance(app.screen, ReaderScreen) and app.is_running
            await pilot.press("space")  # and the reader still answers
            assert app.screen.query_one("#article-text").selected_span is not None
            messages = [str(n.message) for n in app._notifications]
            assert any("Something went wrong (RuntimeError)" in m for m in messages)
            assert not any(SECRET in m for m in messages)

    run(press)
    assert len(app.unexpected_errors) == 1
    logs = list((user_folders / "state").rglob("error-*.log"))
    assert len(logs) == 1 and SECRET in logs[0].read_text(encoding="utf-8")


def test_what_cannot_go_on_exits_non_zero_naming_the_log(lg, user_folders):
    app = LedgerApp(lg)
    shown: list[str] = []

    async def fatal() -> None:
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(app, pilot)
            try:
                raise RuntimeError(SECRET)
            except RuntimeError as error:
                app._handle_exception(error)
            shown.extend(str(r) for r in app._exit_renderables)
            await pilot.pause()

    with pytest.raises(RuntimeError):
        run(fatal)
    assert app.return_code == 1
    assert app.crash_log is not None and "Traceback" in app.crash_log.read_text(encoding="utf-8")
    assert shown == [f"Claim Ledger stopped on an unexpected error (RuntimeError); the details are in "
                       f"{app.crash_log}."]


def test_open_audit_back_back_as_one_burst_never_crashes(lg):
    """The burst that crashed the reader (results reaching a reader already closed)."""
    from tests.desk import HARBOUR_EN

    for _ in range(3):
        lg.add_article(title="Harbour", body=HARBOUR_EN)
    app = LedgerApp(lg)

    async def keys() -> None:
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(app, pilot)
            for _ in range(10):
                await burst(app, ["enter", "u", "escape", "escape"])
                await pilot.pause()
            await settle(app, pilot)
            assert app.is_running and type(app.screen).__name__ in ("ArticlesScreen", "ReaderScreen", "AuditScreen")

    run(keys)
    assert not app.unexpected_errors


def test_a_screen_action_chosen_in_the_command_palette_runs(lg):
    """The palette runs a screen's action through the screen (``Widget.run_action``), which hands the
    app its namespaces too: the app's guarded ``run_action`` takes them (it once stopped the app)."""
    from tests.desk import HARBOUR_EN

    article_id = lg.add_article(title="Harbour", body=HARBOUR_EN, lang="en")
    app = LedgerApp(lg, article_id=article_id)

    async def palette() -> None:
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(app, pilot)
            text = app.screen.query_one("#article-text")
            assert text.selected_span is None
            await pilot.press("ctrl+p", *"worth checking")
            await pilot.pause(0.5)  # the palette searches as it is typed
            await settle(app, pilot)
            await pilot.press("enter")
            await settle(app, pilot)
            assert app.is_running and isinstance(app.screen, ReaderScreen)
            assert text.selected_span is not None  # the sentence worth checking, selected

    run(palette)
    assert app.return_code in (0, None) and not app.unexpected_errors


def test_keys_waiting_for_a_dialog_go_on_when_a_timer_tick_is_lost(lg, monkeypatch):
    """Keys typed while a dialog opens wait for it. Textual drops a one-shot timer whose moment has
    passed before its task first runs (a loaded machine, a worker thread holding the interpreter):
    the waiting keys must not depend on one, or they wait for good and every later key with them."""
    from tests.desk import HARBOUR_EN

    article_id = lg.add_article(title="Harbour", body=HARBOUR_EN, lang="en")
    lg.add_claim(article_id=article_id, quote="40 cargo ships docked at the northern quay")
    real = LedgerApp.set_timer

    def lossy(self, delay, callback=None, **kw):  # noqa: ANN001 - every tick for the waiting keys is lost
        if getattr(callback, "__func__", None) is LedgerApp._replay_early_keys:
            return None
        return real(self, delay, callback, **kw)

    monkeypatch.setattr(LedgerApp, "set_timer", lossy)
    app = LedgerApp(lg, article_id=article_id)

    async def keys() -> None:
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(app, pilot)
            await burst(app, ["s", "f", *"wrong"])  # the status dialog, false, the note — in one go
            for _ in range(100):
                if not app._early_keys:
                    break
                await asyncio.sleep(0.05)
            await settle(app, pilot)
            assert type(app.screen).__name__ == "StatusModal"
            assert app.screen.query_one("#note").value == "wrong"

    run(keys)


def test_a_refusal_in_a_worker_without_its_own_handler_is_one_notice(lg):
    """A ledger call refused in a worker thread, with no ``refused`` callback of its own, shows the
    refusal as an error notice and the app goes on (the bursts found it stopping the app)."""
    from ledger.errors import InvalidInput
    from ledger.tui.workers import run_ledger

    app = LedgerApp(lg)
    got: list[object] = []

    def refuse() -> None:
        raise InvalidInput("claim 99 does not exist")

    async def go() -> None:
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(app, pilot)
            run_ledger(app.screen, refuse, got.append, group="refusal")
            await app.workers.wait_for_complete()
            await settle(app, pilot)
            assert app.is_running and got == []
            assert any("claim 99 does not exist" in str(n.message) for n in app._notifications)

    run(go)
    assert not app.unexpected_errors


def test_a_waiting_key_goes_on_only_once_the_last_one_is_taken(lg):
    """The waiting keys go on one at a time, in the order typed. Textual takes the next message off
    the queue early, to see whether it merges with the one running (``_pending_message``): a key
    sent on and waiting there is neither in the queue nor handled yet, and a second look at the
    waiting keys must not send the next one past it (typed text came out of order in a terminal)."""
    from textual import events

    from ledger.tui.app import settled
    from tests.desk import HARBOUR_EN

    article_id = lg.add_article(title="Harbour", body=HARBOUR_EN, lang="en")
    app = LedgerApp(lg, article_id=article_id)

    async def keys() -> None:
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(app, pilot)
            app._early_keys.extend(events.Key(k, k) for k in "ab")  # noqa: SLF001
            app._replay_early_keys()  # noqa: SLF001 - "a" goes on
            assert [k.key for k in app._early_keys] == ["b"]  # noqa: SLF001
            sent = app._message_queue.values.pop()  # noqa: SLF001 - taken off early, as Textual does
            assert isinstance(sent, events.Key) and sent.key == "a"
            app._pending_message = sent  # noqa: SLF001
            assert not settled(app)
            app._replay_early_keys()  # noqa: SLF001 - a second tick before "a" is handled
            assert [k.key for k in app._early_keys] == ["b"]  # noqa: SLF001 - "b" still waits
            app._pending_message = None  # noqa: SLF001
            app.post_message(sent)  # back where it was: handled now, and "b" follows it
            app._watch_early_keys()  # noqa: SLF001
            for _ in range(100):
                if not app._early_keys:  # noqa: SLF001
                    break
                await asyncio.sleep(0.02)
            assert not app._early_keys  # noqa: SLF001

    run(keys)
    assert not app.unexpected_errors
