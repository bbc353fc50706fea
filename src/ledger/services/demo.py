"""The sample ledger: articles, archived sources and claims written by the project itself.

The content lives in ``services/demo_data`` (texts plus a declarative ``spec``); this module
loads it through the store in one transaction, so a failed build leaves nothing behind.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from ledger import store
from ledger.errors import LedgerError
from ledger.services import archive
from ledger.text.dates import parse_date
from ledger.services.ledger import Ledger

DATA = resources.files("ledger.services") / "demo_data"


@dataclass(frozen=True)
class DemoSummary:
    articles: int
    claims: int
    sources: int
    citations: int


def _date(text: str | None):  # noqa: ANN202
    return parse_date(text) if text else None


def build_demo(ledger: Ledger) -> DemoSummary:
    from ledger.services.demo_data import spec

    with ledger.db.read() as conn:
        existing = store.count_articles(conn)
    if existing:
        raise LedgerError(f"{ledger.workspace.describe()} already holds {existing} article(s); "
                          "build the sample in an empty folder: ledger demo DIR")
    staged = []
    try:
        for s in spec.SOURCES:
            if s.get("file"):
                with resources.as_file(DATA / "sources" / s["file"]) as path:
                    staged.append((s["key"], archive.stage(ledger.workspace.sources_dir, Path(path))))
        files = dict(staged)
        n_citations = 0
        with ledger.db.write() as conn:
            articles: dict[str, int] = {}
            for a in spec.ARTICLES:
                body = (DATA / "articles" / a["file"]).read_text(encoding="utf-8")
                articles[a["key"]] = store.add_article(
                    conn, title=a["title"], body=body, actor="demo", outlet=a.get("outlet"),
                    author=a.get("author"), url=a.get("url"), lang=a.get("lang"),
                    published=_date(a.get("published")), state=a.get("state", "draft"))
            sources: dict[str, int] = {}
            for s in spec.SOURCES:
                f = files.get(s["key"])
                sources[s["key"]] = store.add_source(
                    conn, title=s["title"], actor="demo", kind=s.get("kind", "document"),
                    publisher=s.get("publisher"), author=s.get("author"), url=s.get("url"),
                    published=_date(s.get("published")), accessed=_date(s.get("accessed")),
                    reliability=s.get("reliability"), sha256=f.sha256 if f else None,
                    file_name=f.file_name if f else None, media_type=f.media_type if f else None,
                    size=f.size if f else None)
            for c in spec.CLAIMS:
                first, *more = c["appearances"]
                claim_id = store.add_claim(
                    conn, article_id=articles[first["article"]], quote=first["quote"], actor="demo",
                    text=c["text"], kind=c.get("kind", "assertion"), claimant=c.get("claimant"),
                    claim_date=_date(c.get("date")), priority=c.get("priority", 2),
                    status=ledger.vocabulary.initial)
                for app in more:
                    store.link_claim(conn, claim_id=claim_id, article_id=articles[app["article"]],
                                     quote=app["quote"], actor="demo")
                for cit in c.get("citations", ()):
                    store.add_citation(conn, claim_id=claim_id, source_id=sources[cit["source"]],
                                       stance=cit["stance"], actor=c["history"][0]["by"] if c.get("history") else "demo",
                                       excerpt=cit.get("excerpt"), locator=cit.get("locator"))
                    n_citations += 1
                for step in c.get("history", ()):
                    store.set_status(conn, claim_id=claim_id, status=step["status"], note=step["note"],
                                     actor=step.get("by", "demo"), vocabulary=ledger.vocabulary)
    except BaseException:
        for _key, f in staged:
            f.discard()
        raise
    for _key, f in staged:
        f.commit()
    return DemoSummary(articles=len(spec.ARTICLES), claims=len(spec.CLAIMS), sources=len(spec.SOURCES),
                       citations=n_citations)
