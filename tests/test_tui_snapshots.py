"""Every screen of the terminal UI pinned as an SVG snapshot at a fixed size, on the sample ledger
built at a fixed instant (and audited as of a fixed day), so nothing in the pictures moves.

Update the pictures after an intended change with ``pytest tests/test_tui_snapshots.py --snapshot-update``
and look at them (tests/__snapshots__/) before committing.
"""

from __future__ import annotations

from datetime import date

import pytest

from ledger.tui.app import LedgerApp
from ledger.tui.screens.reader import ReaderScreen
from ledger.tui.widgets.article_text import ArticleText
from tests.tui import fix_clock, settle, steady_cursors

SIZE = (120, 36)
AUDIT_DAY = date(2024, 7, 1)


@pytest.fixture
def demo(lg, ledger_db, monkeypatch):
    if "://" in ledger_db:
        pytest.skip("the pictures are pinned on SQLite; the flows run on every backend")
    import ledger.services.demo  # noqa: F401 - every module stamping rows is loaded before the clock is fixed
    import ledger.services.workflow  # noqa: F401
    from ledger.services.demo import build_demo

    fix_clock(monkeypatch)
    build_demo(lg)
    return lg


def make_app(lg, **kw) -> LedgerApp:
    app = LedgerApp(lg, as_of=AUDIT_DAY, **kw)
    app.sub_title = "ledger.db · tester"
    return app


def driver(*steps):
    """A run_before that performs ``steps`` (callables taking the pilot, or key names), waiting for
    the database after each, and stops the cursors blinking."""

    async def run_before(pilot) -> None:
        app = pilot.app
        await settle(app, pilot)
        for step in steps:
            if callable(step):
                result = step(pilot)
                if hasattr(result, "__await__"):
                    await result
            else:
                await pilot.press(step)
            await settle(app, pilot)
        steady_cursors(app)
        await pilot.pause()

    return run_before


def open_reader(article_id: int, **focus):
    def step(pilot):
        pilot.app.push_screen(ReaderScreen(article_id, **focus))

    return step


def select(text_of_passage: str):
    def step(pilot):
        text = pilot.app.screen.query_one(ArticleText)
        start = text.body.index(text_of_passage)
        text.select_span(start, start + len(text_of_passage))

    return step


def test_welcome_on_an_empty_ledger(lg, ledger_db, snap_compare):
    if "://" in ledger_db:
        pytest.skip("pinned on SQLite")
    assert snap_compare(make_app(lg), terminal_size=SIZE, run_before=driver())


def test_articles(demo, snap_compare):
    assert snap_compare(make_app(demo), terminal_size=SIZE, run_before=driver("down"))


def test_reader_with_inspector(demo, snap_compare):
    assert snap_compare(make_app(demo), terminal_size=SIZE, run_before=driver(open_reader(3), "n", "n"))


def test_reader_in_a_light_theme(demo, snap_compare):
    def light(pilot):
        pilot.app.theme = "textual-light"

    assert snap_compare(make_app(demo), terminal_size=SIZE, run_before=driver(light, open_reader(1), "n"))


def test_record_claim_dialog(demo, snap_compare):
    passage = "Kim called the agreement “peaceful and defensive”"
    assert snap_compare(make_app(demo), terminal_size=SIZE,
                        run_before=driver(open_reader(3), select(passage), "c"))


def test_link_claim_dialog(demo, snap_compare):
    passage = "shipped artillery shells and ballistic missiles to Russia"
    assert snap_compare(make_app(demo), terminal_size=SIZE,
                        run_before=driver(open_reader(3), select(passage), "l"))


def test_status_dialog(demo, snap_compare):
    assert snap_compare(make_app(demo), terminal_size=SIZE, run_before=driver(open_reader(3), "s"))


def test_cite_dialog(demo, snap_compare):
    assert snap_compare(make_app(demo), terminal_size=SIZE, run_before=driver(open_reader(3), "e"))


def test_sources(demo, snap_compare):
    assert snap_compare(make_app(demo), terminal_size=SIZE, run_before=driver("2", "down"))


def test_search(demo, snap_compare):
    def query(pilot):
        return pilot.press(*"missil")

    assert snap_compare(make_app(demo), terminal_size=SIZE, run_before=driver("3", query))


def test_audit(demo, snap_compare):
    assert snap_compare(make_app(demo), terminal_size=SIZE, run_before=driver("u"))


def test_export(demo, snap_compare):
    assert snap_compare(make_app(demo), terminal_size=SIZE, run_before=driver("down", "down", "x"))


def test_help(demo, snap_compare):
    assert snap_compare(make_app(demo), terminal_size=SIZE, run_before=driver("question_mark"))


def test_command_palette(demo, snap_compare):
    def open_reader_palette(pilot):
        return pilot.press(*"cite")

    assert snap_compare(make_app(demo), terminal_size=SIZE,
                        run_before=driver(open_reader(3), "ctrl+p", open_reader_palette))
