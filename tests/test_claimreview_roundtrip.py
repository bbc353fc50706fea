"""ClaimReview goes out exactly as it came in: others' reviews republished as published, the
newsroom's own under its organisation, a stable @id on each, so re-importing any export adds nothing."""

from __future__ import annotations

import io
import json
import os
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings, strategies as st

from ledger.services.ledger import open_ledger
from tests.conftest import snapshot_tables
from tests.exchange_fixture import freeze_clock

GOLDEN = Path(__file__).with_name("golden")

# Written for these tests, in the shapes fact-checkers publish (no fact-checker's markup copied).
FEED = [
    {"@context": "https://schema.org", "@type": "ClaimReview", "@id": "https://faits.example.org/2024/06/obus#review",
     "url": "https://faits.example.org/2024/06/obus", "datePublished": "2024-06-21T07:45:00+02:00",
     "headline": "Non, ces obus ne viennent pas de Corée du Nord", "inLanguage": "fr-FR",
     "publisher": {"@type": "Organization", "name": "Faits Exemple", "url": "https://faits.example.org"},
     "author": {"@type": "Person", "name": "Camille Vérif"},
     "claimReviewed": "Une vidéo montre des obus nord-coréens livrés à Moscou en juin 2024.",
     "itemReviewed": {"@type": "Claim", "author": {"@type": "Person", "name": "Un compte viral",
                                                   "sameAs": "https://social.example.com/@viral"},
                      "datePublished": "2024-06-19",
                      "appearance": [{"@type": "CreativeWork", "url": "https://social.example.com/@viral/99"}],
                      "firstAppearance": {"@type": "CreativeWork", "url": "https://video.example.com/w/abc"}},
     "reviewRating": {"@type": "Rating", "alternateName": "Faux", "ratingValue": 1, "bestRating": 5,
                      "worstRating": 1}},
    {"@type": "ClaimReview", "url": "https://checks.example.com/treaty-clause", "datePublished": "2024-06-22",
     "publisher": {"@type": "Organization", "name": "Example Checks"},
     "claimReviewed": "The treaty obliges each side to send troops within a day.",
     "reviewRating": {"@type": "Rating", "alternateName": "Stretches the truth", "ratingValue": 3,
                      "bestRating": 7, "worstRating": 1}},
    {"@type": "ClaimReview", "url": "https://pruefen.example.de/gipfel", "datePublished": "22.06.2024",
     "inLanguage": "de", "author": {"@type": "Organization", "name": "Prüfen Beispiel"},
     "claimReviewed": "Der Gipfel dauerte drei Tage.", "reviewRating": {"alternateName": "Falsch"}},
]


def _export(lg) -> dict:
    out = io.StringIO()
    lg.export("claimreview", out)
    return json.loads(out.getvalue())


def _file(tmp: Path, name: str, value) -> Path:
    path = tmp / name
    path.write_text(json.dumps(value, ensure_ascii=False), encoding="utf-8")
    return path


def _own_claim(lg, tmp: Path) -> int:
    article = lg.add_article(title="Le sommet", body="Le sommet a duré deux jours à Pyongyang.\n",
                             outlet="Le Guetteur", url="https://guetteur.example.org/sommet", published="2024-06-20",
                             lang="fr")
    claim = lg.add_claim(article_id=article, quote="Le sommet a duré deux jours")
    source = lg.add_source(title="Agency wire", url="https://wire.example.org/1", kind="wire", fetch=False)
    lg.cite(claim_id=claim, source_id=source, stance="supports")
    lg.set_status(claim_id=claim, status="verified", note="wire confirms")
    return claim


def test_golden_export_of_imported_and_own_reviews(lg, workspace, tmp_path, monkeypatch) -> None:
    freeze_clock(monkeypatch)
    (workspace / "ledger.toml").write_text(
        '[organisation]\nname = "Le Guetteur"\nurl = "https://guetteur.example.org"\n'
        'logo = "https://guetteur.example.org/logo.png"\n', encoding="utf-8")
    from ledger.services.config import load_config

    lg.config = load_config(workspace / "ledger.toml")
    own = _own_claim(lg, tmp_path)
    lg.import_file(_file(tmp_path, "feed.json", FEED), fmt="claimreview")
    text = io.StringIO()
    lg.export("claimreview", text)
    path = GOLDEN / "claimreview-reviews.jsonld"
    if os.environ.get("UPDATE_GOLDEN"):
        path.write_text(text.getvalue(), encoding="utf-8")
    assert text.getvalue() == path.read_text(encoding="utf-8")
    graph = json.loads(text.getvalue())["@graph"]
    mine = graph[0]
    org = {"@type": "Organization", "name": "Le Guetteur", "url": "https://guetteur.example.org",
           "logo": {"@type": "ImageObject", "url": "https://guetteur.example.org/logo.png"}}
    assert mine["author"] == org and mine["publisher"] == org
    status_event = [e for e in lg.claim(own).history if e.action == "claim.status"][-1]
    assert mine["datePublished"] == status_event.at[:10]
    assert [a["url"] for a in mine["itemReviewed"]["appearance"]] == ["https://guetteur.example.org/sommet"]
    # the imported ones come back as published, and never under the newsroom's name
    first = graph[1]
    assert first["@id"] == FEED[0]["@id"] and first["url"] == FEED[0]["url"]
    assert first["datePublished"] == "2024-06-21T07:45:00+02:00" and first["inLanguage"] == "fr-FR"
    assert first["reviewRating"] == FEED[0]["reviewRating"]
    assert first["publisher"] == FEED[0]["publisher"] and first["author"] == FEED[0]["author"]
    assert first["itemReviewed"]["author"]["sameAs"] == "https://social.example.com/@viral"
    assert all("Le Guetteur" not in json.dumps(node) for node in graph[1:])
    assert graph[2]["reviewRating"] == {"@type": "Rating", "alternateName": "Stretches the truth", "ratingValue": 3,
                                        "bestRating": 7, "worstRating": 1}


def test_no_claimant_no_author_invented(lg, tmp_path) -> None:
    lg.import_file(_file(tmp_path, "f.json", FEED[1:]), fmt="claimreview")
    for node in _export(lg)["@graph"]:
        assert "author" not in node["itemReviewed"], node  # the fact-checker is never the claim's author
        assert "#claim-" not in node["url"]
    assert _export(lg)["@graph"][1]["author"] == {"@type": "Organization", "name": "Prüfen Beispiel"}


def test_reimporting_any_export_adds_nothing(lg, run, tmp_path) -> None:
    _own_claim(lg, tmp_path)
    lg.import_file(_file(tmp_path, "feed.json", FEED), fmt="claimreview")
    exported = _file(tmp_path, "export.jsonld", _export(lg))
    before = snapshot_tables(lg)
    r = run(f"import {exported} --format claimreview")
    assert r.code == 0 and "imported nothing" in r.out and "4 already in the ledger" in r.out, r.out
    assert snapshot_tables(lg) == before
    assert run("verify").code == 0


def test_an_import_never_becomes_ours(lg, workspace, run, tmp_path) -> None:
    (workspace / "ledger.toml").write_text('[organisation]\nname = "Le Guetteur"\n', encoding="utf-8")
    assert run(f"import {_file(tmp_path, 'f.json', FEED[:1])} --format claimreview").code == 0
    node = json.loads(run("export --all --format claimreview").out)["@graph"][0]
    assert node["publisher"]["name"] == "Faits Exemple" and "Le Guetteur" not in json.dumps(node)


# ------------------------------------------------------------------ the property

_name = st.text(alphabet=st.characters(codec="utf-8", categories=("L", "N", "Zs")), min_size=1, max_size=20) \
    .map(lambda s: " ".join(s.split())).filter(bool)
_path = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-", min_size=1, max_size=12)
_url = st.builds(lambda host, path: f"https://{host}.example.org/{path}", _path, _path)
_label = st.sampled_from(["False", "Faux", "Engañoso", "错误", "Mostly true", "Wobbly", "not false", "Satire",
                          "FALSO: as imagens são de 2019", "Rating 3"])
_scale = st.one_of(st.just({}), st.builds(lambda w, span, k: {"worstRating": w, "bestRating": w + span,
                                                               "ratingValue": w + min(k, span)},
                                          st.integers(0, 2), st.integers(2, 9), st.integers(0, 9)))


@st.composite
def _review(draw, i: int) -> dict:
    node = {"@type": "ClaimReview", "url": f"{draw(_url)}/{i}", "claimReviewed": f"Claim {i}: {draw(_name)}",
            "reviewRating": dict({"@type": "Rating", "alternateName": draw(_label)}, **draw(_scale))}
    if draw(st.booleans()):
        node["@id"] = f"https://ids.example.org/review/{i}/{draw(_path)}"
    node["datePublished"] = draw(st.sampled_from(["2024-06-21", "2024-06-21T07:45:00Z", "21 juin 2024", "June 2024"]))
    node["publisher"] = {"@type": "Organization", "name": draw(_name)}
    if draw(st.booleans()):
        node["author"] = {"@type": "Person", "name": draw(_name)}
    if draw(st.booleans()):
        node["headline"] = draw(_name)
    node["inLanguage"] = draw(st.sampled_from(["fr", "pt-BR", "zh-Hant", "es-419", "sr-Latn", "fil", "en"]))
    item: dict = {"@type": "Claim"}
    if draw(st.booleans()):
        item["author"] = {"@type": draw(st.sampled_from(["Person", "Organization"])), "name": draw(_name)}
        same = draw(st.lists(_url, max_size=2, unique=True))
        if same:
            item["author"]["sameAs"] = same if len(same) > 1 else same[0]
    if draw(st.booleans()):
        item["datePublished"] = "2024-06-19"
    apps = draw(st.lists(_url, max_size=3, unique=True))
    if apps:
        item["appearance"] = [{"@type": "CreativeWork", "url": u} for u in apps]
    if draw(st.booleans()):
        item["firstAppearance"] = {"@type": "CreativeWork", "url": draw(_url)}
    node["itemReviewed"] = item
    return node


_feed = st.integers(1, 4).flatmap(lambda n: st.tuples(*[_review(i) for i in range(n)]))


def _fields(node: dict) -> dict:
    """What must survive import and export: the fields a review is published with."""
    item = node.get("itemReviewed") or {}
    claimant = item.get("author") or {}
    same = claimant.get("sameAs")
    rating = node["reviewRating"]
    return {
        "url": node.get("url"), "datePublished": node.get("datePublished"), "headline": node.get("headline"),
        "inLanguage": node.get("inLanguage"), "claimReviewed": node["claimReviewed"],
        "publisher": (node.get("publisher") or {}).get("name"),
        "author": ((node.get("author") or {}).get("name"), (node.get("author") or {}).get("@type")),
        "rating": tuple(None if rating.get(k) is None else str(rating[k])
                        for k in ("alternateName", "ratingValue", "bestRating", "worstRating")),
        "claimant": (claimant.get("name"), claimant.get("@type"), tuple([same] if isinstance(same, str) else same or [])),
        "claim_date": item.get("datePublished"),
        "appearances": tuple(a["url"] for a in item.get("appearance") or []),
        "first": (item.get("firstAppearance") or {}).get("url"),
    }


@settings(max_examples=12, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(feed=_feed)
def test_import_export_import_is_the_identity(tmp_path_factory, feed) -> None:
    tmp = Path(tempfile.mkdtemp(dir=tmp_path_factory.getbasetemp()))
    a = open_ledger(str(tmp / "a.db"), actor="tester")
    b = open_ledger(str(tmp / "b.db"), actor="tester")
    try:
        a.import_file(_file(tmp, "feed.json", list(feed)), fmt="claimreview")
        once = _export(a)["@graph"]
        assert [_fields(n) for n in once] == [_fields(n) for n in feed]
        assert all(n["@id"] for n in once)
        assert all(n["@id"] == f["@id"] for n, f in zip(once, feed) if "@id" in f)
        b.import_file(_file(tmp, "once.json", _export(a)), fmt="claimreview")
        twice = _export(b)["@graph"]
        assert [(_fields(n), n["@id"]) for n in twice] == [(_fields(n), n["@id"]) for n in once]
        report = a.import_file(_file(tmp, "again.json", _export(a)), fmt="claimreview")
        assert report.total == 0 and report.already == len(feed)
    finally:
        a.close()
        b.close()
