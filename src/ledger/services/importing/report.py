"""What an import did: how many rows of each kind went in, and which records were refused and why."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

MAX_LISTED = 1000  # refused records listed one by one; past this only counted
TOP_UNMAPPED = 10  # unread verdict labels listed in an import's summary


@dataclass(frozen=True)
class BadRecord:
    where: str  # "line 12", "line 3 (claims[1])", "record 4"
    reason: str


@dataclass
class ImportReport:
    file: str
    format: str
    imported: dict[str, int] = field(default_factory=dict)
    bad: list[BadRecord] = field(default_factory=list)
    bad_total: int = 0
    skipped: list[BadRecord] = field(default_factory=list)  # already in the ledger: left alone
    notes: list[str] = field(default_factory=list)
    outcomes: dict[str, int] = field(default_factory=dict)  # what became of the records, counted
    unmapped: list[tuple[str, int]] = field(default_factory=list)  # the most frequent labels not read
    unmapped_total: int = 0  # records whose label was not read
    unmapped_labels: int = 0  # distinct labels among them

    def __post_init__(self) -> None:
        self._unmapped: Counter = Counter()  # every unread label (not a field: JSON shows the top only)

    def count(self, kind: str, n: int = 1) -> None:
        self.imported[kind] = self.imported.get(kind, 0) + n

    def refuse(self, where: str, reason: str) -> None:
        self.bad_total += 1
        if len(self.bad) < MAX_LISTED:
            self.bad.append(BadRecord(where, reason))

    def skip(self, where: str, reason: str) -> None:
        if len(self.skipped) < MAX_LISTED:
            self.skipped.append(BadRecord(where, reason))

    def outcome(self, what: str, n: int = 1) -> None:
        self.outcomes[what] = self.outcomes.get(what, 0) + n

    def unmapped_label(self, label: str) -> None:
        self._unmapped[label] += 1

    def finish(self, top: int = TOP_UNMAPPED) -> None:
        """Keep the most frequent unread labels (the worklist ``ledger verdicts`` continues)."""
        self.unmapped = self._unmapped.most_common(top)
        self.unmapped_total = sum(self._unmapped.values())
        self.unmapped_labels = len(self._unmapped)

    @property
    def already(self) -> int:
        return sum(n for what, n in self.outcomes.items() if what.startswith("already"))

    @property
    def total(self) -> int:
        return sum(self.imported.values())

    def summary(self) -> str:
        parts = [f"{n} {kind}" for kind, n in self.imported.items() if n]
        text = f"imported {', '.join(parts) if parts else 'nothing'} from {self.file}"
        if self.bad_total:
            text += f"; {self.bad_total} record(s) refused"
        if self.skipped or self.already:
            text += f"; {len(self.skipped) + self.already} already in the ledger"
        return text
