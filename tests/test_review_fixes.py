"""Defects found in review: orphaned passages, excerpts against archived files, vocabulary, inputs."""

from __future__ import annotations

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
