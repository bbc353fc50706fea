"""Random key bursts never crash the terminal UI: thousands of keys, a fixed seed, sent in bursts
with no pause between them, into every screen and dialog of a small ledger made for it. Each phase
opens its screen or dialog by its keys, pours random keys into it (mostly the keys that screen
answers, some that leave it), then escapes out. Results of ledger calls reaching a screen already
closed are dropped; nothing reaches the app's last-resort handler and nothing is reported as an
unexpected error; and every screen and dialog was reached."""

from __future__ import annotations

import asyncio
import random
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from ledger.tui.app import LedgerApp
from tests.tui import burst, run, settle

SEED = 1212

# ------------------------------------------------------------------ the ledger the bursts run on
SUPPLY = ("North Korea has supplied 11,000 artillery shells to Russia since August, officials said. "
          "The two leaders signed a mutual defence treaty in Pyongyang on Wednesday. "
          "“We are now allies,” Kim Jong Un said at the banquet.\n\n"
          "The talks lasted two days.\n")
SUMMIT = ("The summit ended late at night with a long banquet for the delegations. "
          "Officials in Washington said Pyongyang shipped 11 000 artillery shells to Russia since August. "
          "Reporters were kept far from the talks.\n")
MINUTES = ("Minutes of the briefing, 20 June\n\n"
           "The spokesman opened the briefing at ten.\n\n"
           "He said 11,000 artillery shells had reached Russia since August. Questions followed on the treaty.\n")
WIRE = "Agency wire\n\nThe two leaders signed a mutual defence treaty in Pyongyang, the agency reported.\n"
SHELLS = "North Korea has supplied 11,000 artillery shells to Russia since August"
TREATY = "The two leaders signed a mutual defence treaty in Pyongyang"


@pytest.fixture
def desk(lg, ledger_db, tmp_path: Path):
    """Two articles: "Supply" with a cited claim and a verdict a revision reworded (edit, retract,
    confirm), "Summit" with a sentence matching a claim of the first (a suggestion); two archived
    sources to cite."""
    if "://" in ledger_db:
        pytest.skip("the terminal UI runs on SQLite in these tests; the ledger below it is tested on both")
    return build_desk(lg, tmp_path)


def build_desk(lg, folder: Path):
    supply = lg.add_article(title="Supply", body=SUPPLY, lang="en", published="2024-06-19", outlet="Daily")
    shells = lg.add_claim(article_id=supply, quote=SHELLS)
    treaty = lg.add_claim(article_id=supply, quote=TREATY)
    files = []
    for name, text in (("minutes.txt", MINUTES), ("wire.txt", WIRE)):
        files.append(folder / name)
        files[-1].write_text(text, encoding="utf-8")
    minutes = lg.add_source(title="Minutes of the briefing", file=files[0], publisher="Ministry")
    wire = lg.add_source(title="Agency wire", file=files[1], publisher="Agency")
    lg.cite(claim_id=shells, source_id=minutes, stance="supports",
            excerpt="He said 11,000 artillery shells had reached Russia since August.")
    lg.cite(claim_id=treaty, source_id=wire, stance="supports")
    lg.set_status(claim_id=treaty, status="verified", note="the wire says so")
    lg.update_article(supply, body=SUPPLY.replace("mutual defence treaty", "mutual-defence treaty"))
    assert any(a.needs_confirm for a in lg.claim(treaty).appearances)
    lg.add_article(title="Summit", body=SUMMIT, lang="en")
    return lg


# ------------------------------------------------------------------ where the app is
def places(app: Any) -> set[str]:
    """What is in view: the screen or dialog, and the part of it that has its own keys."""
    from textual.command import CommandPalette
    from textual.theme import ThemeProvider

    from ledger.tui.screens.audit import AuditScreen
    from ledger.tui.screens.cite import CiteModal
    from ledger.tui.screens.export import ExportScreen
    from ledger.tui.screens.reader import ReaderScreen
    from ledger.tui.widgets.article_text import ArticleText
    from ledger.tui.widgets.inspector import ClaimInspector

    screen = app.screen
    name = type(screen).__name__
    found = {name}
    if isinstance(screen, ReaderScreen) and screen.view is not None:
        if isinstance(screen.focused, ClaimInspector):
            found.add("ReaderScreen:inspector")
        if screen.suggestion_at(screen.query_one(ArticleText).cursor_offset) is not None:
            found.add("ReaderScreen:suggestion")
    elif isinstance(screen, CiteModal):
        found.add("CiteModal:source-text" if screen.source is not None else "CiteModal:pick-source")
    elif isinstance(screen, ExportScreen):
        if str(screen.query_one("#export-status").content).startswith("Preview of"):
            found.add("ExportScreen:preview")
    elif isinstance(screen, AuditScreen):
        if screen.report is not None and screen.query_one("#findings").highlighted is not None:
            found.add("AuditScreen:finding")
    elif isinstance(screen, CommandPalette):
        if ThemeProvider in (screen._supplied_providers or ()):  # noqa: SLF001 - which palette it is
            found = {"ThemePicker"}
    return found


# ------------------------------------------------------------------ the phases
TYPING = list("abest 40.") + ["backspace"]
MOVING = ["down", "up", "left", "right", "pagedown", "pageup", "home", "end", "tab", "shift+tab"]
SELECTING = ["space", "space", "shift+right", "shift+down", "ctrl+shift+right", "shift+left"]
LEAVING = ["escape", "enter", "y", "n"]  # close, confirm, answer a discard question
ANYWHERE = (["enter"] * 6 + ["escape"] * 6 + ["down"] * 4 + ["up"] * 2 + MOVING + SELECTING
            + list("123nnpcclsseeuuxwwoiav/rfmdkERy") + ["question_mark", "f5", "ctrl+s", "ctrl+n", "ctrl+p"]
            + TYPING)


@dataclass
class Phase:
    """Open ``target`` with ``route`` (from the articles list), then ``keys`` random keys drawn
    from ``alphabet`` (and, one in ``wild_every``, from every key of the app)."""

    target: str
    route: list[str]
    alphabet: list[str]
    keys: int = 90
    mode: str = "articles"
    wild_every: int = 8
    extra: set[str] = field(default_factory=set)


def open_article(title: str) -> list[str]:
    """From the articles list: filter by the title, then enter (to the list), enter (open)."""
    return ["slash", *title, "pause", "enter", "enter"]


SUPPLY_KEYS = open_article("Supply")
SUMMIT_KEYS = open_article("Summit")

PHASES = [
    # what one phase changes cannot undo what a later route needs (the reworded verdict, the citation)
    # first: a wild "r" in any later phase may reject the only suggestion, which is then never made again
    Phase("ReaderScreen:suggestion", SUMMIT_KEYS + ["w", "left"],
          ["a", "r", "space", "w", "left", "right", "up", "down", "home", "end", "escape", "f5"]),
    Phase("ConfirmClaimModal", SUPPLY_KEYS + ["n", "k"], TYPING + LEAVING + ["tab", "ctrl+s"]),
    Phase("RetractCitationModal", SUPPLY_KEYS + ["R"], TYPING + LEAVING + ["down", "up", "tab", "ctrl+s"]),
    Phase("ReaderScreen", SUPPLY_KEYS, MOVING + SELECTING + list("wnpio") + ["escape", "f5", "a", "r"]),
    Phase("ReaderScreen:inspector", SUPPLY_KEYS + ["i"], ["down", "up", "pagedown", "home", "end", "escape", "tab",
                                                          "enter", "i", "n", "p"]),
    Phase("RecordClaimModal", SUPPLY_KEYS + ["w", "c"], TYPING + LEAVING + ["tab", "shift+tab", "down", "up",
                                                                            "ctrl+s"]),
    Phase("LinkClaimModal", SUMMIT_KEYS + ["space", "l"], TYPING + LEAVING + ["down", "up", "tab", "ctrl+s"]),
    Phase("CiteModal:pick-source", SUPPLY_KEYS + ["e"], TYPING + LEAVING + ["down", "up", "tab", "ctrl+n",
                                                                             "ctrl+s"]),
    Phase("CiteModal:source-text", SUPPLY_KEYS + ["e", *"Minutes", "enter"],
          MOVING + SELECTING + list("srcsrc/") + TYPING + LEAVING + ["ctrl+s"]),
    Phase("StatusModal", SUPPLY_KEYS + ["s"], list("vfmiu") + TYPING + LEAVING + ["down", "up", "tab"]),
    Phase("DiscardModal", SUPPLY_KEYS + ["s", "f", *"typed", "escape"], ["y", "n", "d", "escape", "tab", "enter"],
          keys=30),
    Phase("EditClaimModal", SUPPLY_KEYS + ["E"], TYPING + LEAVING + ["tab", "shift+tab", "down", "up", "ctrl+s"]),
    Phase("AuditScreen:finding", ["u"], ["down", "up", "pagedown", "home", "end", "enter", "escape", "a"]),
    Phase("StateModal", ["u", "pause", "a"], TYPING + LEAVING + ["ctrl+s"], keys=40),
    Phase("ExportScreen:preview", ["x"], TYPING + LEAVING + ["tab", "shift+tab", "down", "up", "ctrl+s"]),
    Phase("ArticlesScreen", [], ["down", "up", "pagedown", "home", "end", "slash", "tab", "escape", "enter", "f5"]
          + TYPING),
    Phase("ImportArticleModal", ["i"], TYPING + LEAVING + ["tab", "shift+tab", "down", "up", "ctrl+s"]),
    Phase("SourcesScreen", ["2"], ["down", "up", "pagedown", "home", "end", "slash", "tab", "escape", "enter"]
          + TYPING, mode="sources"),
    Phase("AddSourceModal", ["2", "a"], TYPING + LEAVING + ["tab", "shift+tab", "down", "up", "ctrl+s"],
          mode="sources"),
    Phase("SearchScreen", ["3", *"shells", "pause"], TYPING + ["down", "up", "enter", "escape", "slash", "tab"],
          mode="search"),
    Phase("HelpScreen", ["question_mark"], ["down", "up", "pagedown", "pageup", "home", "end", "tab"], keys=40),
    Phase("CommandPalette", ["ctrl+p"], TYPING + ["down", "up", "enter", "escape"]),
    Phase("ThemePicker", ["ctrl+p", *"theme", "pause", "enter"], TYPING + ["down", "up", "enter", "escape"],
          keys=40),
    # and anywhere: every key of the app, from the articles list
    Phase("ArticlesScreen", [], ANYWHERE, keys=400, wild_every=1),
]
REACHED = {p.target for p in PHASES} | {"ArticlesScreen", "ReaderScreen", "CiteModal"}


async def drain(app: Any, pilot: Any) -> None:
    """Until every key sent has been handled and every ledger call has answered."""
    while app._early_keys and app.is_running:  # noqa: SLF001 - the keys waiting for a screen to be ready
        await asyncio.sleep(0.02)  # (not pilot.pause: it queues a message to every widget, so none looks idle)
    await settle(app, pilot, rounds=2)


async def home(app: Any, pilot: Any, mode: str = "articles") -> None:
    """Back to a mode's own screen, whatever the bursts left open."""
    await drain(app, pilot)
    for each in dict.fromkeys([app.current_mode, "articles", "sources", "search"]):
        if app.current_mode != each:
            await app.switch_mode(each)
        while len(app.screen_stack) > 1:
            await app.pop_screen()
    if app.current_mode != mode:
        await app.switch_mode(mode)
    from ledger.tui.screens.listing import ListingScreen

    if isinstance(app.screen, ListingScreen):  # what the last bursts typed into its filter goes too
        if app.screen.filter_input.value:
            app.screen.filter_input.value = ""
            await pilot.pause(0.3)  # the list is read again once the typing pauses
        app.screen.table.focus()
    await settle(app, pilot, rounds=1)


async def take(app: Any, pilot: Any, route: list[str]) -> None:
    """Open a screen or dialog by its keys, letting each one land (``pause``: a typing pause)."""
    for key in route:
        if key == "pause":
            await pilot.pause(0.3)
        else:
            await pilot.press(key)
        await settle(app, pilot, rounds=1)


def stopped_why(app: Any) -> str:
    """Why the app is no longer running: the error it stopped on, with its traceback."""
    import traceback

    error = app._exception  # noqa: SLF001 - what the app stopped on
    if error is None:
        return f"the app exited without an error (return code {app.return_code})"
    return "".join(traceback.format_exception(type(error), error, error.__traceback__))


def test_random_key_bursts_never_crash_and_reach_every_screen(desk):
    pour(LedgerApp(desk), random.Random(SEED))


def pour(app: LedgerApp, rng: random.Random, log: Any = None) -> None:
    """Every phase's keys into ``app``; fails on an unexpected error or a screen never reached."""
    seen: set[str] = set()
    missed: list[str] = []
    pressed = 0

    async def quit_picked() -> None:
        """The palette's "Quit" (typing "t" and Enter in it picks it): a real way out, noted
        as a place reached; the bursts go on in the same app."""
        seen.add("quit")

    app.action_quit = quit_picked  # type: ignore[method-assign]

    async def bursts() -> None:
        nonlocal pressed
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(app, pilot)
            # the burst that crashed the reader: open, audit, back, back — before anything loaded
            for _ in range(5):
                await burst(app, ["enter", "u", "escape", "escape"])
                pressed += 4
                await pilot.pause()
            for phase in PHASES:
                if log:
                    log(f"phase {phase.target} errors={len(app.unexpected_errors)} pressed={pressed}")
                await home(app, pilot, phase.mode)
                await take(app, pilot, phase.route)
                here = places(app)
                seen.update(here)
                if phase.target not in here:
                    missed.append(f"{phase.target} (its keys led to {sorted(here)})")
                sent = 0
                while sent < phase.keys:
                    keys = [rng.choice(ANYWHERE if rng.randrange(phase.wild_every) == 0 else phase.alphabet)
                            for _ in range(rng.randint(5, 40))]
                    await burst(app, keys)  # and the next burst at once: no pause between them
                    sent += len(keys)
                    await asyncio.sleep(0)
                    seen.update(places(app))
                pressed += sent
                await drain(app, pilot)
                seen.update(places(app))
                await burst(app, ["escape", "escape", "y", "escape", "escape"])  # and out
                pressed += 5
            await drain(app, pilot)
            assert app.is_running, stopped_why(app)

    run(bursts)
    assert not app.unexpected_errors, app.unexpected_errors[:3]
    assert not missed, missed
    assert REACHED <= seen, REACHED - seen
    assert pressed >= 2000
