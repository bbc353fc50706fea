"""What an import did: how many rows of each kind went in, and which records were refused and why."""

from __future__ import annotations

from dataclasses import dataclass, field

MAX_LISTED = 1000  # refused records listed one by one; past this only counted


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

    def count(self, kind: str, n: int = 1) -> None:
        self.imported[kind] = self.imported.get(kind, 0) + n

    def refuse(self, where: str, reason: str) -> None:
        self.bad_total += 1
        if len(self.bad) < MAX_LISTED:
            self.bad.append(BadRecord(where, reason))

    def skip(self, where: str, reason: str) -> None:
        if len(self.skipped) < MAX_LISTED:
            self.skipped.append(BadRecord(where, reason))

    @property
    def total(self) -> int:
        return sum(self.imported.values())

    def summary(self) -> str:
        parts = [f"{n} {kind}" for kind, n in self.imported.items() if n]
        text = f"imported {', '.join(parts) if parts else 'nothing'} from {self.file}"
        if self.bad_total:
            text += f"; {self.bad_total} record(s) refused"
        if self.skipped:
            text += f"; {len(self.skipped)} already in the ledger"
        return text
