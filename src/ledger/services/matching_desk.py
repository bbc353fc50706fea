"""The matching actions of a ledger, one transaction each (``ledger.matching`` on a ``Ledger``):
match texts, list, accept and reject an article's suggestions, find and merge duplicates.

Matching texts and listing suggestions only read: a ``Reader`` (``services.reading``, a bare
``sqlite3`` or ``psycopg`` connection) serves them too, so ``ledger match`` and ``ledger suggest
ID`` on an up-to-date ledger load no database layer; the actions that write import theirs when used."""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Iterable, Iterator

from ledger.services import matching
from ledger.services.matching import Match, Suggestion

if TYPE_CHECKING:
    from ledger.services.ledger import Ledger
    from ledger.services.reading import Reader


@dataclass(frozen=True)
class Decision:
    suggestion: Suggestion
    appearance_id: int | None = None  # accepted: the new appearance
    rejection_id: int | None = None  # rejected: what remembers it


@dataclass
class MatchingDesk:
    ledger: Ledger | Reader

    @property
    def policy(self):  # noqa: ANN201 - MatchingPolicy
        return self.ledger.config.matching

    @contextmanager
    def _read(self) -> Iterator[Any]:
        """One read: a SQLAlchemy connection (a ``Ledger``) or a plain ``Run`` (a ``Reader``)."""
        db = getattr(self.ledger, "db", None)
        with (db.read() if db is not None else self.ledger.read()) as conn:
            yield conn

    def match(self, texts: Iterable[tuple[object, str]], *, limit: int = 5) -> list[tuple[object, list[Match]]]:
        """The best ``limit`` claims for each (id, text), in one read."""
        with self._read() as conn:
            return list(matching.match_texts(conn, texts, limit=limit))

    def suggestions(self, article_id: int) -> list[Suggestion]:
        with self._read() as conn:
            return matching.suggest(conn, article_id, threshold=self.policy.suggest, confirm=self.policy.confirm)

    def accept(self, article_id: int, n: int) -> Decision:
        """Suggestion ``n`` becomes an appearance of its claim in the article."""
        from ledger.store import matching as store_matching

        with self.ledger.db.write() as conn:
            s = self._pick(conn, article_id, n)
            appearance_id = store_matching.accept_suggestion(
                conn, article_id=article_id, claim_id=s.claim_id, start=s.start, end=s.end, score=s.score,
                actor=self.ledger.actor)
            return Decision(s, appearance_id=appearance_id)

    def reject(self, article_id: int, n: int) -> Decision:
        """Suggestion ``n`` is wrong: remembered, never suggested again for that sentence."""
        from ledger.store import matching as store_matching

        with self.ledger.db.write() as conn:
            s = self._pick(conn, article_id, n)
            rejection_id = store_matching.reject_suggestion(conn, article_id=article_id, claim_id=s.claim_id,
                                                            sentence=s.sentence, actor=self.ledger.actor)
            return Decision(s, rejection_id=rejection_id)

    def _pick(self, conn, article_id: int, n: int) -> Suggestion:  # noqa: ANN001 - Connection
        found = matching.suggest(conn, article_id, threshold=self.policy.suggest, confirm=self.policy.confirm)
        return matching.pick(found, n)

    def similar(self, claim_id: int, *, limit: int = 10) -> list[Match]:
        from ledger.store.merge import resolve_claim_id

        with self.ledger.db.read() as conn:
            return matching.similar_claims(conn, resolve_claim_id(conn, claim_id), limit=limit,
                                           threshold=self.policy.suggest)

    def merge(self, keep: int, other: int, *, note: str) -> dict[str, list[int]]:
        from ledger.store.merge import merge_claims

        with self.ledger.db.write() as conn:
            return merge_claims(conn, keep=keep, other=other, note=note, actor=self.ledger.actor)

    def resolve(self, claim_id: int) -> int:
        from ledger.store.merge import resolve_claim_id

        with self.ledger.db.read() as conn:
            return resolve_claim_id(conn, claim_id)

