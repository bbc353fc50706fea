"""Exports: the command line, escaping, CSV injection, ClaimReview as valid JSON-LD, CSL-JSON."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest
from pyld import jsonld

from tests.exchange_fixture import build, freeze_clock

CONTEXT = json.loads((Path(__file__).parent / "data" / "schemaorg-context.jsonld").read_text(encoding="utf-8"))
SCHEMA_URLS = ("https://schema.org", "https://schema.org/", "http://schema.org", "http://schema.org/")


@pytest.fixture
def fx(lg, tmp_path, monkeypatch):
    freeze_clock(monkeypatch)
    return lg, build(lg, tmp_path)


def export(lg, fmt: str, article_id: int | None = None) -> str:
    out = io.StringIO(newline="")
    lg.export(fmt, out, article_id=article_id)
    return out.getvalue()


# --------------------------------------------------------------- command line
def test_cli_needs_article_or_all(fx, run) -> None:
    r = run("export --format md")
    assert r.code == 2 and "ARTICLE_ID or --all" in r.err
    r = run("export 1 --all --format md")
    assert r.code == 2


def test_cli_refusals_write_no_file(fx, run, tmp_path) -> None:
    target = tmp_path / "out" / "r.md"
    (tmp_path / "out").mkdir()
    for args, message in [("export 99 --format md", "no article with id 99"),
                          ("export 1 --format md --style chicago-nope", "unknown citation style 'chicago-nope'"),
                          ("export 1 --format csv --style harvard-cite-them-right", "--style applies to the md")]:
        r = run(f"{args} -o {target}")
        assert r.code == 1, r.err
        assert message in r.err
        assert r.err.startswith("error: ") and r.err.count("\n") == 1
        assert list((tmp_path / "out").iterdir()) == []


def test_cli_output_file_and_stdout_agree(fx, run, tmp_path) -> None:
    target = tmp_path / "ledger.json"
    r = run(f"export --all --format json -o {target}")
    assert r.code == 0 and r.out == ""
    assert "wrote" in r.err and "records" in r.err
    assert run("export --all --format json").out == target.read_text(encoding="utf-8")


def test_style_from_a_csl_file(fx, run, tmp_path) -> None:
    from ledger.services.export.citations import style_path

    custom = tmp_path / "house.csl"
    shutil.copy(style_path("harvard-cite-them-right"), custom)
    default = run("export 1 --format md").out
    chosen = run(f"export 1 --format md --style {custom}").out
    assert chosen.replace("in house style", "in harvard-cite-them-right style") == default
    bad = tmp_path / "broken.csl"
    bad.write_text("<style", encoding="utf-8")
    r = run(f"export 1 --format md --style {bad}")
    assert r.code == 1 and "cannot read citation style" in r.err


# ------------------------------------------------------------------ reports
def test_html_is_self_contained_and_escaped(fx) -> None:
    lg, ids = fx
    html = export(lg, "html")
    assert html.startswith("<!DOCTYPE html>")
    assert "<script" not in html  # the titles and quotes carrying <script> are escaped
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert " src=" not in html and "<link" not in html and "@import" not in html
    assert "@media print" in html and html.count("<svg") == 3  # one chart per article
    assert 'href="javascript' not in html  # a javascript: URL is not made a link
    assert "\x1b" not in html and "\\x1b[1mbold" in html  # control characters shown, not sent


def test_markdown_escapes_user_text(fx) -> None:
    lg, ids = fx
    md = export(lg, "md", ids["tricky"])
    assert "\\<script\\>alert(1)\\</script\\> \\& \\*Budget\\* \\| =2024 \\# \\[x\\](javascript:1)" in md
    assert "](javascript" not in md.replace("\\](javascript", "")
    assert "\x1b" not in export(lg, "md")


def test_report_shows_the_audit_verdict(fx) -> None:
    lg, ids = fx
    md = export(lg, "md", ids["tricky"])
    audit = lg.audit(ids["tricky"], as_of="2024-06-20")
    assert ("**Publishable**" in md) == audit.publishable
    for finding in audit.findings:
        assert finding.rule in md


def test_citations_formatted_by_citeproc(fx) -> None:
    lg, ids = fx
    md = export(lg, "md", ids["fr"])
    assert "(*Example Wire Agency*, 2024, para. 1)" in md  # a locator the style understands
    assert "(Matthew Example, 2024), 00:14:30" in md  # a timestamp shown beside the citation
    assert "Available at: https://example.org/state/briefing (Accessed: 21 June 2024)." in md


# ---------------------------------------------------------------------- CSV
def test_csv_one_row_per_appearance_and_no_formula(fx) -> None:
    lg, ids = fx
    text = export(lg, "csv")
    assert text.startswith("\ufeff") and "\r\n" in text
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"), newline="")))
    with lg.db.read() as conn:
        from sqlalchemy import text as sql

        assert len(rows) == conn.execute(sql("SELECT count(*) FROM appearance")).scalar_one()
    for row in rows:
        for cell in row.values():
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell
    formula = next(r for r in rows if r["claim_id"] == str(ids["formula"]))
    assert formula["claim_text"] == "'=SUM(A1:A9) was cited by the council"
    assert formula["claimant"] == "'+council" and formula["article_outlet"].startswith("'=cmd")


def test_csv_neutralise_round_trip() -> None:
    from ledger.services.export.csv_export import neutralise, restore_cell

    for value in ("=1+1", "+33 1 23", "-12 %", "@here", "\tx", "\rx", "plain", "'quoted", "", "'=1", "''-x",
                  "\x1b[31mred", "'", "'\x1b"):
        cell = neutralise(value)
        assert not str(cell).startswith(("=", "+", "-", "@", "\t", "\r"))
        assert restore_cell(cell) == value


# --------------------------------------------------------------- ClaimReview
def _loader(url, options=None):  # noqa: ANN001 - pyld's document loader signature
    if url in SCHEMA_URLS:
        return {"contextUrl": None, "documentUrl": url, "document": CONTEXT}
    raise AssertionError(f"JSON-LD processing tried to fetch {url}")


def _terms(value, out: set[str]) -> set[str]:  # noqa: ANN001
    if isinstance(value, dict):
        for k, v in value.items():
            if not k.startswith("@"):
                out.add(k)
            _terms(v, out)
    elif isinstance(value, list):
        for v in value:
            _terms(v, out)
    return out


def _expanded_terms(value, out: set[str]) -> set[str]:  # noqa: ANN001
    if isinstance(value, dict):
        for k, v in value.items():
            if k.startswith("https://schema.org/"):
                out.add(k.rsplit("/", 1)[1])
            _expanded_terms(v, out)
    elif isinstance(value, list):
        for v in value:
            _expanded_terms(v, out)
    return out


def test_claimreview_is_valid_jsonld(fx) -> None:
    lg, ids = fx
    doc = json.loads(export(lg, "claimreview"))
    assert doc["@context"] == "https://schema.org" and len(doc["@graph"]) == 6
    expanded = jsonld.expand(doc, {"documentLoader": _loader})
    used = _terms(doc, set())
    assert used - _expanded_terms(expanded, set()) == set()  # no term dropped
    types = {t.rsplit("/", 1)[1] for node in expanded for t in node["@type"]}
    assert types == {"ClaimReview"}


def test_claimreview_fields_and_ratings(fx) -> None:
    lg, ids = fx
    reviews = {r["claimReviewed"]: r for r in json.loads(export(lg, "claimreview"))["@graph"]}
    arrival = reviews["Putin arrived in Pyongyang on the night of 18 June 2024."]
    assert arrival["reviewRating"] == {"@type": "Rating", "alternateName": "True", "ratingValue": 5,
                                       "bestRating": 5, "worstRating": 1}
    assert arrival["author"] == {"@type": "Organization", "name": "Le Guetteur"}
    assert arrival["url"] == "https://example.org/guetteur/pyongyang#claim-1"
    item = arrival["itemReviewed"]
    assert item["datePublished"] == "2024-06-18"
    assert [a["url"] for a in item["appearance"]] == ["https://example.org/guetteur/pyongyang",
                                                     "https://example.org/post/pact"]
    assert item["firstAppearance"]["headline"] == "Poutine à Pyongyang : un pacte et des obus"
    shells = reviews["North Korean shells are used in Ukraine."]
    assert shells["itemReviewed"]["author"] == {"@type": "Person", "name": "US officials"}
    assert shells["reviewRating"]["alternateName"] == "Disputed"
    assert reviews["The treaty has a mutual assistance clause."]["reviewRating"]["ratingValue"] == 1
    assert "ratingValue" not in reviews["@mayor: -12 % in grants"]["reviewRating"]


def test_claimreview_url_template_from_config(fx) -> None:
    lg, ids = fx
    from dataclasses import replace

    lg.config = replace(lg.config, raw={"export": {"claimreview": {"url": "https://checks.example.org/c/{claim_id}",
                                                                   "author": "Example Checks"}}})
    first = json.loads(export(lg, "claimreview"))["@graph"][0]
    assert first["url"] == "https://checks.example.org/c/1"
    assert first["author"]["name"] == "Example Checks"


# ------------------------------------------------------------------ CSL-JSON
def test_csl_json_reads_back_in_citeproc(fx) -> None:
    from citeproc.source.json import CiteProcJSON

    lg, ids = fx
    items = json.loads(export(lg, "csl"))
    assert [i["id"] for i in items] == ["source-1", "source-2", "source-3"]
    assert [i["type"] for i in items] == ["article-newspaper", "report", "document"]
    assert items[0]["issued"] == {"date-parts": [[2024, 6, 19]]} and "SHA-256" in items[0]["note"]
    assert items[1]["author"] == [{"literal": "Matthew Example"}] and items[1]["URL"].startswith("https://")
    assert set(CiteProcJSON(items)) == {"source-1", "source-2", "source-3"}
    only_fr = json.loads(export(lg, "csl", ids["fr"]))
    assert [i["id"] for i in only_fr] == ["source-1", "source-2"]


def test_empty_ledger_exports(lg) -> None:
    assert json.loads(export(lg, "claimreview")) == {"@context": "https://schema.org", "@graph": []}
    assert json.loads(export(lg, "csl")) == []
    assert json.loads(export(lg, "json"))["articles"] == []
    assert "Verification reports" in export(lg, "md")
