"""Importing claims from a spreadsheet (CSV), into articles already in the ledger.

One row is one passage of a claim in an article — the layout ``ledger export --format csv``
writes, so a sheet exported, annotated and saved can come back. Columns are found by name
(case-insensitive; others are ignored):

- ``article_id`` or ``article_url``: an article already in this ledger (required);
- ``quote``: the passage, which must stand in the article's text (required); ``start``/``end``
  pin it when it occurs more than once;
- ``claim_id``: rows sharing a value are one claim with several passages (the value is the
  sheet's own key: imported claims get new ids); without it each row is its own claim;
- ``claim_text`` (else the quote), ``claim_kind``, ``claimant``, ``claim_date`` (a date without a
  year takes the article's), ``priority`` (1-3), ``status``, ``status_label``.

A CSV carries no evidence, and the ledger only lets a claim pass or fail on a cited source: a
``verified``/``false``/``misleading`` (or any pass/fail) status is kept as ``status_label`` and the
claim starts at the initial status, ready to be checked. Open and unresolved statuses apply as
they are; other words go through the verdict map. Cells that the export protected against CSV
injection (a leading apostrophe before ``= + - @``, tab or CR) are read back without it. The file
may start with a byte-order mark. A bad row is reported with its line; the other rows go in.

A row whose ``claim_id`` is a claim of this ledger that already has the same passage (same
article, same ``start``/``end``) is reported as already present and left alone, so importing a
sheet exported from this ledger again adds nothing twice. ``start``/``end`` that are not numbers,
lie outside the article's text, or come one without the other make the row bad. A file with a
header and no rows is refused.
"""

from __future__ import annotations

import csv
from collections import OrderedDict
from typing import Any, TextIO

from sqlalchemy import select

from ledger.errors import LedgerError
from ledger.models import CLAIM_KINDS, Appearance, Article
from ledger.text.anchoring import locate, make_anchor
from ledger.text.dates import parse_date
from ledger.services.export.csv_export import restore_cell
from ledger.services.importing.report import ImportReport
from ledger.services.importing.verdicts import VerdictMap
from ledger.services.importing.writer import Planned, PlannedClaim, Ref, Writer
from ledger.services.progress import NO_PROGRESS, Progress

ARTICLE = Article.__table__
APPEARANCE = Appearance.__table__
CHUNK = 500
BODY_CACHE = 8


class _Articles:
    """Articles looked up by id or URL, the last few bodies kept (rows come article by article)."""

    def __init__(self, conn: Any):
        self.conn = conn
        self.cache: OrderedDict[int, tuple[str, Any]] = OrderedDict()
        self.refs: dict[int, Ref] = {}

    def find(self, article_id: str, url: str) -> int:
        if article_id:
            try:
                aid = int(article_id)
            except ValueError:
                raise ValueError(f"article_id {article_id!r} is not a number") from None
            if self.conn.execute(select(ARTICLE.c.id).where(ARTICLE.c.id == aid)).first() is None:
                raise ValueError(f"no article with id {aid} in this ledger")
            return aid
        if url:
            ids = list(self.conn.execute(select(ARTICLE.c.id).where(ARTICLE.c.url == url).limit(2)).scalars())
            if not ids:
                raise ValueError(f"no article with URL {url!r} in this ledger")
            if len(ids) > 1:
                raise ValueError(f"several articles have the URL {url!r}; give article_id")
            return ids[0]
        raise ValueError("no article_id or article_url")

    def body(self, aid: int) -> tuple[str, Any]:
        if aid not in self.cache:
            row = self.conn.execute(select(ARTICLE.c.body, ARTICLE.c.published).where(ARTICLE.c.id == aid)).first()
            self.cache[aid] = (row.body, row.published)
            if len(self.cache) > BODY_CACHE:
                self.cache.popitem(last=False)
        self.cache.move_to_end(aid)
        return self.cache[aid]

    def ref(self, aid: int) -> Ref:
        return self.refs.setdefault(aid, Ref(id=aid))


def _anchor(body: str, quote: str, start: str, end: str, where: str) -> dict[str, Any]:
    if start or end:
        if not (start and end):
            raise ValueError("start and end go together: give both or neither")
        try:
            s, e = int(start), int(end)
        except ValueError:
            raise ValueError(f"start and end must be numbers, not {start!r} and {end!r}") from None
        if not 0 <= s < e <= len(body):
            raise ValueError(f"start {s} and end {e} are outside the text of {where} "
                             f"(0 to {len(body)}, start before end)")
        if body[s:e] == quote:
            a = make_anchor(body, s, e)
            return dict(quote=a.quote, start=a.start, end=a.end, prefix=a.prefix, suffix=a.suffix)
    try:
        a = locate(body, quote, where=where)
    except LedgerError as exc:
        raise ValueError(exc.message) from None
    return dict(quote=a.quote, start=a.start, end=a.end, prefix=a.prefix, suffix=a.suffix)


class _Rows:
    def __init__(self, articles: _Articles, verdicts: VerdictMap, vocabulary: Any, report: ImportReport):
        self.articles = articles
        self.verdicts = verdicts
        self.vocabulary = vocabulary
        self.report = report
        self.claims: dict[str, PlannedClaim] = {}  # sheet key -> claim planned or written
        self.spans: set[tuple[str, int, int, int]] = set()
        self.evidence_needed = 0

    def present(self, key: str, aid: int, anchor: dict[str, Any]) -> bool:
        """Whether ledger claim ``key`` already has this passage (a re-imported export)."""
        if not key.isdigit() or key in self.claims:
            return False
        return self.articles.conn.execute(
            select(APPEARANCE.c.id).where((APPEARANCE.c.claim_id == int(key)) & (APPEARANCE.c.article_id == aid)
                                          & (APPEARANCE.c.start == anchor["start"])
                                          & (APPEARANCE.c.end == anchor["end"])).limit(1)).first() is not None

    def status(self, value: str, label: str) -> tuple[str, str | None]:
        if not value:
            return self.vocabulary.initial, label or None
        word = value.strip().lower()
        if word in self.vocabulary.statuses:
            status = word
        else:
            status, _ = self.verdicts.lookup(value)
            label = label or value.strip()
        if self.vocabulary.category(status) in ("pass", "fail"):
            self.evidence_needed += 1
            return self.vocabulary.initial, label or value.strip()
        return status, label or None

    def plan(self, line: int, row: dict[str, str]) -> Planned | None:
        get = lambda k: restore_cell((row.get(k) or "").strip())  # noqa: E731
        quote = restore_cell(row.get("quote") or "")
        if not quote.strip():
            raise ValueError("no quote")
        aid = self.articles.find(get("article_id"), get("article_url"))
        body, published = self.articles.body(aid)
        anchor = _anchor(body, quote, get("start"), get("end"), f"article {aid}")
        key = get("claim_id")
        if key and self.present(key, aid, anchor):
            self.report.skip(f"line {line}", f"claim {key} already has this passage of article {aid}")
            return None
        if key:
            span = (key, aid, anchor["start"], anchor["end"])
            if span in self.spans:
                raise ValueError(f"claim {key} is already anchored at that passage of article {aid}")
        planned = Planned(where=f"line {line}")
        if key and key in self.claims:
            claim = self.claims[key]
            if claim.id is None:  # planned in this batch: one more passage of it
                claim.appearances.append((self.articles.ref(aid), anchor))
            else:
                planned.more_appearances.append(dict(anchor, claim_id=claim.id, article_id=aid))
        else:
            kind = get("claim_kind") or get("kind") or "assertion"
            if kind not in CLAIM_KINDS:
                raise ValueError(f"unknown claim kind {kind!r}; kinds: {', '.join(CLAIM_KINDS)}")
            claimant = get("claimant") or None
            if kind == "attribution" and not claimant:
                raise ValueError("an attribution needs a claimant")
            priority = get("priority") or "2"
            if priority not in ("1", "2", "3"):
                raise ValueError(f"priority must be 1, 2 or 3, not {priority!r}")
            date_text = get("claim_date")
            try:
                when = parse_date(date_text, reference=published, field="claim_date") if date_text else None
            except LedgerError as exc:
                raise ValueError(exc.message) from None
            status, label = self.status(get("status"), get("status_label"))
            text = " ".join((restore_cell(row.get("claim_text") or "") or anchor["quote"]).split())
            claim = PlannedClaim(fields=dict(text=text, kind=kind, claimant=claimant, claim_date=when,
                                             priority=int(priority), status=status, status_label=label))
            claim.appearances.append((self.articles.ref(aid), anchor))
            planned.claims.append(claim)
            if key:
                self.claims[key] = claim
        if key:
            self.spans.add((key, aid, anchor["start"], anchor["end"]))
        return planned


def import_csv(ledger: Any, fp: TextIO, name: str, *, verdicts: VerdictMap, strict: bool = False,
               progress: Progress = NO_PROGRESS) -> ImportReport:
    from ledger.services.importing.json_ledger import refuse_if_bad

    report = ImportReport(file=name, format="csv")
    advance = progress.task("importing CSV", None)
    reader = csv.DictReader(fp)
    if not reader.fieldnames:
        raise LedgerError(f"{name} is empty")
    reader.fieldnames = [(f or "").lstrip("\ufeff").strip().lower() for f in reader.fieldnames]
    if "quote" not in reader.fieldnames or not ({"article_id", "article_url"} & set(reader.fieldnames)):
        raise LedgerError(f"{name}: a claims CSV needs a 'quote' column and an 'article_id' or 'article_url' "
                          f"column (found: {', '.join(reader.fieldnames)})")
    with ledger.db.write() as conn:
        rows = _Rows(_Articles(conn), verdicts, ledger.vocabulary, report)
        writer = Writer(conn, ledger.actor, report)
        seen = 0
        try:
            for row in reader:
                seen += 1
                line = reader.line_num
                advance(1)
                if None in row:
                    report.refuse(f"line {line}", "more cells than the header has columns")
                    continue
                try:
                    planned = rows.plan(line, row)
                except ValueError as exc:
                    report.refuse(f"line {line}", str(exc))
                    continue
                if planned is not None:
                    writer.add(planned)
                    if len(writer.pending) >= CHUNK:
                        writer.flush()
        except csv.Error as exc:
            raise LedgerError(f"{name} line {reader.line_num}: not readable as CSV: {exc}; nothing was imported") from exc
        writer.flush()
        if not seen:
            raise LedgerError(f"{name} has a header but no rows; nothing was imported")
        if rows.evidence_needed:
            report.notes.append(f"{rows.evidence_needed} claim(s) had a passing or failing status, which needs a "
                                "cited source: they start unverified, the status kept as their label")
        refuse_if_bad(report, name, strict)
        if report.total:
            from ledger.store.events import append_event

            append_event(conn, actor=ledger.actor, action="ledger.import", entity="import",
                         payload={"file": name, "format": "csv", "imported": report.imported,
                                  "refused": report.bad_total})
    return report
