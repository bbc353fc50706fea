"""ClaimReview import in every shape real feeds come in, on markup written for these tests."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import text

from tests.conftest import snapshot_tables

ONE = {"@context": "https://schema.org", "@type": "ClaimReview", "url": "https://verif.example.net/2024/ferry",
       "datePublished": "2024-03-04T09:15:00Z", "claimReviewed": "The new ferry carries ten thousand cars a day.",
       "publisher": {"@type": "Organization", "name": "Verif Exemple"},
       "author": {"@type": "Person", "name": "Lou Enquêteur"},
       "reviewRating": {"@type": "Rating", "alternateName": "Falso", "ratingValue": 1, "bestRating": 5,
                        "worstRating": 1}}
TWO = {"@type": "ClaimReview", "url": "https://verif.example.net/2024/tunnel",
       "claimReviewed": "The tunnel opened a year early.", "publisher": {"name": "Verif Exemple"},
       "reviewRating": {"@type": "Rating", "alternateName": "Engañoso"}}


def _write(path: Path, content: str) -> Path:
    path.write_text(content, encoding="utf-8")
    return path


def _texts(lg) -> list[str]:
    with lg.db.read() as conn:
        return [r[0] for r in conn.execute(text("SELECT text FROM claim ORDER BY id"))]


PAGE = """<!DOCTYPE html>
<html lang="es"><head><meta charset="utf-8"><title>Verificación: el ferry</title>
<script>var notJson = {"@type": "ClaimReview"};</script>
<script type="application/ld+json">{"@context": "https://schema.org", "@type": "WebPage", "name": "Página"}</script>
<script type="application/ld+json; charset=utf-8">
<!--
%s
-->
</script>
<script type="APPLICATION/LD+JSON">{"@context": "https://schema.org", "@graph": [%s,
  {"@type": "BreadcrumbList", "itemListElement": []}]}</script>
</head><body><p>El texto de la verificación, con "claimReviewed": "no es JSON".</p>
<pre>{"@type": "ClaimReview", "claimReviewed": "only text on the page"}</pre></body></html>
"""

SHAPES = {
    "datafeed": {"@context": "https://schema.org", "@type": "DataFeed", "dataFeedElement": [
        {"@type": "DataFeedItem", "dateCreated": "2024-03-05", "item": [ONE]},
        {"@type": "DataFeedItem", "item": TWO}]},
    "datafeeditem": [{"@type": "DataFeedItem", "item": ONE}, {"@type": "DataFeedItem", "item": [TWO]}],
    "api-response": {"claims": [
        {"text": ONE["claimReviewed"], "claimant": "A ferry company", "claimDate": "2024-03-01T00:00:00Z",
         "claimReview": [{"publisher": {"name": "Verif Exemple", "site": "verif.example.net"}, "url": ONE["url"],
                          "title": "El ferry no lleva diez mil coches", "reviewDate": "2024-03-04T09:15:00Z",
                          "textualRating": "Falso", "languageCode": "es"}]},
        {"text": TWO["claimReviewed"], "claimReview": [{"publisher": {"name": "Verif Exemple"}, "url": TWO["url"],
                                                         "textualRating": "Engañoso", "languageCode": "es"}]}],
        "nextPageToken": "CAE"},
    "api-claims-only": {"claims": [
        {"text": ONE["claimReviewed"], "claimReview": [{"url": ONE["url"], "textualRating": "Falso"}]},
        {"text": TWO["claimReviewed"], "claimReview": [{"url": TWO["url"], "textualRating": "Engañoso"}]}]},
}


@pytest.mark.parametrize("shape", [*SHAPES, "api-one-claim", "html", "graph-lines"])
def test_every_shape_imports_the_same_two_claims(lg, run, tmp_path, shape) -> None:
    if shape in SHAPES:
        content = json.dumps(SHAPES[shape], ensure_ascii=False, indent=1)
    elif shape == "api-one-claim":  # one claim object: two files, imported one after the other
        claims = SHAPES["api-response"]["claims"]
        for i, c in enumerate(claims):
            r = run(f"import {_write(tmp_path / f'c{i}.json', json.dumps(c))} --format claimreview")
            assert r.code == 0, r.err
        assert _texts(lg) == [ONE["claimReviewed"], TWO["claimReviewed"]]
        return
    elif shape == "html":
        content = PAGE % (json.dumps(ONE, ensure_ascii=False), json.dumps(TWO, ensure_ascii=False))
    else:
        content = json.dumps({"@graph": [ONE]}) + "\n" + json.dumps({"@graph": [{"@type": "Thing"}, TWO]}) + "\n"
    r = run(f"import {_write(tmp_path / 'feed.txt', content)} --format claimreview")
    assert r.code == 0, (r.out, r.err)
    assert _texts(lg) == [ONE["claimReviewed"], TWO["claimReviewed"]]
    assert run("claim list --json").json()[0]["status"] == "false"
    assert len(r.out.splitlines()) <= 4, r.out  # one summary, not a line per record
    again = run(f"import {tmp_path / 'feed.txt'} --format claimreview")
    assert again.code == 0 and "imported nothing" in again.out


def test_api_result_keeps_what_the_api_says(lg, tmp_path) -> None:
    lg.import_file(_write(tmp_path / "api.json", json.dumps(SHAPES["api-response"])), fmt="claimreview")
    review = lg.claim_review(1)
    assert (review.publisher, review.url, review.date_published, review.lang, review.rating_label,
            review.headline, review.claimant, review.item_date) == (
        "Verif Exemple", ONE["url"], "2024-03-04T09:15:00Z", "es", "Falso", "El ferry no lleva diez mil coches",
        "A ferry company", "2024-03-01T00:00:00Z")


@pytest.mark.parametrize("content,says", [
    ('{"kind": "something", "items": [1, 2]}', "not ClaimReview: a JSON object with keys items, kind"),
    ("plain words, not a feed\n", "is not ClaimReview: expected"),
    ("<html><body><p>No structured data here.</p></body></html>", "without any <script"),
    ("", "is empty"),
])
def test_an_unknown_shape_is_one_clear_refusal(lg, run, tmp_path, content, says) -> None:
    before = snapshot_tables(lg)
    r = run(f"import {_write(tmp_path / 'x.json', content)} --format claimreview")
    assert r.code == 1 and says in r.err and len(r.err.strip().splitlines()) == 1, r.err
    assert snapshot_tables(lg) == before


def test_a_page_with_a_broken_block_imports_the_others(lg, run, tmp_path) -> None:
    page = ('<html><head><script type="application/ld+json">{"@type": "ClaimReview", broken</script>'
            f'<script type="application/ld+json">{json.dumps(ONE)}</script></head></html>')
    r = run(f"import {_write(tmp_path / 'p.html', page)} --format claimreview")
    assert r.code == 3 and "refused script block 1: not valid JSON-LD" in r.err
    assert _texts(lg) == [ONE["claimReviewed"]]


@pytest.mark.parametrize("url", ["javascript:alert(1)", "JaVaScRiPt:alert(1)", "data:text/html,<b>x</b>",
                                 "ftp://files.example.org/r", "vbscript:msgbox", "//no-scheme.example.org/x"])
def test_only_web_addresses_are_taken(lg, run, tmp_path, url) -> None:
    bad = dict(ONE, url=url)
    r = run(f"import {_write(tmp_path / 'r.json', json.dumps([bad, TWO]))} --format claimreview")
    assert r.code == 3 and "is not an http(s) web address" in r.err
    assert _texts(lg) == [TWO["claimReviewed"]]
    node = dict(TWO, url="https://verif.example.net/3", publisher={"name": "P", "url": url},
                itemReviewed={"@type": "Claim", "url": url, "appearance": [url, "https://ok.example.org/a"],
                              "firstAppearance": {"url": url},
                              "author": {"@type": "Person", "name": "Someone", "sameAs": [url]}})
    r = run(f"import {_write(tmp_path / 's.json', json.dumps(node))} --format claimreview")
    assert r.code == 0 and "not http(s) web addresses were dropped" in r.out
    out = run("export --all --format claimreview").out
    assert url.lower() not in out.lower()
    assert "https://ok.example.org/a" in out


def test_publisher_not_the_reporter_is_the_outlet_and_any_language_tag_is_kept(lg, tmp_path) -> None:
    node = dict(ONE, inLanguage="pt-BR")
    lg.import_file(_write(tmp_path / "r.json", json.dumps(node)), fmt="claimreview")
    assert lg.article(1).outlet == "Verif Exemple"
    review = lg.claim_review(1)
    assert (review.publisher, review.author, review.author_type, review.lang) == (
        "Verif Exemple", "Lou Enquêteur", "Person", "pt-BR")
    lg.import_file(_write(tmp_path / "s.json", json.dumps(dict(TWO, inLanguage="not a tag!"))), fmt="claimreview")
    assert lg.claim_review(2).lang is None


def test_appearance_urls_become_the_claims_appearances(lg, tmp_path) -> None:
    node = dict(ONE, itemReviewed={"@type": "Claim", "url": "https://social.example.com/p/1",
                                   "appearance": [{"@type": "CreativeWork", "url": "https://video.example.com/v/2"},
                                                  "https://social.example.com/p/1"],
                                   "firstAppearance": {"@type": "CreativeWork", "url": "https://blog.example.com/a"}})
    lg.import_file(_write(tmp_path / "r.json", json.dumps(node)), fmt="claimreview")
    urls = sorted(lg.article(a.article_id).url for a in lg.claim(1).appearances)
    assert urls == sorted([ONE["url"], "https://social.example.com/p/1", "https://video.example.com/v/2",
                           "https://blog.example.com/a"])


def test_one_summary_with_the_top_unmapped_labels(lg, run, tmp_path) -> None:
    labels = ["Wobbly"] * 5 + ["Sort of"] * 3 + ["Falso"] * 2 + [f"free text {i}" for i in range(15)]
    feed = [dict(TWO, url=f"https://verif.example.net/{i}", claimReviewed=f"Claim number {i}.",
                 reviewRating={"alternateName": label}) for i, label in enumerate(labels)]
    r = run(f"import {_write(tmp_path / 'f.json', json.dumps(feed))} --format claimreview")
    assert r.code == 0
    lines = r.out.splitlines()
    assert "2 read from their label" in lines[1] and "23 not read (kept open with their label)" in lines[1]
    assert "verdict labels not read (23 record(s), 17 label(s); the 10 most frequent" in r.out
    assert lines[3].split() == ["5", "Wobbly"] and lines[4].split() == ["3", "Sort", "of"]
    assert len(lines) == 3 + 10
    report = lg.import_file(_write(tmp_path / "g.json", json.dumps(dict(TWO, url="https://v.example/x",
                                                                         reviewRating={"alternateName": "Hm"}))),
                            fmt="claimreview")
    assert report.unmapped == [("Hm", 1)]
