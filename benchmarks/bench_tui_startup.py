"""The terminal UI's first frame on an empty ledger and on a newsroom archive (target: the big
one within 1.5x of the empty one), then how quickly the big one scrolls, filters and searches.

Builds, through the bulk path, a ledger of 100,000 articles and 1,000,000 claims (ten per article,
each anchored in its article, in every status), cached under ``benchmarks/out/`` so later runs
reuse it. Both ledgers are timed the same way: from opening the ledger to the app having drawn
the articles screen with its data (the first page of rows, or the empty-ledger welcome),
median of several runs, alternating.

    python benchmarks/bench_tui_startup.py [--articles 100000] [--claims-per-article 10] [--runs 5]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any, Callable, Iterator

from textual.widgets import Input

from ledger import store
from ledger.text.anchoring import make_anchor
from ledger.services.ledger import open_ledger
from ledger.tui.app import LedgerApp
from ledger.tui.screens.articles import ArticlesScreen
from ledger.tui.screens.reader import ReaderScreen
from ledger.tui.screens.search import SearchScreen
from ledger.tui.widgets.virtual_table import VirtualTable

OUT = Path(__file__).resolve().parent / "out"
TARGET_RATIO = 1.5
SIZE = (120, 40)

OUTLETS = ["The Harbour Ledger", "Le Veilleur", "La Gazette de l'Est", "The Northgate Courier", "Coast Wire",
           "Baltic Morning", "Le Courrier du Port", "The Valley Standard"]
STATES = ["draft", "in_review", "approved", "published"]
STATUSES = ["verified"] * 4 + ["unverified"] * 3 + ["in_progress", "false", "misleading", "disputed", "unverifiable"]
SUBJECTS = ["the port authority", "the ministry", "the council", "the agency", "the company", "the mayor",
            "the union", "the regulator", "the army", "the coast guard", "le ministère", "la préfecture"]
VERBS = ["shipped", "approved", "reported", "delivered", "announced", "rejected", "signed", "inspected",
         "a livré", "a annoncé", "a signé"]
THINGS = ["containers", "tonnes of grain", "artillery shells", "permits", "vessels", "cranes", "contracts",
          "missiles", "obus", "navires", "inspections", "barrels of oil"]
PLACES = ["Pyongyang", "Kharkiv", "Rotterdam", "Gdansk", "Marseille", "Busan", "Odesa", "Vladivostok",
          "Hamburg", "Le Havre", "Seoul", "Kyiv"]


def sentence(rng: random.Random, n: int) -> str:
    return (f"{rng.choice(SUBJECTS).capitalize()} {rng.choice(VERBS)} {n} {rng.choice(THINGS)} "
            f"in {rng.choice(PLACES)} in week {n % 52}")


def article_rows(count: int, per_article: int, seed: int) -> Iterator[tuple[dict[str, Any], list[str]]]:
    rng = random.Random(seed)
    start = date(2020, 1, 1)
    for i in range(count):
        claims = [sentence(rng, i * per_article + k) for k in range(per_article)]
        filler = f"Reporting by staff in {rng.choice(PLACES)}."
        body = " ".join(f"{c}, officials said." for c in claims) + f"\n\n{filler}\n"
        yield ({"title": f"{rng.choice(PLACES)}: {rng.choice(THINGS)} report no. {i}",
                "outlet": rng.choice(OUTLETS), "published": start + timedelta(days=i % 1500),
                "state": STATES[i % 4], "lang": "en", "body": body}, claims)


def build_big(path: Path, articles: int, per_article: int) -> None:
    marker = path.with_suffix(".built")
    wanted = f"{articles} {per_article}"
    if path.exists() and marker.exists() and marker.read_text() == wanted:
        return
    for p in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm"), marker):
        p.unlink(missing_ok=True)
    print(f"building {articles:,} articles and {articles * per_article:,} claims in {path} (cached for later runs)…")
    t0 = time.perf_counter()
    lg = open_ledger(str(path), actor="bench")
    batch = 5000
    rows = article_rows(articles, per_article, seed=7)
    done = 0
    while done < articles:
        chunk = [next(rows) for _ in range(min(batch, articles - done))]
        with lg.db.write() as conn:
            ids = store.bulk_insert_articles(conn, articles=[a for a, _ in chunk], actor="bench")
            claims = []
            for article_id, (a, texts) in zip(ids, chunk):
                body = a["body"]
                for k, text in enumerate(texts):
                    at = body.index(text)
                    anchor = make_anchor(body, at, at + len(text))
                    claims.append({"text": text, "status": STATUSES[(article_id + k) % len(STATUSES)],
                                   "appearances": [{"article_id": article_id, "quote": anchor.quote,
                                                    "start": anchor.start, "end": anchor.end,
                                                    "prefix": anchor.prefix, "suffix": anchor.suffix}]})
            store.bulk_insert_claims(conn, claims=claims, actor="bench")
        done += len(chunk)
        if done % 20000 == 0 or done == articles:
            print(f"  {done:,} articles, {time.perf_counter() - t0:.0f} s")
    lg.close()
    marker.write_text(wanted)


# ------------------------------------------------------------------------------ timing
async def wait_for(condition: Callable[[], bool], pilot: Any, timeout: float = 60.0) -> None:
    deadline = time.perf_counter() + timeout
    while not condition():
        if time.perf_counter() > deadline:
            raise TimeoutError("the screen did not get its data")
        await asyncio.sleep(0.001)
    await pilot.pause()  # and the frame showing it is drawn


def articles_shown(app: LedgerApp) -> bool:
    screen = app.screen
    return isinstance(screen, ArticlesScreen) and screen._empty is not None


async def first_frame(db: str) -> float:
    t0 = time.perf_counter()
    lg = open_ledger(db, actor="bench")
    app = LedgerApp(lg)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(lambda: articles_shown(app), pilot)
        elapsed = time.perf_counter() - t0
    lg.close()
    return elapsed


async def interactions(db: str) -> dict[str, float]:
    """Seconds each step takes on the big ledger, from the request to the rows being on screen."""
    out: dict[str, float] = {}
    lg = open_ledger(db, actor="bench")
    app = LedgerApp(lg)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(lambda: articles_shown(app), pilot)
        screen = app.screen
        table = screen.query_one(VirtualTable)
        await wait_for(lambda: table.total_is_exact, pilot)
        out["articles counted (in a worker, after the first frame)"] = float(table.total)

        t = time.perf_counter()
        for _ in range(30):
            await pilot.press("f12")  # bound to nothing: what a keypress costs the test driver itself
        out["baseline: a keypress that does nothing (test driver)"] = (time.perf_counter() - t) / 30

        t = time.perf_counter()
        for _ in range(30):
            await pilot.press("pagedown")
            await wait_for(lambda: table.cursor_row is not None, pilot)
        out["page down, 30 times (each: keypress to rows drawn)"] = (time.perf_counter() - t) / 30

        t = time.perf_counter()
        await pilot.press("end")
        await wait_for(lambda: table.cursor_row is not None, pilot)
        out["end: jump to the 100,000th article"] = time.perf_counter() - t

        t = time.perf_counter()
        await pilot.press("home")
        await wait_for(lambda: table.cursor_row is not None, pilot)
        out["home: back to the first article"] = time.perf_counter() - t

        for label, text in (("filter 'rotterdam' (common)", "rotterdam"), ("filter 'no. 99999' (rare)", "no. 99999")):
            field = screen.query_one("#filter", Input)
            with field.prevent(Input.Changed):  # timed from the query, not from the typing pause
                field.value = text
            t = time.perf_counter()
            screen.query_articles()
            await wait_for(lambda: table.loaded, pilot)
            out[label + ": first page"] = time.perf_counter() - t
            await wait_for(lambda: table.total_is_exact, pilot)
            out[label + ": count"] = time.perf_counter() - t

        await pilot.press("3")
        await pilot.pause()
        search = app.screen
        assert isinstance(search, SearchScreen)
        hits = search.query_one(VirtualTable)
        for label, text in (("search 'rotterdam containers'", "rotterdam containers"), ("search 'kharkiv'", "kharkiv"),
                            ("search 'week 51'", "week 51")):
            field = search.query_one("#query", Input)
            with field.prevent(Input.Changed):
                field.value = text
            t = time.perf_counter()
            search.run_search()
            await wait_for(lambda: hits.loaded, pilot)
            out[label + ": first page"] = time.perf_counter() - t

        await pilot.press("1")
        await pilot.pause()
        middle = max(1, int(out["articles counted (in a worker, after the first frame)"]) // 2)
        t = time.perf_counter()
        app.push_screen(ReaderScreen(middle))
        await pilot.pause()
        await wait_for(lambda: isinstance(app.screen, ReaderScreen) and bool(app.screen.marks)
                       and app.screen.current_detail is not None, pilot)
        out["open an article in the reader (text, claims, inspector)"] = time.perf_counter() - t

        t = time.perf_counter()
        lg.claim_candidates("the port authority shipped 120 containers in Rotterdam")
        out["link: claims resembling a passage (full-text, 1M claims)"] = time.perf_counter() - t
    lg.close()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--claims-per-article", type=int, default=10)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    OUT.mkdir(exist_ok=True)
    big = OUT / f"tui-{args.articles}x{args.claims_per_article}.db"
    build_big(big, args.articles, args.claims_per_article)
    with tempfile.TemporaryDirectory() as folder:
        empty = str(Path(folder) / "ledger.db")
        open_ledger(empty).close()  # created and migrated once, like a workspace in use
        asyncio.run(first_frame(empty))  # warm-up: imports, CSS
        times: dict[str, list[float]] = {"empty": [], "big": []}
        for _ in range(args.runs):
            times["empty"].append(asyncio.run(first_frame(empty)))
            times["big"].append(asyncio.run(first_frame(str(big))))
    e, b = statistics.median(times["empty"]), statistics.median(times["big"])
    print(f"first frame, empty ledger:                         {e * 1000:8.1f} ms (median of {args.runs})")
    print(f"first frame, {args.articles:,} articles / {args.articles * args.claims_per_article:,} claims: "
          f"{b * 1000:8.1f} ms (median of {args.runs})")
    print(f"ratio big / empty: {b / e:.2f} (target ≤ {TARGET_RATIO}) — {'ok' if b / e <= TARGET_RATIO else 'MISSED'}")
    print("on the big ledger:")
    for label, value in asyncio.run(interactions(str(big))).items():
        shown = f"{value:,.0f}" if "counted" in label else f"{value * 1000:8.1f} ms"
        print(f"  {label:<58} {shown}")


if __name__ == "__main__":
    main()
