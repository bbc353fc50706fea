"""Reading a ~100 KB news page into an article's text, and fetching one from a loopback server
(target: extraction under 150 ms).

Builds a page in the shape newsrooms publish — head full of meta tags, a JSON-LD NewsArticle,
inline CSS and scripts, a cookie banner, a navigation of a hundred links, a forty-paragraph story
with inline links and entities, a related-stories block and a long comment thread — about 100 KB.
Times, as the median of several runs:

- ``text.extract.extract`` on the bytes (trafilatura + htmldate: main text and metadata);
- ``services.capture.fetch`` from a ``http.server`` on 127.0.0.1, and ``stage_capture`` (the WARC
  written and the page read, what ``source add --url`` does before its transaction);

beside the baseline measured in the same run: a bare ``lxml.html.fromstring`` of the same bytes.

    python benchmarks/bench_extract.py [--runs 15] [--kb 100]
"""

from __future__ import annotations

import argparse
import json
import tempfile
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from bench_audit import median_ms  # the same median as the other benchmarks

TARGET_MS = 150.0
TOPICS = ["le port", "la capitale", "le traité", "la frontière", "les sanctions", "le convoi", "la délégation"]


def news_page(kb: int) -> bytes:
    paragraphs = []
    for i in range(40):
        topic = TOPICS[i % len(TOPICS)]
        paragraphs.append(
            f"<p>Le {i + 1}<sup>er</sup> point de l&rsquo;enquête porte sur {topic} : selon "
            f"<a href='/tag/{i}'>les documents consultés</a>, {i * 37 + 12} conteneurs auraient transité "
            f"entre le {i % 28 + 1} juin et le {i % 28 + 2} juillet 2024, d&rsquo;après <em>trois</em> sources "
            f"distinctes qui ont requis l&rsquo;anonymat. Le ministère n&rsquo;a pas répondu (paragraphe {i}).</p>")
    nav = "".join(f"<li><a href='/rubrique/{i}'>Rubrique {i}</a></li>" for i in range(100))
    ld = json.dumps({"@context": "https://schema.org", "@type": "NewsArticle",
                     "headline": "Les conteneurs du port de Rajin", "datePublished": "2024-07-03T06:00:00+02:00",
                     "author": [{"@type": "Person", "name": "Claire Dumont"}],
                     "publisher": {"@type": "NewsMediaOrganization", "name": "Le Veilleur"},
                     "articleBody": " ".join(f"Paragraphe {i} du corps de l'article." for i in range(40))},
                    ensure_ascii=False)
    head = ("<!DOCTYPE html><html lang='fr'><head><meta charset='utf-8'>"
            "<title>Les conteneurs du port de Rajin | Le Veilleur</title>"
            "<meta property='og:title' content='Les conteneurs du port de Rajin'>"
            "<meta property='og:site_name' content='Le Veilleur'>"
            "<meta property='article:published_time' content='2024-07-03T06:00:00+02:00'>"
            f"<script type='application/ld+json'>{ld}</script>"
            "<style>" + ".c{color:#333;margin:0 auto}" * 200 + "</style></head>")
    body = (f"<body><div class='cookie-banner'><p>Nous utilisons des cookies.</p><button>Accepter</button></div>"
            f"<header><nav><ul>{nav}</ul></nav></header><main><article><h1>Les conteneurs du port de Rajin</h1>"
            "<p class='byline'>Par <a rel='author' href='/a/cd'>Claire Dumont</a></p>"
            f"<div class='article-body'>{''.join(paragraphs)}</div></article>"
            "<aside class='related'><h2>Sur le même sujet</h2><ul>"
            + "".join(f"<li><a href='/a/{i}'>Autre article {i}</a></li>" for i in range(30)) + "</ul></aside>")
    comments = []
    size = len(head) + len(body)
    n = 0
    while size + sum(len(c) for c in comments) < kb * 1024 - 200:
        comments.append(f"<div class='comment'><p class='author'>Lecteur{n}</p>"
                        f"<p>Commentaire numéro {n} sur cet article, avec un avis très tranché.</p></div>")
        n += 1
    tail = "<section id='comments'>" + "".join(comments) + "</section></main><footer>© Le Veilleur</footer>" \
        "<script>" + "var x=1;" * 50 + "</script></body></html>"
    return (head + body + tail).encode("utf-8")


def warm_median_ms(fn, runs: int) -> float:  # noqa: ANN001
    fn()  # warm up (imports, caches)
    return median_ms(fn, runs)


def serve(data: bytes) -> tuple[ThreadingHTTPServer, str]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args) -> None:  # noqa: ANN002
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/page"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--kb", type=int, default=100)
    args = parser.parse_args()

    import lxml.html

    from ledger.services.capture import fetch, stage_capture
    from ledger.text.extract import extract

    data = news_page(args.kb)
    doc = extract(data, media_type="text/html")
    assert doc.title == "Les conteneurs du port de Rajin" and doc.text.count("\n\n") >= 39
    assert "Commentaire numéro" not in doc.text and "cookies" not in doc.text

    lxml_ms = warm_median_ms(lambda: lxml.html.fromstring(data), args.runs)
    extract_ms = warm_median_ms(lambda: extract(data, media_type="text/html"), args.runs)
    server, url = serve(data)
    try:
        fetch_ms = warm_median_ms(lambda: fetch(url), args.runs)
        with tempfile.TemporaryDirectory() as tmp:
            def capture() -> None:
                stage_capture(Path(tmp), fetch(url)).staged.discard()
            capture_ms = warm_median_ms(capture, args.runs)
    finally:
        server.shutdown()

    print(f"page: {len(data) / 1024:.0f} KB, {len(doc.text.split(chr(10) * 2))} paragraphs kept, "
          f"{args.runs} runs (median)")
    print(f"  baseline  lxml.html.fromstring        {lxml_ms:8.1f} ms")
    print(f"  extract   text + metadata (trafilatura) {extract_ms:6.1f} ms   target < {TARGET_MS:.0f} ms: "
          f"{'met' if extract_ms < TARGET_MS else 'MISSED'}  ({extract_ms / lxml_ms:.1f}x the bare parse)")
    print(f"  fetch     GET from 127.0.0.1          {fetch_ms:8.1f} ms")
    print(f"  capture   fetch + WARC + extract      {capture_ms:8.1f} ms")


if __name__ == "__main__":
    main()
