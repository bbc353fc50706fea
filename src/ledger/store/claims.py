"""Claims and their appearances in articles: record, link, list a page, show, set status."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Connection, func, select, update

from ledger.errors import InvalidInput, LedgerError, NotFound
from ledger.models import (CLAIM_KINDS, Appearance, AppearanceRow, Article, Citation, Claim,
                           ClaimDetail, ClaimRow, Source)
from ledger.text.anchoring import locate
from ledger.text.dates import from_stored, stored_day, to_edtf
from ledger.text.stored_dates import readable_time
from ledger.vocabulary import DEFAULT_VOCABULARY, Vocabulary
from ledger.store.articles import article_body
from ledger.store import claim_reads
from ledger.store.events import append_event, json_values, now, row_put, with_rows
from ledger.store.plain import on_connection

CLAIM = Claim.__table__
APPEARANCE = Appearance.__table__
ARTICLE = Article.__table__
CITATION = Citation.__table__
SOURCE = Source.__table__


class ConflictError(LedgerError):
    """Somebody else saved the claim since it was read: refuse rather than overwrite."""


def check_kind(kind: str) -> str:
    if kind not in CLAIM_KINDS:
        raise InvalidInput(f"unknown claim kind {kind!r}; valid kinds: {', '.join(CLAIM_KINDS)}")
    return kind


def _insert_appearance(conn: Connection, *, claim_id: int, article_id: int, quote: str,
                       occurrence: int | None, actor: str, stamp: str) -> int:
    body = article_body(conn, article_id=article_id)
    anchor = locate(body, quote, occurrence=occurrence, where=f"article {article_id}")
    dup = conn.execute(select(APPEARANCE.c.id).where(
        (APPEARANCE.c.claim_id == claim_id) & (APPEARANCE.c.article_id == article_id)
        & (APPEARANCE.c.start == anchor.start) & (APPEARANCE.c.end == anchor.end))).first()
    if dup is not None:
        raise InvalidInput(f"claim {claim_id} is already anchored at that passage of article {article_id}")
    values = dict(claim_id=claim_id, article_id=article_id, quote=anchor.quote, start=anchor.start, end=anchor.end,
                  prefix=anchor.prefix, suffix=anchor.suffix, orphaned=False, created_at=stamp)
    appearance_id = conn.execute(APPEARANCE.insert().values(**values)).inserted_primary_key[0]
    append_event(conn, actor=actor, action="appearance.add", entity="appearance", entity_id=appearance_id,
                 claim_id=claim_id, article_id=article_id, at=stamp,
                 payload=with_rows({"quote": anchor.quote, "start": anchor.start, "end": anchor.end},
                                   row_put("appearance", appearance_id, values)))
    return appearance_id


def add_claim(conn: Connection, *, article_id: int, quote: str, actor: str, text: str | None = None,
              kind: str = "assertion", claimant: str | None = None, claim_date: date | None = None,
              priority: int = 2, occurrence: int | None = None, status: str = "unverified") -> int:
    """Record a claim from a passage of an article; the passage must stand in the text."""
    check_kind(kind)
    if kind == "attribution" and not (claimant and claimant.strip()):
        raise InvalidInput("an attribution needs the person or body who said it (--claimant)")
    if not 1 <= priority <= 3:
        raise InvalidInput(f"priority must be 1 (high) to 3 (low), not {priority}")
    if text is not None and not text.strip():
        raise InvalidInput("the claim text is empty")
    body = article_body(conn, article_id=article_id)
    anchor = locate(body, quote, occurrence=occurrence, where=f"article {article_id}")
    claim_text = " ".join((text or anchor.quote).split())
    stamp = now()
    values = dict(text=claim_text, kind=kind, claimant=claimant, claim_date=stored_day(claim_date),
                  claim_date_edtf=to_edtf(claim_date), priority=priority, status=status, status_label=None,
                  created_at=stamp, updated_at=stamp, updated_by=actor, version=1)
    claim_id = conn.execute(CLAIM.insert().values(**values)).inserted_primary_key[0]
    append_event(conn, actor=actor, action="claim.add", entity="claim", entity_id=claim_id, claim_id=claim_id,
                 article_id=article_id, at=stamp,
                 payload=with_rows({"text": claim_text, "kind": kind, "claimant": claimant,
                                    "claim_date": claim_date, "priority": priority, "status": status},
                                   row_put("claim", claim_id, json_values(values))))
    _insert_appearance(conn, claim_id=claim_id, article_id=article_id, quote=quote,
                       occurrence=occurrence, actor=actor, stamp=stamp)
    return claim_id


def link_claim(conn: Connection, *, claim_id: int, article_id: int, quote: str, actor: str,
               occurrence: int | None = None) -> int:
    """The same claim appearing in another article (or elsewhere in the same one). When the claim
    has an appearance in that article orphaned by a revision, that appearance is anchored on the
    passage again (a manual ``appearance.reanchor``) rather than a second one added."""
    from ledger.store.relink import orphaned_appearance, relink_appearance

    _claim_row(conn, claim_id)
    orphan = orphaned_appearance(conn, claim_id=claim_id, article_id=article_id)
    if orphan is not None:
        relink_appearance(conn, appearance_id=orphan, quote=quote, actor=actor, occurrence=occurrence)
        return orphan
    return _insert_appearance(conn, claim_id=claim_id, article_id=article_id, quote=quote,
                              occurrence=occurrence, actor=actor, stamp=now())


_CLAIM_COLS = [CLAIM.c[c] for c in ("id", "text", "kind", "claimant", "claim_date", "priority", "status",
                                    "status_label", "created_at", "updated_at", "updated_by", "version",
                                    "claim_date_edtf")]


def to_claim_row(r: Any) -> ClaimRow:
    values = {c.name: getattr(r, c.name) for c in _CLAIM_COLS if c.name != "claim_date_edtf"}
    values["claim_date"] = from_stored(values["claim_date"], getattr(r, "claim_date_edtf", None))
    return ClaimRow(**values)


def _claim_row(conn: Connection, claim_id: int, *, lock: bool = False) -> ClaimRow:
    """The claim; with ``lock``, its row locked until the transaction ends (``SELECT … FOR UPDATE``
    on PostgreSQL; SQLite's writer already holds the whole database)."""
    q = select(*_CLAIM_COLS).where(CLAIM.c.id == claim_id)
    r = conn.execute(q.with_for_update() if lock else q).first()
    if r is None:
        raise NotFound(f"no claim with id {claim_id}")
    return to_claim_row(r)


get_claim = _claim_row


def list_claims(conn: Connection, *, article_id: int | None = None, status: str | None = None,
                limit: int = 100, after_id: int = 0, offset: int = 0) -> list[ClaimRow]:
    """One page of claims in id order (keyset paging with ``after_id``)."""
    q = select(*_CLAIM_COLS).where(CLAIM.c.id > after_id).order_by(CLAIM.c.id).limit(limit).offset(offset)
    if article_id is not None:
        q = q.where(CLAIM.c.id.in_(select(APPEARANCE.c.claim_id).where(APPEARANCE.c.article_id == article_id)))
    if status is not None:
        q = q.where(CLAIM.c.status == status)
    return [to_claim_row(r) for r in conn.execute(q)]


def count_claims(conn: Connection, *, status: str | None = None) -> int:
    q = select(func.count()).select_from(CLAIM)
    if status is not None:
        q = q.where(CLAIM.c.status == status)
    return conn.execute(q).scalar_one()


def _appearance_row(r: Any) -> AppearanceRow:
    return AppearanceRow(id=r.id, claim_id=r.claim_id, article_id=r.article_id, quote=r.quote, start=r.start,
                         end=r.end, prefix=r.prefix, suffix=r.suffix, orphaned=bool(r.orphaned),
                         article_title=getattr(r, "title", None), needs_confirm=bool(r.needs_confirm))


def appearances_of_claim(conn: Connection, *, claim_id: int) -> list[AppearanceRow]:
    q = (select(APPEARANCE, ARTICLE.c.title).join(ARTICLE, ARTICLE.c.id == APPEARANCE.c.article_id)
         .where(APPEARANCE.c.claim_id == claim_id).order_by(APPEARANCE.c.id))
    return [_appearance_row(r) for r in conn.execute(q)]


def appearances_in_article(conn: Connection, *, article_id: int) -> list[AppearanceRow]:
    """Every appearance in one article, in reading order (bounded by the article's length)."""
    q = (select(APPEARANCE).where(APPEARANCE.c.article_id == article_id)
         .order_by(APPEARANCE.c.start, APPEARANCE.c.id))
    return [_appearance_row(r) for r in conn.execute(q)]


def get_claim_detail(conn: Connection, *, claim_id: int) -> ClaimDetail:
    return claim_reads.claim_detail(on_connection(conn), claim_id)


def has_citation(conn: Connection, claim_id: int, stance: str) -> bool:
    """Whether the claim has a citation of ``stance`` still standing (retracted ones are no evidence)."""
    return conn.execute(select(CITATION.c.id).where(
        (CITATION.c.claim_id == claim_id) & (CITATION.c.stance == stance)
        & CITATION.c.retracted_at.is_(None)).limit(1)).first() is not None


def changed_since_opened(claim: ClaimRow) -> ConflictError:
    """The same refusal whether the other save landed before we read the claim or while we wrote."""
    return ConflictError(f"claim {claim.id} was changed by {claim.updated_by} at {readable_time(claim.updated_at)} "
                         "since you opened it; reload it and try again")


def set_status(conn: Connection, *, claim_id: int, status: str, note: str, actor: str,
               vocabulary: Vocabulary = DEFAULT_VOCABULARY, expected_version: int | None = None) -> ClaimRow:
    """Move a claim to ``status``; the change is an appended event carrying the note.

    The claim is read with its row locked, so the version read is the one the write replaces: a
    change made without ``expected_version`` is never refused because a teammate saved the same
    claim a moment before (on PostgreSQL, READ COMMITTED would otherwise let the read and the
    conditional write see two states); with ``expected_version``, such a save is refused."""
    status = vocabulary.check(status)
    if not note or not note.strip():
        raise InvalidInput("a status change needs a note saying why (--note)")
    claim = _claim_row(conn, claim_id, lock=True)
    if expected_version is not None and expected_version > claim.version:
        raise InvalidInput(f"claim {claim_id} is at version {claim.version}, not {expected_version}")
    if expected_version is not None and claim.version != expected_version:
        raise changed_since_opened(claim)
    category = vocabulary.category(status)
    if category == "pass" and not has_citation(conn, claim_id, "supports"):
        raise InvalidInput(f"claim {claim_id} cannot be {status}: it has no supporting citation",
                           hint=f"add one with: ledger cite {claim_id} SOURCE_ID --stance supports")
    if category == "fail" and not has_citation(conn, claim_id, "refutes"):
        raise InvalidInput(f"claim {claim_id} cannot be {status}: it has no refuting citation",
                           hint=f"add one with: ledger cite {claim_id} SOURCE_ID --stance refutes")
    return write_status(conn, claim=claim, status=status, note=note.strip(), actor=actor, category=category)


def write_status(conn: Connection, *, claim: ClaimRow, status: str, note: str, actor: str, category: str,
                 extra: dict[str, Any] | None = None) -> ClaimRow:
    """Store a checked status change: the claim row, its reworded passages no longer waiting for a
    confirmation (a new verdict settles them), and the ``claim.status`` event with its row changes."""
    stamp = now()
    values = {"status": status, "status_label": None, "updated_at": stamp, "updated_by": actor,
              "version": claim.version + 1}
    result = conn.execute(update(CLAIM).where((CLAIM.c.id == claim.id) & (CLAIM.c.version == claim.version))
                          .values(**values))
    if result.rowcount != 1:  # another editor saved between our read and our write
        raise changed_since_opened(_claim_row(conn, claim.id))
    settled = list(conn.execute(select(APPEARANCE.c.id).where(
        (APPEARANCE.c.claim_id == claim.id) & APPEARANCE.c.needs_confirm.is_(True))).scalars())
    if settled:
        conn.execute(update(APPEARANCE).where(APPEARANCE.c.id.in_(settled)).values(needs_confirm=False))
    rows = [row_put("claim", claim.id, values)] + [row_put("appearance", i, {"needs_confirm": False})
                                                    for i in settled]
    append_event(conn, actor=actor, action="claim.status", entity="claim", entity_id=claim.id, claim_id=claim.id,
                 at=stamp, payload={"from": claim.status, "to": status, "note": note, "category": category,
                                    **(extra or {}), "rows": rows})
    return _claim_row(conn, claim.id)
