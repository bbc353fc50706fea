"""Re-anchoring appearances in a revised text: kept, moved, reworded (fuzzy), orphaned."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from ledger.models import AppearanceRow
from ledger.text.anchoring import locate
from ledger.text.reanchor import Reanchorer, reanchor_all
from tests.desk import PORT_FR, Desk

OLD = ("Le port a accueilli 40 cargos en mars. La grue a été livrée en retard. "
       "Le port a accueilli 40 cargos en mars. Le maire a salué « un tournant pour la ville ».")


def _appearance(body: str, quote: str, *, occurrence: int | None = None, ident: int = 1) -> AppearanceRow:
    a = locate(body, quote, occurrence=occurrence)
    return AppearanceRow(id=ident, claim_id=ident, article_id=1, quote=a.quote, start=a.start, end=a.end,
                         prefix=a.prefix, suffix=a.suffix, orphaned=False)


def test_exact_quote_at_its_offsets_is_kept():
    app = _appearance(OLD, "La grue a été livrée en retard.")
    new = OLD + " Une phrase ajoutée à la fin."
    [r] = reanchor_all(new, [app])
    assert r.method == "kept" and (r.anchor.start, r.anchor.end) == (app.start, app.end) and not r.moved
    assert r.context_changed is False


def test_quote_elsewhere_moves_to_the_occurrence_nearest_the_old_offset():
    second = _appearance(OLD, "Le port a accueilli 40 cargos en mars.", occurrence=2)
    new = "Mise à jour. " + OLD
    [r] = reanchor_all(new, [second])
    assert r.method == "moved" and r.anchor.start == second.start + len("Mise à jour. ")
    assert new[r.anchor.start:r.anchor.end] == second.quote and r.moved


def test_matching_context_wins_over_distance():
    body = "Alpha said the port is open. Beta said the port is open. Gamma spoke."
    beta = _appearance(body, "the port is open", occurrence=2)
    # text is added in front: a new copy of the quote lands nearest Beta's old offset
    new = ("Zeta claims the port is open. Filler words pad the text. Alpha said the port is open. "
           "Beta said the port is open. Gamma spoke.")
    [r] = reanchor_all(new, [beta])
    assert r.method == "moved" and new[:r.anchor.start].endswith("Beta said ")


def test_typography_changes_still_find_the_quote():
    app = _appearance(OLD, "« un tournant pour la ville »")
    new = OLD.replace("« un tournant pour la ville »", '"un tournant pour la ville"')
    [r] = reanchor_all(new, [app])
    assert r.method == "moved" and r.anchor.quote == '"un tournant pour la ville"'


def test_reworded_passage_is_found_by_fuzzy_matching_with_context():
    app = _appearance(OLD, "La grue a été livrée en retard.")
    new = OLD.replace("La grue a été livrée en retard.", "La grue a finalement été livrée en retard.")
    [r] = reanchor_all(new, [app])
    assert r.method == "fuzzy" and r.anchor.quote == "La grue a finalement été livrée en retard."
    assert r.score is not None and r.score >= 80


def test_vanished_passage_is_orphaned():
    app = _appearance(OLD, "La grue a été livrée en retard.")
    new = OLD.replace("La grue a été livrée en retard. ", "")
    [r] = reanchor_all(new, [app])
    assert r.method == "orphaned" and r.anchor is None and r.moved


def test_fuzzy_threshold_decides_between_reworded_and_orphaned():
    app = _appearance(OLD, "La grue a été livrée en retard.")
    new = OLD.replace("La grue a été livrée en retard.", "La grue neuve est arrivée bien trop tard.")
    assert reanchor_all(new, [app], threshold=95)[0].method == "orphaned"
    assert reanchor_all(new, [app], threshold=40)[0].method == "fuzzy"


@settings(max_examples=60, deadline=None)
@given(before=st.text(max_size=40), after=st.text(max_size=40))
def test_an_unchanged_quote_is_always_found_exactly(before: str, after: str):
    quote = "Le maire a salué « un tournant pour la ville »."
    app = _appearance(OLD, quote)
    new = before + OLD + after
    r = Reanchorer(new).reanchor(app)
    assert r.method in ("kept", "moved")
    assert new[r.anchor.start:r.anchor.end] == quote


# ---------------------------------------------------------------- through the ledger
@pytest.fixture
def desk(lg, tmp_path: Path) -> Desk:
    return Desk(lg, tmp_path)


def test_update_rewrites_rows_revisions_and_events(desk: Desk):
    a = desk.article(PORT_FR, lang="fr", title="Le port")
    kept = desk.claim(a, "40 cargos au mois de mars")
    gone = desk.claim(a, "La nouvelle grue aurait été livrée avec six mois de retard.")
    new = "Édition du soir. " + PORT_FR.replace("La nouvelle grue aurait été livrée avec six mois de retard. ", "")
    summary = desk.lg.update_article(a, body=new)
    assert summary.changed and summary.revision == 2
    assert summary.counts == {"kept": 0, "moved": 1, "fuzzy": 0, "orphaned": 1}
    with desk.lg.db.read() as conn:
        rows = {r.claim_id: r for r in conn.execute(text("SELECT * FROM appearance"))}
        revs = conn.execute(text("SELECT revision, body FROM article_revision WHERE article_id = :a ORDER BY revision"),
                            {"a": a}).all()
        art = conn.execute(text("SELECT body, revision, content_hash FROM article WHERE id = :a"), {"a": a}).one()
    assert new[rows[kept].start:rows[kept].end] == "40 cargos au mois de mars" and not rows[kept].orphaned
    assert rows[kept].prefix.endswith("Le port a accueilli ")
    assert bool(rows[gone].orphaned) and rows[gone].quote.startswith("La nouvelle grue")
    assert [r.revision for r in revs] == [1, 2] and revs[0].body == PORT_FR and revs[1].body == new
    assert art.body == new and art.revision == 2 and art.content_hash == summary.content_hash
    history = {e.action for e in desk.lg.claim(gone).history}
    assert "appearance.reanchor" in history


def test_an_orphan_comes_back_when_its_passage_returns(desk: Desk):
    a = desk.article(PORT_FR, lang="fr", title="Le port")
    c = desk.claim(a, "La nouvelle grue aurait été livrée avec six mois de retard.")
    desk.lg.update_article(a, body="Texte provisoire sans la phrase.\n")
    assert desk.lg.claim(c).appearances[0].orphaned
    summary = desk.lg.update_article(a, body=PORT_FR)
    assert summary.revision == 3 and summary.moves[0].method == "kept"
    app = desk.lg.claim(c).appearances[0]
    assert not app.orphaned and PORT_FR[app.start:app.end] == app.quote


def test_empty_text_is_refused(desk: Desk):
    a = desk.article(PORT_FR, lang="fr", title="Le port")
    from ledger.errors import InvalidInput

    with pytest.raises(InvalidInput):
        desk.lg.update_article(a, body="   \n")
    assert desk.lg.article(a).revision == 1
