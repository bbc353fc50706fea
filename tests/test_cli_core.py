"""The core verbs through the real command line, on real temporary ledgers.

Every refusal is checked three ways: exit code 1, one clear line on stderr, and the ledger's
tables byte-for-byte as they were before the command.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import snapshot_tables


@pytest.fixture
def seeded(run, article_files):
    """Two articles, one claim linked into both, one archived source cited."""
    assert run(f"article add {article_files['fr']} --title Visite --outlet 'Le Veilleur' "
               "--published '19 juin 2024' --lang fr").out.strip() == "1"
    assert run(f"article add {article_files['en']} --title Pact --published 'June 20, 2024' --lang en").out.strip() == "2"
    r = run(["claim", "add", "--article", "1", "--quote", "les premiers missiles nord-coréens ont frappé Kharkiv dès janvier",
             "--text", "North Korean missiles first hit Kharkiv in January", "--date", "ce 18 juin"])
    assert (r.code, r.out.strip()) == (0, "1")
    r = run(["source", "add", "--file", str(article_files["evidence"]), "--title", "Briefing transcript",
             "--publisher", "White House", "--kind", "official", "--reliability", "b", "--accessed", "2024-06-20"])
    assert (r.code, r.out.strip()) == (0, "1")
    return run


def refused(run, lg, args, *, says: str) -> None:
    before = snapshot_tables(lg)
    r = run(args)
    assert r.code == 1, (r.out, r.err)
    assert r.err.startswith("error: ") and r.err.count("\n") == 1, r.err
    assert says in r.err, r.err
    assert "Traceback" not in r.err
    assert snapshot_tables(lg) == before


def test_article_add_list_show(seeded, lg):
    listed = seeded("article list --json").json()
    assert [a["id"] for a in listed] == [2, 1]
    fr = listed[1]
    assert (fr["title"], fr["outlet"], fr["published"], fr["lang"], fr["state"]) == (
        "Visite", "Le Veilleur", "2024-06-19", "fr", "draft")
    assert fr["status_counts"] == {"unverified": 1}
    shown = seeded("article show 1 --json").json()
    assert shown["body"].startswith("Le président russe")
    assert shown["claims"] == [{"id": 1, "text": "North Korean missiles first hit Kharkiv in January",
                                "status": "unverified"}]
    text = seeded("article show 1").out
    assert "Article 1: Visite" in text and "Le Veilleur" in text


def test_claim_show_json_shape(seeded):
    d = seeded("claim show 1 --json").json()
    assert d["text"] == "North Korean missiles first hit Kharkiv in January"
    assert d["kind"] == "assertion" and d["status"] == "unverified"
    assert d["claim_date"] == "2024-06-18"  # "ce 18 juin" resolved against the article's 19 June 2024
    (app,) = d["appearances"]
    body = seeded("article show 1 --json").json()["body"]
    assert body[app["start"]:app["end"]] == app["quote"] == "les premiers missiles nord-coréens ont frappé Kharkiv dès janvier"
    assert d["citations"] == []
    assert [h["action"] for h in d["history"]] == ["claim.add", "appearance.add"]
    assert all(h["actor"] == "tester" and h["at"].endswith("Z") for h in d["history"])


def test_claim_link_to_second_article(seeded):
    r = seeded(["claim", "link", "1", "--article", "2", "--quote", "shipped artillery shells and missiles to Moscow"])
    assert r.code == 0
    d = seeded("claim show 1 --json").json()
    assert [a["article_id"] for a in d["appearances"]] == [1, 2]
    assert seeded("claim list --article 2 --json").json()[0]["id"] == 1


def test_quote_matching_forgives_typography(seeded):
    # straight apostrophe and quotes, doubled space: the article has ’ and « »
    r = seeded(["claim", "add", "--article", "1", "--quote", "l'a reçu en  \"meilleur ami\"", "--kind", "attribution",
                "--claimant", "Kim Jong-un"])
    assert r.code == 0, r.err
    d = seeded(f"claim show {r.out.strip()} --json").json()
    assert d["appearances"][0]["quote"] == "l’a reçu en « meilleur ami »"


def test_repeated_quote_needs_occurrence(seeded, lg):
    refused(seeded, lg, ["claim", "add", "--article", "1", "--quote", "Le traité prévoit"],
            says="occurs 2 times in article 1; pick one with --occurrence 1..2")
    r = seeded(["claim", "add", "--article", "1", "--quote", "Le traité prévoit", "--occurrence", "2"])
    assert r.code == 0
    app = seeded(f"claim show {r.out.strip()} --json").json()["appearances"][0]
    body = seeded("article show 1 --json").json()["body"]
    assert app["start"] == body.rindex("Le traité prévoit")
    refused(seeded, lg, ["claim", "add", "--article", "1", "--quote", "Le traité prévoit", "--occurrence", "3"],
            says="out of range")


def test_cite_and_status(seeded, lg):
    r = seeded(["cite", "1", "1", "--stance", "supports", "--excerpt", "ballistic missiles hit Kharkiv in January",
                "--locator", "para. 1"])
    assert r.code == 0 and r.out.strip() == "1"
    r = seeded(["status", "1", "verified", "--note", "Transcript confirms the January strikes"])
    assert r.code == 0, r.err
    d = seeded("claim show 1 --json").json()
    assert d["status"] == "verified"
    assert d["citations"] == [{"id": 1, "source_id": 1, "source_title": "Briefing transcript", "stance": "supports",
                               "excerpt": "ballistic missiles hit Kharkiv in January", "locator": "para. 1",
                               "retracted": False, "retracted_at": None, "retracted_by": None,
                               "retraction_note": None}]
    last = d["history"][-1]
    assert (last["action"], last["from"], last["to"], last["note"], last["actor"]) == (
        "claim.status", "unverified", "verified", "Transcript confirms the January strikes", "tester")
    assert seeded("claim list --status verified --json").json()[0]["id"] == 1
    assert seeded("claim list --status unverified --json").json() == []


def test_source_archived_by_hash(seeded, workspace, article_files):
    import hashlib

    src = seeded("source show 1 --json").json()
    digest = hashlib.sha256(article_files["evidence"].read_bytes()).hexdigest()
    assert src["sha256"] == digest and src["file_name"] == digest + ".txt"
    archived = workspace / "sources" / src["file_name"]
    assert archived.read_bytes() == article_files["evidence"].read_bytes()
    assert [p.name for p in (workspace / "sources").iterdir() if p.name != ".staging"] == [src["file_name"]]
    staging = workspace / "sources" / ".staging"
    assert not staging.exists() or not any(staging.iterdir())  # no staging leftovers
    assert src["kind"] == "official" and src["reliability"] == "B" and src["accessed"] == "2024-06-20"


def test_url_only_source(seeded):
    r = seeded(["source", "add", "--url", "https://example.org/statement", "--no-fetch", "--title", "Statement",
                "--kind", "web"])
    assert r.code == 0
    assert seeded("source show 2 --json").json()["file_name"] is None


def test_search_finds_claims_quotes_and_titles(seeded):
    hits = seeded("search kharkiv --json").json()
    assert {(h["kind"], h["claim_id"]) for h in hits} == {("claim", 1), ("appearance", 1)}
    assert [h["kind"] for h in seeded("search visite --json").json()] == ["article"]
    # accents folded, prefixes match
    assert seeded("search coreens --json").json()[0]["claim_id"] == 1
    # FTS syntax in user input is treated as words, never as query language
    assert seeded(["search", 'kharkiv" OR "x', "--json"]).code == 0


@pytest.mark.parametrize("args, says", [
    (["claim", "add", "--article", "1", "--quote", "this passage is nowhere"], "does not occur in article 1"),
    (["claim", "add", "--article", "9", "--quote", "Kharkiv"], "no article with id 9"),
    (["claim", "add", "--article", "1", "--quote", "Kharkiv", "--date", "32 juin 2024"], "invalid claim date '32 juin 2024'"),
    (["claim", "add", "--article", "1", "--quote", "Kharkiv", "--kind", "attribution"], "--claimant"),
    (["claim", "link", "7", "--article", "2", "--quote", "Moscow"], "no claim with id 7"),
    (["claim", "link", "1", "--article", "1", "--quote", "les premiers missiles nord-coréens ont frappé Kharkiv dès janvier"],
     "already anchored"),
    (["status", "1", "true-ish", "--note", "x"], "unknown status 'true-ish'; valid statuses: unverified, in_progress, verified"),
    (["status", "1", "verified", "--note", "looks right"], "no supporting citation"),
    (["status", "1", "false", "--note", "wrong"], "no refuting citation"),
    (["status", "1", "in_progress", "--note", "  "], "needs a note"),
    (["cite", "1", "1", "--stance", "supports", "--excerpt", "words not in the file"], "does not occur in the archived file"),
    (["cite", "1", "5", "--stance", "supports"], "no source with id 5"),
    (["cite", "4", "1", "--stance", "supports"], "no claim with id 4"),
    (["source", "add", "--file", "missing.pdf", "--title", "T"], "does not exist"),
    (["source", "add", "--url", "https://x.org", "--title", "T", "--published", "the other day"], "cannot read published date"),
    (["article", "show", "42"], "no article with id 42"),
    (["search", "!!!"], "at least one word"),
])
def test_refusals_change_nothing(seeded, lg, args, says):
    refused(seeded, lg, args, says=says)


def test_article_file_refusals(run, lg, workspace):
    binary = workspace / "photo.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    latin = workspace / "latin.txt"
    latin.write_bytes("élysée".encode("latin-1"))
    empty = workspace / "empty.txt"
    empty.write_text("  \n")
    refused(run, lg, ["article", "add", str(binary), "--title", "T"], says="binary")
    refused(run, lg, ["article", "add", str(latin), "--title", "T"], says="not UTF-8")
    refused(run, lg, ["article", "add", str(empty), "--title", "T"], says="empty")
    refused(run, lg, ["article", "add", "nope.txt", "--title", "T"], says="does not exist")


def test_usage_errors_exit_2(run):
    r = run("claim add --quote x")
    assert r.code == 2 and "--article" in r.err
    assert run("status 1 verified").code == 2  # --note is required
    assert run("cite 1 1 --stance maybe").code == 2
    assert run("frobnicate").code == 2


def test_actor_from_by_option_env_and_default(run, article_files, monkeypatch):
    run(f"article add {article_files['fr']} --title A")
    run(["--by", "Amélie", "claim", "add", "--article", "1", "--quote", "Kharkiv"])
    assert run("claim show 1 --json").json()["history"][0]["actor"] == "Amélie"
    monkeypatch.setenv("LEDGER_USER", "desk")
    run(["claim", "add", "--article", "1", "--quote", "Pyongyang"])
    assert run("claim show 2 --json").json()["history"][0]["actor"] == "desk"


def test_db_option_and_env_choose_the_ledger(run, article_files, tmp_path, monkeypatch):
    other = tmp_path / "elsewhere" / "team.db"
    other.parent.mkdir()
    assert run(["--db", str(other), "article", "add", str(article_files["en"]), "--title", "Elsewhere"]).code == 0
    assert other.exists()
    assert run(["--db", str(other), "article", "list", "--json"]).json()[0]["title"] == "Elsewhere"
    monkeypatch.setenv("LEDGER_DB", str(other))
    assert run("article list --json").json()[0]["title"] == "Elsewhere"


def test_literal_output_of_markup_and_escapes(run, workspace):
    f = workspace / "odd.txt"
    f.write_text("He said [bold red]x[/] and \x1b[31mred\x1b[0m here.\n")
    run(["article", "add", str(f), "--title", "[bold]Odd\x1b[2J"])
    run(["claim", "add", "--article", "1", "--quote", "[bold red]x[/]"])
    for args in ("claim show 1", "claim list", "article list", "article show 1", "search odd"):
        out = run(args).out
        assert "\x1b" not in out, args
    assert "[bold red]x[/]" in run("claim show 1").out
    assert "\\x1b[31mred" in run("article show 1").out
    assert json.loads(run("article show 1 --json").out)["title"] == "[bold]Odd\x1b[2J"


def test_no_arguments_prints_overview_when_not_a_terminal(lg, run, article_files):
    assert "ledger is empty" in run([]).out
    run(f"article add {article_files['en']} --title Pact")
    assert "Pact" in run([]).out


def test_demo_builds_a_complete_sample(run, workspace):
    r = run("demo")
    assert r.code == 0 and "Sample ledger built" in r.out
    articles = run("article list --json").json()
    assert len(articles) >= 3 and {a["lang"] for a in articles} == {"fr", "en"}
    claims = run("claim list --json").json()
    assert len(claims) >= 20
    assert {c["status"] for c in claims} >= {"unverified", "in_progress", "verified", "false", "misleading",
                                              "unverifiable", "disputed"}
    multi = [c for c in claims if len({a["article_id"] for a in run(f"claim show {c['id']} --json").json()["appearances"]}) > 1]
    assert multi
    sources = run("source list --json").json()
    assert len({s["kind"] for s in sources}) >= 4
    for s in sources:
        if s["file_name"]:
            assert (workspace / "sources" / s["file_name"]).is_file()
    # a second run refuses rather than doubling the sample
    again = run("demo")
    assert again.code == 1 and "already holds" in again.err
    assert len(run("article list --json").json()) == len(articles)


def test_demo_into_directory(run, tmp_path):
    target = tmp_path / "sample"
    assert run(["demo", str(target)]).code == 0
    assert (target / "ledger.db").is_file() and any((target / "sources").iterdir())


def test_claim_list_names_the_claimant_apart_from_the_text(seeded):
    r = seeded(["claim", "add", "--article", "2", "--quote", "shipped artillery shells and missiles to Moscow",
                "--kind", "attribution", "--claimant", "US officials"])
    assert r.code == 0, r.err
    lines = seeded("claim list").out.splitlines()
    assert any(line.endswith("shipped artillery shells and missiles to Moscow (US officials)") for line in lines), lines
