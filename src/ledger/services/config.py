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

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ledger.errors import InvalidInput
from ledger.services.matching_policy import DEFAULT_MATCHING, MatchingPolicy, parse_matching
from ledger.services.policy import DEFAULT_POLICY, AuditPolicy, parse_policy
from ledger.store.plain import Run
from ledger.vocabulary import CATEGORIES, DEFAULT_VOCABULARY, Vocabulary


@dataclass(frozen=True)
class LedgerConfig:
    vocabulary: Vocabulary = DEFAULT_VOCABULARY
    policy: AuditPolicy = DEFAULT_POLICY
    raw: dict[str, Any] = field(default_factory=dict)
    path: Path | None = None
    matching: MatchingPolicy = DEFAULT_MATCHING


STATUS_NAME = re.compile(r"[a-z0-9_-]+")


def _line_of(text: str, key: str) -> int | None:
    for n, line in enumerate(text.splitlines(), 1):
        if "=" in line and line.split("=", 1)[0].strip().strip("\"'") == key:
            return n
    return None


def _where(text: str, key: str) -> str:
    line = _line_of(text, key)
    return f" (line {line})" if line else ""


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
            name = status.strip().lower()
            if not name:
                raise InvalidInput(f"{path}{_where(text, status)}: a status in [statuses] has an empty name")
            if not STATUS_NAME.fullmatch(name):
                raise InvalidInput(f"{path}{_where(text, status)}: status {status!r} is not a simple word "
                                   "(letters a-z, digits, _ and - only)")
            if category not in CATEGORIES:
                raise InvalidInput(f"{path}{_where(text, status)}: status {status!r} has category {category!r}; "
                                   f"categories are {', '.join(CATEGORIES)}")
            statuses[name] = category
        if "open" not in statuses.values():
            raise InvalidInput(f"{path}: [statuses] needs at least one status in the 'open' category")
        initial = next(s for s, c in statuses.items() if c == "open")
        vocabulary = Vocabulary(statuses, initial=initial)
    policy = parse_policy(raw, text, path)
    return LedgerConfig(vocabulary=vocabulary, policy=policy, raw=raw, path=path,
                        matching=parse_matching(raw, text, path))


# The distinct statuses of the claim table by a loose scan of its (status, id) index: one index
# probe per status, however many claims there are.
_STATUSES_IN_USE = (
    "WITH RECURSIVE s(status) AS ("
    " SELECT MIN(status) FROM claim"
    " UNION ALL SELECT (SELECT MIN(status) FROM claim WHERE status > s.status) FROM s"
    " WHERE s.status IS NOT NULL)"
    " SELECT status FROM s WHERE status IS NOT NULL")


def check_statuses_in_use(config: LedgerConfig, run: Run) -> None:
    """Refuse a ``[statuses]`` vocabulary that lacks statuses the ledger's claims already have:
    those claims would silently count as open and could not be listed by status. ``run`` queries
    the ledger (``store.plain``)."""
    if config.path is None or "statuses" not in config.raw:
        return
    missing = [s for (s,) in run(_STATUSES_IN_USE) if s not in config.vocabulary.statuses]
    if missing:
        raise InvalidInput(f"{config.path}: [statuses] lacks statuses this ledger's claims use: "
                           f"{', '.join(missing)}; add them with their category")
