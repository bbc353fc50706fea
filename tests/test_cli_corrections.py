"""Corrections through the command line: ``claim edit``, ``citation retract``, ``claim confirm`` — each kept
in the history, ``verify`` passing, reports showing the current state."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ledger.services.ledger import open_ledger
from tests.conftest import snapshot_tables

PACT = "The two leaders signed a mutual defence pact"


@pytest.fixture
def pact(run, article_files, tmp_path) -> dict[str, Path]:
    """Article 1 with claim 1 verified on citation 1 (source 1, a transcript) and citation 2 (source 2, a
    wire from another publisher) — so the audit passes it."""
    wire = tmp_path / "wire.txt"
    wire.write_text("Wire copy: the two leaders signed a mutual defence pact on Wednesday.\n", encoding="utf-8")
    assert run(f"article add {article_files['en']} --title Pact --lang en --published 2024-06-19").code == 0
    assert run(["claim", "add", "--article", "1", "--quote", PACT]).code == 0
    assert run(f"source add --file {article_files['evidence']} --title Briefing --publisher Agency "
               "--kind web").code == 0
    assert run(f"source add --file {wire} --title Wire --publisher 'Other Agency' --kind wire").code == 0
    assert run("cite 1 1 --stance supports --locator 'para. 1'").code == 0
    assert run(["cite", "1", "2", "--stance", "supports", "--excerpt", "the two leaders signed a mutual defence pact"]
               ).code == 0
    assert run("status 1 verified --note 'two agencies'").code == 0
    return {**article_files, "wire": wire}


def _snapshot(ledger_db: str):
    lg = open_ledger(ledger_db)
    try:
        return snapshot_tables(lg)
    finally:
        lg.close()


def _findings(run, article_id: int = 1) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for f in run(f"audit {article_id} --json").json()["findings"]:
        out.setdefault(f["rule"], []).append(f)
    return out


# -------------------------------------------------------------------------- claim edit
def test_claim_edit_shows_old_and_new_in_the_history(run, pact):
    r = run(["claim", "edit", "1", "--text", "The leaders signed a defence treaty", "--kind", "attribution",
             "--claimant", "KCNA", "--date", "19 juin", "--priority", "1", "--note", "the paper calls it a treaty"])
    assert r.code == 0 and "claim 1 corrected (version 3)" in r.out, r.err
    d = run("claim show 1 --json").json()
    assert (d["text"], d["kind"], d["claimant"], d["claim_date"], d["priority"]) == (
        "The leaders signed a defence treaty", "attribution", "KCNA", "2024-06-19", 1)
    edit = d["history"][-1]
    assert edit["action"] == "claim.edit" and edit["note"] == "the paper calls it a treaty"
    assert edit["changes"]["kind"] == {"from": "assertion", "to": "attribution"}
    shown = run("claim show 1").out
    assert "claim.edit" in shown and "the paper calls it a treaty" in shown
    assert f"text: “{PACT}” → “The leaders signed a defence treaty”" in shown
    assert "kind: assertion → attribution" in shown and "date: (none) → 2024-06-19" in shown
    assert run("verify").code == 0
    report = run("export 1 --format md").out
    assert "The leaders signed a defence treaty" in report and "the paper calls it a treaty" in report


def test_claim_edit_refusals(run, pact, ledger_db):
    before = _snapshot(ledger_db)
    r = run("claim edit 1 --text Other")
    assert r.code == 2 and "--note" in r.err
    r = run("claim edit 1 --note why")
    assert r.code == 2 and "at least one of" in r.err
    r = run("claim edit 9 --text Other --note why")
    assert r.code == 1 and r.err == "error: no claim with id 9\n"
    r = run(["claim", "edit", "1", "--text", PACT, "--note", "same"])
    assert r.code == 1 and "nothing to change" in r.err
    r = run("claim edit 1 --kind attribution --note who")
    assert r.code == 1 and "--claimant" in r.err
    r = run("claim edit 1 --priority 2 --note stale --expect-version 1")
    assert r.code == 1 and "since you opened it" in r.err
    assert _snapshot(ledger_db) == before


# ------------------------------------------------------------------ citation retract
def test_retracting_the_last_support_reopens_and_leaves_the_report(run, pact):
    assert run(["citation", "retract", "1", "--note", "the briefing is about shells"]).code == 0
    r = run(["citation", "retract", "2", "--note", "the wire copied the article"])
    assert r.code == 0, r.err
    assert "citation 2 of claim 1 retracted" in r.out
    assert "claim 1 reopened: verified → in_progress" in r.out
    d = run("claim show 1 --json").json()
    assert d["status"] == "in_progress"
    assert [(c["id"], c["retracted"], c["retracted_by"], c["retraction_note"]) for c in d["citations"]] == [
        (1, True, "tester", "the briefing is about shells"), (2, True, "tester", "the wire copied the article")]
    reopen = d["history"][-1]
    assert reopen["action"] == "claim.status" and reopen["to"] == "in_progress"
    assert "citation 2" in reopen["note"] and "last support" in reopen["note"]
    shown = run("claim show 1").out
    assert "#1 " in shown and "#2 " in shown and "[retracted by tester at " in shown
    assert "citation.retract citation 2 (supports source 2) retracted: the wire copied the article" in shown
    assert run("verify").code == 0
    assert _findings(run)["open-claim"][0]["claim_id"] == 1
    report = run("export 1 --format md").out
    assert "*No citations.*" in report and "*No sources cited.*" in report
    assert "retracted: the wire copied the article" in report  # the history says why
    csv_rows = run("export 1 --format csv").out.splitlines()
    header, row = csv_rows[0].split(","), csv_rows[1].split(",")
    assert row[header.index("supports")] == "0"
    assert run("export 1 --format csl").json() == []
    assert run("source list --json").json()[0]["citation_count"] == 0


def test_retracting_one_of_two_supports_keeps_the_verdict_but_the_audit_sees_one(run, pact):
    assert "too-few-sources" not in _findings(run)
    r = run(["citation", "retract", "2", "--note", "the wire copied the article"])
    assert r.code == 0 and "reopened" not in r.out
    assert run("claim show 1 --json").json()["status"] == "verified"
    [f] = _findings(run)["too-few-sources"]
    assert f["claim_id"] == 1


def test_retract_refusals(run, pact, ledger_db):
    before = _snapshot(ledger_db)
    assert run("citation retract 1").code == 2
    r = run("citation retract 7 --note why")
    assert r.code == 1 and r.err == "error: no citation with id 7\n"
    r = run(["citation", "retract", "1", "--note", "  "])
    assert r.code == 1 and "needs a note" in r.err
    assert _snapshot(ledger_db) == before
    assert run("citation retract 1 --note once").code == 0
    r = run("citation retract 1 --note twice")
    assert r.code == 1 and "already retracted" in r.err


# ------------------------------------------------------------- reworded after the verdict
def test_reworded_verdict_blocks_the_audit_until_confirmed(run, pact, tmp_path):
    revised = tmp_path / "revised.txt"
    revised.write_text(pact["en"].read_text(encoding="utf-8").replace(
        "signed a mutual defence pact", "signed a mutual-defence pact"), encoding="utf-8")
    assert run("audit 1").code == 0
    assert run(f"article update 1 {revised}").code == 0
    r = run("audit 1")
    assert r.code == 1 and "reworded-after-verdict" in r.out and "ledger claim confirm 1 --note" in r.out
    d = run("claim show 1 --json").json()
    assert d["appearances"][0]["needs_confirm"] is True
    assert "[reworded: confirm the verdict]" in run("claim show 1").out
    assert run("verify").code == 0
    r = run(["claim", "confirm", "1", "--note", "a hyphen only; the pact is the same"])
    assert r.code == 0 and "claim 1: verified confirmed" in r.out
    assert run("audit 1").code == 0
    assert run("claim show 1 --json").json()["history"][-1]["action"] == "claim.confirm"
    r = run("claim confirm 1 --note again")
    assert r.code == 1 and "no reworded passage" in r.err
    assert run("verify").code == 0


# ------------------------------------------------------------------- JSON round trip
def test_json_export_restores_retractions_and_confirmations(run, pact, workspace, tmp_path, monkeypatch):
    run(["citation", "retract", "1", "--note", "wrong briefing"])
    out = tmp_path / "ledger.json"
    assert run(f"export --all --format json -o {out}").code == 0
    other = tmp_path / "restored.db"
    monkeypatch.setenv("LEDGER_DB", str(other))
    assert run(f"import {out} --format json").code == 0, run(f"import {out} --format json").err
    d = run("claim show 1 --json").json()
    assert d["citations"][0]["retracted"] is True and d["citations"][0]["retraction_note"] == "wrong briefing"
    assert run("verify").code == 0


def test_json_export_made_before_corrections_still_restores(run, pact, tmp_path, monkeypatch):
    out = tmp_path / "ledger.json"
    assert run(f"export --all --format json -o {out}").code == 0
    lines = []
    for line in out.read_text(encoding="utf-8").splitlines(keepends=True):
        if line.startswith('{"') and ('"needs_confirm"' in line or '"retracted_at"' in line):
            end = line.rstrip().endswith(",")
            rec = json.loads(line.rstrip().rstrip(","))
            for key in ("needs_confirm", "retracted_at", "retracted_by", "retraction_note"):
                rec.pop(key, None)
            line = json.dumps(rec, sort_keys=True, ensure_ascii=False, separators=(",", ":")) + (",\n" if end else "\n")
        lines.append(line)
    out.write_text("".join(lines), encoding="utf-8")
    monkeypatch.setenv("LEDGER_DB", str(tmp_path / "restored.db"))
    r = run(f"import {out} --format json")
    assert r.code == 0, r.err
    d = run("claim show 1 --json").json()
    assert d["appearances"][0]["needs_confirm"] is False and d["citations"][0]["retracted"] is False
