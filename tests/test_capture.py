"""URL sources are fetched and captured: a WARC record in sources/, the page's text for excerpt
checks, metadata read from the page, refreshes kept as new versions. Every page is served by a
real HTTP server on 127.0.0.1 (pytest-httpserver); nothing reaches the internet."""

from __future__ import annotations

import gzip
import hashlib
import json
import time
from datetime import date, timedelta

import pytest
from werkzeug import Response

from tests.conftest import snapshot_tables
from tests.pages import minimal_pdf, page

EXCERPT_FR = "Les services de renseignement sud-coréens évoquent plusieurs milliers de conteneurs."


def _serve(httpserver, path: str, body: bytes, content_type: str = "text/html; charset=utf-8") -> str:
    httpserver.expect_request(path).respond_with_data(body, content_type=content_type)
    return httpserver.url_for(path)


def _claim(lg) -> int:  # noqa: ANN001
    a = lg.add_article(title="Le traité", body="Des munitions ont été livrées à la Russie dès l’automne 2023.\n",
                       lang="fr")
    return lg.add_claim(article_id=a, quote="Des munitions ont été livrées à la Russie")


def test_source_add_url_fetches_and_keeps_a_warc(run, lg, httpserver, workspace):
    url = _serve(httpserver, "/monde/traite", page("sommet-fr.html"))
    r = run(["source", "add", "--url", url, "--kind", "web"])
    assert r.code == 0, r.err
    s = lg.source(int(r.out))
    assert (s.title, s.publisher, s.author) == ("Moscou et Pyongyang signent un traité d’assistance mutuelle",
                                                "Le Veilleur", "Claire Dumont")
    assert s.published.isoformat() == "2024-06-20" and s.accessed == date.today()
    assert s.media_type == "application/warc" and s.file_name == f"{s.sha256}.warc.gz"
    warc = workspace / "sources" / s.file_name
    assert hashlib.sha256(warc.read_bytes()).hexdigest() == s.sha256

    from warcio.archiveiterator import ArchiveIterator

    with warc.open("rb") as f:
        records = [(rec.rec_type, rec.rec_headers.get_header("WARC-Target-URI"), rec.rec_headers.get_header("WARC-Date"),
                    rec.http_headers, rec.content_stream().read()) for rec in ArchiveIterator(f)]
    assert [r[0] for r in records] == ["request", "response"]
    assert {r[1] for r in records} == {url}
    assert all(r[2] and r[2].startswith(str(date.today().year)) for r in records)
    assert (records[0][3].protocol, records[0][3].statusline) == ("GET", "/monde/traite HTTP/1.1")
    assert records[0][3].get_header("User-Agent").startswith("ClaimLedger/")
    assert records[1][3].get_statuscode() == "200" and "text/html" in records[1][3].get_header("Content-Type")
    assert records[1][4] == page("sommet-fr.html")

    [c] = lg.captures(s.id)
    assert (c.version, c.url, c.final_url, c.status) == (1, url, url, 200)
    assert c.body_sha256 == hashlib.sha256(page("sommet-fr.html")).hexdigest()
    shown = run(f"source show {s.id}").out
    assert "Capture 1:" in shown and f"sources/{s.file_name}" in shown
    assert run("verify").code == 0


def test_excerpts_are_checked_against_the_captured_text(run, lg, httpserver):
    url = _serve(httpserver, "/p", page("sommet-fr.html"))
    claim = _claim(lg)
    s = int(run(["source", "add", "--url", url]).out)
    r = run(["cite", str(claim), str(s), "--stance", "supports", "--excerpt", EXCERPT_FR.replace("’", "'")])
    assert r.code == 0 and r.err == ""
    assert lg.claim(claim).citations[0].excerpt == EXCERPT_FR
    before = snapshot_tables(lg)
    r = run(["cite", str(claim), str(s), "--stance", "supports", "--excerpt", "Jean-Marc75"])  # a comment, not text
    assert r.code == 1 and "does not occur" in r.err
    assert snapshot_tables(lg) == before


def test_the_service_used_by_the_cite_dialog_captures_too(lg, httpserver):
    url = _serve(httpserver, "/p", page("sommet-fr.html"))
    claim = _claim(lg)
    source_id, _ = lg.add_source_and_cite(claim_id=claim, stance="supports", url=url, excerpt=EXCERPT_FR)
    assert lg.source(source_id).publisher == "Le Veilleur" and len(lg.captures(source_id)) == 1
    before = snapshot_tables(lg)
    with pytest.raises(Exception, match="does not occur in the page fetched"):
        lg.add_source_and_cite(claim_id=claim, stance="supports", url=url, excerpt="words not on the page")
    assert snapshot_tables(lg) == before


def test_typed_fields_win_and_no_fetch_keeps_a_url_only_source(run, lg, httpserver):
    url = _serve(httpserver, "/p", page("summit-en.html"))
    s = lg.source(int(run(["source", "add", "--url", url, "--title", "Pool report", "--publisher", "Pool",
                           "--published", "June 2024"]).out))
    assert (s.title, s.publisher, s.author) == ("Pool report", "Pool", "Sam Okafor")
    assert s.published.isoformat() == "2024-06"
    n = len(httpserver.log)
    r = run(["source", "add", "--url", url, "--no-fetch", "--title", "Not fetched"])
    assert r.code == 0 and len(httpserver.log) == n
    plain = lg.source(int(r.out))
    assert plain.file_name is None and lg.captures(plain.id) == []
    assert run(["source", "add", "--url", url, "--no-fetch"]).code == 2  # a title is needed then


def test_a_redirect_is_followed_and_the_final_address_kept(run, lg, httpserver):
    final = _serve(httpserver, "/new/address", page("summit-en.html"))
    httpserver.expect_request("/old").respond_with_response(Response(status=301, headers={"Location": final}))
    s = int(run(["source", "add", "--url", httpserver.url_for("/old")]).out)
    [c] = lg.captures(s)
    assert c.url == httpserver.url_for("/old") and c.final_url == final
    assert lg.source(s).url == httpserver.url_for("/old")  # the address as cited


def test_a_pdf_source_keeps_its_text(run, lg, httpserver):
    pdf = minimal_pdf(["Rapport du groupe d'experts.", "Des conteneurs de munitions ont franchi la frontière."],
                      title="Rapport des experts")
    url = _serve(httpserver, "/rapport.pdf", pdf, "application/pdf")
    claim = _claim(lg)
    s = lg.source(int(run(["source", "add", "--url", url, "--kind", "document"]).out))
    assert s.title == "Rapport des experts"
    r = run(["cite", str(claim), str(s.id), "--stance", "supports", "--excerpt",
             "conteneurs de munitions ont franchi la frontière"])
    assert r.code == 0 and r.err == ""


def test_compressed_pages_are_archived_as_sent_and_read_decoded(run, lg, httpserver, workspace):
    body = gzip.compress(page("summit-en.html"))
    httpserver.expect_request("/gz").respond_with_data(body, headers={"Content-Encoding": "gzip"},
                                                       content_type="text/html")
    s = lg.source(int(run(["source", "add", "--url", httpserver.url_for("/gz")]).out))
    assert s.title.startswith("Putin lands")
    [c] = lg.captures(s.id)
    assert c.size == len(body) and c.body_sha256 == hashlib.sha256(page("summit-en.html")).hexdigest()


@pytest.mark.parametrize("setup, says", [
    (lambda srv: srv.expect_request("/missing").respond_with_data("no", status=404) or "/missing", "404"),
    (lambda srv: srv.expect_request("/img").respond_with_data(b"\x89PNG", content_type="image/png") or "/img",
     "image/png, not a page"),
    (lambda srv: srv.expect_request("/big").respond_with_data(b"<p>" + b"x" * 5000 + b"</p>",
                                                              content_type="text/html") or "/big", "limit"),
    (lambda srv: srv.expect_request("/slow").respond_with_handler(
        lambda request: (time.sleep(3), Response("<p>late</p>", content_type="text/html"))[1]) or "/slow",
     "timed out"),
])
def test_a_failed_fetch_is_one_line_and_changes_nothing(run, lg, httpserver, workspace, monkeypatch, setup, says):
    monkeypatch.setenv("LEDGER_FETCH_TIMEOUT", "1.5")
    monkeypatch.setenv("LEDGER_FETCH_MAX_BYTES", "2000")
    url = httpserver.url_for(setup(httpserver))
    before = snapshot_tables(lg)
    r = run(["source", "add", "--url", url, "--title", "T"])
    assert r.code == 1 and says in r.err and len(r.err.strip().splitlines()) == 1, r.err
    assert "nothing was changed" in r.err
    assert snapshot_tables(lg) == before
    assert not (workspace / "sources").exists() or not list((workspace / "sources").iterdir())
    if says == "timed out":  # the test server answers one request at a time: let the slow one end
        time.sleep(2)


def test_no_such_host(run, lg):
    before = snapshot_tables(lg)
    r = run(["source", "add", "--url", "http://no-such-host.invalid/page", "--title", "T"])
    assert r.code == 1 and "no such host" in r.err and len(r.err.strip().splitlines()) == 1
    assert snapshot_tables(lg) == before


def test_refresh_keeps_a_new_capture_and_says_what_changed(run, lg, httpserver, workspace):
    httpserver.expect_ordered_request("/p").respond_with_data(page("sommet-fr.html"), content_type="text/html")
    httpserver.expect_ordered_request("/p").respond_with_data(page("sommet-fr.html"), content_type="text/html")
    edited = page("sommet-fr.html").replace("plusieurs milliers de conteneurs".encode(), "des centaines de wagons".encode())
    httpserver.expect_ordered_request("/p").respond_with_data(edited, content_type="text/html")
    url = httpserver.url_for("/p")
    claim = _claim(lg)
    s = int(run(["source", "add", "--url", url, "--accessed", "2024-06-21"]).out)
    run(["cite", str(claim), str(s), "--stance", "supports", "--excerpt", EXCERPT_FR])
    lg.add_source(title="Other", url="https://other.example/r", publisher="Other desk", fetch=False)
    run(["cite", str(claim), "2", "--stance", "supports"])
    lg.set_status(claim_id=claim, status="verified", note="two publishers")
    article = lg.claim(claim).appearances[0].article_id
    stale = [f for f in lg.audit(article).findings if f.rule == "stale-evidence"]
    assert stale and f"source {s}" in stale[0].message  # consulted 2024-06-21

    r = run(f"source refresh {s}")
    assert r.code == 0, r.err
    assert "capture 2" in r.out and "text unchanged since capture 1" in r.out
    assert f"text unchanged since these citing claims were checked: {claim}" in r.out
    assert lg.source(s).accessed == date.today()
    assert not [f for f in lg.audit(article).findings if f.rule == "stale-evidence" and f"source {s}" in f.message]

    r = run(f"source refresh {s} --json")
    report = json.loads(r.out)
    assert report["version"] == 3 and report["changed_since_previous"] is True
    assert report["changed_for_claims"] == [claim] and report["missing_excerpts"] == [1]
    captures = lg.captures(s)
    assert [c.version for c in captures] == [1, 2, 3] and len({c.warc_file for c in captures}) == 3
    assert all((workspace / "sources" / c.warc_file).is_file() for c in captures)
    # every capture is an event carrying its rows
    history = [e for e in lg.claim(claim).history]  # claim events untouched by refreshes
    assert all(e.action != "source.capture" for e in history)
    with lg.db.read() as conn:
        from sqlalchemy import text

        payloads = [json.loads(p) for (p,) in conn.execute(
            text("SELECT payload FROM event WHERE action = 'source.capture' ORDER BY id"))]
    assert [sorted(r["t"] for r in p["rows"]) for p in payloads] == [["capture", "source"]] * 2
    assert payloads[1]["rows"][0]["set"]["version"] == 3

    assert run("verify").code == 0
    (workspace / "sources" / captures[0].warc_file).write_bytes(b"tampered")
    r = run("verify")
    assert r.code == 1 and f"capture {captures[0].id} of source {s}" in r.out


def test_refresh_of_a_source_without_url_or_with_a_failing_fetch(run, lg, httpserver, article_files):
    s = lg.add_source(title="File", file=article_files["evidence"])
    r = run(f"source refresh {s}")
    assert r.code == 1 and "no URL" in r.err
    httpserver.expect_ordered_request("/p").respond_with_data(page("summit-en.html"), content_type="text/html")
    httpserver.expect_ordered_request("/p").respond_with_data("gone", status=410)
    u = int(run(["source", "add", "--url", httpserver.url_for("/p")]).out)
    before = snapshot_tables(lg)
    r = run(f"source refresh {u}")
    assert r.code == 1 and "410" in r.err and len(r.err.strip().splitlines()) == 1
    assert snapshot_tables(lg) == before


def test_stale_rule_uses_the_fresh_capture_date(lg, httpserver):
    url = _serve(httpserver, "/p", page("summit-en.html"))
    claim = _claim(lg)
    s = lg.add_source(url=url, publisher="A")
    lg.cite(claim_id=claim, source_id=s, stance="supports")
    lg.cite(claim_id=claim, source_id=lg.add_source(title="B", url="https://b.example", publisher="B", fetch=False),
            stance="supports")
    lg.set_status(claim_id=claim, status="verified", note="ok")
    article = lg.claim(claim).appearances[0].article_id
    later = date.today() + timedelta(days=45)
    assert [f for f in lg.audit(article, as_of=later).findings if f.rule == "stale-evidence"]
    assert not [f for f in lg.audit(article).findings if f.rule == "stale-evidence"]


def test_captures_travel_with_a_json_export(run, lg, httpserver, tmp_path):
    from ledger.services.ledger import open_ledger

    s = int(run(["source", "add", "--url", _serve(httpserver, "/p", page("summit-en.html"))]).out)
    out = tmp_path / "ledger.json"
    assert run(["export", "--all", "--format", "json", "-o", str(out)]).code == 0
    records = out.read_text(encoding="utf-8")
    assert '"captures":[' in records
    (tmp_path / "other").mkdir()
    other = open_ledger(str(tmp_path / "other" / "ledger.db"), actor="restorer")
    try:
        other.import_file(out, fmt="json")
        [c] = other.captures(s)
        assert c.final_url == lg.captures(s)[0].final_url and c.warc_sha256 == lg.source(s).sha256
    finally:
        other.close()
