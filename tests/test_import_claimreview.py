"""ClaimReview import: what fact-checkers really publish, mapped through the verdict map."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from sqlalchemy import text

from tests.conftest import snapshot_tables

REVIEW_FR = {
    "@context": "https://schema.org",
    "@type": "ClaimReview",
    "url": "https://factuel.example.org/2022/01/28/les-obus",
    "headline": "Non, cette photo ne montre pas des obus livrés en janvier",
    "datePublished": "2022-01-28 18:35",
    "inLanguage": "fr",
    "author": {"@type": "Organization", "name": "Factuel Exemple"},
    "claimReviewed": "Une photo montre des obus livrés par train en janvier",
    "itemReviewed": {"@type": "Claim", "author": {"@type": "Person", "name": "Un compte anonyme"},
                     "datePublished": "27 janvier 2022"},
    "reviewRating": {"@type": "Rating", "alternateName": "  Faux  ", "ratingValue": 1, "bestRating": 5,
                     "worstRating": 1},
}
REVIEW_EN = {
    "@type": "claimreview",  # odd casing, no @context
    "url": "https://checks.example.com/rail-shipments",
    "author": {"name": "Example Checks"},
    "datePublished": "2024-06-21",
    "claimReviewed": ["  Trains carried   shells across the border every day  "],
    "reviewRating": {"alternateName": "Partly&nbsp;false"},  # entity, no ratingValue
}


def _write(path: Path, content: str) -> Path:
    path.write_text(content, encoding="utf-8")
    return path


def _claims(lg) -> list[tuple]:
    with lg.db.read() as conn:
        rows = conn.execute(text(
            "SELECT id, text, kind, claimant, claim_date, status, status_label FROM claim ORDER BY id"))
        return [(r[0], r[1], r[2], r[3], None if r[4] is None else str(r[4]), r[5], r[6]) for r in rows]


@pytest.mark.parametrize("shape", ["object", "array", "graph", "lines"])
def test_shapes(lg, run, tmp_path, shape) -> None:
    if shape == "object":
        content = json.dumps(REVIEW_FR)
    elif shape == "array":
        content = json.dumps([REVIEW_FR, REVIEW_EN], indent=2)
    elif shape == "graph":
        content = json.dumps({"@context": "https://schema.org", "@graph": [
            {"@type": "WebPage", "name": "Fact-checks"}, REVIEW_FR, {"@type": "Organization", "name": "X"}, REVIEW_EN]})
    else:
        content = json.dumps(REVIEW_FR) + "\n\n" + json.dumps(REVIEW_EN) + "\n"
    r = run(f"import {_write(tmp_path / 'feed.json', content)} --format claimreview")
    assert r.code == 0, r.err
    claims = _claims(lg)
    assert len(claims) == (1 if shape == "object" else 2)
    assert claims[0][1:] == ("Une photo montre des obus livrés par train en janvier", "attribution",
                             "Un compte anonyme", "2022-01-27", "false", "Faux")
    if shape != "object":
        assert claims[1][1:] == ("Trains carried shells across the border every day", "assertion", None, None,
                                 "misleading", "Partly false")
    if shape == "graph":
        assert "2 node(s) of other types (pages, organisations…) passed over" in r.out


def test_what_an_imported_review_becomes(lg, tmp_path) -> None:
    report = lg.import_file(_write(tmp_path / "r.json", json.dumps(REVIEW_FR)), fmt="claimreview")
    assert report.imported == {"articles": 1, "sources": 1, "claims": 1, "appearances": 1, "citations": 1,
                               "reviews": 1}
    article = lg.article(1)
    assert (article.title, article.outlet, article.url, article.published.isoformat(), article.lang, article.state) == (
        REVIEW_FR["headline"], "Factuel Exemple", REVIEW_FR["url"], "2022-01-28", "fr", "published")
    assert lg.article_body(1) == REVIEW_FR["claimReviewed"] + "\n"
    detail = lg.claim(1)
    assert [(a.start, a.end, a.quote) for a in detail.appearances] == [(0, 53, REVIEW_FR["claimReviewed"])]
    assert [(c.stance, c.source_title) for c in detail.citations] == [("refutes", REVIEW_FR["headline"])]
    # one event for the claim, listing every row it brought: claim, appearance, source, citation, review
    assert [e.action for e in detail.history] == ["claim.import"]
    assert [ch["t"] for ch in detail.history[0].payload["rows"]] == ["claim", "appearance", "source", "citation",
                                                                    "review"]
    with lg.db.read() as conn:
        assert conn.execute(text("SELECT count(*) FROM event WHERE action = 'ledger.import'")).scalar_one() == 1
    # exported again, the verdict reads the same
    out = io.StringIO()
    lg.export("claimreview", out)
    review = json.loads(out.getvalue())["@graph"][0]  # given back as published
    assert review["reviewRating"] == {"@type": "Rating", "alternateName": "Faux", "ratingValue": 1, "bestRating": 5,
                                      "worstRating": 1}
    assert review["url"] == REVIEW_FR["url"] and review["datePublished"] == "2022-01-28 18:35"


def test_same_feed_twice_adds_nothing(lg, run, tmp_path) -> None:
    feed = _write(tmp_path / "feed.jsonl", json.dumps(REVIEW_FR) + "\n" + json.dumps(REVIEW_EN) + "\n")
    assert run(f"import {feed} --format claimreview").code == 0
    before = snapshot_tables(lg)
    r = run(f"import {feed} --format claimreview")
    assert r.code == 0 and "imported nothing" in r.out and "2 already in the ledger" in r.out
    assert snapshot_tables(lg)["claim"] == before["claim"]


@pytest.mark.parametrize("label,status", [
    ("False", "false"), ("Faux", "false"), ("Trompeur", "misleading"), ("Partly false", "misleading"),
    ("Mostly true", "verified"), ("Vrai", "verified"), ("Pas de preuve", "unverifiable"),
    ("Pants on Fire!", "false"), ("Sorti de son contexte", "misleading"), ("Invérifiable", "unverifiable"),
    ("&lt;b&gt;Satire&lt;/b&gt;", "unverified"), ("pants-fire", "false"), ("really_false", "false"),
    ("FALSO: as imagens foram tiradas de outro evento", "false"), ("錯誤", "false"), ("زائف", "false"),
    ("Engañoso", "misleading"), ("Falsch", "false"), ("Enganoso", "misleading"), ("barely-true", "false"),
    ("partially true", "misleading"), ("false context", "misleading"), ("manipulated", "false"),
    ("no evidence found", "unverifiable"), ("not false", "unverified"), ("no es falso", "unverified"),
])
def test_verdict_labels(lg, tmp_path, label, status) -> None:
    node = dict(REVIEW_EN, reviewRating={"alternateName": label})
    lg.import_file(_write(tmp_path / "r.json", json.dumps(node)), fmt="claimreview")
    (_, _, _, _, _, got, kept), = _claims(lg)
    assert got == status
    assert kept == label.replace("&lt;", "<").replace("&gt;", ">")


def test_verdict_map_from_ledger_toml(workspace, run, tmp_path) -> None:
    (workspace / "ledger.toml").write_text('[import.verdicts]\n"Satire" = "misleading"\n"Faux" = "disputed"\n',
                                           encoding="utf-8")
    feed = [dict(REVIEW_EN, url=f"https://x.example/{i}", reviewRating={"alternateName": label})
            for i, label in enumerate(["Satire", "FAUX", "False"])]
    assert run(f"import {_write(tmp_path / 'f.json', json.dumps(feed))} --format claimreview").code == 0
    out = run("claim list --json").json()
    assert [c["status"] for c in sorted(out, key=lambda c: c["id"])] == ["misleading", "disputed", "false"]


def test_bad_verdict_map_is_refused(workspace, run, tmp_path) -> None:
    (workspace / "ledger.toml").write_text('[import.verdicts]\n"Faux" = "wrongish"\n', encoding="utf-8")
    r = run(f"import {_write(tmp_path / 'f.json', json.dumps(REVIEW_FR))} --format claimreview")
    assert r.code == 1 and "'wrongish', which is not a status" in r.err


def test_bad_records_reported_good_ones_imported(lg, run, tmp_path) -> None:
    lines = [json.dumps(REVIEW_FR), "{not json", json.dumps({"@type": "ClaimReview", "url": "https://x.example/1"}),
             json.dumps({"@type": "Organization", "name": "Not a review"}), json.dumps(REVIEW_EN),
             json.dumps(dict(REVIEW_EN, url="https://x.example/2", reviewRating={}))]
    r = run(f"import {_write(tmp_path / 'f.jsonl', chr(10).join(lines))} --format claimreview")
    assert r.code == 3
    assert "refused line 2: not valid JSON" in r.err
    assert "refused line 3: no claimReviewed" in r.err
    assert "refused line 4: not a ClaimReview (@type organization)" in r.err
    assert "refused line 6: no reviewRating verdict" in r.err
    assert len(_claims(lg)) == 2


def test_nothing_good_changes_nothing(lg, run, tmp_path) -> None:
    before = snapshot_tables(lg)
    r = run(f"import {_write(tmp_path / 'f.json', json.dumps([{'@type': 'ClaimReview'}]))} --format claimreview")
    assert r.code == 1 and "no record could be imported" in r.err and "record[0]" in r.err
    assert snapshot_tables(lg) == before
    r = run(f"import {_write(tmp_path / 'g.json', '{' + chr(10) + '  [broken')} --format claimreview")
    assert r.code == 1 and "line 2: not valid JSON" in r.err


def test_list_claims_and_numeric_only_rating(lg, tmp_path) -> None:
    node = dict(REVIEW_EN, claimReviewed=["First claim here.", "Second claim there."],
                reviewRating={"ratingValue": "2", "bestRating": "5", "worstRating": "1"}, url=None)
    lg.import_file(_write(tmp_path / "r.json", json.dumps(node)), fmt="claimreview")
    claims = _claims(lg)
    assert [c[1] for c in claims] == ["First claim here.", "Second claim there."]
    # the scale reads 2 of 1-5 as misleading, but a review without a URL has nothing to cite: kept open
    assert {c[5] for c in claims} == {"unverified"} and {c[6] for c in claims} == {"rating 2 (1 to 5)"}
    assert lg.article_body(1) == "First claim here.\n\nSecond claim there.\n"


def test_an_imported_ledger_verifies_and_every_listed_row_is_held_to_account(lg, tmp_path) -> None:
    """One claim.import event lists the claim's source, citation and review: verify replays them,
    and an edit of any of them outside the ledger is named."""
    second = {**REVIEW_FR, "url": "https://factuel.example.org/2", "claimReviewed": "Another claim that was checked"}
    lg.import_file(_write(tmp_path / "r.json", json.dumps([REVIEW_FR, second])), fmt="claimreview")
    report = lg.verify()
    assert report.ok, report.problems()
    with lg.db.write() as conn:
        for statement in ("UPDATE review SET headline = 'forged' WHERE id = 2",
                          "UPDATE citation SET stance = 'supports' WHERE id = 1",
                          "UPDATE source SET title = 'forged' WHERE id = 2",
                          "DELETE FROM review WHERE id = 1"):
            conn.execute(text(statement))
    report = lg.verify()
    assert not report.ok
    assert {(p.table, p.row_id, p.problem, p.field) for p in report.row_problems} == {
        ("review", 2, "edited", "headline"), ("citation", 1, "edited", "stance"), ("source", 2, "edited", "title"),
        ("review", 1, "deleted", None)}
