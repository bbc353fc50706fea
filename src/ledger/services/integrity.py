"""Tamper evidence: the event chain re-hashed link by link, the archived evidence re-hashed file by file.

``verify_ledger`` walks every event a page at a time (never the whole log in memory), recomputes
each hash from the event's stored fields and the previous hash, checks every link, and compares
the last hash with the chain head the ledger keeps. It then re-hashes each file in ``sources/``
that a source row names. The audit's evidence-integrity rule uses ``check_archived_file`` too.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field, replace
from pathlib import Path

from sqlalchemy import Connection, func, select

from ledger.models import Claim, Event, Source
from ledger.services import archive
from ledger.store.events import GENESIS, _encode_fields, chain_head, iter_event_tuples

SOURCE = Source.__table__
CLAIM = Claim.__table__
EVENT = Event.__table__
VERDICT_ACTIONS = ("claim.add", "claim.import", "claim.status")
HASHED_FIELDS = ("at", "actor", "action", "entity", "entity_id", "claim_id", "article_id", "payload")
FILE_PAGE = 1000
MAX_REPORTED_FILES = 100
MAX_NAMED_SOURCES = 20  # sources named for one problem file


@dataclass(frozen=True)
class FileProblem:
    source_id: int
    file_name: str
    problem: str  # "missing" | "changed" | "unreadable"
    expected: str
    found: str | None = None
    source_ids: tuple[int, ...] = ()  # every source sharing the file (at most MAX_NAMED_SOURCES)
    sources_total: int = 1

    def describe(self) -> str:
        ids = self.source_ids or (self.source_id,)
        named = ", ".join(str(i) for i in ids)
        more = f" and {self.sources_total - len(ids)} more" if self.sources_total > len(ids) else ""
        where = f"sources/{self.file_name} ({'sources' if len(ids) > 1 else 'source'} {named}{more})"
        if self.problem == "missing":
            return f"{where} is missing from the archive"
        if self.problem == "unreadable":
            return f"{where} cannot be read: {self.found}"
        return f"{where} has changed: its SHA-256 is {self.found}, the ledger recorded {self.expected}"


@dataclass(frozen=True)
class ChainProblem:
    event_id: int | None
    message: str


@dataclass(frozen=True)
class VerifyReport:
    events: int
    head: str
    files: int
    chain_problem: ChainProblem | None = None
    file_problems: list[FileProblem] = field(default_factory=list)
    file_problem_count: int = 0
    status_problem: str | None = None

    @property
    def ok(self) -> bool:
        return self.chain_problem is None and not self.file_problem_count and self.status_problem is None


def check_archived_file(sources_dir: Path, *, source_id: int, file_name: str, sha256: str | None) -> FileProblem | None:
    """None when ``sources/<file_name>`` is there and still hashes to ``sha256``."""
    try:
        path = archive.archived_path(sources_dir, file_name)
    except Exception as exc:  # a file name no archive writes: treat as tampering
        return FileProblem(source_id, file_name, "unreadable", sha256 or "", str(exc))
    if not path.is_file():
        return FileProblem(source_id, file_name, "missing", sha256 or "")
    try:
        found = archive.file_sha256(path)
    except OSError as exc:
        return FileProblem(source_id, file_name, "unreadable", sha256 or "", exc.strerror or str(exc))
    if found != sha256:
        return FileProblem(source_id, file_name, "changed", sha256 or "", found)
    return None


def _describe(row) -> str:  # noqa: ANN001 - an event row
    return f"event {row.id} ({row.action} by {row.actor} at {row.at})"


class _EventRef:
    """The fields of an event a chain problem names (see ``_describe``)."""

    def __init__(self, row: tuple) -> None:  # a CHAIN_COLUMNS tuple
        self.id, self.at, self.actor, self.action = row[0], row[3], row[4], row[5]


def verify_chain(conn: Connection, *, known_head: str | None = None,
                 batch: int = 5000) -> tuple[int, str, ChainProblem | None]:
    """(events seen, last hash, first problem or None). One streamed cursor over the events, and per
    event one JSON encode and one SHA-256 (``store.events.chain``'s own recipe)."""
    prev = GENESIS
    previous_row = None
    count = 0
    seen_known = known_head is None or known_head == GENESIS
    sha, enc = hashlib.sha256, _encode_fields
    for row in iter_event_tuples(conn, batch=batch):
        count += 1
        if row[1] != prev:
            if previous_row is None:
                msg = (f"{_describe(_EventRef(row))} is the first event left but does not start the chain: "
                       "the events before it were removed")
            else:
                msg = (f"{_describe(_EventRef(row))} does not follow event {previous_row[0]}: an event between "
                       "them was removed, or the link was rewritten")
            return count, prev, ChainProblem(row[0], msg)
        if sha((prev + "\n" + enc(row[3:])).encode("utf-8")).hexdigest() != row[2]:
            return count, prev, ChainProblem(row[0], f"{_describe(_EventRef(row))} was altered after it was "
                                                     "written: its contents no longer match its hash")
        prev = row[2]
        previous_row = row
        if not seen_known and prev == known_head:
            seen_known = True
    stored = chain_head(conn)
    if stored != prev:
        last = f"event {previous_row[0]}" if previous_row is not None else "the start"
        return count, prev, ChainProblem(None, f"the chain ends at {last} (hash {prev[:16]}…) but the ledger's "
                                               f"head is {stored[:16]}…: the latest events were removed, "
                                               "or the head was rewritten")
    if not seen_known:
        return count, prev, ChainProblem(None, f"the chain no longer passes through the head {known_head} noted "
                                               "earlier: the history was rewritten since")
    return count, prev, None


def verify_files(conn: Connection, sources_dir: Path, *, page: int = FILE_PAGE) -> tuple[int, int, list[FileProblem]]:
    """(distinct archived files checked, problems found, the first problems) — paged by file name."""
    checked = found = 0
    problems: list[FileProblem] = []
    last_name, last_sha = "", ""
    sha = func.coalesce(SOURCE.c.sha256, "")
    while True:
        after = (SOURCE.c.file_name > last_name) | ((SOURCE.c.file_name == last_name) & (sha > last_sha))
        rows = conn.execute(
            select(SOURCE.c.file_name, sha.label("sha256"), func.min(SOURCE.c.id).label("source_id"))
            .where(SOURCE.c.file_name.is_not(None) & after)
            .group_by(SOURCE.c.file_name, sha)
            .order_by(SOURCE.c.file_name, sha).limit(page)).all()
        for r in rows:
            checked += 1
            problem = check_archived_file(sources_dir, source_id=r.source_id, file_name=r.file_name, sha256=r.sha256)
            if problem is not None:
                found += 1
                if len(problems) < MAX_REPORTED_FILES:
                    problems.append(_with_sharers(conn, problem, r.sha256))
        if len(rows) < page:
            break
        last_name, last_sha = rows[-1].file_name, rows[-1].sha256
    return checked, found, problems


def _with_sharers(conn: Connection, problem: FileProblem, sha256: str) -> FileProblem:
    """The problem naming every source that shares the file (up to MAX_NAMED_SOURCES)."""
    same = (SOURCE.c.file_name == problem.file_name) & (func.coalesce(SOURCE.c.sha256, "") == sha256)
    ids = tuple(conn.execute(select(SOURCE.c.id).where(same).order_by(SOURCE.c.id)
                             .limit(MAX_NAMED_SOURCES)).scalars())
    total = len(ids) if len(ids) < MAX_NAMED_SOURCES else \
        conn.execute(select(func.count()).select_from(SOURCE).where(same)).scalar_one()
    return replace(problem, source_ids=ids, sources_total=total)


def verify_statuses(conn: Connection, *, page: int = 5000) -> str | None:
    """The first claim whose stored status is not the one its history ends on (a status edited
    in the claim table without an event), or None. Paged by claim id."""
    last_id = 0
    while True:
        claims = conn.execute(select(CLAIM.c.id, CLAIM.c.status).where(CLAIM.c.id > last_id)
                              .order_by(CLAIM.c.id).limit(page)).all()
        if not claims:
            return None
        lo, hi = claims[0].id, claims[-1].id
        latest = (select(func.max(EVENT.c.id)).where(EVENT.c.claim_id.between(lo, hi)
                                                     & EVENT.c.action.in_(VERDICT_ACTIONS))
                  .group_by(EVENT.c.claim_id))
        verdicts = {r.claim_id: r for r in conn.execute(
            select(EVENT.c.claim_id, EVENT.c.id, EVENT.c.action, EVENT.c.payload).where(EVENT.c.id.in_(latest)))}
        for c in claims:
            ev = verdicts.get(c.id)
            if ev is None:
                return f"claim {c.id} has no recorded history, yet it is in the ledger with status {c.status!r}"
            payload = json.loads(ev.payload)
            expected = payload.get("to") if ev.action == "claim.status" else payload.get("status")
            if expected != c.status:
                return (f"claim {c.id} is stored as {c.status!r} but its history (event {ev.id}) ends on "
                        f"{expected!r}: the claim was edited outside the ledger")
        last_id = hi


def verify_ledger(conn: Connection, sources_dir: Path, *, known_head: str | None = None) -> VerifyReport:
    events, head, chain_problem = verify_chain(conn, known_head=known_head)
    files, count, problems = verify_files(conn, sources_dir)
    return VerifyReport(events=events, head=head, files=files, chain_problem=chain_problem,
                        file_problems=problems, file_problem_count=count, status_problem=verify_statuses(conn))
