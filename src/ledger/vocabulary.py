"""Verification statuses and the category each one belongs to, and the tables' other closed vocabularies.

The audit reasons in categories, not in words: ``open`` claims are still being checked, ``pass``
claims are verified, ``fail`` claims are false or misleading, ``unresolved`` ones could not be
settled. A workspace may replace the vocabulary in ``ledger.toml`` (see ``services.config``).
"""

from __future__ import annotations

from dataclasses import dataclass

from ledger.errors import InvalidInput

CATEGORIES = ("open", "pass", "fail", "unresolved")

# The other closed vocabularies of the tables (``ledger.models`` re-exports them)
ARTICLE_STATES = ("draft", "in_review", "approved", "published")
CLAIM_KINDS = ("assertion", "attribution")
STANCES = ("supports", "refutes", "context")
SOURCE_KINDS = ("document", "web", "official", "person", "wire", "dataset")
RELIABILITY_GRADES = ("A", "B", "C", "D", "E", "F")

DEFAULT_STATUSES: dict[str, str] = {
    "unverified": "open",
    "in_progress": "open",
    "verified": "pass",
    "false": "fail",
    "misleading": "fail",
    "unverifiable": "unresolved",
    "disputed": "unresolved",
}


@dataclass(frozen=True)
class Vocabulary:
    statuses: dict[str, str]  # status -> category, in display order
    initial: str = "unverified"

    def category(self, status: str) -> str:
        return self.statuses.get(status, "open")

    def check(self, status: str) -> str:
        status = status.strip().lower()
        if status not in self.statuses:
            raise InvalidInput(
                f"unknown status {status!r}; valid statuses: {', '.join(self.statuses)}"
            )
        return status

    def in_category(self, category: str) -> list[str]:
        return [s for s, c in self.statuses.items() if c == category]


DEFAULT_VOCABULARY = Vocabulary(dict(DEFAULT_STATUSES))
