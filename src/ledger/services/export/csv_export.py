"""CSV: one row per appearance (a claim in one article), for spreadsheets.

What opens cleanly: UTF-8 with a byte-order mark (so spreadsheet programs read accents right
instead of guessing a legacy code page), comma-separated, CRLF line ends, fields quoted only when
they need it (a line break inside a quote stays inside its cell). Rows come article by article in
reading order.

CSV injection: a spreadsheet runs a cell that begins with ``=``, ``+``, ``-`` or ``@`` (or a tab or
carriage return before one) as a formula, and some also after leading spaces, or when the sign is
the full-width ``＝ ＋ － ＠`` that an East Asian input method types. Every text cell that begins
with one of those characters, after any spaces, tabs and line breaks, gets a leading apostrophe, which spreadsheets show as plain text and do not evaluate; the CSV
import strips that apostrophe again, so ``-5 %`` survives the round trip. A text that itself begins
with apostrophes before such a character gets one more, so the rule loses nothing either.

Every other character, control characters included, is written as it is: the file is the
ledger's text exactly and imports back unchanged. Only a terminal is protected from escape
sequences (``ledger export`` to a terminal shows them as ``\x1b``), not a file.
"""

from __future__ import annotations

import csv
import re
from typing import Any, Iterator, TextIO

from sqlalchemy import Connection, select, tuple_

from ledger.services.export.query import (APPEARANCE, ARTICLE, CITATION, CLAIM, SOURCE, Scope, count, jsonable,
                                          shown_row)
from ledger.services.progress import NO_PROGRESS, Progress
from ledger.vocabulary import Vocabulary

BATCH = 1000
TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
# a formula trigger, after any apostrophes and any blanks (ASCII, no-break and ideographic spaces)
_ESCAPED = re.compile("'*[ \u00a0\u3000\n]*[=+\\-@\t\r\uff1d\uff0b\uff0d\uff20]")

COLUMNS = (
    "article_id", "article_title", "article_outlet", "article_url", "article_published", "article_state",
    "claim_id", "claim_text", "claim_kind", "claimant", "claim_date", "priority",
    "status", "status_category", "status_label",
    "appearance_id", "quote", "start", "end", "orphaned",
    "supports", "refutes", "context", "sources",
    "claim_updated_at", "claim_updated_by",
)


def neutralise(value: Any) -> Any:
    """A cell value that a spreadsheet will not evaluate as a formula: an apostrophe before a
    formula trigger (and before a text that already starts with apostrophes then a trigger, so
    :func:`restore_cell` gives every text back exactly). Nothing else is changed."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return "'" + value if _ESCAPED.match(value) else value
    return jsonable(value)


def restore_cell(value: str) -> str:
    """Undo :func:`neutralise` on a cell read back from CSV."""
    if value.startswith("'") and _ESCAPED.match(value, 1):
        return value[1:]
    return value


def _pages(conn: Connection, scope: Scope) -> Iterator[list[Any]]:
    key = tuple_(APPEARANCE.c.article_id, APPEARANCE.c.start, APPEARANCE.c.id)
    last = None
    while True:
        q = select(APPEARANCE).order_by(APPEARANCE.c.article_id, APPEARANCE.c.start, APPEARANCE.c.id).limit(BATCH)
        if not scope.whole:
            q = q.where(APPEARANCE.c.article_id == scope.article_id)
        if last is not None:
            q = q.where(key > tuple_(*last))
        rows = conn.execute(q).all()
        if not rows:
            return
        yield rows
        if len(rows) < BATCH:
            return
        last = (rows[-1].article_id, rows[-1].start, rows[-1].id)


def _sources_text(cits: list[Any]) -> str:
    parts = []
    for c in cits:
        loc = f", {c.locator}" if c.locator else ""
        parts.append(f"{c.stance}: {c.title} (source {c.source_id}{loc})")
    return "; ".join(parts)


def _sql_text(column: str) -> str:
    """``neutralise`` in SQL, for a text column: an apostrophe before a formula trigger (after any
    apostrophes); NULL stays NULL, which the csv writer writes as an empty cell."""
    triggers = ", ".join(f"'{t}'" for t in "=+-@\uff1d\uff0b\uff0d\uff20") + ", char(9), char(13)"
    apostrophe = "''''"  # an SQL literal holding one apostrophe
    blanks = "' ' || char(160) || char(12288) || char(10)"  # as _ESCAPED: apostrophes, then blanks
    return (f"CASE WHEN substr(ltrim(ltrim({column}, {apostrophe}), {blanks}), 1, 1) IN ({triggers}) "
            f"THEN {apostrophe} || {column} ELSE {column} END")


def _quoted(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _sqlite_rows(conn: Connection, scope: Scope, vocabulary: Vocabulary) -> Iterator[list[tuple[Any, ...]]]:
    """The CSV rows, cells already neutralised, from one streamed join on SQLite (pages of
    ``BATCH``), with the citations' columns filled in per page."""
    category = ("CASE c.status " + " ".join(f"WHEN {_quoted(k)} THEN {_quoted(v)}" for k, v in
                                             vocabulary.statuses.items()) + " ELSE 'open' END")
    t = _sql_text
    sql = (f"SELECT a.id, {t('a.title')}, {t('a.outlet')}, {t('a.url')}, {t('coalesce(a.published_edtf, a.published)')}, {t('a.state')}, "
           f"c.id, {t('c.text')}, {t('c.kind')}, {t('c.claimant')}, {t('coalesce(c.claim_date_edtf, c.claim_date)')}, c.priority, "
           f"{t('c.status')}, {category}, {t('c.status_label')}, "
           f"p.id, {t('p.quote')}, p.start, p.\"end\", CASE WHEN p.orphaned THEN 'true' ELSE 'false' END, "
           f"{t('c.updated_at')}, {t('c.updated_by')} "
           "FROM appearance p JOIN claim c ON c.id = p.claim_id JOIN article a ON a.id = p.article_id "
           + ("" if scope.whole else "WHERE p.article_id = ? ") + "ORDER BY p.article_id, p.start, p.id")
    cursor = conn.connection.driver_connection.cursor()
    try:
        cursor.execute(sql, () if scope.whole else (scope.article_id,))
        while page := cursor.fetchmany(BATCH):
            claim_ids = sorted({r[6] for r in page})
            cits: dict[int, list[Any]] = {}
            q = (select(CITATION.c.claim_id, CITATION.c.source_id, CITATION.c.stance, CITATION.c.locator,
                        SOURCE.c.title).join(SOURCE, SOURCE.c.id == CITATION.c.source_id)
                 .where(CITATION.c.claim_id.in_(claim_ids) & CITATION.c.retracted_at.is_(None))
                 .order_by(CITATION.c.claim_id, CITATION.c.id))
            for r in conn.execute(q):
                cits.setdefault(r.claim_id, []).append(r)
            rows = []
            for r in page:
                cc = cits.get(r[6])
                if cc is None:
                    rows.append(r[:20] + (0, 0, 0, "") + r[20:])
                    continue
                stances = [x.stance for x in cc]
                rows.append(r[:20] + (stances.count("supports"), stances.count("refutes"), stances.count("context"),
                                      neutralise(_sources_text(cc))) + r[20:])
            yield rows
    finally:
        cursor.close()


def write_csv(conn: Connection, scope: Scope, out: TextIO, *, vocabulary: Vocabulary,
              progress: Progress = NO_PROGRESS, bom: bool = True) -> int:
    where = None if scope.whole else APPEARANCE.c.article_id == scope.article_id
    advance = progress.task("exporting CSV", count(conn, APPEARANCE, where=where))
    if bom:
        out.write("\ufeff")
    w = csv.writer(out, dialect="excel", lineterminator="\r\n")
    w.writerow(COLUMNS)
    written = 0
    if conn.dialect.name == "sqlite":  # the cells come neutralised from SQL: the csv writer does the rest in C
        for rows in _sqlite_rows(conn, scope, vocabulary):
            w.writerows(rows)
            written += len(rows)
            advance(len(rows))
        return written
    for page in _pages(conn, scope):
        art_ids = sorted({r.article_id for r in page})
        claim_ids = sorted({r.claim_id for r in page})
        arts = {r.id: r for r in conn.execute(select(*[c for c in ARTICLE.columns if c.name != "body"])
                                               .where(ARTICLE.c.id.in_(art_ids)))}
        claims = {r.id: shown_row(CLAIM, r) for r in conn.execute(select(CLAIM).where(CLAIM.c.id.in_(claim_ids)))}
        cits: dict[int, list[Any]] = {cid: [] for cid in claim_ids}
        q = (select(CITATION.c.claim_id, CITATION.c.source_id, CITATION.c.stance, CITATION.c.locator, SOURCE.c.title)
             .join(SOURCE, SOURCE.c.id == CITATION.c.source_id)
             .where(CITATION.c.claim_id.in_(claim_ids) & CITATION.c.retracted_at.is_(None))
             .order_by(CITATION.c.claim_id, CITATION.c.id))
        for r in conn.execute(q):
            cits[r.claim_id].append(r)
        for app in page:
            a, c, cc = arts[app.article_id], claims[app.claim_id], cits[app.claim_id]
            stances = [x.stance for x in cc]
            values = (
                a.id, a.title, a.outlet, a.url, a.published_edtf or a.published, a.state,
                c["id"], c["text"], c["kind"], c["claimant"], c["claim_date"], c["priority"],
                c["status"], vocabulary.category(c["status"]), c["status_label"],
                app.id, app.quote, app.start, app.end, bool(app.orphaned),
                stances.count("supports"), stances.count("refutes"), stances.count("context"), _sources_text(cc),
                c["updated_at"], c["updated_by"],
            )
            w.writerow([neutralise(v) for v in values])
        written += len(page)
        advance(len(page))
    return written
