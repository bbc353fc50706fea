"""Importing ClaimReview JSON-LD, as fact-checkers publish it.

Input: one ClaimReview object, an array of them, a JSON-LD document with an ``@graph``, or JSON
Lines (one of those per line). What real feeds contain is tolerated: a missing ``@context``,
``@type`` in odd casing or with a ``schema:`` prefix, ``claimReviewed`` given as a list, dates
that are not ISO ("2022-01-28 18:35", "28 janvier 2022"), a rating with no ``ratingValue``, stray
whitespace and HTML entities in labels. Nodes of other types inside an ``@graph`` (the page, the
organisation) are passed over.

Each ClaimReview becomes:

- an **article** standing for the fact-check as published: titled from the review's headline
  (else "Fact-check: <claim>"), its outlet the review's author, its URL and date the review's,
  state ``published``; its text is the reviewed claim (several claims: one paragraph each), so
  every claim is anchored exactly in it;
- one **claim** per reviewed text: an ``attribution`` to the ``itemReviewed`` author when there is
  one, dated with the claim's ``datePublished``; its status comes from the verdict map
  (``verdicts.py``) and the label as published is kept in ``status_label``;
- a **source** for the review itself (kind ``web``; one per review URL, shared with sources
  already in the ledger that have the same URL) cited by each claim: ``supports`` for a passing
  verdict, ``refutes`` for a failing one, ``context`` otherwise. A review without a URL cannot be
  cited, so its claims keep the initial status (the label is still kept).

A review already imported (an article with the same URL and the same text; without a URL, the
same reviewed text by the same author on the same date) is skipped, so importing a feed again
adds only what is new. A record that cannot be read is reported with its
line or index and the reason; the others are imported.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any, Iterator, TextIO

from sqlalchemy import select

from ledger.errors import LedgerError
from ledger.models import Article, Source
from ledger.text.anchoring import make_anchor
from ledger.text.dates import parse_date
from ledger.services.importing.jsonstream import TOO_DEEP, max_line, size
from ledger.services.importing.report import ImportReport
from ledger.services.importing.verdicts import VerdictMap, clean_label
from ledger.services.importing.writer import Planned, PlannedClaim, Ref, Writer
from ledger.services.progress import NO_PROGRESS, Progress
from ledger.store.articles import content_hash

ARTICLE = Article.__table__
SOURCE = Source.__table__
CHUNK = 500
TITLE_MAX = 160
_PREFIXES = ("https://schema.org/", "http://schema.org/", "schema:")
STANCE_BY_CATEGORY = {"pass": "supports", "fail": "refutes"}


# ------------------------------------------------------------------- reading


MAX_LIST_DEPTH = 8  # arrays of reviews inside arrays: deeper than this is not a feed


def _records_of(value: Any, where: str, depth: int = 0) -> Iterator[tuple[str, Any, bool]]:
    """(where, node, from_graph) for each candidate node of a parsed JSON value."""
    if isinstance(value, list):
        if depth >= MAX_LIST_DEPTH:
            yield where, ValueError(f"arrays nested more than {MAX_LIST_DEPTH} deep"), False
            return
        for i, v in enumerate(value):
            yield from _records_of(v, f"{where}[{i}]", depth + 1)
    elif isinstance(value, dict) and isinstance(_get(value, "@graph"), list):
        for i, v in enumerate(_get(value, "@graph")):
            yield f"{where} @graph[{i}]", v, True
    else:
        yield where, value, False


def _loads(text: str) -> Any:
    """``json.loads``, with nesting too deep for the decoder a ``ValueError`` like any bad JSON."""
    try:
        return json.loads(text)
    except RecursionError:
        raise ValueError(f"not valid JSON: {TOO_DEEP}") from None


class _LineTooLong(Exception):
    pass


def _bounded_lines(fp: TextIO, cap: int) -> Iterator[str | _LineTooLong]:
    """The file's lines, each read with at most ``cap`` characters held: a longer line is skipped
    in bounded steps and stands as ``_LineTooLong``."""
    while line := fp.readline(cap + 1):
        if len(line) <= cap or line.endswith("\n"):
            yield line
            continue
        yield _LineTooLong()  # a reader that refuses the file stops here, without reading the rest
        while (rest := fp.readline(cap + 1)) and not rest.endswith("\n"):
            pass


def read_records(fp: TextIO, name: str) -> Iterator[tuple[str, Any, bool]]:
    """Candidate ClaimReview nodes with where they are in the file. JSON Lines are read a line at
    a time, each line at most ``max_line()`` characters; a single JSON document is parsed whole,
    up to four times that."""
    cap = max_line()
    lines = _bounded_lines(fp, cap)
    first = next(lines, "")
    while isinstance(first, str) and first and not first.strip():
        first = next(lines, "")
    second = next(lines, "") if isinstance(first, str) else ""
    while isinstance(second, str) and second and not second.strip():
        second = next(lines, "")
    try:
        head = _loads(first) if isinstance(first, str) and first.strip() else None
        lines_mode = isinstance(second, _LineTooLong) or (bool(second.strip()) and head is not None)
    except ValueError:
        head, lines_mode = None, False
    if not lines_mode:
        if isinstance(first, _LineTooLong) or isinstance(second, _LineTooLong):
            raise LedgerError(f"{name}: a line is longer than {size(cap)}, the limit of one JSON Lines line "
                              "(LEDGER_MAX_JSON_LINE); nothing was imported")
        limit = 4 * cap
        text = first + second + fp.read(limit + 1 - len(first) - len(second))
        if len(text) > limit:
            raise LedgerError(f"{name} is a JSON document larger than {size(limit)}, the most read whole: "
                              "give one ClaimReview per line (JSON Lines); nothing was imported")
        if not text.strip():
            raise LedgerError(f"{name} is empty")
        try:
            doc = json.loads(text)
        except RecursionError:
            raise LedgerError(f"{name}: not valid JSON: {TOO_DEEP}; nothing was imported") from None
        except json.JSONDecodeError as exc:
            split = text.splitlines()
            if not any(_parses(line) for line in split):  # one broken document, not JSON Lines
                raise LedgerError(f"{name} line {exc.lineno}: not valid JSON: {exc.msg}") from None
            yield from _lines(split, 1, cap)
            return
        yield from _records_of(doc, "record")
        return
    # JSON Lines: the first two non-blank lines are in hand; the rest streams
    yield from _records_of(head, "line 1")

    def rest() -> Iterator[str | _LineTooLong]:
        yield second
        yield from lines

    yield from _lines(rest(), 2, cap)


def _parses(line: str) -> bool:
    try:
        return isinstance(_loads(line), (dict, list))
    except ValueError:
        return False


def _lines(lines: Any, start: int, cap: int) -> Iterator[tuple[str, Any, bool]]:
    for n, line in enumerate(lines, start):
        if isinstance(line, _LineTooLong):
            yield f"line {n}", ValueError(f"longer than {size(cap)}, the limit of one JSON Lines line"), False
            continue
        if not line.strip():
            continue
        try:
            value = _loads(line)
        except ValueError as exc:
            msg = str(exc) if TOO_DEEP in str(exc) else f"not valid JSON: {exc}"
            yield f"line {n}", ValueError(msg), False
            continue
        yield from _records_of(value, f"line {n}")


def _key(k: str) -> str:
    for p in _PREFIXES:
        if k.startswith(p):
            k = k[len(p):]
            break
    return k.casefold()


def _get(node: dict[str, Any], name: str) -> Any:
    want = _key(name)
    for k, v in node.items():
        if isinstance(k, str) and _key(k) == want:
            return v
    return None


def _types(node: dict[str, Any]) -> list[str]:
    t = _get(node, "@type")
    values = t if isinstance(t, list) else [t]
    return [_key(v.strip()) for v in values if isinstance(v, str)]


def _text(value: Any) -> str | None:
    """A plain string from a JSON-LD value: a string, ``{"@value": …}``, a node's ``name``, or the
    first usable element of a list; entities decoded and whitespace collapsed."""
    if isinstance(value, list):
        for v in value:
            t = _text(v)
            if t:
                return t
        return None
    if isinstance(value, dict):
        for k in ("@value", "name", "@id", "url"):
            t = _text(_get(value, k))
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


def _date(value: Any, notes: list[str], what: str) -> date | None:
    text = _text(value)
    if not text:
        return None
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        pass
    try:
        return parse_date(text.replace("T", " "), field=what)
    except LedgerError:
        notes.append(f"{what} {text!r} could not be read and was left empty")
        return None


def _short(text: str, limit: int = TITLE_MAX) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


# ------------------------------------------------------------------- planning


class _Planner:
    def __init__(self, conn: Any, verdicts: VerdictMap, vocabulary: Any, report: ImportReport):
        self.conn = conn
        self.verdicts = verdicts
        self.vocabulary = vocabulary
        self.report = report
        self.sources: dict[str, Ref] = {}
        self.seen: set[tuple[str | None, str]] = set()

    def source(self, url: str, fields: dict[str, Any]) -> Ref:
        if url not in self.sources:
            existing = self.conn.execute(select(SOURCE.c.id).where(SOURCE.c.url == url).order_by(SOURCE.c.id)
                                         .limit(1)).scalar()
            self.sources[url] = Ref(id=existing) if existing else Ref(new=fields)
        return self.sources[url]

    def plan(self, where: str, node: dict[str, Any]) -> Planned | None:
        item = _get(node, "itemReviewed")
        item = item[0] if isinstance(item, list) and item else item
        item = item if isinstance(item, dict) else {}
        texts = _texts(_get(node, "claimReviewed")) or _texts(_get(item, "text")) or _texts(_get(item, "name"))
        if not texts:
            raise ValueError("no claimReviewed (nothing says what claim was reviewed)")
        rating = _get(node, "reviewRating")
        rating = rating[0] if isinstance(rating, list) and rating else rating
        rating = rating if isinstance(rating, dict) else {}
        label = _text(_get(rating, "alternateName")) or _text(_get(rating, "name"))
        if not label and _text(_get(rating, "ratingValue")):
            worst = _text(_get(rating, "worstRating")) or "?"
            best = _text(_get(rating, "bestRating")) or "?"
            label = f"rating {_text(_get(rating, 'ratingValue'))} ({worst} to {best})"
        if not label:
            raise ValueError("no reviewRating verdict (neither alternateName nor ratingValue)")
        status, known = self.verdicts.lookup(label)
        url = _text(_get(node, "url"))
        author = _text(_get(node, "author"))
        notes: list[str] = []
        published = _date(_get(node, "datePublished"), notes, "datePublished")
        claimant = _text(_get(item, "author"))
        claim_date = _date(_get(item, "datePublished"), notes, "itemReviewed datePublished")
        lang = (_text(_get(node, "inLanguage")) or "").lower()[:2] or None
        headline = _text(_get(node, "headline")) or _text(_get(node, "name"))
        body = "\n\n".join(texts) + "\n"
        key = (url, content_hash(body)) + (() if url else (author, published))
        if key in self.seen:
            self.report.skip(where, "the same review appears earlier in the file")
            return None
        self.seen.add(key)
        if url:
            same = (ARTICLE.c.url == url) & (ARTICLE.c.content_hash == key[1])
        else:  # no URL: the same reviewed text by the same author on the same day
            same = (ARTICLE.c.url.is_(None) & (ARTICLE.c.content_hash == key[1])
                    & (ARTICLE.c.outlet == author if author else ARTICLE.c.outlet.is_(None))
                    & (ARTICLE.c.published == published if published else ARTICLE.c.published.is_(None)))
        existing = self.conn.execute(select(ARTICLE.c.id).where(same).limit(1)).scalar()
        if existing:
            self.report.skip(where, f"already imported as article {existing}")
            return None
        category = self.vocabulary.category(status)
        stance = STANCE_BY_CATEGORY.get(category, "context")
        if not url and category in ("pass", "fail"):
            status = self.verdicts.initial
            notes.append("the review has no URL to cite as evidence, so its verdict is kept as a label only")
        article = Ref(new=dict(title=_short(headline or f"Fact-check: {texts[0]}"), body=body,
                               outlet=author, url=url, published=published,
                               lang=lang if lang in ("fr", "en") else None, state="published"))
        review_source = None
        if url:
            review_source = self.source(url, dict(kind="web", title=_short(headline or f"Fact-check: {texts[0]}"),
                                                  publisher=author, url=url, published=published))
        planned = Planned(where=where)
        pos = 0
        for text in texts:
            start = body.index(text, pos)
            pos = start + len(text)
            anchor = make_anchor(body, start, pos)
            claim = PlannedClaim(fields=dict(
                text=" ".join(text.split()), kind="attribution" if claimant else "assertion", claimant=claimant,
                claim_date=claim_date, priority=2, status=status, status_label=label))
            claim.appearances.append((article, dict(quote=anchor.quote, start=anchor.start, end=anchor.end,
                                                    prefix=anchor.prefix, suffix=anchor.suffix)))
            if review_source is not None:
                claim.citations.append((review_source, dict(stance=stance, excerpt=None, locator=None)))
            planned.claims.append(claim)
        if not known:
            notes.append(f"verdict {label!r} is not in the verdict map: imported as {status}")
        for n in notes:
            self.report.notes.append(f"{where}: {n}")
        return planned


def import_claimreview(ledger: Any, fp: TextIO, name: str, *, verdicts: VerdictMap, strict: bool = False,
                       progress: Progress = NO_PROGRESS) -> ImportReport:
    from ledger.services.importing.json_ledger import refuse_if_bad

    report = ImportReport(file=name, format="claimreview")
    advance = progress.task("importing ClaimReview", None)
    other = 0
    with ledger.db.write() as conn:
        planner = _Planner(conn, verdicts, ledger.vocabulary, report)
        writer = Writer(conn, ledger.actor, report)
        for where, node, in_graph in read_records(fp, name):
            advance(1)
            if isinstance(node, ValueError):
                report.refuse(where, str(node))
                continue
            if not isinstance(node, dict):
                report.refuse(where, "not a JSON object")
                continue
            types = _types(node)
            if "claimreview" not in types:
                if in_graph and types:
                    other += 1
                    continue
                if types or _get(node, "claimReviewed") is None:
                    report.refuse(where, f"not a ClaimReview (@type {', '.join(types) or 'missing'})")
                    continue
            try:
                planned = planner.plan(where, node)
            except ValueError as exc:
                report.refuse(where, str(exc))
                continue
            if planned is not None:
                writer.add(planned)
                if len(writer.pending) >= CHUNK:
                    writer.flush()
        writer.flush()
        if other:
            report.notes.append(f"{other} node(s) of other types in @graph passed over")
        refuse_if_bad(report, name, strict)
        if report.total:
            from ledger.store.events import append_event

            append_event(conn, actor=ledger.actor, action="ledger.import", entity="import",
                         payload={"file": name, "format": "claimreview", "imported": report.imported,
                                  "refused": report.bad_total})
    return report
