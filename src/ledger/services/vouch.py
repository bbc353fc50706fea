"""Vouching: the audit and the exports speak for a ledger only when its history and rows verify.

A full ``verify`` of a million-claim ledger takes a minute or so, too long to run before every
audit. So each full verify records its result in ``ledger_meta`` (key ``last_verify``): whether
the chain and every row matched the replay, the chain head and event id it covered. Before
an audit or an export:

- no verify recorded yet: a full verify runs first (every time, until ``ledger verify`` has run:
  an audit or an export never writes to the ledger);
- the last verify failed: refused, naming the first problem, until ``ledger verify`` passes;
- the head is the one verified: vouched at once (a key lookup);
- the head moved since: the verified event must still carry the verified hash, and only the
  events after it are re-hashed and replayed against the rows they touch (their fields as the
  latest event set them, their deletions) — work proportional to what is new, not to the ledger.

Archived files are not part of vouching: the audit re-hashes every file it relies on itself
(the evidence-integrity rule), and a missing file is a finding, not a reason to refuse.
Rows edited behind the ledger's back that no new event touches are caught by the next full
``ledger verify`` (run it nightly, or before publishing a report that must stand).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import DBAPIError

from ledger.errors import LedgerError
from ledger.models import Event, Meta
from ledger.services.integrity import HASHED_FIELDS, VerifyReport, verify_ledger
from ledger.services.replay import TABLES, _SPECS
from ledger.store.events import GENESIS, ROWS, chain_head, event_hash

if TYPE_CHECKING:
    from ledger.services.ledger import Ledger

KEY = "last_verify"
META = Meta.__table__
EVENT = Event.__table__
MAX_INCREMENT = 200_000  # more new events than this: verify in full instead


class Unvouched(LedgerError):
    """The ledger's history or rows do not verify: no audit or export speaks for it."""


@dataclass(frozen=True)
class Vouched:
    head: str
    event_id: int
    checked_events: int  # events re-checked now (0 when the head had not moved)
    full: bool  # a full verify ran now


def record(ledger: Ledger, report: VerifyReport, *, last_event_id: int) -> None:
    """Keep the verify's result (best effort: a ledger we may not write to keeps the old one)."""
    rows_ok = report.chain_problem is None and not report.row_problem_count and report.status_problem is None
    first = next(iter(report.problems()), None) if not rows_ok else None
    value = json.dumps({"ok": rows_ok, "head": report.head, "event_id": last_event_id, "problem": first},
                       sort_keys=True)
    try:
        with ledger.db.write() as conn:
            insert = (postgresql.insert(META) if conn.dialect.name == "postgresql" else sqlite.insert(META))
            conn.execute(insert.values(key=KEY, value=value)
                         .on_conflict_do_update(index_elements=["key"], set_={"value": value}))
    except (LedgerError, DBAPIError):
        pass


def last_verify(conn: Connection) -> dict[str, Any] | None:
    raw = conn.execute(select(META.c.value).where(META.c.key == KEY)).scalar()
    try:
        rec = json.loads(raw) if raw else None
    except ValueError:
        return None
    return rec if isinstance(rec, dict) else None


def _last_event_id(conn: Connection) -> int:
    return conn.execute(select(EVENT.c.id).order_by(EVENT.c.id.desc()).limit(1)).scalar() or 0


def full_verify(ledger: Ledger, *, keep: bool = True, **kwargs: Any) -> VerifyReport:
    """``verify_ledger`` on one snapshot, its result recorded for vouching (``keep``)."""
    with ledger.db.read() as conn:
        last = _last_event_id(conn)
        report = verify_ledger(conn, ledger.workspace.sources_dir, **kwargs)
    if keep:
        record(ledger, report, last_event_id=last)
    return report


def _refuse(rec: dict[str, Any]) -> Unvouched:
    return Unvouched(f"the ledger's last verify (at chain head {str(rec.get('head'))[:16]}…) failed: {rec.get('problem')}; "
                     "nothing is vouched for until `ledger verify` passes")


def vouch(ledger: Ledger) -> Vouched:
    """Return when the ledger may be vouched for; raise ``Unvouched`` otherwise."""
    with ledger.db.read() as conn:
        rec = last_verify(conn)
        head = chain_head(conn)
        if rec is not None and rec.get("ok") and rec.get("head") == head:
            return Vouched(head, int(rec.get("event_id") or 0), 0, full=False)
        if rec is not None and not rec.get("ok"):
            raise _refuse(rec)
        if rec is not None:
            problem, checked = _check_since(conn, rec)
            if problem is None and checked is not None:
                return Vouched(head, _last_event_id(conn), checked, full=False)
            if problem is not None:
                raise Unvouched(f"the ledger changed since its last verify in a way its history does not "
                                f"account for: {problem}; run `ledger verify`")
    report = full_verify(ledger, keep=False)  # an audit or export writes nothing: only `ledger verify` records
    if report.chain_problem is not None or report.row_problem_count or report.status_problem is not None:
        raise Unvouched(f"the ledger does not verify: {report.problems()[0]}; run `ledger verify`")
    return Vouched(report.head, 0, report.events, full=True)


def _check_since(conn: Connection, rec: dict[str, Any]) -> tuple[str | None, int | None]:
    """(problem, events checked) for the events after the verified one; (None, None) when there
    are too many to be worth it (a full verify follows)."""
    since = int(rec.get("event_id") or 0)
    prev = rec.get("head") or GENESIS
    if since:
        at = conn.execute(select(EVENT.c.hash).where(EVENT.c.id == since)).scalar()
        if at != prev:
            return f"event {since}, verified with hash {prev[:16]}…, is no longer there as it was", 0
    newer = conn.execute(select(EVENT.c.id).where(EVENT.c.id > since).order_by(EVENT.c.id)
                         .offset(MAX_INCREMENT).limit(1)).first()
    if newer is not None:
        return None, None
    touched: dict[tuple[str, int], dict[str, Any] | None] = {}
    count = 0
    for ev in conn.execute(select(EVENT).where(EVENT.c.id > since).order_by(EVENT.c.id)):
        count += 1
        if ev.prev_hash != prev or event_hash(ev.prev_hash, **{k: getattr(ev, k) for k in HASHED_FIELDS}) != ev.hash:
            return f"event {ev.id} does not chain from the verified history", count
        prev = ev.hash
        try:
            changes = json.loads(ev.payload).get(ROWS) or []
        except (ValueError, AttributeError):
            changes = []
        for ch in changes:
            if not isinstance(ch, dict) or ch.get("t") not in TABLES:
                continue
            key = (ch["t"], ch.get("id"))
            if ch.get("del"):
                touched[key] = None
            else:
                touched.setdefault(key, {})
                if touched[key] is None:
                    touched[key] = {}
                touched[key].update(ch.get("set") or {})
    if prev != chain_head(conn):
        return "the chain head is not the last event", count
    return _compare_touched(conn, touched), count


def _compare_touched(conn: Connection, touched: dict[tuple[str, int], dict[str, Any] | None]) -> str | None:
    by_table: dict[str, dict[int, dict[str, Any] | None]] = {}
    for (t, row_id), fields in touched.items():
        by_table.setdefault(t, {})[row_id] = fields
    for name, rows in by_table.items():
        spec = _SPECS[name]
        ids = sorted(rows)
        for i in range(0, len(ids), 500):
            chunk = ids[i:i + 500]
            cols = [spec.table.c.id] + [spec.table.c[c] for c in spec.columns]
            found = {r[0]: dict(zip(spec.columns, spec.normal(list(r[1:]))))
                     for r in conn.execute(select(*cols).where(spec.table.c.id.in_(chunk)))}
            for row_id in chunk:
                want = rows[row_id]
                have = found.get(row_id)
                if want is None:
                    if have is not None:
                        return f"{name} {row_id} is in the ledger, yet its history deleted it"
                    continue
                if have is None:
                    return f"{name} {row_id} is missing, yet its history has it"
                expected = dict(zip(spec.columns, spec.normal([want.get(c, have[c]) for c in spec.columns])))
                for c in spec.columns:
                    if c in want and expected[c] != have[c]:
                        return f"{name} {row_id}: {c} is {have[c]!r} but its history says {expected[c]!r}"
    return None
