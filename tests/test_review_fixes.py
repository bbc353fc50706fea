"""Defects found in review: orphaned passages, excerpts against archived files, vocabulary, inputs."""

from __future__ import annotations

import re

import pytest

from tests.conftest import ARTICLE_FR, snapshot_tables

TREATY = "Le traité prévoit une assistance mutuelle en cas d’agression"
REWORDED = "Chacun des deux pays devra porter secours à l'autre s'il est attaqué"


def _orphaned(run, lg, article_files, tmp_path):
    assert run(f"article add --title Visite {article_files['fr']}").code == 0
    assert run(f"claim add --article 1 --quote '{TREATY}' --text 'Mutual assistance'").code == 0
    revised = tmp_path / "revised.txt"
    revised.write_text(ARTICLE_FR.replace(TREATY, REWORDED), encoding="utf-8")
    assert run(f"article update 1 {revised}").code == 0
    assert lg.claim(1).appearances[0].orphaned


def _drift(run):
    return [f for f in run("audit 1 --json").json()["findings"] if f["rule"] == "anchor-drift"]


def test_linking_an_orphaned_claim_reanchors_it(run, lg, article_files, tmp_path):
    _orphaned(run, lg, article_files, tmp_path)
    [finding] = _drift(run)
    assert "ledger claim link 1 --article 1" in finding["message"]
    assert "ledger claim unlink 1 --note" in finding["message"]
    r = run(f"claim link 1 --article 1 --quote \"{REWORDED}\"")
    assert r.code == 0 and r.out.strip() == "1"
    [app] = lg.claim(1).appearances
    assert not app.orphaned and app.quote == REWORDED
    assert lg.claim(1).history[-1].action == "appearance.reanchor"
    assert _drift(run) == []


def test_unlink_drops_an_appearance_with_a_note(run, lg, article_files, tmp_path):
    _orphaned(run, lg, article_files, tmp_path)
    before = snapshot_tables(lg)
    assert run("claim unlink 1 --note ''").code == 1
    assert run("claim unlink 9 --note gone").code == 1
    assert snapshot_tables(lg) == before
    r = run("claim unlink 1 --note 'passage cut from the article'")
    assert r.code == 0, r.err
    d = lg.claim(1)
    assert d.appearances == []
    last = d.history[-1]
    assert last.action == "appearance.remove" and last.payload["note"] == "passage cut from the article"
    assert last.payload["quote"] == TREATY
    assert _drift(run) == []
    assert run("verify").code == 0


# ------------------------------------------------------------------ excerpts
def _claim_and_source(run, article_files, evidence_args):
    assert run(f"article add --title Visite {article_files['fr']}").code == 0
    assert run("claim add --article 1 --quote 'les premiers missiles nord-coréens ont frappé Kharkiv'").code == 0
    r = run(f"source add --title Evidence {evidence_args}")
    assert r.code == 0, r.err


def test_cite_refuses_an_excerpt_when_the_archived_file_was_tampered_with(run, lg, article_files, workspace):
    _claim_and_source(run, article_files, f"--file {article_files['evidence']}")
    archived = workspace / "sources" / lg.source(1).file_name
    archived.write_text("Transcript. Nothing was said about Kharkiv.\n", encoding="utf-8")
    before = snapshot_tables(lg)
    r = run("cite 1 1 --stance supports --excerpt 'Nothing was said about Kharkiv'")
    assert r.code == 1
    assert "the archived file of source 1 has changed since it was archived; run ledger verify" in r.err
    assert snapshot_tables(lg) == before


def test_excerpt_is_stored_as_it_stands_in_the_source(run, lg, article_files, tmp_path):
    typed = tmp_path / "statement.txt"
    typed.write_text("The ministry’s statement: missiles hit Kharkiv — in January.\n", encoding="utf-8")
    _claim_and_source(run, article_files, f"--file {typed}")
    r = run(["cite", "1", "1", "--stance", "supports", "--excerpt", "ministry's statement: missiles hit Kharkiv - in"])
    assert r.code == 0, r.err
    assert r.err == ""
    assert lg.claim(1).citations[0].excerpt == "ministry’s statement: missiles hit Kharkiv — in"


def test_excerpt_on_a_source_without_text_is_kept_with_a_notice(run, lg, article_files):
    _claim_and_source(run, article_files, "--url https://example.org/briefing --no-fetch")
    r = run("cite 1 1 --stance supports --excerpt 'whatever the page says'")
    assert r.code == 0
    assert "excerpt not checked: source 1 has no archived text" in r.err
    assert lg.claim(1).citations[0].excerpt == "whatever the page says"


def test_excerpt_is_never_matched_against_a_binary_file(run, lg, article_files, tmp_path):
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(b"%PDF-1.4 missiles hit Kharkiv in January")  # text-like bytes, but a PDF
    _claim_and_source(run, article_files, f"--file {pdf}")
    r = run("cite 1 1 --stance supports --excerpt 'not in the bytes at all'")
    assert r.code == 0
    assert "excerpt not checked: source 1 has no archived text" in r.err


# ------------------------------------------------------------------ vocabulary
def test_a_vocabulary_lacking_statuses_in_use_is_refused(run, lg, article_files, workspace):
    assert run(f"article add --title Visite {article_files['fr']}").code == 0
    assert run(f"claim add --article 1 --quote '{TREATY}'").code == 0
    assert run("status 1 disputed --note 'two accounts'").code == 0
    toml = workspace / "ledger.toml"
    toml.write_text('[statuses]\nunverified = "open"\nconfirmed = "pass"\n', encoding="utf-8")
    before = snapshot_tables(lg)
    r = run("claim list")
    assert r.code == 1
    [line] = r.err.strip().splitlines()
    assert "lacks statuses this ledger's claims use: disputed" in line and str(toml) in line
    assert snapshot_tables(lg) == before
    toml.write_text('[statuses]\nunverified = "open"\ndisputed = "unresolved"\n', encoding="utf-8")
    assert run("claim list --status disputed").out.startswith("#1 ")


def test_status_names_must_be_simple_words(run, lg, workspace):
    toml = workspace / "ledger.toml"
    toml.write_text('[statuses]\nunverified = "open"\n"" = "pass"\n', encoding="utf-8")
    r = run("claim list")
    assert r.code == 1 and "(line 3)" in r.err and "empty name" in r.err
    toml.write_text('[statuses]\nunverified = "open"\n"to check" = "open"\n', encoding="utf-8")
    r = run("claim list")
    assert r.code == 1 and "(line 3)" in r.err and "not a simple word" in r.err


# ------------------------------------------------------------------ claims and sources
def test_blank_claim_text_is_refused(run, lg, article_files):
    assert run(f"article add --title Visite {article_files['fr']}").code == 0
    before = snapshot_tables(lg)
    r = run(["claim", "add", "--article", "1", "--quote", TREATY, "--text", "   "])
    assert r.code == 1 and r.err.strip() == "error: the claim text is empty"
    assert snapshot_tables(lg) == before


def test_one_source_cited_twice_counts_once(run, lg, article_files):
    _claim_and_source(run, article_files, "--url https://example.org/briefing --kind web --no-fetch")
    assert run("cite 1 1 --stance supports --locator 'para 1'").code == 0
    assert run("cite 1 1 --stance supports --locator 'para 4'").code == 0
    assert run("status 1 verified --note 'the briefing says so'").code == 0
    [f] = [f for f in run("audit 1 --json").json()["findings"] if f["rule"] == "too-few-sources"]
    assert "on 1 supporting source(s) from 1 publisher(s)" in f["message"]


def test_expected_version_ahead_of_the_claim_is_named(run, lg, article_files):
    assert run(f"article add --title Visite {article_files['fr']}").code == 0
    assert run(f"claim add --article 1 --quote '{TREATY}'").code == 0
    before = snapshot_tables(lg)
    r = run("status 1 disputed --note why --expect-version 5")
    assert r.code == 1 and r.err.strip() == "error: claim 1 is at version 1, not 5"
    assert snapshot_tables(lg) == before
    assert run("status 1 disputed --note why --expect-version 1").code == 0
    r = run("status 1 unverified --note back --expect-version 1")
    assert r.code == 1
    assert re.search(r"was changed by tester at \d{4}-\d\d-\d\d \d\d:\d\d UTC since you opened it", r.err), r.err


# ------------------------------------------------------------------ urls and dates
@pytest.mark.parametrize("url", ["not a url", "javascript:alert(1)", "ftp://example.org/x", "https://", "http:///x"])
def test_only_web_addresses_are_accepted(run, lg, article_files, url):
    before = snapshot_tables(lg)
    r = run(["source", "add", "--title", "S", "--url", url])
    assert r.code == 1 and "is not a web address" in r.err and len(r.err.strip().splitlines()) == 1
    r = run(["article", "add", str(article_files["fr"]), "--title", "A", "--url", url])
    assert r.code == 1 and "is not a web address" in r.err
    assert snapshot_tables(lg) == before


def test_source_dates_in_the_future_are_refused(run, lg):
    before = snapshot_tables(lg)
    r = run("source add --title S --url https://example.org/a --accessed 2999-01-01")
    assert r.code == 1 and "accessed date 2999-01-01 is in the future" in r.err
    r = run("source add --title S --url https://example.org/a --published 2999-01-01")
    assert r.code == 1 and "published date 2999-01-01 is in the future" in r.err
    assert snapshot_tables(lg) == before
    assert run("source add --title S --url HTTPS://example.org/a --published 2024-06-18 --no-fetch").code == 0


# ------------------------------------------------------------------ showing what the ledger holds
def test_imported_verdict_label_is_shown(run, lg, article_files):
    from sqlalchemy import update

    from ledger.models import Claim

    assert run(f"article add --title Visite {article_files['fr']}").code == 0
    assert run(f"claim add --article 1 --quote '{TREATY}'").code == 0
    with lg.db.write() as conn:
        conn.execute(update(Claim.__table__).values(status="disputed", status_label="Mostly false"))
    assert "“Mostly false”" in run("claim show 1").out
    assert run("claim show 1 --json").json()["status_label"] == "Mostly false"
    assert run("claim list --json").json()[0]["status_label"] == "Mostly false"


def test_article_show_gives_the_editorial_history(run, lg, article_files, tmp_path):
    _orphaned(run, lg, article_files, tmp_path)  # added, then revised
    assert run(["article", "state", "1", "in_review", "--note", "ready for the desk"]).code == 0
    r = run(["article", "state", "1", "published", "--override", "--note", "the editor accepts the risk"])
    assert r.code == 0, r.err
    out = run("article show 1").out
    history = out.split("  History:\n", 1)[1]
    assert "revision 2: 0 kept, 0 moved, 0 reworded, 1 orphaned" in history
    assert "draft → in_review: ready for the desk" in history
    assert "in_review → published (audit overridden): the editor accepts the risk" in history
    assert "overrode anchor-drift: the passage of claim 1 is no longer in the text" in history
    data = run("article show 1 --json").json()["history"]
    assert [e["action"] for e in data] == ["article.add", "article.update", "article.state", "article.state"]
    assert data[-1]["override"] is True and data[-1]["note"] == "the editor accepts the risk"
    assert "anchor-drift" in {b["rule"] for b in data[-1]["blocking"]}


# ------------------------------------------------------------------ commands belong to the command line
def test_refusals_and_findings_keep_commands_apart_from_their_message(run, lg, article_files, tmp_path):
    from ledger.errors import InvalidInput

    _orphaned(run, lg, article_files, tmp_path)
    try:
        lg.set_status(claim_id=1, status="verified", note="sure")
        raise AssertionError("a verdict without a citation was accepted")
    except InvalidInput as exc:
        assert exc.message == "claim 1 cannot be verified: it has no supporting citation"
        assert exc.hint == "add one with: ledger cite 1 SOURCE_ID --stance supports"
    r = run("status 1 verified --note sure")
    assert r.err.strip() == ("error: claim 1 cannot be verified: it has no supporting citation "
                             "(add one with: ledger cite 1 SOURCE_ID --stance supports)")
    [drift] = [f for f in lg.audit(1).findings if f.rule == "anchor-drift"]
    assert "ledger" not in drift.message and "(" not in drift.message.split(":", 1)[1]
    assert drift.command == "ledger claim link 1 --article 1 --quote … or ledger claim unlink 1 --note …"
    assert "wording (ledger claim link 1 --article 1 --quote …) or drop" in run("audit 1").out


# ------------------------------------------------------------------ list filters
def test_list_filters_fold_accents_and_take_wildcards_literally(lg):
    for title, outlet in (("La Corée du Nord livre des obus", None), ("À Pyongyang, un pacte", "Le Guetteur"),
                          ("Growth of 100% in a year", None), ("snake_case titles", None),
                          ("A plain title", "Écho du Soir")):
        lg.add_article(title=title, body="Texte.\n", outlet=outlet)
    lg.add_source(title="Rapport sur la Corée", url="https://example.org/r", publisher="Agence Œil",
                  fetch=False)

    def titles(text):  # noqa: ANN001, ANN202
        rows = lg.list_articles(text=text)
        assert lg.count_articles(text=text) == len(rows)
        return sorted(r.title for r in rows)

    assert titles("coree") == ["La Corée du Nord livre des obus"]
    assert titles("CORÉE") == ["La Corée du Nord livre des obus"]
    assert titles("à pyong") == ["À Pyongyang, un pacte"]
    assert titles("a pyong") == ["À Pyongyang, un pacte"]
    assert titles("echo du") == ["A plain title"]  # the outlet
    assert titles("%") == ["Growth of 100% in a year"]
    assert titles("_") == ["snake_case titles"]
    assert titles("100%") == ["Growth of 100% in a year"]
    assert titles("\\") == []
    assert [s.title for s in lg.list_sources(text="coree")] == ["Rapport sur la Corée"]
    assert [s.title for s in lg.list_sources(text="oeil")] == ["Rapport sur la Corée"]
    assert lg.count_sources(text="%") == 0 and lg.list_sources(text="_") == []


# ------------------------------------------------------------------ decomposed accents
def test_quotes_match_whatever_the_accents_are_composed_of():
    import unicodedata

    from ledger.text.anchoring import locate

    composed = "La Corée du Nord a livré des obus à la Russie."
    decomposed = unicodedata.normalize("NFD", composed)
    for text, quote in ((composed, unicodedata.normalize("NFD", "Corée du Nord a livré")),
                        (decomposed, "Corée du Nord a livré"), (decomposed, "livré")):
        anchor = locate(text, quote)
        assert unicodedata.normalize("NFC", text[anchor.start:anchor.end]) == unicodedata.normalize("NFC", quote)
        assert anchor.quote == text[anchor.start:anchor.end]


def test_a_claim_quoted_with_composed_accents_anchors_in_a_decomposed_article(run, lg, tmp_path):
    import unicodedata

    body = unicodedata.normalize("NFD", "Le traité prévoit une assistance mutuelle. Fin.\n")
    path = tmp_path / "nfd.txt"
    path.write_text(body, encoding="utf-8")
    assert run(f"article add --title NFD {path}").code == 0
    r = run(["claim", "add", "--article", "1", "--quote", "Le traité prévoit"])
    assert r.code == 0, r.err
    [app] = lg.claim(1).appearances
    assert body[app.start:app.end] == app.quote == unicodedata.normalize("NFD", "Le traité prévoit")
