"""Tamper evidence: the event chain re-hashed link by link and replayed row by row, the archived
evidence re-hashed file by file.

``verify_ledger`` walks every event a page at a time (never the whole log in memory), recomputes
each hash from the event's stored fields and the previous hash, checks every link, and compares
the last hash with the chain head the ledger keeps. It then re-hashes each file in ``sources/``
that a source row names. The replay (``services.replay``) rides on the same pass over the events
and then holds every row of the state tables to what the events say it is. The audit's
evidence-integrity rule uses ``check_archived_file`` too.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Callable

from sqlalchemy import Connection, func, select

from ledger.models import Article, Claim, Event, Source
from ledger.services import archive
from ledger.services.replay import Replay, RowProblem, quiet_collector
from ledger.store.events import GENESIS, chain_head, hashed_body, iter_event_tuples

SOURCE = Source.__table__
ARTICLE = Article.__table__
CLAIM = Claim.__table__
EVENT = Event.__table__
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
    owner: str | None = None  # who else keeps a file there: "article 3", "capture 2 of source 5"

    def describe(self) -> str:
        ids = self.source_ids or (self.source_id,)
        named = ", ".join(str(i) for i in ids)
        more = f" and {self.sources_total - len(ids)} more" if self.sources_total > len(ids) else ""
        whose = self.owner or f"{'sources' if len(ids) > 1 else 'source'} {named}{more}"
        where = f"sources/{self.file_name} ({whose})"
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
    rows: int = 0  # state rows compared with the replay
    row_problems: list[RowProblem] = field(default_factory=list)
    row_problem_count: int = 0
    checkpoints: int = 0  # signed checkpoints the history was held to
    checkpoint_problem: str | None = None

    @property
    def ok(self) -> bool:
        return (self.chain_problem is None and not self.file_problem_count and self.status_problem is None
                and not self.row_problem_count and self.checkpoint_problem is None)

    def problems(self) -> list[str]:
        """Every problem found, one line each (at most the reported ones)."""
        out = []
        if self.chain_problem is not None:
            out.append(f"BROKEN history: {self.chain_problem.message}")
        if self.checkpoint_problem is not None:
            out.append(f"BROKEN checkpoint: {self.checkpoint_problem}")
        if self.status_problem is not None:
            out.append(f"ALTERED record: {self.status_problem}")
        out += [f"ALTERED record: {p.describe()}" for p in self.row_problems]
        out += [f"CHANGED evidence: {p.describe()}" for p in self.file_problems]
        return out


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
    """The fields of an event a chain problem names (see ``_describe``) and replay reads."""

    __slots__ = ("id", "at", "actor", "action", "payload")

    def __init__(self, row: tuple) -> None:  # a CHAIN_COLUMNS tuple
        self.id, self.at, self.actor, self.action, self.payload = row[0], row[3], row[4], row[5], row[10]


def verify_chain(conn: Connection, *, known_head: str | None = None, batch: int = 5000,
                 on_event: Callable[[Any], None] | None = None,
                 heads: dict[int, str] | None = None) -> tuple[int, str, ChainProblem | None]:
    """(events seen, last hash, first problem or None). One streamed cursor over the events, and per
    event one JSON encode and one SHA-256 (``store.events.chain``'s own recipe). ``on_event`` sees
    each event (its ``CHAIN_COLUMNS`` tuple) once its hash checks out; ``heads`` (event count →
    hash) collects the hash at those positions of the chain."""
    with quiet_collector():
        return _walk_chain(conn, known_head=known_head, batch=batch, on_event=on_event, heads=heads)


def _walk_chain(conn: Connection, *, known_head: str | None, batch: int,
                on_event: Callable[[Any], None] | None,
                heads: dict[int, str] | None) -> tuple[int, str, ChainProblem | None]:
    prev = GENESIS
    previous_row = None
    count = 0
    seen_known = known_head is None or known_head == GENESIS
    sha, body = hashlib.sha256, hashed_body
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
        if sha(prev.encode("utf-8") + b"\n" + body(row[3:])).hexdigest() != row[2]:
            return count, prev, ChainProblem(row[0], f"{_describe(_EventRef(row))} was altered after it was "
                                                     "written: its contents no longer match its hash")
        prev = row[2]
        previous_row = row
        if on_event is not None:
            on_event(row)
        if heads is not None and count in heads:
            heads[count] = prev
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


def _status_problem(problems: list[RowProblem]) -> tuple[RowProblem | None, str | None]:
    """The first claim whose status is not the one its history ends on, said as verify always has."""
    for p in problems:
        if p.table == "claim" and p.problem == "edited" and p.field == "status":
            return p, (f"claim {p.row_id} is stored as {p.found!r} but its history (event {p.event_id}) ends on "
                       f"{p.expected!r}: the claim was edited outside the ledger")
        if p.table == "claim" and p.problem == "unrecorded" and p.event_id is None:
            return p, f"claim {p.row_id} has no recorded history, yet it is in the ledger"
    return None, None


def verify_history(conn: Connection, *, known_head: str | None = None,
                   heads: dict[int, str] | None = None) -> VerifyReport:
    """The chain re-hashed and replayed in one pass over the events, and every state row compared
    with the replay (archived files not included). ``heads``: see ``verify_chain``."""
    with Replay(conn) as replay, quiet_collector():
        events, head, chain_problem = verify_chain(conn, known_head=known_head, heads=heads, on_event=replay.feed)
        rows = replay.compare() if chain_problem is None else 0
        row_problems, row_count = list(replay.problems), replay.problem_count
    if chain_problem is not None:  # a broken chain cannot be replayed
        row_problems, row_count = [], 0
    said, status = _status_problem(row_problems)
    if said is not None:
        row_problems.remove(said)
        row_count -= 1
    return VerifyReport(events=events, head=head, files=0, chain_problem=chain_problem, status_problem=status,
                        rows=rows, row_problems=row_problems, row_problem_count=row_count)


def verify_material(conn: Connection, sources_dir: Path, *, page: int = FILE_PAGE) -> tuple[int, int, list[FileProblem]]:
    """Re-hash the other files the ledger keeps in ``sources/``: every capture's WARC (the source
    row names only the latest) and the originals articles were read from (pages, drafts)."""
    from ledger.store.captures import iter_warc_files

    checked = found = 0
    problems: list[FileProblem] = []

    def check(owner: str, source_id: int, file_name: str, sha256: str) -> None:
        nonlocal checked, found
        checked += 1
        problem = check_archived_file(sources_dir, source_id=source_id, file_name=file_name, sha256=sha256)
        if problem is not None:
            found += 1
            if len(problems) < MAX_REPORTED_FILES:
                problems.append(replace(problem, owner=owner))

    last = 0
    while rows := iter_warc_files(conn, after=last, limit=page):
        for r in rows:
            check(f"capture {r.id} of source {r.source_id}", r.source_id, r.warc_file, r.warc_sha256)
        last = rows[-1].id
    last = 0
    while rows := conn.execute(select(ARTICLE.c.id, ARTICLE.c.origin_file, ARTICLE.c.origin_sha256)
                               .where((ARTICLE.c.id > last) & ARTICLE.c.origin_file.is_not(None))
                               .order_by(ARTICLE.c.id).limit(page)).all():
        for r in rows:
            check(f"the original of article {r.id}", 0, r.origin_file, r.origin_sha256)
        last = rows[-1].id
    return checked, found, problems


def verify_ledger(conn: Connection, sources_dir: Path, *, known_head: str | None = None,
                  heads: dict[int, str] | None = None) -> VerifyReport:
    """``verify_history``, then every archived file re-hashed: sources' files, every capture's
    WARC and the originals articles were read from."""
    report = verify_history(conn, known_head=known_head, heads=heads)
    files, count, problems = verify_files(conn, sources_dir)
    more_files, more_count, more_problems = verify_material(conn, sources_dir)
    return replace(report, files=files + more_files, file_problems=(problems + more_problems)[:MAX_REPORTED_FILES],
                   file_problem_count=count + more_count)
