"""JSON: the complete ledger, or one article's part of it, as one JSON document.

Layout (every record on a line of its own, keys sorted, so files diff well and a reader can
stream them)::

    {"article_id":null,"chain_head":"…","format":"claim-ledger","schema":"0001","scope":"ledger","version":1,
    "articles":[
    {"body":"…","content_hash":"…","id":1,…},
    …
    ],
    "article_revisions":[…],
    "claims":[…],
    "appearances":[…],
    "sources":[…],
    "citations":[…],
    "events":[…]
    }

Sections come in the order a restore inserts them (what a row refers to comes first). Rows are
the database rows column for column: dates as ISO strings, timestamps as stored, events with
their ``prev_hash``/``hash`` so the chain can be checked again. An event's payload is written as a
JSON object when that object re-encodes to exactly the stored text (always, for events the ledger
wrote), otherwise as the stored text in ``payload_text``. ``ledger import FILE --format json``
restores a ``scope: "ledger"`` file into an empty workspace, identical to the original.
"""

from __future__ import annotations

import json
from typing import Any, TextIO

from sqlalchemy import Connection

from ledger.db import head_revision
from ledger.services.export.query import BASELINE, EVENT, SECTIONS, Scope, count, keyset, ledger_head, row_dict
from ledger.services.progress import NO_PROGRESS, Progress
from ledger.store.events import canonical

FORMAT = "claim-ledger"
BATCH = 1000
TEXT_BATCH = 20  # rows carrying an article's whole text (up to 5 MB each) come a few at a time
VERSION = 1


def dumps(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def event_record(row: Any) -> dict[str, Any]:
    rec = row_dict(EVENT, row)
    text = rec.pop("payload")
    try:
        obj = json.loads(text)
    except ValueError:
        obj = None
    if isinstance(obj, dict) and canonical(obj) == text:
        rec["payload"] = obj
    else:
        rec["payload_text"] = text
    return rec


def write_json(conn: Connection, scope: Scope, out: TextIO, *, progress: Progress = NO_PROGRESS) -> int:
    """Write the scope's rows to ``out``; returns how many records were written."""
    head, _ = ledger_head(conn)
    header = {"format": FORMAT, "version": VERSION, "scope": "ledger" if scope.whole else "article",
              "article_id": scope.article_id, "schema": head_revision(), "chain_head": head}
    total = sum(count(conn, table, where=scope.where(table)) for _, table in SECTIONS)
    advance = progress.task("exporting JSON", total)
    out.write(dumps(header)[:-1] + ",\n")
    written = 0
    for i, (name, table) in enumerate(SECTIONS):
        if table is BASELINE and (not scope.whole or not count(conn, table)):
            continue  # only a ledger brought under replay by migration 0003 has one
        out.write(f'"{name}":[')
        sep = "\n"
        batch = TEXT_BATCH if table.name in ("article", "article_revision") else BATCH
        for row in keyset(conn, table, where=scope.where(table), batch=batch):
            rec = event_record(row) if table is EVENT else row_dict(table, row)
            out.write(sep + dumps(rec))
            sep = ",\n"
            written += 1
            if written % 500 == 0:
                advance(500)
        out.write("\n]" + (",\n" if i < len(SECTIONS) - 1 else "\n}\n"))
    advance(written % 500)
    return written
