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
from datetime import date, datetime
from typing import Any, Iterator, TextIO

import orjson
from sqlalchemy import Boolean, Connection

from ledger.schema_head import packaged_head
from ledger.services.export.query import (BASELINE, EVENT, SECTIONS, Scope, columns, count, keyset, ledger_head,
                                          plain_rows, row_dict)
from ledger.services.progress import NO_PROGRESS, Progress

FORMAT = "claim-ledger"
BATCH = 1000
CHUNK = 1 << 20  # characters written to the output at a time
TEXT_BATCH = 20  # rows carrying an article's whole text (up to 5 MB each) come a few at a time
VERSION = 1


def dumps(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def event_record(row: Any) -> dict[str, Any]:
    rec = row_dict(EVENT, row)
    text = rec.pop("payload")
    if _is_canonical_object(text):
        rec["payload"] = json.loads(text)
    else:
        rec["payload_text"] = text
    return rec


def _iso(value: Any) -> str:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON")


_ENCODE = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), default=_iso).encode  # keys as given
_CANONICAL = json.JSONEncoder(sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str).encode


def _records(conn: Connection, table: Any) -> Iterator[str]:
    """Every row of ``table`` as its JSON line (what ``dumps(row_dict(...))`` gives), streamed from
    a plain cursor. On SQLite the line is built by SQLite's own ``json_object`` with the keys in
    sorted order (its escaping is Python's, checked by tests/test_export_speed.py); elsewhere the C
    encoder writes it from a dict in that order. Event payloads are checked in Python: written as
    the object when it re-encodes to the stored text, else as ``payload_text``."""
    names = sorted(columns(table))
    booleans = {c.name for c in table.columns if isinstance(c.type, Boolean)}
    event = table is EVENT
    at = names.index("payload") if event else -1
    fields = [n for n in names if n != "payload"]
    if conn.dialect.name == "sqlite":
        def value(n: str) -> str:
            if n in booleans:
                return f"CASE WHEN \"{n}\" IS NULL THEN NULL WHEN \"{n}\" THEN json('true') ELSE json('false') END"
            return f'"{n}"'
        obj = "json_object(" + ", ".join(f"'{n}', {value(n)}" for n in fields) + ")"
        rows = plain_rows(conn, table.name, [obj] + (['"payload"'] if event else []), expressions=True)
        if not event:
            for (line,) in rows:
                yield line
            return
        for line, text in rows:
            yield _event_line(line, text, fields, at)
        return
    flags = [i for i, n in enumerate(fields) if n in booleans]
    for row in plain_rows(conn, table.name, fields + (["payload"] if event else [])):
        values = list(row[:len(fields)])
        for i in flags:
            if values[i] is not None:
                values[i] = bool(values[i])
        line = _ENCODE(dict(zip(fields, values)))
        yield _event_line(line, row[-1], fields, at) if event else line


def _event_line(line: str, text: str, fields: list[str], at: int) -> str:
    """An event's line: its other fields' JSON object ``line`` with the payload put in its sorted
    place, as the object it holds when that re-encodes to the stored text, else as ``payload_text``."""
    if _is_canonical_object(text):
        member = f'"payload":{text}'
    else:
        member = '"payload_text":' + _ENCODE(text)
    # the payload's place in key order: before the first field that sorts after it (an unescaped
    # `,"name":` only occurs between members, never inside an encoded string)
    cut = line.index(f',"{fields[at]}":')
    return line[:cut] + "," + member + line[cut:]


_floats = [False]  # set by the decoder when the text holds a number with a fraction or an exponent


def _float(text: str) -> float:
    _floats[0] = True
    return float(text)


_DECODER = json.JSONDecoder(parse_float=_float, parse_constant=_float)


def _is_canonical_object(text: str) -> bool:
    """Whether ``text`` is a JSON object exactly as ``canonical`` writes it. Without floats, orjson
    writes what the standard encoder writes (sorted keys, the same escapes) several times faster,
    so its match is accepted at once; anything else (floats, whose spelling differs between the two,
    integers beyond 64 bits, lone surrogates, a mismatch) is decided by the standard encoder."""
    _floats[0] = False
    try:
        obj = _DECODER.decode(text)
    except ValueError:
        return False
    if not isinstance(obj, dict):
        return False
    if not _floats[0]:
        try:
            if orjson.dumps(obj, option=orjson.OPT_SORT_KEYS) == text.encode("utf-8", "surrogatepass"):
                return True
        except TypeError:  # orjson.JSONEncodeError: a number beyond 64 bits, a lone surrogate
            pass
    return _CANONICAL(obj) == text  # the standard encoder decides whatever the fast one did not accept


def write_json(conn: Connection, scope: Scope, out: TextIO, *, progress: Progress = NO_PROGRESS) -> int:
    """Write the scope's rows to ``out``; returns how many records were written."""
    head, _ = ledger_head(conn)
    header = {"format": FORMAT, "version": VERSION, "scope": "ledger" if scope.whole else "article",
              "article_id": scope.article_id, "schema": packaged_head(), "chain_head": head}
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
        if scope.whole:
            lines = _records(conn, table)
        else:
            lines = (dumps(event_record(row) if table is EVENT else row_dict(table, row))
                     for row in keyset(conn, table, where=scope.where(table), batch=batch))
        for chunk in _batched(lines):  # a few large writes rather than one per record
            out.write(sep + ",\n".join(chunk))
            sep = ",\n"
            written += len(chunk)
            advance(len(chunk))
        out.write("\n]" + (",\n" if i < len(SECTIONS) - 1 else "\n}\n"))
    return written


def _batched(lines: Iterator[str], size: int = CHUNK) -> Iterator[list[str]]:
    """The lines in lists of about ``size`` characters (a long article's line alone)."""
    chunk: list[str] = []
    held = 0
    for line in lines:
        chunk.append(line)
        held += len(line)
        if held >= size:
            yield chunk
            chunk, held = [], 0
    if chunk:
        yield chunk
