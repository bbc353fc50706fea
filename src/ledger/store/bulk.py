"""The bulk path: many claims with their appearances in a few executemany calls.

Importers and benchmarks use this instead of one ORM object at a time. Ids are assigned here,
under the write transaction's lock, so appearances can reference their claims without a round
trip per row. Every claim still gets its own chained event, whose payload lists the rows it
created (``"rows"``: ``row_put`` of the claim and of each appearance, every column but the id).

Articles (with their first revision) go the same way, each with its ``article.add`` event.

Per row, Python does as little as it can: rows are tuples in column order, the event payload is
filled into a pre-built template of its canonical JSON (``claim_import_payload``,
``events.JsonObject``; kept equal to ``canonical()`` of the same dict by tests/test_export_speed.py
and tests/test_bulk_templates.py), and the chain costs one encode and one SHA-256
(``events.chain``). On PostgreSQL the rows go in through ``COPY`` (``store.copy``); on SQLite the
full-text indexes are filled once per batch (``store.fts_batch``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from itertools import islice
from json.encoder import encode_basestring
from typing import Any, Callable, Iterable, Iterator

from sqlalchemy import Connection, func, select, text

from ledger.models import Appearance, Article, ArticleRevision, Claim
from ledger.text.dates import stored_day, to_edtf
from ledger.store.articles import content_hash
from ledger.store.copy import refuse_nul
from ledger.store.events import (COLUMNS, EVENT, ROWS, JsonObject, append_chained, chained, js, locked_head, now,
                                 row_put_json, set_head)
from ledger.store.executemany import write_rows

CLAIM = Claim.__table__
APPEARANCE = Appearance.__table__
ARTICLE = Article.__table__
REVISION = ArticleRevision.__table__
BATCH = 5000
CLAIM_COLUMNS = ("id", "text", "kind", "claimant", "claim_date", "priority", "status", "status_label",
                 "created_at", "updated_at", "updated_by", "version", "claim_date_edtf")
APPEARANCE_COLUMNS = ("id", "claim_id", "article_id", "quote", "start", "end", "prefix", "suffix", "orphaned",
                      "created_at")


def _chunks(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    it = iter(items)
    while chunk := list(islice(it, size)):
        yield chunk


def _lock_and_next_id(conn: Connection, table: Any) -> int:
    if conn.dialect.name == "postgresql":
        conn.execute(text(f"LOCK TABLE {table.name} IN SHARE ROW EXCLUSIVE MODE"))
    return (conn.execute(select(func.max(table.c.id))).scalar() or 0) + 1


def next_id(conn: Connection, table: Any) -> int:
    """The id the next bulk insert into ``table`` gives its first row (the table locked on PostgreSQL)."""
    return _lock_and_next_id(conn, table)


def _sync_sequence(conn: Connection, table: Any) -> None:
    if conn.dialect.name == "postgresql":
        conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                          f"(SELECT coalesce(max(id), 1) FROM {table.name}))"))


LISTED = "listed_rows"


@dataclass
class Listed:
    """Rows built for a bulk insert whose creation another event lists, not events of their own:
    ``changes[i]`` is the encoded ``row_put`` of ``rows[i]``, for the caller to put in the event
    of the record the row belongs to (``bulk_insert_claims``'s ``LISTED``). ``write`` inserts the
    rows (after the rows they refer to)."""

    table: Any
    columns: tuple[str, ...]
    rows: list[tuple[Any, ...]]
    changes: list[str]

    @property
    def ids(self) -> list[int]:
        return [r[0] for r in self.rows]

    def write(self, conn: Connection) -> None:
        for chunk in _chunks(self.rows, BATCH):
            write_rows(conn, self.table, self.columns, chunk)
        if self.rows:
            _sync_sequence(conn, self.table)


def listed(conn: Connection, table: Any, columns: tuple[str, ...], items: list[Any],
           build: Callable[[Any, int, str], tuple[Any, ...]]) -> Listed:
    """``Listed`` rows of ``table`` for ``items``: ``build(item, id, stamp)`` gives a row first and
    its encoded ``row_put`` last; ids follow the table's highest."""
    if not items:
        return Listed(table, columns, [], [])
    first, stamp = _lock_and_next_id(conn, table), now()
    built = [build(item, first + i, stamp) for i, item in enumerate(items)]
    return Listed(table, columns, [b[0] for b in built], [b[-1] for b in built])


ARTICLE_COLUMNS = ("id", "title", "outlet", "author", "url", "lang", "published", "state", "body", "content_hash",
                   "revision", "created_at", "updated_at", "version", "published_edtf")
REVISION_COLUMNS = ("id", "article_id", "revision", "body", "content_hash", "created_at", "actor")
_ARTICLE_SET = JsonObject(ARTICLE_COLUMNS[1:])
_REVISION_SET = JsonObject(REVISION_COLUMNS[1:])
_ARTICLE_PAYLOAD = JsonObject(("title", "outlet", "author", "url", "lang", "published", "state", "content_hash",
                               ROWS), encoded=(ROWS,))


def bulk_insert_articles(conn: Connection, *, articles: Iterable[dict[str, Any]], actor: str,
                         batch: int = BATCH) -> list[int]:
    """Insert articles (dicts with title, body and optional metadata); returns their ids.

    Each gets its first revision and an ``article.add`` event whose payload (title, outlet,
    author, url, lang, published, state, content_hash, and ``row_put`` of both rows) is filled
    into pre-built templates of its canonical JSON."""
    next_id = _lock_and_next_id(conn, ARTICLE)
    next_rev = _lock_and_next_id(conn, REVISION)
    ids: list[int] = []
    for chunk in _chunks(articles, batch):
        stamp = now()
        rows, revs, events = [], [], []
        for a in chunk:
            get = a.get
            body = a["body"]
            digest = content_hash(body)
            published = get("published")
            row = (next_id, a["title"], get("outlet"), get("author"), get("url"), get("lang"), stored_day(published),
                   get("state", "draft"), body, digest, 1, stamp, stamp, 1, to_edtf(published))
            rev = (next_rev, next_id, 1, body, digest, stamp, actor)
            rows.append(row)
            revs.append(rev)
            changes = (f"[{row_put_json('article', next_id, _ARTICLE_SET(row[1:]))},"
                       f"{row_put_json('article_revision', next_rev, _REVISION_SET(rev[1:]))}]")
            events.append((stamp, actor, "article.add", "article", next_id, None, next_id,
                           _ARTICLE_PAYLOAD((*row[1:8], digest, changes))))
            ids.append(next_id)
            next_id += 1
            next_rev += 1
        write_rows(conn, ARTICLE, ARTICLE_COLUMNS, rows)
        write_rows(conn, REVISION, REVISION_COLUMNS, revs)
        append_chained(conn, events, described=True)
    _sync_sequence(conn, ARTICLE)
    _sync_sequence(conn, REVISION)
    return ids


def claim_import_payload(claim_id: int, claim: tuple[Any, ...], appearances: list[tuple[Any, ...]],
                         listed: str = "") -> str:
    """The canonical JSON (``events.canonical``) of a bulk-inserted claim's event payload::

        {"appearances": [{"appearance_id", "article_id", "start", "end"}, …],
         "kind", "status", "text",
         "rows": [row_put("claim", id, every column but the id), row_put("appearance", id, …), …]}

    ``claim`` is the claim's row in ``CLAIM_COLUMNS`` order, each appearance its row in
    ``APPEARANCE_COLUMNS`` order; keys come out sorted, as ``canonical`` sorts them. ``listed``:
    more row changes, already encoded and joined with commas (``Listed``), that end the ``rows``
    list: the rows written with the claim (its source, citation, review)."""
    try:
        quick = _quick_payload(claim_id, claim, appearances, listed)
    except TypeError:  # a value that is not what a column holds: the exact path says how it encodes
        quick = None
    return quick if quick is not None else _exact_payload(claim_id, claim, appearances, listed)


def _quick_payload(claim_id: int, claim: tuple[Any, ...], appearances: list[tuple[Any, ...]],
                   listed: str = "") -> str | None:
    """``claim_import_payload`` for the values rows hold (text, integers, null, booleans, days),
    each text encoded by one C call; None for anything else."""
    _id, text, kind, claimant, claim_date, priority, status, label, created, updated, by, version, edtf = claim
    if type(priority) is not int or type(version) is not int or (claim_date is not None and type(claim_date) is not date):
        return None
    e = encode_basestring
    apps, rows = [], []
    for aid, acid, art, quote, start, end, prefix, suffix, orphaned, made in appearances:
        if not (type(aid) is type(acid) is type(art) is type(start) is type(end) is int and type(orphaned) is bool):
            return None
        apps.append(f'{{"appearance_id":{aid},"article_id":{art},"end":{end},"start":{start}}}')
        rows.append(f',{{"id":{aid},"set":{{"article_id":{art},"claim_id":{acid},"created_at":{e(made)},"end":{end},'
                    f'"orphaned":{"true" if orphaned else "false"},"prefix":{e(prefix)},"quote":{e(quote)},'
                    f'"start":{start},"suffix":{e(suffix)}}},"t":"appearance"}}')
    kind, status, text = e(kind), e(status), e(text)
    day = "null" if claim_date is None else f'"{claim_date.isoformat()}"'
    return (f'{{"appearances":[{",".join(apps)}],"kind":{kind},"rows":[{{"id":{claim_id},"set":{{"claim_date":{day},'
            f'"claim_date_edtf":{"null" if edtf is None else e(edtf)},'
            f'"claimant":{"null" if claimant is None else e(claimant)},"created_at":{e(created)},"kind":{kind},'
            f'"priority":{priority},"status":{status},"status_label":{"null" if label is None else e(label)},'
            f'"text":{text},"updated_at":{e(updated)},"updated_by":{e(by)},"version":{version}}},"t":"claim"}}'
            f'{"".join(rows)}{"," if listed else ""}{listed}],"status":{status},"text":{text}}}')


def _exact_payload(claim_id: int, claim: tuple[Any, ...], appearances: list[tuple[Any, ...]],
                   listed: str = "") -> str:
    _id, text, kind, claimant, claim_date, priority, status, label, created, updated, by, version, edtf = claim
    j = js
    apps = ",".join(
        f'{{"appearance_id":{a[0]},"article_id":{a[2]},"end":{a[5]},"start":{a[4]}}}' for a in appearances)
    rows = [f'{{"id":{claim_id},"set":{{"claim_date":{j(claim_date)},"claim_date_edtf":{j(edtf)},'
            f'"claimant":{j(claimant)},'
            f'"created_at":{j(created)},"kind":{j(kind)},"priority":{j(priority)},"status":{j(status)},'
            f'"status_label":{j(label)},"text":{j(text)},"updated_at":{j(updated)},"updated_by":{j(by)},'
            f'"version":{j(version)}}},"t":"claim"}}']
    rows.extend(f'{{"id":{a[0]},"set":{{"article_id":{a[2]},"claim_id":{a[1]},"created_at":{j(a[9])},'
                f'"end":{a[5]},"orphaned":{j(a[8])},"prefix":{j(a[6])},"quote":{j(a[3])},"start":{a[4]},'
                f'"suffix":{j(a[7])}}},"t":"appearance"}}' for a in appearances)
    if listed:
        rows.append(listed)
    return (f'{{"appearances":[{apps}],"kind":{j(kind)},"rows":[{",".join(rows)}],'
            f'"status":{j(status)},"text":{j(text)}}}')


def bulk_insert_claims(conn: Connection, *, claims: Iterable[dict[str, Any]], actor: str,
                       batch: int = BATCH) -> range:
    """Insert claims, each a dict with the claim's fields and ``appearances``: a list of
    ``{article_id, quote, start, end, prefix, suffix}`` already anchored in their articles, and
    optionally ``LISTED``: the row changes (``Listed.changes`` joined with commas) of rows written
    with the claim, which its event lists after its own. Returns the ids given to them, in input
    order (a ``range``: they are consecutive, from ``next_id(conn, CLAIM)``).

    On PostgreSQL each batch's rows are built and hashed on a thread of its own while the previous
    batch goes through ``COPY``, so Python builds while the server stores (NUL text is refused
    before a batch is sent)."""
    next_claim = _lock_and_next_id(conn, CLAIM)
    first_id = next_claim
    ids = {"app": _lock_and_next_id(conn, APPEARANCE)}
    if conn.dialect.name == "postgresql":
        next_claim = _copy_claims(conn, claims, actor, batch, next_claim, ids)
        _sync_sequence(conn, CLAIM)
        _sync_sequence(conn, APPEARANCE)
        return range(first_id, next_claim)
    for chunk in _chunks(claims, batch):
        stamp = now()
        app_rows: list[tuple[Any, ...]] = []
        events: list[tuple[Any, ...]] = []
        write_rows(conn, CLAIM, CLAIM_COLUMNS, _claim_rows(chunk, next_claim, ids, stamp, actor, app_rows, events))
        next_claim += len(chunk)
        write_rows(conn, APPEARANCE, APPEARANCE_COLUMNS, app_rows)
        append_chained(conn, events, described=True)
    return range(first_id, next_claim)


def _copy_claims(conn: Connection, claims: Iterable[dict[str, Any]], actor: str, batch: int, next_claim: int,
                 ids: dict[str, int]) -> int:
    """PostgreSQL's bulk claims: batch k+1 is built -- rows, payloads, hash chain, and their
    ``COPY`` data -- on a worker thread while batch k is streamed to the server; the input is read,
    and the connection used, on the caller's thread only. Returns the next claim id."""
    from concurrent.futures import ThreadPoolExecutor

    from ledger.store.copy import Formatting

    state: dict[str, Any] = {"claim": next_claim, "prev": None}

    def build(chunk: list[dict[str, Any]], out: tuple[Formatting, ...]) -> tuple[Formatting, ...]:
        app_rows: list[tuple[Any, ...]] = []
        events: list[tuple[Any, ...]] = []
        rows = list(_claim_rows(chunk, state["claim"], ids, now(), actor, app_rows, events))
        # every text stored is in some event's payload, where JSON writes a NUL as \u0000: one
        # search of the batch's payloads, and the exact check only when it finds one
        if "\\u0000" in "".join([event[7] for event in events]):
            refuse_nul((actor, chunk))
        state["claim"] += len(chunk)
        chained_rows = list(chained(state["prev"], events))
        state["prev"] = chained_rows[-1][-1]
        return out[0].format(rows), out[1].format(app_rows), out[2].format(chained_rows)

    def send(built: tuple[Formatting, ...]) -> None:
        for formatted in built:
            formatted.send()

    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="ledger-bulk") as worker:
        pending = None
        for chunk in _chunks(claims, batch):
            if state["prev"] is None:
                state["prev"] = locked_head(conn)
            out = (Formatting(conn, CLAIM.name, CLAIM_COLUMNS), Formatting(conn, APPEARANCE.name, APPEARANCE_COLUMNS),
                   Formatting(conn, EVENT.name, COLUMNS))
            ahead = worker.submit(build, chunk, out)
            if pending is not None:
                send(pending.result())
            pending = ahead
        if pending is not None:
            send(pending.result())
    if state["claim"] != next_claim:
        set_head(conn, state["prev"])
    return state["claim"]


def _claim_rows(chunk: list[dict[str, Any]], cid: int, ids: dict[str, int], stamp: str, actor: str,
                app_rows: list[tuple[Any, ...]], events: list[tuple[Any, ...]]) -> Iterator[tuple[Any, ...]]:
    """The claim rows of ``chunk`` (ids from ``cid``), one at a time; their appearance rows and
    event tuples are added to ``app_rows`` and ``events`` as each claim is made."""
    next_app = ids["app"]
    for c in chunk:
        row = (cid, c["text"], c.get("kind", "assertion"), c.get("claimant"), stored_day(c.get("claim_date")),
               c.get("priority", 2), c.get("status", "unverified"), c.get("status_label"), stamp, stamp, actor, 1,
               to_edtf(c.get("claim_date")))
        apps = []
        for a in c.get("appearances", ()):
            apps.append((next_app, cid, a["article_id"], a["quote"], a["start"], a["end"],
                         a.get("prefix", ""), a.get("suffix", ""), bool(a.get("orphaned", False)), stamp))
            next_app += 1
        app_rows.extend(apps)
        events.append((stamp, actor, "claim.import", "claim", cid, cid, None,
                       claim_import_payload(cid, row, apps, c.get(LISTED, ""))))
        ids["app"] = next_app
        cid += 1
        yield row
