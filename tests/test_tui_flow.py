"""A fact-checker's whole day in the terminal UI, driven key by key on a real temporary ledger:
import an article, select a passage, record a claim, add and cite a source, set the status, see
the audit pass, move the article on, export the report. Then the refusals and the edges."""

from __future__ import annotations

from pathlib import Path

from ledger.tui.app import LedgerApp
from ledger.tui.screens.articles import ArticlesScreen
from ledger.tui.screens.audit import AuditScreen
from ledger.tui.screens.cite import CiteModal
from ledger.tui.screens.claim_forms import LinkClaimModal, RecordClaimModal
from ledger.tui.screens.export import ExportScreen
from ledger.tui.screens.importing import ImportArticleModal
from ledger.tui.screens.reader import ReaderScreen
from ledger.tui.screens.status import StatusModal
from ledger.tui.widgets.article_text import ArticleText
from ledger.tui.widgets.inspector import ClaimInspector
from tests.conftest import snapshot_tables
from tests.tui import paste, run, settle, text_of

QUOTE = "les premiers missiles nord-coréens ont frappé Kharkiv dès janvier"
EXCERPT = "The first North Korean ballistic missiles hit Kharkiv in January"
EXCERPT_SENTENCE = EXCERPT + ", the spokesman said."


def inspector_text(app) -> str:
    return text_of(app.screen.query_one(ClaimInspector).query_one("#inspector-body"))


async def select_passage(pilot, quote: str) -> None:
    """Put the cursor before the passage and extend the selection word by word (ctrl+shift+right),
    then character by character (shift+left / shift+right) to its exact end."""
    text = pilot.app.screen.query_one(ArticleText)
    start = text.body.index(quote)
    end = start + len(quote)
    text.focus()
    text.place_cursor(start)
    await pilot.pause()
    while text.cursor_offset < end:
        await pilot.press("ctrl+shift+right")
    while text.cursor_offset > end:
        await pilot.press("shift+left")
    assert text.selected_span == (start, end)


def test_the_whole_day(lg, article_files, tmp_path: Path):
    app = LedgerApp(lg)

    async def day() -> None:
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(app, pilot)
            # an empty workspace offers the sample ledger or an import
            assert isinstance(app.screen, ArticlesScreen)
            assert app.screen.query_one("#welcome").display

            await pilot.press("i")
            await settle(app, pilot)
            assert isinstance(app.screen, ImportArticleModal)
            await paste(pilot, "#file", str(article_files["fr"]))
            await paste(pilot, "#title", "Visite à Pyongyang")
            await paste(pilot, "#published", "19 juin 2024")
            await pilot.press("ctrl+s")
            await settle(app, pilot)
            assert isinstance(app.screen, ReaderScreen)
            article = lg.list_articles()[0]
            assert article.title == "Visite à Pyongyang" and str(article.published) == "2024-06-19"

            # select a passage with the keyboard and record a claim from it
            await select_passage(pilot, QUOTE)
            await pilot.press("c")
            await settle(app, pilot)
            assert isinstance(app.screen, RecordClaimModal)
            # "Selon Washington": proposed as Washington's attribution; the checker checks the fact itself
            assert (app.screen.query_one("#kind").value, app.screen.query_one("#claimant").value) == \
                ("attribution", "Washington")
            app.screen.query_one("#kind").value = "assertion"
            app.screen.query_one("#claimant").value = ""
            app.screen.query_one("#text").value = ""
            await paste(pilot, "#text", "North Korean missiles first hit Kharkiv in January")
            await paste(pilot, "#date", "ce 18 juin")
            await pilot.press("ctrl+s")
            await settle(app, pilot)
            assert isinstance(app.screen, ReaderScreen)
            claim = lg.list_claims()[0]
            assert claim.text == "North Korean missiles first hit Kharkiv in January"
            assert str(claim.claim_date) == "2024-06-18"
            assert lg.claim(claim.id).appearances[0].quote == QUOTE
            assert f"Claim #{claim.id}" in inspector_text(app)

            # a new source, archived, cited with the excerpt selected in its text
            await pilot.press("e")
            await settle(app, pilot)
            assert isinstance(app.screen, CiteModal)
            await paste(pilot, "#source-query", str(article_files["evidence"]))
            await pilot.press("enter")
            await settle(app, pilot)
            await pilot.press("slash", *"missiles hit Kharkiv", "enter")
            await settle(app, pilot)
            app.screen.query_one("#locator").value = ""
            await paste(pilot, "#locator", "para. 1")
            await pilot.press("enter")
            await settle(app, pilot)
            assert isinstance(app.screen, ReaderScreen), text_of(app.screen.query_one(".form-error"))
            detail = lg.claim(claim.id)
            assert [(c.stance, c.excerpt, c.locator) for c in detail.citations] == [("supports", EXCERPT_SENTENCE,
                                                                                    "para. 1")]
            source = lg.source(detail.citations[0].source_id)
            assert (lg.workspace.sources_dir / source.file_name).is_file()
            assert source.title.startswith("Transcript.") and "Transcript." in inspector_text(app)

            # set the status with a note
            await pilot.press("s")
            await settle(app, pilot)
            assert isinstance(app.screen, StatusModal)
            await pilot.press("v")  # one letter: verified, on to the note
            await paste(pilot, "#note", "checked against the transcript")
            await pilot.press("enter")
            await settle(app, pilot)
            assert isinstance(app.screen, ReaderScreen)
            assert lg.claim(claim.id).claim.status == "verified"
            assert "checked against the transcript" in inspector_text(app)

            # the audit passes; the article moves on from there
            await pilot.press("u")
            await settle(app, pilot)
            assert isinstance(app.screen, AuditScreen)
            assert app.screen.report.publishable
            assert "Nothing blocks publication" in text_of(app.screen.query_one("#audit-summary"))
            await pilot.press("a")
            await settle(app, pilot)
            await pilot.press("ctrl+s")
            await settle(app, pilot)
            assert lg.article(article.id).state == "in_review"
            await pilot.press("escape")
            await settle(app, pilot)

            # export the report
            await pilot.press("x")
            await settle(app, pilot)
            assert isinstance(app.screen, ExportScreen)
            target = tmp_path / "report.md"
            app.screen.query_one("#path").value = ""
            await paste(pilot, "#path", str(target))
            await pilot.press("ctrl+s")
            await settle(app, pilot)
            report = target.read_text(encoding="utf-8")
            assert "North Korean missiles first hit Kharkiv in January" in report
            assert not list(tmp_path.glob(".*.partial"))

    run(day)


def test_refusals_show_the_reason_and_change_nothing(lg, article_files):
    article_id = lg.add_article(title="Visite", file=article_files["fr"])
    lg.add_claim(article_id=article_id, quote=QUOTE)
    app = LedgerApp(lg)

    async def refuse() -> None:
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(app, pilot)
            await pilot.press("enter")
            await settle(app, pilot)
            assert isinstance(app.screen, ReaderScreen)
            before = snapshot_tables(lg)

            # verified without a supporting citation
            await pilot.press("s")
            await settle(app, pilot)
            await pilot.press("down", "down", "enter")
            await paste(pilot, "#note", "looks right")
            await pilot.press("enter")
            await settle(app, pilot)
            assert isinstance(app.screen, StatusModal)
            error = text_of(app.screen.query_one(".form-error"))
            assert "Refused:" in error and "no supporting citation" in error
            await pilot.press("escape")  # a typed note: asked before it is thrown away
            await settle(app, pilot)
            await pilot.press("y")
            await settle(app, pilot)

            # words that are not in the source's text: nothing is selected, nothing is cited
            lg.add_source(title="Briefing transcript", file=article_files["evidence"])
            before = snapshot_tables(lg)
            await pilot.press("e")
            await settle(app, pilot)
            await paste(pilot, "#source-query", "Briefing")
            await pilot.press("enter")
            await settle(app, pilot)
            await pilot.press("slash", *"words nobody said", "enter")
            await settle(app, pilot)
            assert "is not in this source" in text_of(app.screen.query_one(".form-error"))
            await pilot.press("escape", "enter")  # the find field closes; enter without an excerpt is refused
            await settle(app, pilot)
            assert isinstance(app.screen, CiteModal)
            assert "select the excerpt" in text_of(app.screen.query_one(".form-error"))
            await pilot.press("escape", "escape")  # back to the sources, then asked before closing
            await settle(app, pilot)
            await pilot.press("y")
            await settle(app, pilot)
            assert isinstance(app.screen, ReaderScreen)

            # recording a claim with no passage selected only explains how to select one
            await pilot.press("c")
            await settle(app, pilot)
            assert isinstance(app.screen, ReaderScreen)
            assert snapshot_tables(lg) == before
            assert not any(p.name.startswith(".staging") for p in lg.workspace.sources_dir.glob("*"))

    run(refuse)


def test_link_a_passage_to_a_claim_of_another_article(lg, article_files):
    fr = lg.add_article(title="Visite", file=article_files["fr"])
    en = lg.add_article(title="Pact", file=article_files["en"])
    claim_id = lg.add_claim(article_id=fr, quote="La Corée du Nord aurait fourni des munitions à la Russie",
                            text="North Korea supplied munitions to Russia")
    app = LedgerApp(lg)
    passage = "Pyongyang has shipped artillery shells and missiles to Moscow"

    async def link() -> None:
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(app, pilot)
            app.push_screen(ReaderScreen(en))
            await settle(app, pilot)
            await select_passage(pilot, passage)
            await pilot.press("l")
            await settle(app, pilot)
            assert isinstance(app.screen, LinkClaimModal)
            # the claim is worded differently (and first seen in French): search for it by its words
            app.screen.query_one("#query").value = ""
            await pilot.press(*"munitions to Russia")
            await pilot.pause(0.3)
            await settle(app, pilot)
            options = app.screen.query_one("#candidates")
            assert options.get_option_at_index(0).id == str(claim_id)  # the closest claim first
            await pilot.press("enter")
            await settle(app, pilot)
            assert isinstance(app.screen, ReaderScreen)
            assert sorted(a.article_id for a in lg.claim(claim_id).appearances) == [fr, en]
            assert app.screen.current is not None
            assert app.screen.mark_rows[app.screen.current].claim_id == claim_id

    run(link)


def test_changes_made_elsewhere_show_on_refresh(lg, article_files):
    article_id = lg.add_article(title="Visite", file=article_files["fr"])
    app = LedgerApp(lg)

    async def refresh() -> None:
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(app, pilot)
            await pilot.press("enter")
            await settle(app, pilot)
            assert app.screen.marks == []
            lg.add_claim(article_id=article_id, quote=QUOTE)  # the CLI, or a colleague
            await pilot.press("f5")
            await settle(app, pilot)
            assert len(app.screen.marks) == 1
            await pilot.press("escape")
            lg.add_article(title="Second article", file=article_files["en"])
            await pilot.press("ctrl+r")
            await settle(app, pilot)
            table = app.screen.query_one("#articles")
            assert table.total == 2 and table.row(0).title == "Second article"

    run(refresh)


def test_next_and_previous_claim_and_the_mouse(lg, article_files):
    article_id = lg.add_article(title="Visite", file=article_files["fr"])
    first = lg.add_claim(article_id=article_id, quote="une visite de deux jours à Pyongyang")
    second = lg.add_claim(article_id=article_id, quote=QUOTE)
    app = LedgerApp(lg)

    async def walk() -> None:
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(app, pilot)
            app.push_screen(ReaderScreen(article_id))
            await settle(app, pilot)
            screen = app.screen
            claim_at = lambda: screen.mark_rows[screen.current].claim_id  # noqa: E731
            assert claim_at() == first
            await pilot.press("n")
            await settle(app, pilot)
            assert claim_at() == second
            await pilot.press("n")  # wraps round
            await settle(app, pilot)
            assert claim_at() == first
            await pilot.press("p")
            await settle(app, pilot)
            assert claim_at() == second
            # a drag with the mouse selects a passage too
            text = screen.query_one(ArticleText)
            await pilot.mouse_down(text, offset=(2, 0))
            await pilot.hover(text, offset=(12, 0))
            await pilot.mouse_up(text, offset=(12, 0))
            await pilot.pause()
            assert text.selected_span is not None

    run(walk)


def test_an_orphaned_appearance_is_relinked_by_hand(lg, article_files):
    article_id = lg.add_article(title="Visite", file=article_files["fr"])
    quote = "Le traité prévoit une assistance mutuelle en cas d’agression"
    claim_id = lg.add_claim(article_id=article_id, quote=quote, text="The treaty provides for mutual assistance")
    new_body = article_files["fr"].read_text(encoding="utf-8").replace(
        quote, "Chacun des deux pays devra porter secours à l'autre s'il est attaqué")
    lg.update_article(article_id, body=new_body)
    assert lg.claim(claim_id).appearances[0].orphaned
    app = LedgerApp(lg)

    async def relink() -> None:
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(app, pilot)
            app.push_screen(ReaderScreen(article_id))
            await settle(app, pilot)
            orphans = app.screen.query_one("#orphans")
            assert orphans.display and orphans.option_count == 1
            await select_passage(pilot, "Chacun des deux pays devra porter secours")
            await pilot.press("o")
            await pilot.press("enter")
            await settle(app, pilot)
            appearance = lg.claim(claim_id).appearances[0]
            assert not appearance.orphaned and appearance.quote == "Chacun des deux pays devra porter secours"
            assert not app.screen.query_one("#orphans").display
            assert [a.claim_id for a in app.screen.mark_rows] == [claim_id]
            history = lg.claim(claim_id).history
            assert history[-1].action == "appearance.reanchor" and history[-1].payload["method"] == "manual"

    run(relink)


def test_an_audit_finding_opens_its_passage_in_the_reader(lg, article_files):
    article_id = lg.add_article(title="Visite", file=article_files["fr"], published="2024-06-19")
    app = LedgerApp(lg)

    async def follow() -> None:
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(app, pilot)
            await pilot.press("u")
            await settle(app, pilot)
            assert isinstance(app.screen, AuditScreen)
            uncovered = [f for f in app.screen.report.findings if f.rule == "uncovered-sentence"]
            assert uncovered, app.screen.report.findings
            findings = app.screen.query_one("#findings")
            findings.focus()
            while findings.highlighted is None or findings.get_option_at_index(findings.highlighted).id is None:
                await pilot.press("down")
            chosen = app.screen._finding(findings.get_option_at_index(findings.highlighted).id)
            await pilot.press("enter")
            await settle(app, pilot)
            assert isinstance(app.screen, ReaderScreen) and app.screen.article_id == article_id
            text = app.screen.query_one(ArticleText)
            start, end = text.selected_span
            assert chosen.quote and text.body[start:end] == chosen.quote

    run(follow)
