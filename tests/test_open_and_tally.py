"""``ledger open [ARTICLE_ID]`` (the terminal UI on one article's reader) and article tallies that count
open and unresolved claims apart."""

from __future__ import annotations

import sys

import pytest

from ledger.store.articles import category_counts
from ledger.vocabulary import DEFAULT_VOCABULARY, Vocabulary
from tests.tui import run as run_async, settle

PACT = "The two leaders signed a mutual defence pact"
ALLIES = "“We are now allies,” Kim Jong Un said"


@pytest.fixture
def judged(lg, article_files):
    """Article 1 with one disputed claim, one unverifiable and one still unverified."""
    lg.add_article(title="Pact", file=article_files["en"], lang="en")
    for quote in ("Pyongyang has shipped artillery shells", PACT, ALLIES):
        lg.add_claim(article_id=1, quote=quote)
    lg.set_status(claim_id=1, status="disputed", note="one side says so")
    lg.set_status(claim_id=2, status="unverifiable", note="no record")
    return lg


def test_unresolved_claims_are_not_counted_as_open(judged):
    row = judged.article(1)
    assert row.category_counts == {"open": 1, "pass": 0, "fail": 0, "unresolved": 2}
    assert judged.list_articles()[0].category_counts == row.category_counts
    assert judged.article_view(1).article.category_counts == row.category_counts


def test_categories_follow_the_ledger_vocabulary():
    vocabulary = Vocabulary({"new": "open", "confirmed": "pass", "unclear": "unresolved"})
    assert category_counts({"new": 2, "unclear": 3}, vocabulary) == {"open": 2, "pass": 0, "fail": 0,
                                                                     "unresolved": 3}
    assert category_counts({}, DEFAULT_VOCABULARY) == {"open": 0, "pass": 0, "fail": 0, "unresolved": 0}


def test_the_article_list_shows_open_and_unresolved_apart(judged, run):
    r = run("article list")
    assert r.code == 0 and "3 claims: 2 unresolved, 1 open" in r.out
    judged.set_status(claim_id=3, status="disputed", note="contested")
    assert "3 claims: 3 unresolved, 0 open" in run("article list").out
    assert "3 claims: 3 unresolved, 0 open" in run("article show 1").out
    assert run("article list --json").json()[0]["category_counts"]["open"] == 0


def test_open_without_a_terminal_describes_the_article(judged, run):
    r = run("open 1")
    assert r.code == 0 and "Article 1: Pact" in r.out and "2 unresolved, 1 open" in r.out


def test_open_refuses_a_missing_article_or_ledger(run, lg, workspace, tmp_path, monkeypatch):
    r = run("open 4")
    assert r.code == 1 and r.err == "error: no article with id 4\n"
    monkeypatch.setenv("LEDGER_DB", str(tmp_path / "typo.db"))
    r = run("open 1")
    assert r.code == 1 and "no ledger at" in r.err
    assert not (tmp_path / "typo.db").exists()
    assert run("open 0").code == 2


def test_open_on_a_terminal_starts_the_reader_on_the_article(judged, run, monkeypatch):
    import ledger.tui.app

    started = []
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    monkeypatch.setattr(ledger.tui.app, "run_app", lambda lg, article_id=None: started.append(article_id))
    assert run("open 1").code == 0
    assert run("open").code == 0  # alone, the same as `ledger`
    assert run("").code == 0
    assert started == [1, None, None]


def test_the_app_opens_the_reader_on_the_article_over_the_list(judged):
    from ledger.tui.app import LedgerApp
    from ledger.tui.screens.articles import ArticlesScreen
    from ledger.tui.screens.reader import ReaderScreen

    async def go() -> None:
        app = LedgerApp(judged, article_id=1)
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(app, pilot)
            assert isinstance(app.screen, ReaderScreen) and app.screen.article_id == 1
            assert app.screen.view is not None and app.screen.view.article.title == "Pact"
            await pilot.press("escape")
            await settle(app, pilot)
            assert isinstance(app.screen, ArticlesScreen)

    run_async(go)
