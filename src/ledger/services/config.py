"""``ledger.toml``: a workspace's own status vocabulary and policies, beside ``ledger.db``.

Example::

    [statuses]            # status = category (open | pass | fail | unresolved), in display order
    unverified = "open"
    checking = "open"
    confirmed = "pass"
    wrong = "fail"
    unclear = "unresolved"

The same file sets the pre-publication audit policy (``[audit]``, ``[audit.rules.<rule>]``,
``[anchoring]``), read and checked by ``services.policy``.

A malformed file is a clear error naming the line, and nothing is changed.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ledger.errors import InvalidInput
from ledger.services.policy import DEFAULT_POLICY, AuditPolicy, parse_policy
from ledger.services.vocabulary import CATEGORIES, DEFAULT_VOCABULARY, Vocabulary


@dataclass(frozen=True)
class LedgerConfig:
    vocabulary: Vocabulary = DEFAULT_VOCABULARY
    policy: AuditPolicy = DEFAULT_POLICY
    raw: dict[str, Any] = field(default_factory=dict)
    path: Path | None = None


def _line_of(text: str, key: str) -> int | None:
    for n, line in enumerate(text.splitlines(), 1):
        if line.split("=", 1)[0].strip().strip('"') == key:
            return n
    return None


def load_config(path: Path) -> LedgerConfig:
    if not path.exists():
        return LedgerConfig()
    text = path.read_text(encoding="utf-8", errors="replace")
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InvalidInput(f"{path}: malformed TOML: {exc}") from exc
    vocabulary = DEFAULT_VOCABULARY
    if "statuses" in raw:
        table = raw["statuses"]
        if not isinstance(table, dict) or not table:
            raise InvalidInput(f"{path}: [statuses] must be a table of status = category")
        statuses: dict[str, str] = {}
        for status, category in table.items():
            if category not in CATEGORIES:
                line = _line_of(text, status)
                where = f" (line {line})" if line else ""
                raise InvalidInput(f"{path}{where}: status {status!r} has category {category!r}; "
                                   f"categories are {', '.join(CATEGORIES)}")
            statuses[status.strip().lower()] = category
        if "open" not in statuses.values():
            raise InvalidInput(f"{path}: [statuses] needs at least one status in the 'open' category")
        initial = next(s for s, c in statuses.items() if c == "open")
        vocabulary = Vocabulary(statuses, initial=initial)
    policy = parse_policy(raw, text, path)
    return LedgerConfig(vocabulary=vocabulary, policy=policy, raw=raw, path=path)
