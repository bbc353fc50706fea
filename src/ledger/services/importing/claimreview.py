"""Importing ClaimReview, as fact-checkers publish it, in every shape feeds come in.

The shapes (one ClaimReview, arrays, ``@graph``, JSON Lines, Data Commons ``DataFeed``, Fact Check
Tools API results, HTML pages with JSON-LD blocks) are found by ``claimreview_shapes``. What real
feeds contain is tolerated: a missing ``@context``, ``@type`` in odd casing or with a ``schema:``
prefix, ``claimReviewed`` given as a list, dates that are not ISO, a rating with no
``ratingValue``, stray whitespace and HTML entities in labels.

Each ClaimReview becomes:

- a **review** row keeping it as published (``store.reviews``): publisher organisation, author,
  URL, date and time as given, rating label and scale, language tag, headline, claimant with
  ``sameAs``, every URL where the claim appeared, and a stable key: its ``@id``, or one derived
  from its URL and reviewed text (without a URL: from the text, reviewer and date);
- an **article** standing for the fact-check (titled from the headline, its outlet the review's
  publisher — the ``publisher`` organisation, or the ``author`` when that is an organisation —
  its URL and date the review's, state ``published``) whose text is the reviewed claim, and one
  article per URL where the claim appeared (``itemReviewed.url``, ``appearance``,
  ``firstAppearance``), so the claim's appearances carry those URLs;
- one **claim** per reviewed text, an ``attribution`` to the claimant when there is one, its
  status read by ``services.verdicts`` (label, rating scale or the workspace's map; how it was
  read is kept in the review's ``read_as``) and the label as published in ``status_label``;
- a **source** for the review page (one per URL, shared with the ledger's sources of that URL),
  cited ``supports`` for a passing verdict, ``refutes`` for a failing one, ``context`` otherwise.
  A review without a URL cannot be cited, so its claims keep the initial status.

Only http(s) addresses are taken: a review whose ``url`` is ``javascript:``, ``data:`` or any
other scheme is refused; such appearance, ``sameAs`` or publisher addresses are dropped.

Each article has its ``article.add`` event; each claim one ``claim.import`` event that lists every
row it brought (the claim, its appearances, the source it is the first to cite, its citation, its
review: ``services.importing.writer``), so ``ledger verify`` replays them all and the claim's
history starts there.

A review already in the ledger (same key; or, for ledgers imported before review keys, an article
with the same URL and text), and a ClaimReview this ledger exported of its own claims, are passed
over, so re-importing any export adds nothing. Look-ups are batched (one query per kind per chunk of
records, each behind an index) and writes go through the store's bulk paths.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from functools import lru_cache
from dataclasses import dataclass, field
from datetime import date
from typing import Any, TextIO

from sqlalchemy import select

from ledger.errors import InvalidInput, LedgerError
from ledger.models import Article, Claim, Source
from ledger.services.fields import check_url
from ledger.services.importing import claimreview_shapes as shapes
from ledger.services.importing.claimreview_shapes import Counter as Seen, read_nodes, types
from ledger.text.language import valid_or_none
from ledger.services.importing.report import ImportReport
from ledger.services.importing.writer import Planned, PlannedClaim, Ref, Writer
from ledger.services.progress import NO_PROGRESS, Progress
from ledger.services.verdicts import Reading, VerdictReader, clean_label
from ledger.store.articles import content_hash
from ledger.store.bulk import _chunks
from ledger.store.reviews import LOOKUP_BATCH, existing_keys, ledger_iri
from ledger.text.anchoring import make_anchor
from ledger.text.dates import parse_date

ARTICLE = Article.__table__
SOURCE = Source.__table__
CLAIM = Claim.__table__
CHUNK = 1000
TITLE_MAX = 160
STANCE_BY_CATEGORY = {"pass": "supports", "fail": "refutes"}
PERSON, ORGANIZATION = "Person", "Organization"
BASIS_OUTCOME = {"label": "read from their label", "rating": "read from their rating scale",
                 "map": "read by the map in ledger.toml", None: "not read (kept open with their label)"}


# ------------------------------------------------------------------- reading a node
_WEB = re.compile(r"https?://[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?(?::[0-9]{1,5})?(?:[/?#][^\s]*)?",
                  re.IGNORECASE)


get = shapes.get


def _text(value: Any) -> str | None:
    """A plain string from a JSON-LD value: a string, ``{"@value": …}``, a node's ``name``, or the
    first usable element of a list; entities decoded and whitespace collapsed."""
    if value.__class__ is str:  # the usual case first
        return clean_label(value) or None
    if isinstance(value, list):
        for v in value:
            t = _text(v)
            if t:
                return t
        return None
    if isinstance(value, dict):
        for k in ("@value", "name", "@id", "url"):
            t = _text(get(value, k))
            if t:
                return t
        return None
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        t = clean_label(str(value))
        return t or None
    return None


def _texts(value: Any) -> list[str]:
    values = value if isinstance(value, list) else [value]
    out: list[str] = []
    for v in values:
        t = _text(v)
        if t and t not in out:
            out.append(t)
    return out


def _scalar(value: Any) -> str | None:
    """A rating number as given (kept as text so "5" and 5 both come back as the scale's 5)."""
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = get(value, "@value")
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        return str(value)
    text = str(value).strip()
    return text or None


def _date(text: str | None, notes: Counter, what: str) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        pass
    try:
        return parse_date(text.replace("T", " "), field=what)
    except LedgerError:
        notes[f"{what} that could not be read was left empty (kept as given in the review)"] += 1
        return None


def _short(text: str, limit: int = TITLE_MAX) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def web_address(text: str) -> str:
    """``check_url``, with a quick path for the plain addresses feeds are made of."""
    if _WEB.fullmatch(text):
        return text
    return check_url(text) or ""


def _web(url: Any, notes: Counter, what: str) -> str | None:
    """An http(s) address, or None (a ``javascript:`` or ``data:`` address is dropped, noted)."""
    text = _text(url) if not isinstance(url, str) else url.strip()
    if not text:
        return None
    try:
        return web_address(text) or None
    except InvalidInput:
        notes[f"{what} that are not http(s) web addresses were dropped"] += 1
        return None


def _first(value: Any) -> Any:
    if isinstance(value, list):
        return next((v for v in value if isinstance(v, (dict, str))), None)
    return value


@dataclass
class Party:
    name: str | None = None
    kind: str | None = None  # Person | Organization | None (not said)
    url: str | None = None
    same_as: list[str] = field(default_factory=list)


def _party(value: Any, notes: Counter, what: str) -> Party:
    value = _first(value)
    if isinstance(value, str):
        return Party(name=clean_label(value) or None)
    if not isinstance(value, dict):
        return Party()
    known, party = None, None
    if set(map(type, value.values())) == _TEXT_ONLY:  # feeds name the same few parties again and again
        known = (what, *value.items())
        party = _PARTIES.get(known)
    if party is None:
        seen: Counter = Counter()
        party = _read_party(value, seen, what)
        if seen:
            notes.update(seen)
        elif known is not None:
            if len(_PARTIES) >= 8192:
                _PARTIES.clear()
            _PARTIES[known] = party
    return party


_PARTIES: dict[tuple[Any, ...], Party] = {}  # parties read, by their node's items (never changed once read)
_TEXT_ONLY = {str}


def _read_party(value: dict[str, Any], notes: Counter, what: str) -> Party:
    t = types(value)
    kind = PERSON if "person" in t else ORGANIZATION if any("organization" in x for x in t) else None
    same = get(value, "sameAs")
    same_as = [u for u in (_web(s, notes, f"{what} sameAs addresses") for s in
                           (same if isinstance(same, list) else [same])) if u]
    return Party(name=_text(get(value, "name")) or _text(get(value, "alternateName")), kind=kind,
                 url=_web(get(value, "url"), notes, f"{what} addresses") if get(value, "url") else None,
                 same_as=same_as)


def _urls(value: Any, notes: Counter) -> list[str]:
    out: list[str] = []
    for v in value if isinstance(value, list) else [value]:
        raw = get(v, "url") if isinstance(v, dict) else v
        for one in raw if isinstance(raw, list) else [raw]:
            u = _web(one, notes, "appearance addresses") if one else None
            if u and u not in out:
                out.append(u)
    return out


def _language(value: Any, notes: Counter) -> str | None:
    value = _first(value)
    if isinstance(value, dict):
        tag = _text(get(value, "alternateName")) or _text(get(value, "name"))
    else:
        tag = _text(value)
    if not tag:
        return None
    if _valid_tag(tag):
        return tag
    notes["inLanguage values that are not BCP 47 language tags were dropped"] += 1
    return None


@lru_cache(maxsize=4096)
def _article_lang(tag: str | None) -> str | None:
    """An article's language from the review's tag (normalised, or None): feeds repeat a few tags."""
    return valid_or_none(tag)


@lru_cache(maxsize=4096)
def _valid_tag(tag: str) -> bool:
    import langcodes

    return bool(langcodes.tag_is_valid(tag))


@dataclass
class Parsed:
    where: str
    texts: list[str]
    label: str  # the label kept on the claim
    reading: Reading
    key: str  # stable key of the review (its @id, or derived)
    own_claim: int | None  # a ClaimReview this ledger exported of its own claim
    review: dict[str, Any]  # the review row's fields, as published

    # worked out once, when parsed (every record planned needs them all)
    keys: list[str] = field(init=False)  # the review keys of its claims, the review's own first
    article_urls: list[str] = field(init=False)  # the review's URL, then every URL where the claim appeared, each once
    body: str = field(init=False)  # the text of the articles standing for the review and its appearances
    digest: str = field(init=False)  # the body's content hash

    def __post_init__(self) -> None:
        key, texts, r = self.key, self.texts, self.review
        if len(texts) == 1:
            self.keys = [key]
        else:
            sep = "-" if "#" in key else "#"
            self.keys = [key] + [f"{key}{sep}claim{i + 1}" for i in range(1, len(texts))]
        urls = [r["url"], r["item_url"], *r["appearance_urls"], r["first_appearance_url"]]
        self.article_urls = [u for u in dict.fromkeys(urls) if u]
        self.body = "\n\n".join(texts) + "\n"
        self.digest = content_hash(self.body)


def _digest(*parts: str | None) -> str:
    return hashlib.sha256("\n".join(p or "" for p in parts).encode("utf-8")).hexdigest()


def _read(reader: VerdictReader, cache: dict[tuple, Reading], label: str | None, value: str | None,
          best: str | None, worst: str | None) -> Reading:
    """The reader's reading, remembered for the import: a feed repeats the same few labels and scales."""
    k = (label, value, best, worst)
    if k not in cache:
        if len(cache) > 50_000:
            cache.clear()
        cache[k] = reader.read(label, value=value, best=best, worst=worst)
    return cache[k]


def parse(where: str, node: dict[str, Any], reader: VerdictReader, own: str | None, notes: Counter,
          readings: dict[tuple, Reading] | None = None) -> Parsed:
    """Everything a ClaimReview node says, checked; ``ValueError`` when it cannot be imported."""
    item = _first(get(node, "itemReviewed"))
    item = item if isinstance(item, dict) else {}
    texts = _texts(get(node, "claimReviewed")) or _texts(get(item, "text")) or _texts(get(item, "name"))
    if not texts:
        raise ValueError("no claimReviewed (nothing says what claim was reviewed)")
    texts = [" ".join(t.split()) for t in texts]
    rating = _first(get(node, "reviewRating"))
    rating = rating if isinstance(rating, dict) else {}
    label = _text(get(rating, "alternateName")) or _text(get(rating, "name"))
    value, best, worst = (_scalar(get(rating, k)) for k in ("ratingValue", "bestRating", "worstRating"))
    if not label and not value:
        raise ValueError("no reviewRating verdict (neither alternateName nor ratingValue)")
    raw_url = _text(get(node, "url"))
    url = None
    if raw_url:
        try:
            url = web_address(raw_url)
        except InvalidInput:
            raise ValueError(f"url {raw_url!r} is not an http(s) web address") from None
    publisher = _party(get(node, "publisher"), notes, "publisher")
    author = _party(get(node, "author"), notes, "author")
    claimant = _party(get(item, "author"), notes, "claimant")
    date_published = _text(get(node, "datePublished"))
    item_date = _text(get(item, "datePublished"))
    item_url = _urls(get(item, "url"), notes)[:1]
    appearances = _urls(get(item, "appearance"), notes)
    first_appearance = _urls(get(item, "firstAppearance"), notes)[:1]
    reading = _read(reader, {} if readings is None else readings, label, value, best, worst)
    kept = label or f"rating {value} ({worst or '?'} to {best or '?'})"
    reviewer = publisher.name or (author.name if author.kind != PERSON else None)
    given_id = get(node, "@id")
    given_id = given_id.strip() if isinstance(given_id, str) and not given_id.strip().startswith("_:") else None
    if given_id:
        key = given_id
    elif url:
        key = f"{url}#claimreview-{_digest(*texts)[:16]}"
    else:
        key = f"urn:claimreview:{_digest(*texts, reviewer, date_published)[:32]}"
    own_claim = None
    if own and key.startswith(own) and key[len(own):].isdigit():
        own_claim = int(key[len(own):])
    review = dict(
        url=url, date_published=date_published, publisher=publisher.name, publisher_url=publisher.url,
        author=author.name, author_type=author.kind, headline=_text(get(node, "headline")) or _text(get(node, "name")),
        lang=_language(get(node, "inLanguage"), notes), rating_label=label, rating_value=value, best_rating=best,
        worst_rating=worst, claimant=claimant.name, claimant_type=claimant.kind, claimant_same_as=list(claimant.same_as),
        item_date=item_date, item_url=item_url[0] if item_url else None, appearance_urls=appearances,
        first_appearance_url=first_appearance[0] if first_appearance else None,
        published=_date(date_published, notes, "review dates"),
        claim_date=_date(item_date, notes, "claim dates"), reviewer=reviewer)
    return Parsed(where=where, texts=texts, label=kept, reading=reading, key=key, own_claim=own_claim, review=review)


# ------------------------------------------------------------------- planning


def claims_query(ids: list[int]) -> Any:
    """Which of these claims exist (the ClaimReviews this ledger exported of its own claims)."""
    return select(CLAIM.c.id).where(CLAIM.c.id.in_(ids))


def articles_query(urls: list[str]) -> Any:
    """The ledger's articles at these URLs (ix_article_url)."""
    return select(ARTICLE.c.id, ARTICLE.c.url, ARTICLE.c.content_hash).where(ARTICLE.c.url.in_(urls)).order_by(
        ARTICLE.c.id)


def sources_query(urls: list[str]) -> Any:
    """The ledger's sources at these URLs (ix_source_url)."""
    return select(SOURCE.c.url, SOURCE.c.id).where(SOURCE.c.url.in_(urls)).order_by(SOURCE.c.id)


def lookup_statements() -> list[tuple[str, str, tuple[Any, ...]]]:
    """Each look-up an import makes by value, as SQLite runs it (a chunk's worth of values shown
    as two): ``(what, sql, parameters)``, for checking that an index is behind every one
    (EXPLAIN QUERY PLAN, in tests and in the import benchmark)."""
    from sqlalchemy.dialects import sqlite

    from ledger.store.reviews import keys_query

    urls = ["https://a.example.org/1", "https://a.example.org/2"]
    out = [(what, str(q.compile(dialect=sqlite.dialect(), compile_kwargs={"literal_binds": True})), ())
           for what, q in (("review keys", keys_query(["urn:a", "urn:b"])), ("own claims", claims_query([1, 2])),
                           ("article URLs", articles_query(urls)), ("source URLs", sources_query(urls)))]
    return out



class _Planner:
    """Plans a chunk of parsed reviews with one batched look-up per kind."""

    def __init__(self, conn: Any, reader: VerdictReader, vocabulary: Any, report: ImportReport, notes: Counter):
        self.conn = conn
        self.reader = reader
        self.vocabulary = vocabulary
        self.report = report
        self.notes = notes
        self.sources: dict[str, Ref] = {}
        self.articles: dict[tuple[str, str], Ref] = {}
        self.seen: set[str] = set()
        self.looked_up: set[str] = set()  # URLs already looked up among the ledger's articles

    def _lookups(self, chunk: list[Parsed]) -> tuple[set[str], set[int], set[tuple[str, str]]]:
        keys = existing_keys(self.conn, (k for p in chunk for k in p.keys))
        own = {p.own_claim for p in chunk if p.own_claim is not None}
        own_found: set[int] = set()
        for ids in _chunks(sorted(own), LOOKUP_BATCH):
            own_found.update(self.conn.execute(claims_query(ids)).scalars())
        urls = {u for p in chunk for u in p.article_urls} - self.looked_up
        self.looked_up |= urls
        pages: set[tuple[str, str]] = set()
        for part in _chunks(sorted(urls), LOOKUP_BATCH):
            for aid, url, digest in self.conn.execute(articles_query(part)):
                self.articles.setdefault((url, digest), Ref(id=aid))
                pages.add((url, digest))
        src = {p.review["url"] for p in chunk if p.review["url"] and p.review["url"] not in self.sources}
        for part in _chunks(sorted(src), LOOKUP_BATCH):
            for url, sid in self.conn.execute(sources_query(part)):
                self.sources.setdefault(url, Ref(id=sid))
        return keys, own_found, pages

    def _article(self, url: str | None, digest: str, fields: dict[str, Any]) -> Ref:
        if url is None:
            return Ref(new=fields)
        k = (url, digest)
        if k not in self.articles:
            self.articles[k] = Ref(new=fields)
        return self.articles[k]

    def plan(self, chunk: list[Parsed]) -> list[Planned]:
        keys, own_found, pages = self._lookups(chunk)
        out = []
        for p in chunk:
            if p.own_claim is not None and p.own_claim in own_found:
                self.report.outcome("already in the ledger (its own reviews)")
                continue
            if p.keys[0] in self.seen:
                self.report.outcome("repeated in the file")
                continue
            if p.keys[0] in keys or (p.review["url"], p.digest) in pages:
                self.report.outcome("already in the ledger")
                continue
            self.seen.update(p.keys)
            out.append(self._plan_one(p))
        return out

    def _plan_one(self, p: Parsed) -> Planned:
        r = p.review
        status, basis = p.reading.status, p.reading.basis
        category = self.vocabulary.category(status)
        url = r["url"]
        if not url and category in ("pass", "fail"):
            status, basis = self.reader.initial, None
            category = self.vocabulary.category(status)
            self.notes["reviews without a URL to cite kept their verdict as a label only"] += 1
        self.report.outcome(BASIS_OUTCOME[basis])
        if basis is None:
            self.report.unmapped_label(p.label)
        stance = STANCE_BY_CATEGORY.get(category, "context")
        body = p.body
        title = _short(r["headline"] or f"Fact-check: {p.texts[0]}")
        page = self._article(url, p.digest, {"title": title, "body": body, "outlet": r["reviewer"], "url": url,
                                             "published": r["published"], "lang": _article_lang(r["lang"]),
                                             "state": "published"})
        where = [page]
        shown = _short(f"Appearance: {p.texts[0]}")
        where.extend(self._article(u, p.digest, {"title": shown, "body": body, "url": u,
                                                 "published": r["claim_date"], "state": "published"})
                     for u in p.article_urls if u != url)
        source = None
        if url:
            source = self.sources.get(url)
            if source is None:
                source = self.sources[url] = Ref(new={"kind": "web", "title": title, "publisher": r["reviewer"],
                                                      "url": url, "published": r["published"]})
        planned = Planned(where=p.where)
        kind = "attribution" if r["claimant"] else "assertion"
        pos = 0
        for text, key in zip(p.texts, p.keys):
            start = body.index(text, pos)
            pos = start + len(text)
            anchor = make_anchor(body, start, pos)
            claim = PlannedClaim(fields={
                "text": text, "kind": kind, "claimant": r["claimant"], "claim_date": r["claim_date"], "priority": 2,
                "status": status, "status_label": p.label})
            claim.appearances.extend((ref, {"quote": anchor.quote, "start": anchor.start, "end": anchor.end,
                                            "prefix": anchor.prefix, "suffix": anchor.suffix}) for ref in where)
            if source is not None:
                claim.citations.append((source, {"stance": stance, "excerpt": None, "locator": None}))
            # the review row: ``store.reviews`` reads its FIELDS and passes over the planning keys
            claim.review = dict(r, review_key=key, read_as=basis)
            planned.claims.append(claim)
        return planned


# ------------------------------------------------------------------- the import


def import_claimreview(ledger: Any, fp: TextIO, name: str, *, verdicts: VerdictReader, strict: bool = False,
                       progress: Progress = NO_PROGRESS) -> ImportReport:
    from ledger.services.importing.json_ledger import refuse_if_bad

    report = ImportReport(file=name, format="claimreview")
    advance = progress.task("importing ClaimReview", None)
    seen = Seen()
    notes: Counter = Counter()
    readings: dict[tuple, Reading] = {}
    with ledger.db.write() as conn:
        own = ledger_iri(conn)
        own_prefix = f"{own}:claim:" if own else None
        planner = _Planner(conn, verdicts, ledger.vocabulary, report, notes)
        writer = Writer(conn, ledger.actor, report)
        chunk: list[Parsed] = []

        def flush() -> None:
            for record in planner.plan(chunk):
                writer.add(record)
            chunk.clear()
            writer.flush()

        for where, node in read_nodes(fp, name, seen):
            advance(1)
            if isinstance(node, ValueError):
                report.refuse(where, str(node))
                continue
            t = types(node)
            if "claimreview" not in t and (t or shapes.get(node, "claimReviewed") is None):
                report.refuse(where, f"not a ClaimReview (@type {', '.join(t) or 'missing'})")
                continue
            try:
                chunk.append(parse(where, node, verdicts, own_prefix, notes, readings))
            except ValueError as exc:
                report.refuse(where, str(exc))
                continue
            except RecursionError:
                report.refuse(where, "nested too deeply to be a ClaimReview")
                continue
            if len(chunk) >= CHUNK:
                flush()
        flush()
        if seen.other:
            notes[f"node(s) of other types (pages, organisations…) passed over"] += seen.other
        report.notes.extend(f"{n} {what}" for what, n in notes.items())
        report.finish()
        refuse_if_bad(report, name, strict)
        if report.total:
            from ledger.store.events import append_event

            append_event(conn, actor=ledger.actor, action="ledger.import", entity="import",
                         payload={"file": name, "format": "claimreview", "imported": report.imported,
                                  "refused": report.bad_total, "outcomes": report.outcomes})
    return report
