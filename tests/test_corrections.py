"""Corrections that keep history, at the service level: a claim edited, a citation retracted (and the
claim reopened when it lost the last evidence for its verdict), a reworded passage confirmed."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from ledger.errors import InvalidInput, LedgerError
from ledger.store.claims import ConflictError
from tests.conftest import snapshot_tables

PACT = "The two leaders signed a mutual defence pact"
ALLIES = "“We are now allies,” Kim Jong Un said."


@pytest.fixture
def pact(lg, article_files):
    """Article 1 (English, published 2024-06-19) with claim 1 on its second sentence and source 1."""
    lg.add_article(title="Pact", file=article_files["en"], lang="en", published="2024-06-19")
    lg.add_claim(article_id=1, quote=PACT)
    lg.add_source(title="Briefing", file=article_files["evidence"], publisher="Agency")
    return lg


def _events(lg, action: str) -> list:
    return [e for e in lg.claim(1).history if e.action == action]


# -------------------------------------------------------------------------- claim edit
def test_edit_claim_keeps_old_and_new_values(pact):
    row = pact.edit_claim(1, note="the pact is a treaty", text="The leaders signed a  defence treaty",
                          kind="attribution", claimant="KCNA", claim_date="19 juin", priority=1)
    assert (row.text, row.kind, row.claimant, row.priority) == ("The leaders signed a defence treaty",
                                                                "attribution", "KCNA", 1)
    assert row.claim_date.isoformat() == "2024-06-19"  # the year of the article it appears in
    assert row.version == 2 and row.updated_by == "tester"
    [ev] = _events(pact, "claim.edit")
    assert ev.payload["note"] == "the pact is a treaty"
    assert ev.payload["changes"]["text"] == {"from": PACT, "to": "The leaders signed a defence treaty"}
    assert ev.payload["changes"]["claim_date"] == {"from": None, "to": "2024-06-19"}
    [put] = ev.payload["rows"]
    assert put["t"] == "claim" and put["id"] == 1
    assert put["set"]["kind"] == "attribution" and put["set"]["version"] == 2
    assert pact.verify().ok


def test_edit_clears_claimant_and_date_with_empty_values(pact):
    pact.edit_claim(1, note="named", kind="attribution", claimant="KCNA", claim_date="2024-06-18")
    row = pact.edit_claim(1, note="the paper says it itself", kind="assertion", claimant="", claim_date="")
    assert row.claimant is None and row.claim_date is None and row.kind == "assertion"


@pytest.mark.parametrize("kwargs, message", [
    ({"text": "x"}, "needs a note"),
    ({"note": "n"}, "nothing to change"),
    ({"note": "n", "text": PACT}, "nothing to change"),
    ({"note": "n", "text": "   "}, "the claim text is empty"),
    ({"note": "n", "kind": "rumour"}, "unknown claim kind"),
    ({"note": "n", "kind": "attribution"}, "needs the person or body"),
    ({"note": "n", "priority": 7}, "priority must be"),
    ({"note": "n", "claim_date": "the day after"}, "claim date"),
])
def test_edit_refusals_change_nothing(pact, kwargs, message):
    before = snapshot_tables(pact)
    kwargs.setdefault("note", "")
    with pytest.raises(LedgerError) as exc:
        pact.edit_claim(1, **kwargs)
    assert message in str(exc.value)
    assert snapshot_tables(pact) == before


def test_edit_refuses_a_stale_version(pact):
    pact.edit_claim(1, note="first", priority=1)
    with pytest.raises(ConflictError, match="changed by tester"):
        pact.edit_claim(1, note="second", priority=3, expected_version=1)
    assert pact.edit_claim(1, note="second", priority=3, expected_version=2).priority == 3


def test_edited_text_is_found_by_search(pact):
    pact.edit_claim(1, note="reworded", text="A treaty of mutual assistance was concluded")
    assert any(h.claim_id == 1 for h in pact.search("assistance"))


# ------------------------------------------------------------------ citation retraction
def test_retracting_the_last_support_reopens_a_verified_claim(pact):
    cid = pact.cite(claim_id=1, source_id=1, stance="supports", excerpt="Shipments of shells continued")
    pact.set_status(claim_id=1, status="verified", note="briefing confirms")
    result = pact.retract_citation(cid, note="the excerpt is about shells, not the pact")
    assert result.reopened and result.previous_status == "verified" and result.status == "in_progress"
    detail = pact.claim(1)
    assert detail.claim.status == "in_progress"
    [c] = detail.citations
    assert c.retracted and c.retracted_by == "tester" and c.retraction_note.startswith("the excerpt")
    [retract] = _events(pact, "citation.retract")
    assert retract.payload["rows"] == [{"t": "citation", "id": cid, "set": {
        "retracted_at": c.retracted_at, "retracted_by": "tester", "retraction_note": c.retraction_note}}]
    reopen = _events(pact, "claim.status")[-1]
    assert reopen.payload["from"] == "verified" and reopen.payload["to"] == "in_progress"
    assert "last support" in reopen.payload["note"] and "not the pact" in reopen.payload["note"]
    assert pact.verify().ok
    assert pact.source(1).citation_count == 0  # no longer counts as evidence
    with pytest.raises(InvalidInput, match="no supporting citation"):
        pact.set_status(claim_id=1, status="verified", note="again")


def test_retracting_one_of_two_supports_keeps_the_verdict(pact):
    first = pact.cite(claim_id=1, source_id=1, stance="supports")
    pact.cite(claim_id=1, source_id=1, stance="supports", locator="para. 2")
    pact.set_status(claim_id=1, status="verified", note="ok")
    result = pact.retract_citation(first, note="duplicate")
    assert not result.reopened and result.status == "verified"
    assert pact.claim(1).claim.status == "verified"


def test_retracting_the_last_refutation_reopens_a_false_claim(pact):
    cid = pact.cite(claim_id=1, source_id=1, stance="refutes")
    pact.cite(claim_id=1, source_id=1, stance="supports")
    pact.set_status(claim_id=1, status="false", note="denied")
    result = pact.retract_citation(cid, note="misread")
    assert result.reopened and pact.claim(1).claim.status == "in_progress"


def test_retracting_a_support_of_a_false_claim_keeps_it(pact):
    pact.cite(claim_id=1, source_id=1, stance="refutes")
    support = pact.cite(claim_id=1, source_id=1, stance="supports")
    pact.set_status(claim_id=1, status="misleading", note="half true")
    assert not pact.retract_citation(support, note="irrelevant").reopened
    assert pact.claim(1).claim.status == "misleading"


def test_retraction_refusals(pact):
    cid = pact.cite(claim_id=1, source_id=1, stance="context")
    before = snapshot_tables(pact)
    with pytest.raises(InvalidInput, match="needs a note"):
        pact.retract_citation(cid, note=" ")
    with pytest.raises(LedgerError, match="no citation with id 99"):
        pact.retract_citation(99, note="x")
    assert snapshot_tables(pact) == before
    pact.retract_citation(cid, note="wrong source")
    with pytest.raises(InvalidInput, match="already retracted by tester"):
        pact.retract_citation(cid, note="again")


def test_reopen_uses_the_first_open_status_of_a_custom_vocabulary(workspace, ledger_db, article_files):
    from ledger.services.ledger import open_ledger

    (workspace / "ledger.toml").write_text('[statuses]\nnew = "open"\nconfirmed = "pass"\nwrong = "fail"\n',
                                           encoding="utf-8")
    lg = open_ledger(ledger_db, actor="tester")
    try:
        lg.add_article(title="Pact", file=article_files["en"])
        lg.add_claim(article_id=1, quote=PACT)
        lg.add_source(title="Briefing", file=article_files["evidence"])
        cid = lg.cite(claim_id=1, source_id=1, stance="supports")
        lg.set_status(claim_id=1, status="confirmed", note="ok")
        assert lg.retract_citation(cid, note="gone").status == "new"
    finally:
        lg.close()


# ------------------------------------------------------------ reworded after the verdict
def _reword(lg, old: str, new: str) -> None:
    body = lg.article_body(1)
    assert old in body
    lg.update_article(1, body=body.replace(old, new))


def _needs_confirm(lg) -> dict[int, bool]:
    with lg.db.read() as conn:
        return {r.id: bool(r.needs_confirm) for r in conn.execute(text("SELECT id, needs_confirm FROM appearance"))}


def _verified(lg):
    lg.cite(claim_id=1, source_id=1, stance="supports")
    lg.set_status(claim_id=1, status="verified", note="ok")


def test_confirm_clears_a_reworded_passage(pact):
    _verified(pact)
    _reword(pact, "signed a mutual defence pact", "signed a mutual-defence pact")
    assert _needs_confirm(pact) == {1: True}
    row = pact.confirm_claim(1, note="same facts, hyphen only")
    assert row.status == "verified" and _needs_confirm(pact) == {1: False}
    [ev] = _events(pact, "claim.confirm")
    assert ev.payload["verdict"] == "verified" and ev.payload["appearances"] == [1]
    assert ev.payload["rows"] == [{"t": "appearance", "id": 1, "set": {"needs_confirm": False}}]
    assert pact.verify().ok
    with pytest.raises(InvalidInput, match="no reworded passage"):
        pact.confirm_claim(1, note="again")


def test_a_status_change_settles_a_reworded_passage(pact):
    _verified(pact)
    _reword(pact, "signed a mutual defence pact", "signed a mutual-defence pact")
    pact.cite(claim_id=1, source_id=1, stance="refutes")
    pact.set_status(claim_id=1, status="misleading", note="the pact is not mutual")
    assert _needs_confirm(pact) == {1: False}
    ev = _events(pact, "claim.status")[-1]
    assert {"t": "appearance", "id": 1, "set": {"needs_confirm": False}} in ev.payload["rows"]


def test_an_open_claim_is_not_flagged_when_reworded(pact):
    _reword(pact, "signed a mutual defence pact", "signed a mutual-defence pact")
    assert _needs_confirm(pact) == {1: False}


def test_confirm_needs_a_note(pact):
    with pytest.raises(InvalidInput, match="needs a note"):
        pact.confirm_claim(1, note="")


# ------------------------------------------------------------------------------ audit
def _rules(lg) -> dict[str, list]:
    out: dict[str, list] = {}
    for f in lg.audit(1).findings:
        out.setdefault(f.rule, []).append(f)
    return out


def test_the_audit_blocks_a_reworded_verdict_until_confirmed(pact):
    _verified(pact)
    pact.cite(claim_id=1, source_id=1, stance="supports", excerpt="the spokesman said")  # a second one
    _reword(pact, "signed a mutual defence pact", "signed a mutual-defence pact")
    [f] = _rules(pact)["reworded-after-verdict"]
    assert f.severity == "block" and f.claim_id == 1 and "mutual-defence" in f.quote
    assert "ledger claim confirm 1 --note" in f.text and "ledger claim confirm" not in f.message
    assert "anchor-drift" not in _rules(pact)  # one finding, not two
    pact.confirm_claim(1, note="same meaning")
    after = _rules(pact)
    assert "reworded-after-verdict" not in after and "anchor-drift" not in after


def test_retracted_citations_are_no_evidence_for_the_audit(pact):
    pact.add_source(title="Wire", url="https://example.org/wire", publisher="Agency", kind="wire", fetch=False)
    pact.add_source(title="Paper", url="https://example.org/paper", publisher="Other paper", kind="web", fetch=False)
    pact.cite(claim_id=1, source_id=2, stance="supports")
    second = pact.cite(claim_id=1, source_id=3, stance="supports")
    pact.set_status(claim_id=1, status="verified", note="two publishers")
    assert "too-few-sources" not in _rules(pact)
    assert not pact.retract_citation(second, note="the paper copied the wire").reopened
    [f] = _rules(pact)["too-few-sources"]
    assert "1 supporting source(s)" in f.message
