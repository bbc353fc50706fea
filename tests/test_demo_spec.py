"""The sample ledger spec that `ledger demo` loads is consistent with its files
and with the verification rules the product enforces."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from pathlib import Path

import pytest

from ledger.services.demo_data import spec

DATA_DIR = Path(spec.__file__).parent
ARTICLES_DIR = DATA_DIR / "articles"
SOURCES_DIR = DATA_DIR / "sources"

OPEN = {"unverified", "in_progress"}
PASS = {"verified"}
FAIL = {"false", "misleading"}
UNRESOLVED = {"unverifiable", "disputed"}
ALL_STATUSES = OPEN | PASS | FAIL | UNRESOLVED

ARTICLE_STATES = {"draft", "in_review", "approved", "published"}
SOURCE_KINDS = {"official", "document", "web", "person", "wire", "dataset"}
STANCES = {"supports", "refutes", "context"}
SAMPLE_MARKERS = ("sample", "fictional", "fictif", "exemple")

# Quoted words inside a claim text: "…", “…” or « … ».
QUOTED = re.compile(r'"([^"]+)"|“([^”]+)”|«\s*([^»]+?)\s*»')
# Editorial marks such as [sic] are added by the newsroom, not said by the claimant.
EDITORIAL_MARK = re.compile(r"\s*\[[^\]]*\]")

ARTICLES = {a["key"]: a for a in spec.ARTICLES}
SOURCES = {s["key"]: s for s in spec.SOURCES}


def article_text(key: str) -> str:
    return (ARTICLES_DIR / ARTICLES[key]["file"]).read_text(encoding="utf-8")


def source_text(key: str) -> str:
    return (SOURCES_DIR / SOURCES[key]["file"]).read_text(encoding="utf-8")


def final_status(claim: dict) -> str:
    return claim["history"][-1]["status"] if claim["history"] else "unverified"


def claim_id(claim: dict) -> str:
    return claim["text"][:60]


def is_iso_date(value: str) -> bool:
    try:
        dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        return False
    return True


# --- module shape ---------------------------------------------------------


def test_spec_exposes_exactly_the_three_tables():
    public = {
        name
        for name in vars(spec)
        if not name.startswith("_") and name != "annotations"  # from __future__
    }
    assert public == {"ARTICLES", "SOURCES", "CLAIMS"}
    assert all(isinstance(v, list) for v in (spec.ARTICLES, spec.SOURCES, spec.CLAIMS))


def test_keys_are_unique():
    assert len(ARTICLES) == len(spec.ARTICLES)
    assert len(SOURCES) == len(spec.SOURCES)


# --- articles -------------------------------------------------------------


def test_at_least_four_articles_in_both_languages():
    langs = Counter(a["lang"] for a in spec.ARTICLES)
    assert len(spec.ARTICLES) >= 4
    assert langs["fr"] >= 2 and langs["en"] >= 2
    assert set(langs) <= {"fr", "en"}


@pytest.mark.parametrize("article", spec.ARTICLES, ids=lambda a: a["key"])
def test_article_metadata_and_body(article):
    assert set(article) == {"key", "file", "title", "outlet", "author", "url", "published", "lang", "state"}
    assert article["state"] in ARTICLE_STATES
    assert is_iso_date(article["published"])
    assert article["url"].startswith("https://example.org/")
    assert any(m in (article["title"] + article["author"]).lower() for m in SAMPLE_MARKERS)
    path = ARTICLES_DIR / article["file"]
    raw = path.read_bytes()
    text = raw.decode("utf-8")  # plain UTF-8
    assert "\t" not in text and "\r" not in text and "\x1b" not in text
    assert 250 <= len(text.split()) <= 500
    # the title lives in the spec, not in the file
    assert text.splitlines()[0].strip() != article["title"]
    assert article["title"] not in text


def test_every_article_has_claims():
    used = {ap["article"] for c in spec.CLAIMS for ap in c["appearances"]}
    assert used == set(ARTICLES)


def test_article_states_vary():
    assert len({a["state"] for a in spec.ARTICLES}) >= 3


# --- sources --------------------------------------------------------------


@pytest.mark.parametrize("source", spec.SOURCES, ids=lambda s: s["key"])
def test_source_metadata(source):
    assert set(source) == {
        "key", "file", "url", "title", "publisher", "author", "kind", "published", "accessed", "reliability",
    }
    assert source["kind"] in SOURCE_KINDS
    assert source["reliability"] in tuple("ABCDEF")
    assert source["file"] or source["url"]
    assert source["published"] is None or is_iso_date(source["published"])
    assert is_iso_date(source["accessed"])
    assert source["publisher"]
    assert any(m in source["title"].lower() for m in SAMPLE_MARKERS)
    if source["url"] is not None:
        assert source["url"].startswith("https://example.org/")
    if source["file"] is not None:
        text = (SOURCES_DIR / source["file"]).read_bytes().decode("utf-8")
        assert text.strip()
        assert "\t" not in text


def test_enough_archived_sources_of_several_kinds():
    with_file = [s for s in spec.SOURCES if s["file"]]
    assert len(with_file) >= 6
    assert len({s["kind"] for s in with_file}) >= 4
    assert len({Path(s["file"]).suffix for s in with_file}) >= 4
    assert any(s["file"] is None and s["url"] for s in spec.SOURCES)


def test_every_source_is_cited():
    cited = {x["source"] for c in spec.CLAIMS for x in c["citations"]}
    assert cited == set(SOURCES)


def test_every_source_file_is_declared():
    declared = {s["file"] for s in spec.SOURCES if s["file"]}
    assert {p.name for p in SOURCES_DIR.iterdir() if p.is_file()} == declared
    declared_articles = {a["file"] for a in spec.ARTICLES}
    assert {p.name for p in ARTICLES_DIR.iterdir() if p.is_file()} == declared_articles


# --- claims ---------------------------------------------------------------


def test_at_least_22_claims():
    assert len(spec.CLAIMS) >= 22
    assert len({c["text"] for c in spec.CLAIMS}) == len(spec.CLAIMS)


@pytest.mark.parametrize("claim", spec.CLAIMS, ids=claim_id)
def test_claim_fields(claim):
    assert set(claim) == {"text", "kind", "claimant", "date", "priority", "appearances", "citations", "history"}
    assert claim["text"].strip() == claim["text"] and claim["text"]
    assert claim["kind"] in {"assertion", "attribution"}
    if claim["kind"] == "attribution":
        assert claim["claimant"]
    assert claim["date"] is None or is_iso_date(claim["date"])
    assert claim["priority"] in (1, 2, 3)
    assert claim["appearances"]
    for event in claim["history"]:
        assert set(event) == {"status", "note", "by"}
        assert event["status"] in ALL_STATUSES
        assert event["note"] and event["by"]


@pytest.mark.parametrize("claim", spec.CLAIMS, ids=claim_id)
def test_quotes_occur_exactly_once_in_their_article(claim):
    for ap in claim["appearances"]:
        assert set(ap) == {"article", "quote"}
        assert ap["article"] in ARTICLES
        quote = ap["quote"]
        assert quote and "\t" not in quote and "\n" not in quote
        assert article_text(ap["article"]).count(quote) == 1, quote
    articles = [ap["article"] for ap in claim["appearances"]]
    assert len(articles) == len(set(articles)), "one appearance per article"


@pytest.mark.parametrize("claim", spec.CLAIMS, ids=claim_id)
def test_excerpts_occur_verbatim_in_their_source(claim):
    for cit in claim["citations"]:
        assert set(cit) == {"source", "stance", "excerpt", "locator"}
        assert cit["source"] in SOURCES
        assert cit["stance"] in STANCES
        source = SOURCES[cit["source"]]
        excerpt = cit["excerpt"]
        if source["file"] is None:
            assert excerpt is None
            continue
        assert excerpt and "\t" not in excerpt and "\n" not in excerpt
        assert excerpt in source_text(cit["source"]), excerpt


def test_final_statuses_cover_every_status_with_a_realistic_spread():
    finals = Counter(final_status(c) for c in spec.CLAIMS)
    assert set(finals) == ALL_STATUSES
    # most claims pass, a handful stay open, fail or stay unresolved
    assert finals["verified"] == max(finals.values())
    assert finals["verified"] * 3 >= len(spec.CLAIMS)
    assert sum(finals[s] for s in OPEN) >= 3
    assert sum(finals[s] for s in FAIL) >= 2
    assert sum(finals[s] for s in UNRESOLVED) >= 2
    assert any(not c["history"] for c in spec.CLAIMS)


def test_verified_claims_have_supporting_evidence():
    for claim in spec.CLAIMS:
        if final_status(claim) != "verified":
            continue
        supports = [c for c in claim["citations"] if c["stance"] == "supports"]
        assert supports, claim["text"]
        if claim["kind"] == "assertion":
            publishers = {SOURCES[c["source"]]["publisher"] for c in supports}
            authoritative = any(SOURCES[c["source"]]["kind"] in {"official", "document"} for c in supports)
            assert authoritative or len(publishers) >= 2, claim["text"]
        else:
            quoted = [next(g for g in m.groups() if g) for m in QUOTED.finditer(claim["text"])]
            assert quoted, f"verified attribution without quoted words: {claim['text']}"
            excerpts = [c["excerpt"].casefold() for c in supports if c["excerpt"]]
            for words in quoted:
                words = EDITORIAL_MARK.sub("", words).casefold()
                assert any(words in e for e in excerpts), (claim["text"], words)


def test_failed_claims_have_refuting_evidence():
    for claim in spec.CLAIMS:
        if final_status(claim) in FAIL:
            assert any(c["stance"] == "refutes" for c in claim["citations"]), claim["text"]


def test_same_claim_appears_in_articles_of_both_languages():
    multi = [c for c in spec.CLAIMS if len({ap["article"] for ap in c["appearances"]}) >= 2]
    assert multi
    assert any(
        {ARTICLES[ap["article"]]["lang"] for ap in c["appearances"]} == {"fr", "en"} for c in multi
    )
    weapons = [c for c in multi if "supplied" in c["text"] and "Russia" in c["text"]]
    assert weapons, "the weapons-supply claim appears in several articles"


def test_kinds_dates_and_editorial_marks_vary():
    kinds = Counter(c["kind"] for c in spec.CLAIMS)
    assert kinds["assertion"] and kinds["attribution"]
    dates = [c["date"] for c in spec.CLAIMS]
    assert any(d is None for d in dates) and any(d is not None for d in dates)
    assert {c["priority"] for c in spec.CLAIMS} == {1, 2, 3}
    assert any(re.search(r"\[[a-z]+\]", c["text"]) for c in spec.CLAIMS)
    assert any(x["excerpt"] is None for c in spec.CLAIMS for x in c["citations"])


# --- the built sample against the pre-publication audit ----------------------


def test_audit_passes_approved_and_published_articles_and_blocks_the_others(tmp_path):
    from ledger.services.audit import audit_article
    from ledger.services.demo import build_demo
    from ledger.services.ledger import open_ledger

    ledger = open_ledger(str(tmp_path / "ledger.db"))
    try:
        build_demo(ledger)
        with ledger.db.read() as conn:
            ids = {title: id_ for id_, title in conn.exec_driver_sql("SELECT id, title FROM article")}
        for article in spec.ARTICLES:
            report = audit_article(ledger, ids[article["title"]])
            blocking = [(f.rule, f.claim_id, f.quote) for f in report.blocking]
            if article["state"] in {"approved", "published"}:
                assert report.publishable, (article["key"], blocking)
            else:
                assert not report.publishable, article["key"]
                assert {f.rule for f in report.blocking} >= {"open-claim", "failed-claim"}, (article["key"], blocking)
    finally:
        ledger.close()
