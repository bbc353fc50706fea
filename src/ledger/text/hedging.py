"""Hedged sourcing in a text: "selon certaines sources", "reportedly", conditional reporting.

Pure matching for the audit's vague-attribution rule: which phrase list applies to a language
(by its primary subtag: ``pt-BR`` uses ``pt``; an unknown or missing language uses every list),
and which phrases occur in a stretch of text, as whole words, whatever the apostrophe.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping


def phrases_for(lists: Mapping[str, Iterable[str]], lang: str | None) -> list[str]:
    key = (lang or "").split("-")[0].lower()
    if key in lists:
        return list(lists[key])
    return [p for phrases in lists.values() for p in phrases]


def phrase_pattern(phrases: Iterable[str]) -> re.Pattern[str] | None:
    """One case-insensitive pattern matching any of ``phrases`` as whole words; spaces match any
    run of whitespace and an apostrophe any apostrophe."""
    parts = []
    for p in sorted({p.strip() for p in phrases if p.strip()}, key=len, reverse=True):
        escaped = re.sub(r"(\\ )+", r"\\s+", re.escape(p))
        parts.append(escaped.replace("'", "['’ʼ]").replace("’", "['’ʼ]"))
    if not parts:
        return None
    return re.compile(r"(?<!\w)(?:" + "|".join(parts) + r")(?!\w)", re.IGNORECASE)


def hedges(pattern: re.Pattern[str], text: str, start: int = 0, end: int | None = None) -> list[str]:
    """The distinct hedging phrases (lower case, sorted) in ``text[start:end]``."""
    return sorted({m.group(0).lower() for m in pattern.finditer(text, start, len(text) if end is None else end)})
