"""``ledger verdicts``: the published labels as a worklist, and mapping one in ledger.toml."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

from sqlalchemy import text

from tests.conftest import snapshot_tables


def _feed(tmp: Path, labels: list[str], *, url: bool = True) -> Path:
    nodes = [{"@type": "ClaimReview", "claimReviewed": f"Claim {i} about the summit.",
              "publisher": {"name": "Example Checks"}, "datePublished": "2024-06-21",
              "reviewRating": {"alternateName": label}, **({"url": f"https://checks.example.com/{i}"} if url else {})}
             for i, label in enumerate(labels)]
    path = tmp / "feed.json"
    path.write_text(json.dumps(nodes), encoding="utf-8")
    return path


def test_verdicts_lists_labels_with_their_reading_and_counts(lg, run, tmp_path) -> None:
    assert run(f"import {_feed(tmp_path, ['Wobbly', 'wobbly!', 'Falso', 'Wobbly', 'Sort of'])} --format claimreview").code == 0
    rows = run("verdicts --json").json()
    assert [(r["label"], r["claims"], r["status"], r["basis"]) for r in rows] == [
        ("Wobbly", 3, None, None), ("Sort of", 1, None, None), ("Falso", 1, "false", "label")]
    assert rows[0]["spellings"] == 2
    out = run("verdicts").out
    assert out.splitlines()[1].split() == ["3", "—", "Wobbly"]
    assert [r["label"] for r in run("verdicts --unmapped --json").json()] == ["Wobbly", "Sort of"]


def test_verdicts_map_keeps_the_file_and_rereads_every_claim(lg, workspace, run, tmp_path) -> None:
    toml = workspace / "ledger.toml"
    original = ('# our desk\n[statuses]\nunverified = "open"\nin_progress = "open"\nverified = "pass"\n'
                'false = "fail"\nmisleading = "fail"\nunverifiable = "unresolved"\ndisputed = "unresolved"\n\n'
                '[import.verdicts]\n"Sans fondement" = "unverifiable"  # Factuel\n\n[audit]\nstrict = false\n')
    toml.write_text(original, encoding="utf-8")
    assert run(f"import {_feed(tmp_path, ['Wobbly', 'WOBBLY', 'Falso', 'Other'])} --format claimreview").code == 0
    with lg.db.read() as conn:
        events = conn.execute(text("SELECT count(*) FROM event")).scalar_one()
    r = run(["verdicts", "map", "Wobbly", "misleading"])
    assert r.code == 0 and "2 claim(s) read again" in r.out, (r.out, r.err)
    new = toml.read_text(encoding="utf-8")
    assert new.startswith(original.split("\n\n[audit]")[0])  # every line kept, in place
    assert "[audit]\nstrict = false" in new and '# our desk' in new
    assert tomllib.loads(new)["import"]["verdicts"] == {"Sans fondement": "unverifiable", "Wobbly": "misleading"}
    claims = {c["id"]: c for c in run("claim list --json").json()}
    assert [claims[i]["status"] for i in (1, 2, 3, 4)] == ["misleading", "misleading", "false", "unverified"]
    shown = run("claim show 1 --json").json()
    assert shown["status_read_from"] == "map" and shown["status_label"] == "Wobbly"
    assert shown["citations"][0]["stance"] == "refutes"
    assert "read by the verdict map in ledger.toml" in run("claim show 2").out
    with lg.db.read() as conn:
        assert conn.execute(text("SELECT count(*) FROM event")).scalar_one() == events + 2
        payload = json.loads(conn.execute(text(
            "SELECT payload FROM event WHERE action = 'claim.status' ORDER BY id LIMIT 1")).scalar_one())
    assert payload["from"] == "unverified" and payload["to"] == "misleading"
    assert {row["t"] for row in payload["rows"]} == {"claim", "review", "citation"}
    assert run("verify").code == 0
    # mapping it again changes nothing more
    r = run(["verdicts", "map", "wobbly", "misleading"])
    assert r.code == 0 and "0 claim(s) read again" in r.out
    assert tomllib.loads(toml.read_text(encoding="utf-8"))["import"]["verdicts"] == {
        "Sans fondement": "unverifiable", "wobbly": "misleading"}


def test_verdicts_map_creates_the_file_and_keeps_claims_without_evidence_open(lg, workspace, run, tmp_path) -> None:
    assert run(f"import {_feed(tmp_path, ['Wobbly'], url=False)} --format claimreview").code == 0
    r = run(["verdicts", "map", "Wobbly", "false"])
    assert r.code == 0 and "1 claim(s) stay open" in r.out
    assert tomllib.loads((workspace / "ledger.toml").read_text(encoding="utf-8")) == {
        "import": {"verdicts": {"Wobbly": "false"}}}
    assert run("claim list --json").json()[0]["status"] == "unverified"


def test_verdicts_map_refuses_bad_input_and_changes_nothing(lg, workspace, run, tmp_path) -> None:
    assert run(f"import {_feed(tmp_path, ['Wobbly'])} --format claimreview").code == 0
    before = snapshot_tables(lg)
    for args, says in ((["verdicts", "map", "Wobbly", "nonsense"], "unknown status"),
                       (["verdicts", "map", "  ...  ", "false"], "no letters")):
        r = run(args)
        assert r.code == 1 and says in r.err
    (workspace / "ledger.toml").write_text('[import]\nverdicts = { "Faux" = "false" }\n', encoding="utf-8")
    r = run(["verdicts", "map", "Wobbly", "false"])
    assert r.code == 1 and "by hand" in r.err
    assert snapshot_tables(lg) == before
    assert (workspace / "ledger.toml").read_text(encoding="utf-8") == '[import]\nverdicts = { "Faux" = "false" }\n'


def test_verdicts_on_a_missing_ledger_creates_nothing(workspace, run) -> None:
    r = run(["--db", str(workspace / "none.db"), "verdicts"])
    assert r.code == 1 and "no ledger at" in r.err
    assert not (workspace / "none.db").exists()
