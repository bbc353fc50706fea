"""Matching new texts against the ledger: ``match``, ``suggest`` (accept / reject), ``claim similar``,
``claim merge``, the audit's repeated-failed-claim rule -- on every backend."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import text

from ledger.text.matching import clean, detect_language, normalise

FIRST = (
    "North Korea has supplied 11,000 artillery shells to Russia since August, officials said. "
    "The two leaders signed a mutual defence treaty in Pyongyang on Wednesday.\n"
)
SECOND = (
    "The summit ended late at night with a long banquet for the delegations. "
    "Officials in Washington said Pyongyang shipped 11 000 artillery shells to Russia since August. "
    "Reporters were kept far from the talks.\n"
)
FRENCH = "La Corée du Nord aurait livré des munitions à la Russie depuis le mois d'août, selon Séoul.\n"


# ------------------------------------------------------------------------- text layer
def test_noise_is_stripped_and_accents_folded():
    post = "RT @osint_bot: Pyongyang 🚀🔥 shipped #shells to Russia https://t.co/AbC123 @desk"
    assert clean(post) == ": Pyongyang shipped shells to Russia"
    n = normalise("La Corée du Nord a livré l'obus", "fr")
    assert "coree" in n.names and "nord" in n.names
    assert "obus" in n.stems and "l" not in n.stems and "la" not in n.stems  # elision split, stop words dropped


def test_stemming_and_figures_line_up_restatements():
    a = normalise("North Korea supplied 11,000 shells", "en")
    b = normalise("north korea supplies 11 000 shell", "en")
    assert set(a.stems) == set(b.stems)
    assert a.numbers == b.numbers == {"11000"}
    assert normalise("deux visites", "fr").numbers == {"2"}


def test_language_is_told_by_its_stop_words():
    assert detect_language("La Corée du Nord a livré des obus à la Russie") == "fr"
    assert detect_language("North Korea has shipped shells to the Russian army") == "en"


# ------------------------------------------------------------------------------ ledger
@pytest.fixture
def desk(lg, tmp_path):
    """A ledger with one article and its two claims, the first refuted (false)."""
    a1 = lg.add_article(title="Supply", body=FIRST, lang="en")
    shells = lg.add_claim(article_id=a1, quote="North Korea has supplied 11,000 artillery shells to Russia since August")
    treaty = lg.add_claim(article_id=a1, quote="The two leaders signed a mutual defence treaty in Pyongyang")
    src = lg.add_source(title="Customs figures", url="https://example.org/figures", fetch=False)
    lg.cite(claim_id=shells, source_id=src, stance="refutes")
    lg.set_status(claim_id=shells, status="false", note="the customs figures say otherwise")
    return {"lg": lg, "a1": a1, "shells": shells, "treaty": treaty, "source": src}


def test_match_finds_the_claim_in_a_noisy_post(desk, run):
    r = run(["match", "RT @watcher: Pyongyang shipped 11 000 shells to Russia 🚀 https://t.co/x1 @desk", "--json"])
    assert r.code == 0, r.err
    best = r.json()["matches"][0]
    assert best["claim_id"] == desk["shells"] and best["status"] == "false"
    assert 0 < best["score"] <= 1


def test_match_file_prints_one_line_per_text(desk, run, tmp_path):
    f = tmp_path / "posts.jsonl"
    f.write_text(json.dumps({"id": "p1", "text": "a defence treaty was signed by the two leaders in Pyongyang"}) + "\n"
                 + json.dumps({"id": 7, "text": "shells supplied to Russia by North Korea"}) + "\n", encoding="utf-8")
    r = run(["match", "--file", str(f), "--limit", "1"])
    assert r.code == 0, r.err
    lines = [json.loads(line) for line in r.out.splitlines()]
    assert [x["id"] for x in lines] == ["p1", 7]
    assert lines[0]["matches"][0]["claim_id"] == desk["treaty"]
    assert lines[1]["matches"][0]["claim_id"] == desk["shells"]


def test_match_refuses_bad_input(desk, run, tmp_path):
    assert run(["match"]).code == 2
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": 1, "text": "fine text here"}\nnot json\n', encoding="utf-8")
    r = run(["match", "--file", str(bad)])
    assert r.code == 1 and "line 2" in r.err and r.out == ""


def test_suggest_accept_makes_an_appearance_with_its_event(desk, run):
    lg = desk["lg"]
    a2 = lg.add_article(title="Summit", body=SECOND, lang="en")
    r = run(f"suggest {a2} --json")
    assert r.code == 0, r.err
    [s] = r.json()["suggestions"]
    assert s["claim_id"] == desk["shells"] and SECOND[s["start"]:s["end"]] == s["sentence"]
    assert "shipped 11 000" in s["sentence"]
    r = run(f"suggest {a2} --accept 1")
    assert r.code == 0, r.err
    apps = [a for a in lg.claim(desk["shells"]).appearances if a.article_id == a2]
    assert len(apps) == 1 and apps[0].quote == s["sentence"]
    with lg.db.read() as conn:
        payload = json.loads(conn.execute(text(
            "SELECT payload FROM event WHERE action = 'appearance.add' ORDER BY id DESC LIMIT 1")).scalar())
    assert payload["method"] == "suggestion"
    assert payload["rows"][0]["t"] == "appearance" and payload["rows"][0]["set"]["claim_id"] == desk["shells"]
    assert run(f"suggest {a2} --json").json()["suggestions"] == []  # anchored now: not suggested again


def test_rejected_suggestion_is_not_suggested_again(desk, run):
    a2 = desk["lg"].add_article(title="Summit", body=SECOND, lang="en")
    r = run(f"suggest {a2} --reject 1")
    assert r.code == 0, r.err and "will not be suggested again" in r.out
    assert run(f"suggest {a2} --json").json()["suggestions"] == []
    assert run(f"suggest {a2} --reject 1").code == 1  # nothing left to reject
    with desk["lg"].db.read() as conn:
        rows = conn.execute(text("SELECT claim_id, article_id FROM match_rejection")).all()
        payload = json.loads(conn.execute(text(
            "SELECT payload FROM event WHERE action = 'suggestion.reject'")).scalar())
    assert [tuple(r) for r in rows] == [(desk["shells"], a2)]
    assert payload["rows"][0]["t"] == "match_rejection"


def test_suggest_thresholds_come_from_ledger_toml(desk, run, workspace):
    a2 = desk["lg"].add_article(title="Summit", body=SECOND, lang="en")
    (workspace / "ledger.toml").write_text("[matching]\nsuggest = 0.2\nconfirm = 0.3\n", encoding="utf-8")
    found = run(f"suggest {a2} --json").json()["suggestions"]
    assert found and all(s["confirmed"] for s in found if s["score"] >= 0.3)
    (workspace / "ledger.toml").write_text("[matching]\nsuggest = 0.9\nconfirm = 0.5\n", encoding="utf-8")
    r = run(f"suggest {a2}")
    assert r.code == 1 and "line 3" in r.err and "confirm" in r.err


def test_audit_warns_of_a_repeated_false_claim(desk):
    lg = desk["lg"]
    a2 = lg.add_article(title="Summit", body=SECOND, lang="en")
    report = lg.audit(a2)
    [f] = [f for f in report.findings if f.rule == "repeats-failed-claim"]
    assert f.severity == "warn" and f.claim_id == desk["shells"] and "shipped 11 000" in f.quote
    assert "already found false" in f.message
    assert not [f for f in lg.audit(desk["a1"]).findings if f.rule == "repeats-failed-claim"]  # anchored there


def test_similar_and_merge_keep_the_history(desk, run):
    lg = desk["lg"]
    a2 = lg.add_article(title="Summit", body=SECOND, lang="en")
    dup = lg.add_claim(article_id=a2, quote="Pyongyang shipped 11 000 artillery shells to Russia since August")
    src2 = lg.add_source(title="Wire", url="https://example.org/wire", fetch=False)
    cite2 = lg.cite(claim_id=dup, source_id=src2, stance="context")
    r = run(f"claim similar {desk['shells']} --json")
    assert r.code == 0, r.err and r.json()[0]["claim_id"] == dup
    assert run(f"claim merge {desk['shells']} {dup}").code == 2  # --note is required
    r = run(["claim", "merge", str(desk["shells"]), str(dup), "--note", "same shipment figure"])
    assert r.code == 0, r.err
    kept = lg.claim(desk["shells"])
    assert {a.article_id for a in kept.appearances} == {desk["a1"], a2}
    assert cite2 in {c.id for c in kept.citations}
    shown = run(f"claim show {dup} --json")
    assert shown.json()["id"] == desk["shells"] and f"merged into claim {desk['shells']}" in shown.err
    assert run(["status", str(dup), "unverified", "--note", "reopened"]).code == 0
    assert lg.claim(desk["shells"]).claim.status == "unverified"
    with lg.db.read() as conn:
        events = {r.action: json.loads(r.payload) for r in conn.execute(text(
            "SELECT action, payload FROM event WHERE action IN ('claim.merge', 'claim.merged')"))}
        assert conn.execute(text(f"SELECT merged_into FROM claim WHERE id = {dup}")).scalar() == desk["shells"]
    assert {"t": "citation", "id": cite2, "set": {"claim_id": desk["shells"]}} in events["claim.merge"]["rows"]
    assert events["claim.merged"]["rows"][0]["set"]["merged_into"] == desk["shells"]
    assert run(["claim", "merge", str(desk["shells"]), str(dup), "--note", "again"]).code == 1
    assert run(["claim", "merge", str(desk["treaty"]), str(desk["treaty"]), "--note", "x"]).code == 1
    assert dup not in [m["claim_id"] for m in run(["match", "Pyongyang shipped shells", "--json"]).json()["matches"]]


def test_french_text_matches_a_french_claim(lg, run):
    a = lg.add_article(title="Munitions", body=FRENCH, lang="fr")
    c = lg.add_claim(article_id=a, quote="La Corée du Nord aurait livré des munitions à la Russie")
    r = run(["match", "URGENT : des munitions livrées par la #Corée du Nord à la Russie ‼️", "--json"])
    assert r.json()["matches"][0]["claim_id"] == c


def test_a_suggestion_scores_as_match_scores_it_whatever_the_sentence_already_carries(lg, run):
    """A sentence already carrying its own claim is suggested the runner-up only on that claim's own
    merit: its score is the one ``match`` gives it for the sentence (the full-text ranks were once
    read against the best claim left, so a weak runner-up scored as if it were the best match)."""
    first = ("The United States, Japan and South Korea are considering closer cooperation in response to the "
             "treaty. Konstantin Asmolov said the rapprochement answers an emerging Asian NATO built by the "
             "United States with South Korea and Japan.\n")
    earlier = lg.add_article(title="Treaty", body=first, lang="en")
    trilateral = lg.add_claim(article_id=earlier, quote=first.split(". ")[0] + ".")
    lg.add_claim(article_id=earlier, quote=first.split(". ")[1].strip())
    sentence = "The United States, Japan and South Korea are expected to discuss closer trilateral cooperation."
    article = lg.add_article(title="Allies", body=f"{sentence} The talks lasted two days.\n", lang="en")
    lg.link_claim(claim_id=trilateral, article_id=article, quote=sentence)
    scores = {m["claim_id"]: m["score"] for m in run(["match", sentence, "--limit", "10", "--json"]).json()["matches"]}
    r = run(f"suggest {article} --json")
    assert r.code == 0, r.err
    for s in r.json()["suggestions"]:
        assert s["claim_id"] != trilateral
        assert s["score"] == pytest.approx(scores[s["claim_id"]], abs=1e-3), (s, scores)
