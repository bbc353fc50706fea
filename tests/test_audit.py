"""The pre-publication audit, rule by rule, on articles the tests write."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import event, text

from ledger.services.audit import AuditReport, Finding, match_score, quoted_words
from ledger.text.sentences import split_sentences
from tests.desk import HARBOUR_EN, PORT_FR, Desk, findings

SHIPS = "40 cargo ships docked at the northern quay in March"
CRANE = "the new crane to double capacity"
TRAFFIC = "“Traffic has doubled since last year,” the harbour master said"
COUNCIL = "The city council met to discuss the budget."


@pytest.fixture
def desk(lg, tmp_path: Path) -> Desk:
    return Desk(lg, tmp_path)


# ------------------------------------------------------------------------------ report
def test_report_shape_and_counts(desk: Desk):
    a = desk.article()
    c = desk.claim(a, SHIPS)
    report = desk.audit(a)
    assert isinstance(report, AuditReport) and report.article_id == a and report.as_of == date.today()
    assert all(isinstance(f, Finding) for f in report.findings)
    counts = report.counts()
    assert set(counts) == {"block", "warn", "info"} and sum(counts.values()) == len(report.findings)
    assert report.publishable is False and report.blocking[0].claim_id == c
    # blocking findings come first
    order = [f.severity for f in report.findings]
    assert order == sorted(order, key=["block", "warn", "info"].index)


def test_audit_runs_a_fixed_number_of_queries(desk: Desk):
    """Loading an article's facts does not issue one query per claim."""

    def queries_for(article_id: int) -> int:
        seen = []
        listener = lambda *args, **kw: seen.append(1)  # noqa: E731
        event.listen(desk.lg.db.engine, "before_cursor_execute", listener)
        try:
            desk.audit(article_id)
        finally:
            event.remove(desk.lg.db.engine, "before_cursor_execute", listener)
        return len(seen)

    small = desk.article()
    desk.verify(desk.claim(small, SHIPS), "Port Authority", "Harbour Gazette")
    sentences = [f"Berth {n} received {n * 3} ships in week {n}." for n in range(1, 31)]
    big = desk.article(" ".join(sentences), title="Berths")
    for n, s in enumerate(sentences):
        cid = desk.claim(big, s)
        if n % 2:
            desk.verify(cid, "Port Authority", f"Paper {n}")
    assert queries_for(big) == queries_for(small)


# ------------------------------------------------------------------- 1. open claim
def test_open_claim_blocks_until_verified(desk: Desk):
    a = desk.article()
    c = desk.claim(a, SHIPS)
    [f] = findings(desk.audit(a), "open-claim")
    assert f.severity == "block" and f.claim_id == c and f.quote == SHIPS and "unverified" in f.message
    desk.status(c, "in_progress")
    assert "in_progress" in findings(desk.audit(a), "open-claim")[0].message
    desk.verify(c, "Port Authority", "Harbour Gazette")
    assert findings(desk.audit(a), "open-claim") == []


def test_open_claim_can_be_switched_off(desk: Desk):
    a = desk.article()
    desk.claim(a, SHIPS)
    desk.use_policy("[audit.rules.open-claim]\nenabled = false\n")
    assert findings(desk.audit(a), "open-claim") == []


# ----------------------------------------------------------------- 2. failed claim
def test_failed_claim_blocks(desk: Desk):
    a = desk.article()
    c = desk.claim(a, SHIPS)
    desk.cite(c, desk.source("Only 12 ships docked in March.", publisher="Harbour Gazette"), stance="refutes")
    desk.status(c, "false", "the log shows 12")
    [f] = findings(desk.audit(a), "failed-claim")
    assert f.severity == "block" and f.claim_id == c and "false" in f.message


def test_failed_claim_severity_is_tunable(desk: Desk):
    a = desk.article()
    c = desk.claim(a, SHIPS)
    desk.cite(c, desk.source(), stance="refutes")
    desk.status(c, "misleading", "half the story")
    desk.use_policy('[audit.rules.failed-claim]\nseverity = "warn"\n')
    report = desk.audit(a)
    assert findings(report, "failed-claim")[0].severity == "warn"


# ------------------------------------------------------------------- 3. unresolved
def test_unresolved_warns_and_blocks_when_strict(desk: Desk):
    a = desk.article()
    c = desk.claim(a, SHIPS)
    desk.status(c, "disputed", "two logs disagree")
    [f] = findings(desk.audit(a), "unresolved")
    assert f.severity == "warn" and f.claim_id == c
    desk.use_policy("[audit]\nstrict = true\n")
    [f] = findings(desk.audit(a), "unresolved")
    assert f.severity == "block"


def test_unresolved_only_warning_is_publishable(desk: Desk):
    a = desk.article(COUNCIL + "\n")
    c = desk.claim(a, "The city council met")
    desk.status(c, "unverifiable", "no minutes")
    report = desk.audit(a)
    assert [f.rule for f in report.findings] == ["unresolved"] and report.publishable


# -------------------------------------------------------------- 4. too few sources
def test_one_source_is_too_few_for_a_verified_assertion(desk: Desk):
    a = desk.article()
    c = desk.claim(a, SHIPS)
    desk.verify(c, "Harbour Gazette")
    [f] = findings(desk.audit(a), "too-few-sources")
    assert f.severity == "block" and f.claim_id == c and "1 publisher" in f.message


def test_same_publisher_twice_is_not_independent(desk: Desk):
    a = desk.article()
    c = desk.claim(a, SHIPS)
    desk.verify(c, "Harbour Gazette", "  harbour   GAZETTE ")
    assert len(findings(desk.audit(a), "too-few-sources")) == 1


def test_two_publishers_or_one_primary_source_suffice(desk: Desk):
    a = desk.article()
    two = desk.claim(a, SHIPS)
    desk.verify(two, "Harbour Gazette", "Port Authority")
    official = desk.claim(a, CRANE)
    desk.verify(official, "Port Authority", kind="official")
    assert findings(desk.audit(a), "too-few-sources") == []


def test_min_sources_and_primary_kinds_are_tunable(desk: Desk):
    a = desk.article()
    c = desk.claim(a, SHIPS)
    desk.verify(c, "Harbour Gazette", "Port Authority")
    desk.use_policy("[audit.rules.too-few-sources]\nmin_sources = 3\n")
    assert len(findings(desk.audit(a), "too-few-sources")) == 1
    d = desk.claim(a, CRANE)
    desk.verify(d, "Crane Maker", kind="document")
    desk.use_policy('[audit.rules.too-few-sources]\nprimary_kinds = ["official"]\n')
    assert [f.claim_id for f in findings(desk.audit(a), "too-few-sources")] == [d]


def test_attributions_are_not_counted_as_assertions(desk: Desk):
    a = desk.article()
    c = desk.claim(a, TRAFFIC, kind="attribution", claimant="harbour master")
    s = desk.source("Transcript: Traffic has doubled since last year, said the harbour master.")
    desk.cite(c, s, excerpt="Traffic has doubled since last year")
    desk.status(c, "verified")
    assert findings(desk.audit(a), "too-few-sources") == []


# ------------------------------------------------- 5. attribution without evidence
def test_quoted_words_are_what_is_inside_quotation_marks():
    assert quoted_words("“Traffic has doubled,” the master said") == ["Traffic has doubled,"]
    assert quoted_words("il a salué un texte « pacifique et défensif » hier") == ["pacifique et défensif"]
    assert quoted_words("the master said traffic doubled") == ["the master said traffic doubled"]
    assert quoted_words("he called it « a new era") == ["a new era"]


def test_match_score_forgives_case_and_punctuation_but_not_a_short_excerpt():
    assert match_score("Traffic has doubled,", "Transcript: traffic has doubled since 2023") == 100
    assert match_score("Traffic has doubled since last year", "doubled") < 50


def test_verified_attribution_needs_a_matching_excerpt(desk: Desk):
    a = desk.article()
    c = desk.claim(a, TRAFFIC, kind="attribution", claimant="harbour master")
    transcript = desk.source("Annual meeting transcript. Harbour master: traffic has doubled since last year. "
                             "Next item: budget.", kind="document")
    desk.cite(c, transcript, excerpt="traffic has doubled since last year")
    desk.status(c, "verified")
    assert findings(desk.audit(a), "attribution-evidence") == []


def test_attribution_with_unrelated_excerpt_or_none_blocks(desk: Desk):
    a = desk.article()
    c = desk.claim(a, TRAFFIC, kind="attribution", claimant="harbour master")
    notes = desk.source("Meeting notes. The harbour master spoke about dredging the channel.")
    desk.cite(c, notes, excerpt="The harbour master spoke about dredging the channel.")
    desk.status(c, "verified")
    [f] = findings(desk.audit(a), "attribution-evidence")
    assert f.severity == "block" and f.claim_id == c and "best match" in f.message
    b = desk.article(title="Second")
    d = desk.claim(b, TRAFFIC, kind="attribution", claimant="harbour master")
    desk.cite(d, desk.source("A page with no excerpt cited."))
    desk.status(d, "verified")
    [g] = findings(desk.audit(b), "attribution-evidence")
    assert "no supporting citation quotes" in g.message


def test_attribution_threshold_is_tunable(desk: Desk):
    a = desk.article()
    c = desk.claim(a, TRAFFIC, kind="attribution", claimant="harbour master")
    s = desk.source("Harbour master: traffic went up a lot since last year.")
    desk.cite(c, s, excerpt="traffic went up a lot since last year")
    desk.status(c, "verified")
    assert len(findings(desk.audit(a), "attribution-evidence")) == 1
    desk.use_policy("[audit.rules.attribution-evidence]\nthreshold = 40\n")
    assert findings(desk.audit(a), "attribution-evidence") == []


# ------------------------------------------------------------------ 6. anchor drift
def test_orphaned_appearance_blocks(desk: Desk):
    a = desk.article()
    c = desk.claim(a, CRANE)
    desk.lg.update_article(a, body=HARBOUR_EN.replace("Officials reportedly expect the new crane to double capacity. ",
                                                      ""))
    [f] = findings(desk.audit(a), "anchor-drift")
    assert f.severity == "block" and f.claim_id == c and "orphaned" in f.message


def test_quote_no_longer_at_its_offsets_blocks(desk: Desk):
    a = desk.article()
    c = desk.claim(a, SHIPS)
    with desk.lg.db.write() as conn:  # the text changed behind the ledger's back
        conn.execute(text("UPDATE article SET body = :b WHERE id = :id"), {"b": "Breaking: " + HARBOUR_EN, "id": a})
    [f] = findings(desk.audit(a), "anchor-drift")
    assert f.claim_id == c and "re-anchor" in f.message


def test_passage_reworded_after_verification_blocks_until_checked_again(desk: Desk):
    a = desk.article()
    c = desk.claim(a, SHIPS)
    desk.verify(c, "Harbour Gazette", "Port Authority")
    desk.lg.update_article(a, body=HARBOUR_EN.replace("40 cargo ships docked", "40 cargo vessels docked"))
    [f] = findings(desk.audit(a), "reworded-after-verdict")
    assert f.severity == "block" and f.claim_id == c and "reworded" in f.message
    assert findings(desk.audit(a), "anchor-drift") == []
    desk.status(c, "verified", "the new wording says the same")
    assert findings(desk.audit(a), "reworded-after-verdict") == findings(desk.audit(a), "anchor-drift") == []


def test_passage_reworded_before_the_flag_existed_still_warns(desk: Desk):
    """A ledger reworded before confirmations were stored keeps the anchor-drift warning."""
    a = desk.article()
    c = desk.claim(a, SHIPS)
    desk.verify(c, "Harbour Gazette", "Port Authority")
    desk.lg.update_article(a, body=HARBOUR_EN.replace("40 cargo ships docked", "40 cargo vessels docked"))
    with desk.lg.db.write() as conn:
        conn.execute(text("UPDATE appearance SET needs_confirm = false"))
    [f] = findings(desk.audit(a), "anchor-drift")
    assert f.severity == "warn" and f.claim_id == c and "reworded" in f.message


# ------------------------------------------------------------- 7. vague attribution
def test_vague_attribution_around_a_claim_warns(desk: Desk):
    a = desk.article()
    c = desk.claim(a, CRANE)
    d = desk.claim(a, SHIPS)
    [f] = findings(desk.audit(a), "vague-attribution")
    assert f.severity == "warn" and f.claim_id == c and "reportedly" in f.message
    assert d not in [x.claim_id for x in findings(desk.audit(a), "vague-attribution")]


def test_french_conditional_is_hedged_sourcing(desk: Desk):
    a = desk.article(PORT_FR, lang="fr", title="Le port")
    c = desk.claim(a, "livrée avec six mois de retard")
    desk.claim(a, "40 cargos au mois de mars")
    [f] = findings(desk.audit(a), "vague-attribution")
    assert f.claim_id == c and "aurait" in f.message


def test_phrase_lists_follow_the_language_and_are_configurable(desk: Desk):
    body = "Le port aurait reçu 40 cargos. The port reportedly received 40 ships.\n"
    fr = desk.article(body, lang="fr", title="fr")
    c = desk.claim(fr, "The port reportedly received 40 ships")
    assert findings(desk.audit(fr), "vague-attribution") == []  # English phrase, French list
    desk.use_policy('[audit.rules.vague-attribution.phrases]\nfr = ["reportedly"]\n')
    [f] = findings(desk.audit(fr), "vague-attribution")
    assert f.claim_id == c
    unknown = desk.article(body, lang=None, title="no language")
    desk.claim(unknown, "Le port aurait reçu 40 cargos")
    desk.use_policy("")
    assert len(findings(desk.audit(unknown), "vague-attribution")) == 1  # every list applies


def test_vague_phrases_match_whole_words_only(desk: Desk):
    a = desk.article("Personne ne saurait dire combien de cargos sont arrivés le 3 mai.\n", lang="fr", title="x")
    desk.claim(a, "cargos sont arrivés le 3 mai")
    assert findings(desk.audit(a), "vague-attribution") == []


# ----------------------------------------------------------------- 8. stale evidence
def test_source_consulted_too_long_ago_warns(desk: Desk):
    a = desk.article()
    c = desk.claim(a, SHIPS)
    for p in ("Harbour Gazette", "Port Authority"):
        desk.cite(c, desk.source(publisher=p, accessed="2024-01-10"))
    desk.status(c, "verified")
    fresh = findings(desk.audit(a, as_of=date(2024, 2, 1)), "stale-evidence")
    stale = findings(desk.audit(a, as_of=date(2024, 3, 1)), "stale-evidence")
    assert fresh == [] or all("consulted" not in f.message for f in fresh)
    (finding,) = [f for f in stale if "consulted more than 30 days" in f.message]
    assert finding.message.count("on 2024-01-10") == 2  # both sources named in one finding per claim
    assert "consult them again" in finding.message
    assert all(f.severity == "warn" and f.claim_id == c for f in stale)


def test_claim_verified_too_long_ago_warns(desk: Desk):
    a = desk.article()
    c = desk.claim(a, SHIPS)
    desk.verify(c, "Harbour Gazette", "Port Authority")
    later = date.today() + timedelta(days=100)
    msgs = [f.message for f in findings(desk.audit(a, as_of=later), "stale-evidence")]
    assert any(f"claim {c} was judged verified" in m for m in msgs)
    assert not any("judged" in f.message for f in findings(desk.audit(a), "stale-evidence"))


def test_stale_spans_are_configurable(desk: Desk):
    a = desk.article()
    c = desk.claim(a, SHIPS)
    desk.cite(c, desk.source(accessed="2024-01-10"))
    desk.cite(c, desk.source(publisher="Gazette", accessed="2024-01-10"))
    desk.status(c, "verified")
    desk.use_policy('[audit.rules.stale-evidence]\nsource_accessed = "1 year"\nclaim_verified = "5 years"\n')
    assert findings(desk.audit(a, as_of=date(2024, 6, 1)), "stale-evidence") == []


def test_open_claims_have_no_stale_evidence_finding(desk: Desk):
    a = desk.article()
    c = desk.claim(a, SHIPS)
    desk.cite(c, desk.source(accessed="2020-01-01"))
    assert findings(desk.audit(a), "stale-evidence") == []


# ------------------------------------------------------------- 9. evidence integrity
def _archived(desk: Desk, source_id: int) -> Path:
    return desk.lg.workspace.sources_dir / desk.lg.source(source_id).file_name


def test_changed_or_missing_archived_file_blocks(desk: Desk):
    a = desk.article()
    c = desk.claim(a, SHIPS)
    s1 = desk.source("Log one.", publisher="Port Authority")
    s2 = desk.source("Log two.", publisher="Harbour Gazette")
    desk.cite(c, s1)
    desk.cite(c, s2)
    desk.status(c, "verified")
    assert findings(desk.audit(a), "evidence-integrity") == []
    _archived(desk, s1).write_text("Log one, edited.", encoding="utf-8")
    [f] = findings(desk.audit(a), "evidence-integrity")
    assert f.severity == "block" and f.claim_id == c and "has changed" in f.message
    _archived(desk, s2).unlink()
    msgs = sorted(f.message for f in findings(desk.audit(a), "evidence-integrity"))
    assert len(msgs) == 2 and any("missing" in m for m in msgs)


# ----------------------------------------------------------- 10. uncovered sentences
def test_sentences_with_figures_dates_or_quotes_need_a_claim(desk: Desk):
    a = desk.article()
    desk.claim(a, SHIPS)
    report = desk.audit(a)
    uncovered = findings(report, "uncovered-sentence")
    assert [f.quote for f in uncovered] == [
        "“Traffic has doubled since last year,” the harbour master said at the annual meeting."]
    assert uncovered[0].severity == "info" and uncovered[0].claim_id is None
    assert "a quotation" in uncovered[0].message


def test_uncovered_sentence_signals(desk: Desk):
    a = desk.article("The ferry left on Monday. Nobody waved. It carried 12 cars. "
                     "Le bac partira en janvier.\n", title="Ferry")
    report = desk.audit(a)
    msgs = {f.quote: f.message for f in findings(report, "uncovered-sentence")}
    assert set(msgs) == {"The ferry left on Monday.", "It carried 12 cars.", "Le bac partira en janvier."}
    assert "a date" in msgs["The ferry left on Monday."] and "figures" in msgs["It carried 12 cars."]
    assert report.publishable  # notes never block


def test_sentence_splitter_handles_french_and_english_quotes():
    body = ("M. Durand a dit : « Nous sommes prêts. » Le port ouvre. "
            "“We are ready,” Mr. Smith said. J. Smith agreed! Is it 3.5 km? Yes.\nTitle line")
    assert [s.text for s in split_sentences(body)] == [
        "M. Durand a dit : « Nous sommes prêts. »", "Le port ouvre.", "“We are ready,” Mr. Smith said.",
        "J. Smith agreed!", "Is it 3.5 km?", "Yes.", "Title line"]
    for s in split_sentences(body):
        assert body[s.start:s.end] == s.text


# -------------------------------------------------------------------------------- CLI
def test_audit_cli_exit_codes_and_json(run, article_files):
    assert run(f"article add {article_files['en']} --title Pact --lang en").code == 0
    assert run(["claim", "add", "--article", "1", "--quote", "The two leaders signed a mutual defence pact"]).code == 0
    r = run("audit 1")
    assert r.code == 1 and "BLOCK" in r.out and "open-claim" in r.out and "NOT publishable" in r.out
    j = run("audit 1 --json --as-of 2024-06-21")
    assert j.code == 1
    data = j.json()
    assert data["article_id"] == 1 and data["as_of"] == "2024-06-21" and data["publishable"] is False
    assert data["counts"]["block"] >= 1
    first = data["findings"][0]
    assert set(first) == {"severity", "rule", "claim_id", "appearance_id", "quote", "message", "command"}
    assert first["rule"] == "open-claim" and first["claim_id"] == 1
    assert first["command"] == "ledger status 1 STATUS --note …"
    assert "(ledger status 1 STATUS --note …)" in first["message"]


def test_audit_cli_publishable_article_exits_zero(run, tmp_path):
    body = tmp_path / "calm.txt"
    body.write_text("The council met to discuss the budget.\n", encoding="utf-8")
    assert run(f"article add {body} --title Calm").code == 0
    r = run("audit 1")
    assert r.code == 0 and "publishable" in r.out and "NOT" not in r.out


def test_audit_cli_refusals(run, article_files):
    run(f"article add {article_files['en']} --title Pact")
    r = run("audit 7")
    assert r.code == 1 and r.err.startswith("error: no article with id 7")
    r = run("audit 1 --as-of notadate")
    assert r.code == 1 and "audit date" in r.err


def test_audit_output_shows_terminal_markup_literally(run, tmp_path):
    body = tmp_path / "markup.txt"
    body.write_text("The port said \x1b[31m40\x1b[0m ships [bold]docked[/bold].\n", encoding="utf-8")
    run(f"article add {body} --title Markup")
    r = run(["claim", "add", "--article", "1", "--quote", "said \x1b[31m40\x1b[0m ships [bold]docked[/bold]"])
    assert r.code == 0
    out = run("audit 1").out
    assert "\x1b" not in out and "\\x1b[31m40" in out and "[bold]docked[/bold]" in out
