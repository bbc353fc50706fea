"""A claim's history in words: what one event changed, old → new, and why.

Shared by ``claim show`` and the verification reports, so a correction reads the same everywhere.
"""

from __future__ import annotations

from typing import Any

from ledger.text.stored_dates import readable_time

__all__ = ["changes", "describe", "readable_time"]

FIELD_NAMES = {"text": "text", "kind": "kind", "claimant": "claimant", "claim_date": "date", "priority": "priority"}


def _value(value: Any) -> str:
    if value is None or value == "":
        return "(none)"
    if isinstance(value, str) and " " in value:
        return f"“{value}”"
    return str(value)


def changes(payload: dict[str, Any]) -> list[str]:
    """A ``claim.edit``'s changes, one ``field: old → new`` each."""
    found = payload.get("changes")
    if not isinstance(found, dict):
        return []
    return [f"{FIELD_NAMES.get(k, k)}: {_value(v.get('from'))} → {_value(v.get('to'))}"
            for k, v in found.items() if isinstance(v, dict)]


def describe(action: str, payload: dict[str, Any], entity_id: int | None = None) -> str:
    """One event of a claim's history as a line: what happened, and the note saying why."""
    p = payload if isinstance(payload, dict) else {}
    note = p.get("note")
    why = f": {note}" if note else ""
    if action == "claim.status":
        return f"{p.get('from')} → {p.get('to')}{why}"
    if action == "claim.edit":
        return "; ".join(changes(p)) + why
    if action == "citation.add":
        which = f"citation {entity_id}: " if entity_id is not None else ""
        return f"{which}{p.get('stance')} source {p.get('source_id')}"
    if action == "citation.retract":
        which = f"citation {entity_id} " if entity_id is not None else "citation "
        return f"{which}({p.get('stance')} source {p.get('source_id')}) retracted{why}"
    if action == "claim.confirm":
        return f"{p.get('verdict')} confirmed for the reworded passage{why}"
    for key in ("note", "quote", "text", "status"):
        if p.get(key):
            return str(p[key])
    return ""
