"""A small desk for audit and workflow tests: articles, claims, archived sources and verdicts
written through the real ledger, with texts the tests write themselves."""

from __future__ import annotations

import itertools
import tomllib
from dataclasses import replace
from datetime import date
from pathlib import Path

from ledger.services.audit import AuditReport, audit_article
from ledger.services.ledger import Ledger
from ledger.services.policy import parse_policy

HARBOUR_EN = (
    "The port authority said on Tuesday that 40 cargo ships docked at the northern quay in March. "
    "Officials reportedly expect the new crane to double capacity. "
    "“Traffic has doubled since last year,” the harbour master said at the annual meeting. "
    "The city council met to discuss the budget.\n"
)

PORT_FR = (
    "Le port a accueilli 40 cargos au mois de mars, selon la capitainerie. "
    "La nouvelle grue aurait été livrée avec six mois de retard. "
    "« Le trafic a doublé depuis l’an dernier », a déclaré le commandant du port. "
    "Le conseil municipal s’est réuni pour discuter du budget.\n"
)


def policy_from_toml(text: str):
    return parse_policy(tomllib.loads(text), text, Path("ledger.toml"))


class Desk:
    def __init__(self, lg: Ledger, folder: Path):
        self.lg = lg
        self.folder = folder
        self._n = itertools.count(1)

    def article(self, body: str = HARBOUR_EN, *, lang: str | None = "en", title: str = "Harbour traffic") -> int:
        return self.lg.add_article(title=title, body=body, lang=lang)

    def claim(self, article_id: int, quote: str, *, kind: str = "assertion", claimant: str | None = None) -> int:
        return self.lg.add_claim(article_id=article_id, quote=quote, kind=kind, claimant=claimant)

    def source(self, text: str = "Minutes of the port authority.", *, publisher: str | None = "Port Authority",
               kind: str = "web", accessed: str | date | None = None, title: str | None = None) -> int:
        path = self.folder / f"evidence-{next(self._n)}.txt"
        path.write_text(text, encoding="utf-8")
        return self.lg.add_source(title=title or f"Evidence {path.stem}", file=path, publisher=publisher, kind=kind,
                                  accessed=accessed)

    def cite(self, claim_id: int, source_id: int, *, stance: str = "supports", excerpt: str | None = None) -> int:
        return self.lg.cite(claim_id=claim_id, source_id=source_id, stance=stance, excerpt=excerpt)

    def verify(self, claim_id: int, *publishers: str, kind: str = "web") -> None:
        """Verified on one supporting source per publisher given."""
        for p in publishers:
            self.cite(claim_id, self.source(publisher=p, kind=kind))
        self.lg.set_status(claim_id=claim_id, status="verified", note="checked against the sources")

    def status(self, claim_id: int, status: str, note: str = "checked") -> None:
        self.lg.set_status(claim_id=claim_id, status=status, note=note)

    def use_policy(self, toml: str) -> None:
        self.lg.config = replace(self.lg.config, policy=policy_from_toml(toml))

    def audit(self, article_id: int, *, as_of: date | None = None) -> AuditReport:
        return audit_article(self.lg, article_id, as_of=as_of)


def findings(report: AuditReport, rule: str) -> list:
    return [f for f in report.findings if f.rule == rule]


def bulk_ledger(path: Path, claims: int, *, actor: str = "archivist") -> int:
    """A SQLite ledger at ``path`` with one article and ``claims`` claims anchored in it, written
    through the store's bulk path; the article's id."""
    from ledger import store
    from ledger.services.ledger import open_ledger

    big = open_ledger(str(path), actor=actor)
    try:
        article_id = big.add_article(title="Le traité", body="Le traité prévoit une assistance mutuelle en cas d’agression.")
        quote = "Le traité prévoit une assistance mutuelle"
        with big.db.write() as conn:
            store.bulk_insert_claims(conn, actor=actor, claims=(
                {"text": f"Archived claim {i} about mutual assistance", "appearances": [
                    {"article_id": article_id, "quote": quote, "start": 0, "end": len(quote)}]} for i in range(claims)))
    finally:
        big.close()
    return article_id
