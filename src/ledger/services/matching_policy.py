"""``[matching]`` in ``ledger.toml``: how sure a match must be to be suggested, or near-certain.

::

    [matching]
    suggest = 0.5      # a sentence is suggested as a claim from this score (0 to 1)
    confirm = 0.9      # from this score the suggestion is marked near-certain

Scores are those of ``ledger match``: calibrated probabilities that the claim is the one the
text restates (``text.matching.calibrate``), so 0.5 reads "more likely than not". On the
benchmark's texts whose claim is not in the ledger, 4% (20k claims) and 2.5% (1M) pass 0.5, and
1.5% and none pass 0.9 (``benchmarks/bench_matching.py`` prints the rates). ``confirm`` must not be below ``suggest``. A wrong value is an error naming its line, as for the rest of the file.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ledger.errors import InvalidInput
from ledger.services.policy import line_of


@dataclass(frozen=True)
class MatchingPolicy:
    suggest: float = 0.5
    confirm: float = 0.9


DEFAULT_MATCHING = MatchingPolicy()


def parse_matching(raw: dict[str, Any], text: str, path: Path) -> MatchingPolicy:
    table = raw.get("matching", {})

    def fail(key: str, message: str) -> InvalidInput:
        line = line_of(text, ("matching", key) if key else ("matching",))
        return InvalidInput(f"{path}{f' line {line}' if line else ''}: matching{'.' + key if key else ''}: {message}")

    if not isinstance(table, dict):
        raise fail("", "must be a table")
    values = {"suggest": DEFAULT_MATCHING.suggest, "confirm": DEFAULT_MATCHING.confirm}
    for key, value in table.items():
        if key not in values:
            raise fail(key, "unknown setting; [matching] takes suggest and confirm")
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 1:
            raise fail(key, f"must be a number from 0 to 1, not {value!r}")
        values[key] = float(value)
    if values["confirm"] < values["suggest"]:
        raise fail("confirm", f"must not be below suggest ({values['suggest']})")
    return MatchingPolicy(**values)
