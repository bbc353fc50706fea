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
import io
import json
import re
from collections import namedtuple
from typing import Any, Iterator, TextIO

from sqlalchemy import Connection, select, tuple_

from ledger.services.export.query import (APPEARANCE, ARTICLE, CITATION, CLAIM, SOURCE, Scope, count, jsonable,
                                          shown_row)
from ledger.services.progress import NO_PROGRESS, Progress
from ledger.vocabulary import Vocabulary

BATCH = 1000
CHUNK = 1 << 20  # characters written to the output at a time
TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
# a formula trigger, after any apostrophes and any blanks (ASCII, no-break and ideographic spaces)
_ESCAPED = re.compile("'*[ \u00a0\u3000\n]*[=+\\-@\t\r\uff1d\uff0b\uff0d\uff20]")
BLANKS = " \u00a0\u3000\n"  # what may stand between the apostrophes and a trigger
_GLOB_TRIGGERS = "".join(t for t in TRIGGERS if t != "-") + "-"  # a GLOB class, where "-" last is itself

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
    apostrophes, then any blanks); NULL stays NULL, which the csv writer writes as an empty cell.
    The characters are written as literals, and a cell whose first character is none of them
    (nearly every cell) costs one GLOB: only the others are trimmed and tested again."""
    apostrophe = "''''"  # an SQL literal holding one apostrophe
    return (f"CASE WHEN {column} GLOB '[''{BLANKS}{_GLOB_TRIGGERS}]*' "
            f"AND ltrim(ltrim({column}, {apostrophe}), '{BLANKS}') GLOB '[{_GLOB_TRIGGERS}]*' "
            f"THEN {apostrophe} || {column} ELSE {column} END")


def _quoted(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


_CITATIONS = ("SELECT c.claim_id, c.source_id, c.stance, c.locator, s.title FROM citation c "
              "JOIN source s ON s.id = c.source_id WHERE c.claim_id IN (SELECT value FROM json_each(?)) "
              "AND c.retracted_at IS NULL ORDER BY c.claim_id, c.id")
_Cited = namedtuple("_Cited", "claim_id source_id stance locator title")


def _sqlite_rows(conn: Connection, scope: Scope, vocabulary: Vocabulary) -> Iterator[list[tuple[Any, ...]]]:
    """The CSV rows, cells already neutralised, from one streamed join on SQLite (pages of
    ``BATCH``). A claim without citations needs no Python at all (its citation columns come from
    SQL as 0, 0, 0, ""); the rows of cited claims get theirs filled in per page."""
    category = ("CASE c.status " + " ".join(f"WHEN {_quoted(k)} THEN {_quoted(v)}" for k, v in
                                             vocabulary.statuses.items()) + " ELSE 'open' END")
    t = _sql_text
    sql = (f"SELECT a.id, {t('a.title')}, {t('a.outlet')}, {t('a.url')}, {t('coalesce(a.published_edtf, a.published)')}, {t('a.state')}, "
           f"c.id, {t('c.text')}, {t('c.kind')}, {t('c.claimant')}, {t('coalesce(c.claim_date_edtf, c.claim_date)')}, c.priority, "
           f"{t('c.status')}, {category}, {t('c.status_label')}, "
           f"p.id, {t('p.quote')}, p.start, p.\"end\", CASE WHEN p.orphaned THEN 'true' ELSE 'false' END, "
           f"0, 0, 0, '', {t('c.updated_at')}, {t('c.updated_by')} "
           "FROM appearance p JOIN claim c ON c.id = p.claim_id JOIN article a ON a.id = p.article_id "
           + ("" if scope.whole else "WHERE p.article_id = ? ") + "ORDER BY p.article_id, p.start, p.id")
    raw = conn.connection.driver_connection
    cursor = raw.cursor()
    try:
        cursor.execute(sql, () if scope.whole else (scope.article_id,))
        while page := cursor.fetchmany(BATCH):
            cits: dict[int, list[Any]] = {}
            for r in raw.execute(_CITATIONS, (json.dumps(sorted({r[6] for r in page})),)):
                cits.setdefault(r[0], []).append(_Cited(*r))
            if cits:
                page = [_with_citations(r, cits[r[6]]) if r[6] in cits else r for r in page]
            yield page
    finally:
        cursor.close()


def _with_citations(row: tuple[Any, ...], cited: list[Any]) -> tuple[Any, ...]:
    stances = [x.stance for x in cited]
    return row[:20] + (stances.count("supports"), stances.count("refutes"), stances.count("context"),
                       neutralise(_sources_text(cited))) + row[24:]


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
        chunk = io.StringIO()
        into = csv.writer(chunk, dialect="excel", lineterminator="\r\n")
        for rows in _sqlite_rows(conn, scope, vocabulary):
            into.writerows(rows)
            written += len(rows)
            if chunk.tell() >= CHUNK:  # a few large writes rather than one per row
                out.write(chunk.getvalue())
                chunk.seek(0)
                chunk.truncate()
            advance(len(rows))
        out.write(chunk.getvalue())
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
