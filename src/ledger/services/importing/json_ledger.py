"""Restoring a whole ledger from its JSON export (``ledger export --all --format json``).

A restore reproduces the exported ledger exactly — the same ids, rows, timestamps and event log —
so it only goes into an **empty** workspace: merging a second ledger's ids and history into a
ledger that already has its own would make neither true. An article's export (``scope:
"article"``) is a report for reading, not a ledger, and is refused too. To bring claims into a
ledger that already holds some, import CSV or ClaimReview instead.

Records are read one at a time (bounded memory) and checked against the table they belong to.
A data record that is malformed, or that the database refuses (it names a claim or article that
is not there, it repeats an id), is reported with its line and skipped; every other record goes
in. The event log is different: it is a hash chain, checked link by link as it is read, and a
broken link — a record edited or removed by hand — refuses the whole import, because a ledger
whose history does not verify is not a faithful copy. Archived source files are not part of the
JSON: copy the ``sources/`` folder beside the restored ledger.
"""

from __future__ import annotations

import hashlib
from datetime import date
from typing import Any, TextIO

from sqlalchemy import Connection, String

from ledger.errors import InvalidInput, LedgerError
from ledger.services.export.json_ledger import FORMAT, VERSION
from ledger.services.export.query import ARTICLE, CLAIM, EVENT, SECTIONS, SOURCE, count, keyset
from ledger.services.importing.jsonstream import Header, Record, read_object
from ledger.services.importing.report import ImportReport
from ledger.services.progress import NO_PROGRESS, Progress
from ledger.store.events import GENESIS, canonical, event_hash
from ledger.store.restore import insert_rows, set_chain_head, sync_sequence

BATCH = 1000
TEXT_BATCH = 20  # rows carrying a whole article text are written a few at a time
_MISSING = object()
_ORDER = [name for name, _ in SECTIONS]
_TABLES = dict(SECTIONS)
_HASHED = ("at", "actor", "action", "entity", "entity_id", "claim_id", "article_id", "payload")


def coerce(table: Any, rec: Any) -> dict[str, Any]:
    """The database row for one exported record, or ``ValueError`` saying what is wrong."""
    if not isinstance(rec, dict):
        raise ValueError("not a JSON object")
    rec = dict(rec)
    if table is EVENT:
        if "payload" in rec and "payload_text" in rec:
            raise ValueError("has both payload and payload_text")
        if "payload_text" in rec:
            rec["payload"] = rec.pop("payload_text")
            if not isinstance(rec["payload"], str):
                raise ValueError("payload_text must be a string")
        elif isinstance(rec.get("payload"), dict):
            rec["payload"] = canonical(rec["payload"])
        else:
            raise ValueError("payload must be a JSON object")
    cols = {c.name: c for c in table.columns}
    unknown = sorted(set(rec) - set(cols))
    if unknown:
        raise ValueError(f"unknown field {unknown[0]!r}")
    row: dict[str, Any] = {}
    for name, col in cols.items():
        v = rec.get(name, _MISSING)
        if v is _MISSING and "restore_default" in col.info:
            v = col.info["restore_default"]  # a column added after the export was made
        if v is _MISSING or v is None:
            if not col.nullable:
                raise ValueError(f"missing {name}")
            row[name] = None
            continue
        textual = isinstance(col.type, String) or isinstance(getattr(col.type, "impl", None), String)
        kind = str if textual else col.type.python_type
        if kind is date:
            if not isinstance(v, str):
                raise ValueError(f"{name} must be a date (YYYY-MM-DD)")
            try:
                v = date.fromisoformat(v)
            except ValueError:
                raise ValueError(f"{name} {v!r} is not a date (YYYY-MM-DD)") from None
        elif kind is bool:
            if not isinstance(v, bool):
                raise ValueError(f"{name} must be true or false")
        elif kind is int:
            if not isinstance(v, int) or isinstance(v, bool):
                raise ValueError(f"{name} must be a whole number")
        elif kind is str:
            if not isinstance(v, str):
                raise ValueError(f"{name} must be text")
        row[name] = v
    if table.name in ("article", "article_revision"):
        if hashlib.sha256(row["body"].encode("utf-8")).hexdigest() != row["content_hash"]:
            raise ValueError("content_hash does not match the body (the text was changed after export)")
    return row


def _check_header(header: dict[str, Any], name: str) -> None:
    if header.get("format") != FORMAT:
        raise InvalidInput(f"{name} is not a Claim Ledger JSON export (no \"format\": \"{FORMAT}\" at its start)")
    if header.get("version") != VERSION:
        raise InvalidInput(f"{name} is a version {header.get('version')!r} export; this ledger reads version {VERSION}")
    if header.get("scope") != "ledger":
        raise InvalidInput(f"{name} holds one article's part of a ledger (scope {header.get('scope')!r}); "
                           "only a whole-ledger export (ledger export --all --format json) can be restored")


def _check_empty(conn: Connection, describe: str) -> None:
    held = {what: count(conn, table) for what, table in (("articles", ARTICLE), ("claims", CLAIM),
                                                         ("sources", SOURCE), ("events", EVENT))}
    if any(held.values()):
        tally = ", ".join(f"{n} {what}" for what, n in held.items() if n)
        raise LedgerError(f"{describe} is not empty ({tally}); a JSON import restores a whole ledger and "
                          "only goes into an empty workspace (use --format csv or claimreview to add claims)")


class _Chain:
    def __init__(self, name: str):
        self.name = name
        self.prev = GENESIS

    def check(self, rec: Record, row: dict[str, Any]) -> None:
        where = f"{self.name} line {rec.line} (events[{rec.index}])"
        if row["prev_hash"] != self.prev:
            raise InvalidInput(f"{where}: the event chain is broken (prev_hash does not follow the previous "
                               "event: a record was removed or reordered); nothing was imported")
        expected = event_hash(self.prev, **{k: row[k] for k in _HASHED})
        if row["hash"] != expected:
            raise InvalidInput(f"{where}: the event does not match its hash (it was changed after export); "
                               "nothing was imported")
        self.prev = row["hash"]


def restore(ledger: Any, fp: TextIO, name: str, *, strict: bool = False,
            progress: Progress = NO_PROGRESS) -> ImportReport:
    report = ImportReport(file=name, format="json")
    advance = progress.task("restoring", None)
    with ledger.db.write() as conn:
        _check_empty(conn, ledger.workspace.describe())
        header: dict[str, Any] = {}
        checked = False
        chain = _Chain(name)
        section: str | None = None
        pending: list[tuple[Record, dict[str, Any]]] = []

        def flush() -> None:
            if not pending:
                return
            kind = pending[0][0].section
            table = _TABLES[kind]
            failures = insert_rows(conn, table, [row for _, row in pending])
            for i, reason in failures:
                rec = pending[i][0]
                if table is EVENT:
                    raise InvalidInput(f"{name} line {rec.line} (events[{rec.index}]): {reason}; nothing was imported")
                report.refuse(f"line {rec.line} ({kind}[{rec.index}])", reason)
            report.count(kind, len(pending) - len(failures))
            advance(len(pending))
            pending.clear()

        for item in read_object(fp, name):
            if isinstance(item, Header):
                header[item.key] = item.value
                continue
            if not checked:
                _check_header(header, name)
                checked = True
            if item.section != section:
                flush()
                if item.section not in _TABLES:
                    raise InvalidInput(f"{name} line {item.line}: unknown section {item.section!r}")
                if section is not None and _ORDER.index(item.section) < _ORDER.index(section):
                    raise InvalidInput(f"{name} line {item.line}: section {item.section!r} comes after {section!r}; "
                                       f"sections must be in the order {', '.join(_ORDER)}")
                section = item.section
            table = _TABLES[section]
            try:
                row = coerce(table, item.value)
            except ValueError as exc:
                if table is EVENT:
                    raise InvalidInput(f"{name} line {item.line} (events[{item.index}]): {exc}; "
                                       "nothing was imported") from None
                report.refuse(f"line {item.line} ({section}[{item.index}])", str(exc))
                continue
            if table is EVENT:
                chain.check(item, row)
            pending.append((item, row))
            if len(pending) >= (TEXT_BATCH if table.name in ("article", "article_revision") else BATCH):
                flush()
        flush()
        if not checked:
            _check_header(header, name)
        if header.get("chain_head") not in (None, chain.prev):
            raise InvalidInput(f"{name}: the event log ends before the chain head the export recorded "
                               "(events were cut off the end); nothing was imported")
        if chain.prev != GENESIS:
            set_chain_head(conn, chain.prev)
        for _, table in SECTIONS:
            sync_sequence(conn, table)
        missing = sum(1 for r in keyset(conn, SOURCE, where=SOURCE.c.file_name.isnot(None))
                      if not (ledger.workspace.sources_dir / r.file_name).exists())
        if missing:
            report.notes.append(f"{missing} source(s) name archived files that are not in "
                                f"{ledger.workspace.sources_dir}; copy the original workspace's sources/ folder there")
        refuse_if_bad(report, name, strict)
    return report


def refuse_if_bad(report: ImportReport, name: str, strict: bool) -> None:
    """Raise (rolling the import back) when nothing could be imported, or when ``strict`` and
    anything was refused."""
    if report.bad_total and (strict or report.total == 0):
        first = report.bad[0]
        what = "no record could be imported" if report.total == 0 else "--strict refuses the whole file"
        raise InvalidInput(f"{name}: {what}: {report.bad_total} record(s) refused, the first at "
                           f"{first.where}: {first.reason}; nothing was imported")

