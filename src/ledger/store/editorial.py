"""An article's editorial life: its state (draft → in review → approved → published) and revisions.

The rows only; deciding whether a state change is allowed (the audit) and where appearances go
after a revision (re-anchoring) belongs to ``services.workflow``, which appends the events.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, bindparam, select, update

from ledger.errors import InvalidInput, NotFound
from ledger.models import ARTICLE_STATES, Appearance, Article, ArticleRevision
from ledger.store.articles import content_hash
from ledger.store.claims import ConflictError
from ledger.store.events import row_put

ARTICLE = Article.__table__
REVISION = ArticleRevision.__table__
APPEARANCE = Appearance.__table__


def check_state(state: str) -> str:
    state = state.strip().lower().replace("-", "_").replace(" ", "_")
    if state not in ARTICLE_STATES:
        raise InvalidInput(f"unknown editorial state {state!r}; valid states: {', '.join(ARTICLE_STATES)}")
    return state


def article_for_update(conn: Connection, *, article_id: int) -> Any:
    """The article's editable columns (id, title, state, body, content_hash, revision, version)."""
    row = conn.execute(select(ARTICLE.c.id, ARTICLE.c.title, ARTICLE.c.state, ARTICLE.c.body, ARTICLE.c.content_hash,
                              ARTICLE.c.revision, ARTICLE.c.version).where(ARTICLE.c.id == article_id)).first()
    if row is None:
        raise NotFound(f"no article with id {article_id}")
    return row


def last_revision_by(conn: Connection, *, article_id: int) -> tuple[str, str]:
    """(who, when) of the article's latest stored revision."""
    row = conn.execute(select(REVISION.c.actor, REVISION.c.created_at).where(REVISION.c.article_id == article_id)
                       .order_by(REVISION.c.revision.desc()).limit(1)).first()
    return (row.actor, row.created_at) if row is not None else ("nobody", "never")


def _bump(conn: Connection, current: Any, stamp: str, **values: Any) -> dict[str, Any]:
    """Update the article; returns its row change (for the event's ``rows``)."""
    values = dict(values, updated_at=stamp, version=current.version + 1)
    result = conn.execute(update(ARTICLE).where((ARTICLE.c.id == current.id) & (ARTICLE.c.version == current.version))
                          .values(**values))
    if result.rowcount != 1:
        raise ConflictError(f"article {current.id} was changed by someone else while you were saving; "
                            "reload it and try again")
    return row_put("article", current.id, values)


def write_state(conn: Connection, *, current: Any, state: str, stamp: str) -> list[dict[str, Any]]:
    """Set the article's state; returns the row changes."""
    return [_bump(conn, current, stamp, state=state)]


def write_revision(conn: Connection, *, current: Any, body: str, actor: str,
                   stamp: str) -> tuple[int, str, list[dict[str, Any]]]:
    """Store ``body`` as the article's next revision; returns (revision number, content hash, row changes)."""
    revision = current.revision + 1
    digest = content_hash(body)
    changes = [_bump(conn, current, stamp, body=body, content_hash=digest, revision=revision)]
    values = dict(article_id=current.id, revision=revision, body=body, content_hash=digest, created_at=stamp,
                  actor=actor)
    revision_id = conn.execute(REVISION.insert().values(**values)).inserted_primary_key[0]
    changes.append(row_put("article_revision", revision_id, values))
    return revision, digest, changes


def write_anchors(conn: Connection, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Move appearances: each row has id, quote, start, end, prefix, suffix, orphaned (one executemany).
    Returns the row changes."""
    if not rows:
        return []
    stmt = (update(APPEARANCE).where(APPEARANCE.c.id == bindparam("_id"))
            .values(quote=bindparam("_quote"), start=bindparam("_start"), end=bindparam("_end"),
                    prefix=bindparam("_prefix"), suffix=bindparam("_suffix"), orphaned=bindparam("_orphaned")))
    conn.execute(stmt, [{f"_{k}": v for k, v in r.items()} for r in rows])
    return [row_put("appearance", r["id"], {k: v for k, v in r.items() if k != "id"}) for r in rows]
