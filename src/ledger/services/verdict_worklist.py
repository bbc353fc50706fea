"""The labels fact-checkers published, as a worklist: which the ledger reads, which it does not.

``verdict_labels`` lists every published label claims carry (grouped by their normalised form),
how many claims carry it, the status it reads as and how (``map``, ``label``; ``None`` when it is
not read). ``map_verdict`` adds a label's mapping to ``[import.verdicts]`` in ``ledger.toml`` and
reads again every claim whose reading that changes — one status event each, through the same
rules as any status change: a passing or failing verdict needs the review's page to cite, so a
claim without one stays open.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from ledger.services.config import load_config
from ledger.services.config_edit import set_verdict_mapping
from ledger.services.verdicts import VerdictReader, label_key, verdict_reader
from ledger.store.verdict_reads import Reread, carriers, label_counts, write_rereads

STANCE = {"pass": "supports", "fail": "refutes"}


@dataclass(frozen=True)
class LabelRow:
    label: str  # the most common way it is written
    key: str
    claims: int
    status: str | None  # what it reads as (None: not read)
    basis: str | None  # map | label | None
    statuses: dict[str, int] = field(default_factory=dict)  # the statuses its claims hold now
    read_as: dict[str, int] = field(default_factory=dict)  # how its claims' statuses were read (label, rating…)
    spellings: int = 1


def verdict_labels(ledger: Any) -> list[LabelRow]:
    reader = verdict_reader(ledger.config.raw, ledger.vocabulary)
    with ledger.db.read() as conn:
        counts = label_counts(conn)
    groups: dict[str, dict[str, Any]] = {}
    for label, status, read_as, n in counts:
        key = label_key(label)
        g = groups.setdefault(key, {"spellings": {}, "statuses": {}, "read_as": {}, "claims": 0})
        g["spellings"][label] = g["spellings"].get(label, 0) + n
        g["statuses"][status] = g["statuses"].get(status, 0) + n
        how = read_as or "none"
        g["read_as"][how] = g["read_as"].get(how, 0) + n
        g["claims"] += n
    rows = []
    for key, g in groups.items():
        label = max(g["spellings"].items(), key=lambda kv: (kv[1], kv[0]))[0]
        reading, _ = reader.read_label(label)
        rows.append(LabelRow(label=label, key=key, claims=g["claims"], status=reading.status if reading else None,
                             basis=reading.basis if reading else None, statuses=dict(sorted(g["statuses"].items())),
                             read_as=dict(sorted(g["read_as"].items())), spellings=len(g["spellings"])))
    rows.sort(key=lambda r: (r.status is not None, -r.claims, r.key))
    return rows


@dataclass(frozen=True)
class MapResult:
    label: str
    status: str
    reread: int  # claims whose status or reading changed (one event each)
    kept_open: int  # claims that would pass or fail but have no review page to cite


def _reading(reader: VerdictReader, c: Any) -> Any:
    return reader.read(c.label, value=c.rating_value, best=c.best_rating, worst=c.worst_rating)


def map_verdict(ledger: Any, label: str, status: str) -> MapResult:
    from ledger.errors import InvalidInput

    label = " ".join(str(label).split())
    status = ledger.vocabulary.check(status)
    if not label_key(label):
        raise InvalidInput(f"{label!r} has no letters to read as a verdict label")
    path = ledger.workspace.config_path
    before = verdict_reader(ledger.config.raw, ledger.vocabulary)
    custom = dict(before.custom)
    custom[label_key(label)] = status
    after = replace(before, custom=custom)
    with ledger.db.write() as conn:
        labels = [lb for lb, _, _, _ in label_counts(conn)
                  if before.read_label(lb)[0] != after.read_label(lb)[0]]
        changes: list[Reread] = []
        kept_open = 0
        for c in carriers(conn, labels):
            reading = _reading(after, c)
            new_status, read_as = reading.status, reading.basis
            category = ledger.vocabulary.category(new_status)
            stance = STANCE.get(category, "context") if c.citation_id is not None else None
            if category in STANCE and c.citation_id is None and STANCE[category] not in c.other_stances:
                new_status, read_as, kept_open = ledger.vocabulary.initial, None, kept_open + 1
                category = ledger.vocabulary.category(new_status)
            if (new_status, read_as) != (c.status, c.read_as) or (stance is not None and stance != c.stance):
                changes.append(Reread(c, new_status, category, read_as, stance))
        n = write_rereads(conn, changes, actor=ledger.actor,
                          note=f"verdict label {label!r} mapped to {status} in ledger.toml")
        set_verdict_mapping(path, label, status)  # inside the transaction: a refusal here rolls it back
    ledger.config = load_config(path)
    return MapResult(label=label, status=status, reread=n, kept_open=kept_open)
