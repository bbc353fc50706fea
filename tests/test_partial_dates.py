"""Dates known to the month or the year are kept as such, shown as written and exported faithfully."""

from __future__ import annotations

import json
from datetime import date

import pytest

from tests.conftest import snapshot_tables

BODY = "Les premiers missiles ont été tirés sur Kharkiv dès janvier 2024, selon Washington.\n"


@pytest.fixture
def dated(lg):
    a = lg.add_article(title="Missiles", body=BODY, lang="fr", published="2024-06-20", outlet="Le Veilleur")
    c = lg.add_claim(article_id=a, quote="Les premiers missiles ont été tirés sur Kharkiv", claim_date="janvier 2024")
    s = lg.add_source(title="Rapport annuel", url="https://agence.example/rapport", publisher="Agence",
                      published="2024", fetch=False)
    lg.cite(claim_id=c, source_id=s, stance="supports")
    return a, c, s


def test_month_and_year_are_kept_and_shown_as_written(run, lg, dated):
    a, c, s = dated
    assert lg.claim(c).claim.claim_date.isoformat() == "2024-01"
    assert "Date:      2024-01\n" in run(f"claim show {c}").out
    assert run(f"claim show {c} --json").json()["claim_date"] == "2024-01"
    assert lg.source(s).published.isoformat() == "2024"
    assert "Published:   2024\n" in run(f"source show {s}").out
    assert run(f"source show {s} --json").json()["published"] == "2024"


def test_exports_carry_the_precision(run, lg, dated):
    a, c, s = dated
    csl = json.loads(run("export --all --format csl").out)
    [item] = [i for i in csl if i["title"] == "Rapport annuel"]
    assert item["issued"] == {"date-parts": [[2024]]}
    review = json.loads(run(f"export {a} --format claimreview").out)
    reviews = review if isinstance(review, list) else review.get("@graph", [review])
    assert reviews[0]["itemReviewed"]["datePublished"] == "2024-01"
    report = run(f"export {a} --format md").out
    assert "janvier 2024" in report and "2024-01-01" not in report
    csv_text = run(f"export {a} --format csv").out
    assert ",2024-01," in csv_text


def test_a_month_without_year_takes_the_articles(lg):
    a = lg.add_article(title="T", body=BODY, lang="fr", published="2024-06-20")
    c = lg.add_claim(article_id=a, quote="Kharkiv", claim_date="en janvier")
    assert lg.claim(c).claim.claim_date.isoformat() == "2024-01"


def test_an_article_dated_to_the_month(run, lg, article_files):
    r = run(["article", "add", str(article_files["fr"]), "--title", "T", "--published", "juin 2024"])
    a = lg.article(int(r.out))
    assert a.published.isoformat() == "2024-06"
    assert "Published: 2024-06\n" in run(f"article show {a.id}").out


def test_the_month_that_holds_today_is_not_in_the_future(lg):
    this_month = date.today().strftime("%Y-%m")
    s = lg.add_source(title="S", url="https://x.example/a", published=this_month, fetch=False)
    assert lg.source(s).published.isoformat() == this_month
    before = snapshot_tables(lg)
    with pytest.raises(Exception, match="in the future"):
        lg.add_source(title="S", url="https://x.example/a", published=str(date.today().year + 1), fetch=False)
    assert snapshot_tables(lg) == before


def test_a_day_alone_is_one_refusal(run, lg, dated):
    a, c, s = dated
    before = snapshot_tables(lg)
    r = run(["claim", "add", "--article", str(a), "--quote", "selon Washington", "--date", "mardi"])
    assert r.code == 1 and "needs a month or a year" in r.err and len(r.err.strip().splitlines()) == 1
    assert snapshot_tables(lg) == before
