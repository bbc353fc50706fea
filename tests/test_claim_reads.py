"""``claim show`` reads with plain SQL (``store.claim_reads``): the same values as the table models
give, on every backend, and the same output whether or not the database layer is loaded."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from ledger.models import Citation, Event, Review, Source
from ledger.rows import CitationRow, ClaimDetail
from ledger.store import appearances_of_claim, get_claim
from ledger.store.events import to_row
from ledger.store.reviews import to_review_row
from tests.conftest import ARTICLE_FR

REVIEW = {"@type": "ClaimReview", "url": "https://factuel.example.org/2022/01/28/les-obus",
          "datePublished": "2022-01-28 18:35", "inLanguage": "fr",
          "author": {"@type": "Organization", "name": "Factuel Exemple"},
          "claimReviewed": "Une photo montre des obus livrés par train en janvier",
          "itemReviewed": {"@type": "Claim", "appearance": [{"url": "https://a.example/1"}]},
          "reviewRating": {"alternateName": "Faux", "ratingValue": 1, "bestRating": 5, "worstRating": 1}}


@pytest.fixture
def varied(lg, article_files, tmp_path):
    """Claims with what a claim page can hold: a partial date, a retracted citation, an orphaned
    passage, a merge, an imported review with list fields."""
    a = lg.add_article(title="Visite à Pyongyang", file=article_files["fr"], published="2024-06-19", lang="fr")
    c1 = lg.add_claim(article_id=a, quote="les premiers missiles nord-coréens ont frappé Kharkiv dès janvier",
                      claim_date="janvier 2024")
    c2 = lg.add_claim(article_id=a, quote="La Corée du Nord aurait fourni des munitions à la Russie",
                      kind="attribution", claimant="sources occidentales", claim_date="18 juin")
    c3 = lg.add_claim(article_id=a, quote="Le traité prévoit une assistance mutuelle en cas d’agression")
    s = lg.add_source(title="Briefing", file=article_files["evidence"], kind="official", reliability="B")
    cite = lg.cite(claim_id=c1, source_id=s, stance="supports", excerpt="missiles hit Kharkiv in January")
    lg.cite(claim_id=c1, source_id=s, stance="context")
    lg.set_status(claim_id=c1, status="verified", note="the briefing says so")
    lg.retract_citation(cite, note="the briefing is about shells")
    lg.matching.merge(c2, c3, note="the same supply claim")
    revised = article_files["fr"].with_name("revised.txt")
    revised.write_text(ARTICLE_FR.replace("Selon Washington, les premiers missiles nord-coréens ont frappé Kharkiv dès "
                                          "janvier. ", ""), encoding="utf-8")
    lg.update_article(a, file=revised)
    review = tmp_path / "review.json"
    review.write_text(json.dumps(REVIEW), encoding="utf-8")
    lg.import_file(review, fmt="claimreview")
    return lg


def _through_the_models(lg, claim_id: int) -> tuple[ClaimDetail, object]:
    """The same claim read through the SQLAlchemy tables, with their column types."""
    with lg.db.read() as conn:
        claim = get_claim(conn, claim_id)
        q = (select(Citation, Source.title, Source.publisher, Source.kind).join(Source, Source.id == Citation.source_id)
             .where(Citation.claim_id == claim_id).order_by(Citation.id))
        citations = [CitationRow(id=r.id, claim_id=r.claim_id, source_id=r.source_id, stance=r.stance,
                                 excerpt=r.excerpt, locator=r.locator, source_title=r.title,
                                 source_publisher=r.publisher, source_kind=r.kind, retracted_at=r.retracted_at,
                                 retracted_by=r.retracted_by, retraction_note=r.retraction_note,
                                 retracted=r.retracted_at is not None)
                     for r in conn.execute(q.with_only_columns(*Citation.__table__.c, Source.title,
                                                               Source.publisher, Source.kind))]
        history = [to_row(r) for r in conn.execute(select(Event.__table__).where(Event.claim_id == claim_id)
                                                   .order_by(Event.id))]
        r = conn.execute(select(Review.__table__).where(Review.claim_id == claim_id).order_by(Review.id)).first()
        return (ClaimDetail(claim=claim, appearances=appearances_of_claim(conn, claim_id=claim_id),
                            citations=citations, history=history),
                to_review_row(r) if r is not None else None)


def test_plain_reads_give_what_the_table_models_give(varied):
    lg = varied
    ids = [c.id for c in lg.list_claims(limit=100)]
    assert len(ids) >= 4
    for claim_id in ids + [3]:  # 3 was merged: it reads as the claim it was merged into
        detail, review = lg.claim(claim_id), lg.claim_review(lg.claim(claim_id).claim.id)
        assert (detail, review) == _through_the_models(lg, detail.claim.id), claim_id
    assert lg.claim(3).claim.id == 2
    partial = lg.claim(1).claim.claim_date
    assert partial.isoformat() == "2024-01"
    assert any(a.orphaned for a in lg.claim(1).appearances)
    assert any(c.retracted for c in lg.claim(1).citations)
    assert any(lg.claim_review(i) is not None and lg.claim_review(i).appearance_urls for i in ids)


def test_claim_show_prints_the_same_with_or_without_the_database_layer(varied, run):
    """A lone ``claim show`` on a SQLite ledger reads without SQLAlchemy; inside a batch the
    ledger is open already and the command reads through it: the output is the same."""
    ids = [c.id for c in varied.list_claims(limit=100)] + [3]
    for claim_id in ids:
        alone = run(f"claim show {claim_id} --json")
        assert alone.code == 0, alone.err
        text = run(f"claim show {claim_id}")
        assert text.code == 0, text.err
        lines = "\n".join(json.dumps({"command": ["claim", "show", str(claim_id)] + extra}) for extra in (["--json"], []))
        batch = run(["batch", "--atomic", _batch_file(varied, lines)])  # the ledger open in full
        results = [json.loads(line) for line in batch.out.splitlines()]
        assert results[0]["output"] == alone.json(), claim_id
        assert results[1]["output"] == text.out.rstrip("\n"), claim_id
    missing = run("claim show 999 --json")
    assert missing.code == 1 and missing.err.strip() == "error: no claim with id 999"
    huge = run(f"claim show {2**63} --json")
    assert huge.code == 1 and "too large for a ledger" in huge.err


def _batch_file(lg, lines: str) -> str:
    path = lg.workspace.root / "show.jsonl"
    path.write_text(lines + "\n", encoding="utf-8")
    return str(path)
