"""Articles from real material: saved news pages, Markdown and Word drafts, pages fetched by URL.

The pages in tests/data/pages/ are the project's own, written in the shapes newsrooms publish
(JSON-LD NewsArticle, OpenGraph, bylines, cookie banners, related links, comments)."""

from __future__ import annotations

import hashlib
import shutil

import pytest

from tests.conftest import snapshot_tables
from tests.pages import PAGES, body_paragraphs, page, write_docx

FR_HEADLINE_SENTENCE = "Moscou et Pyongyang ont signé un traité d’assistance mutuelle en cas d’agression."


@pytest.fixture
def saved(tmp_path):
    def _copy(name: str):
        target = tmp_path / name
        shutil.copyfile(PAGES / name, target)
        return target
    return _copy


def test_a_saved_french_page_becomes_clean_quotable_text(run, lg, saved):
    r = run(["article", "add", str(saved("sommet-fr.html"))])
    assert r.code == 0, r.err
    a = lg.article(int(r.out))
    assert a.title == "Moscou et Pyongyang signent un traité d’assistance mutuelle"
    assert (a.outlet, a.author, a.lang) == ("Le Veilleur", "Claire Dumont", "fr-FR")
    assert a.published.isoformat() == "2024-06-20"
    assert a.url == "https://www.leveilleur.example/monde/2024/06/20/traite-moscou-pyongyang"
    body = lg.article_body(a.id)
    for junk in ("<", "&rsquo;", "&nbsp;", "cookies", "Commentaires", "Sur le même sujet", "gtag", "@import",
                 "NewsArticle", "Jean-Marc75", "Tout accepter", "Mentions légales"):
        assert junk not in body, junk
    paragraphs = body_paragraphs(body)
    assert len(paragraphs) == 8  # seven paragraphs of the story and its subheading
    for p in paragraphs:  # every body paragraph can be quoted
        assert run(["claim", "add", "--article", str(a.id), "--quote", p]).code == 0, p
    # the headline sentence stands once in the text (not in meta tags or JSON-LD)
    assert body.count(FR_HEADLINE_SENTENCE) == 1


def test_the_headline_claim_is_not_refused_as_repeated(run, lg, saved):
    a = int(run(["article", "add", str(saved("sommet-fr.html"))]).out)
    r = run(["claim", "add", "--article", str(a), "--quote", FR_HEADLINE_SENTENCE])
    assert r.code == 0, r.err
    assert "occurs" not in r.err


def test_an_english_opengraph_page(run, lg, saved):
    a = lg.article(int(run(["article", "add", str(saved("summit-en.html"))]).out))
    assert (a.title, a.outlet, a.author, a.lang) == ("Putin lands in Pyongyang for first visit in 24 years",
                                                      "The Harbour Courier", "Sam Okafor", "en-GB")
    body = lg.article_body(a.id)
    assert "partners store and access" not in body and "Related stories" not in body and "42 comments" not in body
    assert "Kim Jong Un greeting him" in body and "“comprehensive strategic partnership”" in body
    assert len(body_paragraphs(body)) == 5


def test_typed_options_win_over_the_page(run, lg, saved):
    r = run(["article", "add", str(saved("sommet-fr.html")), "--title", "Le traité", "--outlet", "Desk",
             "--author", "A. Rédaction", "--published", "juin 2024", "--lang", "fr"])
    a = lg.article(int(r.out))
    assert (a.title, a.outlet, a.author, a.lang) == ("Le traité", "Desk", "A. Rédaction", "fr")
    assert a.published.isoformat() == "2024-06"


def test_the_original_is_archived_and_show_says_where_the_text_came_from(run, lg, saved, workspace):
    path = saved("sommet-fr.html")
    a = lg.article(int(run(["article", "add", str(path)]).out))
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    assert a.origin_sha256 == digest and a.origin_file == f"{digest}.html" and a.origin_media_type == "text/html"
    assert (workspace / "sources" / a.origin_file).read_bytes() == path.read_bytes()
    shown = run(f"article show {a.id}").out
    assert f"read from sommet-fr.html, text/html kept as sources/{digest}.html" in shown
    assert run("verify").code == 0
    (workspace / "sources" / a.origin_file).write_bytes(b"<html>edited</html>")
    r = run("verify")
    assert r.code == 1 and f"the original of article {a.id}" in r.out


def test_the_event_carries_the_rows_it_wrote(run, lg, saved):
    a = int(run(["article", "add", str(saved("sommet-fr.html"))]).out)
    [added] = [e for e in lg.article_history(a) if e.action == "article.add"]
    rows = {r["t"]: r for r in added.payload["rows"]}
    assert rows["article"]["id"] == a and rows["article"]["set"]["body"] == lg.article_body(a)
    assert rows["article"]["set"]["origin_sha256"] == lg.article(a).origin_sha256
    assert rows["article_revision"]["set"]["revision"] == 1


def test_a_markdown_draft(run, lg):
    a = lg.article(int(run(["article", "add", str(PAGES / "brouillon-fr.md")]).out))
    assert a.title == "Le traité signé à Pyongyang" and a.lang == "fr"  # detected
    body = lg.article_body(a.id)
    assert "**" not in body and "](" not in body and "&rsquo;" not in body and "> «" not in body
    assert "selon l'agence officielle." in body
    assert "assistance mutuelle en cas d’agression contre l'un des deux pays. Il entre en vigueur" in body
    assert run(["claim", "add", "--article", str(a.id), "--quote", "Kim Jong-un a offert des portraits."]).code == 0


def test_a_word_draft(run, lg, tmp_path):
    path = write_docx(tmp_path / "brouillon.docx",
                      ["Le président russe est arrivé à Pyongyang le 19 juin 2024.",
                       "Selon certaines sources, des munitions auraient été livrées dès l’automne."],
                      title="Visite à Pyongyang", author="Claire Dumont", language="fr-FR",
                      heading="Visite à Pyongyang", link=("le communiqué officiel", "https://agence.example/c"))
    r = run(["article", "add", str(path)])
    assert r.code == 0, r.err
    a = lg.article(int(r.out))
    assert (a.title, a.author, a.lang) == ("Visite à Pyongyang", "Claire Dumont", "fr-FR")
    assert a.origin_media_type.endswith("wordprocessingml.document") and a.origin_file.endswith(".docx")
    body = lg.article_body(a.id)
    assert body_paragraphs(body) == ["Visite à Pyongyang", "Le président russe est arrivé à Pyongyang le 19 juin 2024.",
                                     "Selon certaines sources, des munitions auraient été livrées dès l’automne.",
                                     "Voir le communiqué officiel"]
    report = lg.audit(a.id)
    hedged = [f for f in report.findings if f.rule == "vague-attribution"]
    assert len(hedged) == 1 and hedged[0].claim_id is None and "selon certaines sources" in hedged[0].message


def test_a_text_file_is_kept_as_it_is(run, lg, article_files, workspace):
    a = lg.article(int(run(["article", "add", str(article_files["fr"]), "--title", "Visite"]).out))
    assert lg.article_body(a.id) == article_files["fr"].read_text(encoding="utf-8")
    assert a.origin_name == "visite.txt" and a.origin_file is None
    assert not (workspace / "sources").exists()


@pytest.mark.parametrize("tag, stored", [("es", "es"), ("pt-br", "pt-BR"), ("DE", "de"), ("zh-Hant-TW", "zh-Hant-TW")])
def test_any_bcp47_tag(run, lg, article_files, tag, stored):
    r = run(["article", "add", str(article_files["en"]), "--title", "T", "--lang", tag])
    assert r.code == 0, r.err
    assert lg.article(int(r.out)).lang == stored


@pytest.mark.parametrize("tag", ["english", "xx-!!", "12", "fr_FR_"])
def test_a_bad_language_tag_is_one_refusal(run, lg, article_files, tag):
    before = snapshot_tables(lg)
    r = run(["article", "add", str(article_files["en"]), "--title", "T", "--lang", tag])
    assert r.code == 1 and len(r.err.strip().splitlines()) == 1 and "BCP 47" in r.err
    assert snapshot_tables(lg) == before


def test_the_language_is_detected_when_nobody_says_it(run, lg, article_files):
    assert lg.article(int(run(["article", "add", str(article_files["fr"]), "--title", "T"]).out)).lang == "fr"
    assert lg.article(int(run(["article", "add", str(article_files["en"]), "--title", "T"]).out)).lang == "en"


@pytest.mark.parametrize("name, data, says", [
    ("photo.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "is binary, not text"),
    ("empty.html", b"<html><head><title>x</title><script>var a = 1;</script></head><body></body></html>",
     "has no text"),
    ("broken.docx", b"PK\x03\x04 not really a zip", "not a readable .docx"),
])
def test_unreadable_material_is_refused_and_nothing_changes(run, lg, tmp_path, workspace, name, data, says):
    path = tmp_path / name
    path.write_bytes(data)
    before = snapshot_tables(lg)
    r = run(["article", "add", str(path), "--title", "T"])
    assert r.code == 1 and says in r.err and len(r.err.strip().splitlines()) == 1
    assert snapshot_tables(lg) == before
    assert not list((workspace / "sources").glob("*")) if (workspace / "sources").exists() else True


def test_a_page_without_title_needs_one(run, lg, tmp_path):
    path = tmp_path / "bare.html"
    path.write_text("<html><body><p>" + "Une phrase assez longue pour être lue comme un paragraphe. " * 3
                    + "</p></body></html>", encoding="utf-8")
    before = snapshot_tables(lg)
    r = run(["article", "add", str(path)])
    assert r.code == 1 and "needs a title" in r.err
    assert snapshot_tables(lg) == before


# ---------------------------------------------------------------------------- by URL
def test_article_add_url_fetches_the_page(run, lg, httpserver, workspace):
    httpserver.expect_request("/monde/traite").respond_with_data(page("sommet-fr.html"),
                                                                content_type="text/html; charset=utf-8")
    url = httpserver.url_for("/monde/traite")
    r = run(["article", "add", "--url", url])
    assert r.code == 0, r.err
    a = lg.article(int(r.out))
    assert a.title == "Moscou et Pyongyang signent un traité d’assistance mutuelle" and a.origin_url == url
    assert a.url == url  # typed: it wins over the page's canonical address
    assert FR_HEADLINE_SENTENCE in lg.article_body(a.id)
    assert (workspace / "sources" / a.origin_file).read_bytes() == page("sommet-fr.html")
    assert f"fetched from {url}" in run(f"article show {a.id}").out


def test_article_add_url_that_fails_changes_nothing(run, lg, httpserver):
    httpserver.expect_request("/gone").respond_with_data("not here", status=404)
    before = snapshot_tables(lg)
    r = run(["article", "add", "--url", httpserver.url_for("/gone")])
    assert r.code == 1 and "404" in r.err and len(r.err.strip().splitlines()) == 1
    assert snapshot_tables(lg) == before


def test_the_service_reads_metadata_for_the_ui(lg, tmp_path):
    path = tmp_path / "page.html"
    path.write_bytes(page("summit-en.html"))
    a = lg.article(lg.add_article(file=path))
    assert a.title.startswith("Putin lands") and a.outlet == "The Harbour Courier"


def test_a_revision_from_an_edited_page_is_read_the_same_way(run, lg, saved, tmp_path):
    a = int(run(["article", "add", str(saved("sommet-fr.html"))]).out)
    run(["claim", "add", "--article", str(a), "--quote", FR_HEADLINE_SENTENCE])
    edited = tmp_path / "v2.html"
    edited.write_bytes(page("sommet-fr.html").replace("mercredi soir".encode(), "mercredi en fin de soirée".encode()))
    r = run(["article", "update", str(a), str(edited)])
    assert r.code == 0, r.err
    body = lg.article_body(a)
    assert "mercredi en fin de soirée" in body and "<p>" not in body and "cookies" not in body
    assert lg.article(a).revision == 2 and not lg.claim(1).appearances[0].orphaned
