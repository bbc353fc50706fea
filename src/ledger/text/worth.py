"""Sentences worth checking: those that carry figures, dates or a quotation — what a fact-checker
looks for first — and, among them, the ones no recorded claim covers yet.

The audit's ``uncovered-sentence`` rule and the reader's "next sentence worth checking" key both
use this, so the key lands exactly where the audit would point.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass

from ledger.text.sentences import Sentence

_FIGURES = re.compile(r"\d")
_QUOTATION = re.compile(r"[«»“”„\"]")
_FR_DATES = re.compile(r"(?<!\w)(?:janvier|février|fevrier|mars|avril|mai|juin|juillet|août|aout|septembre|octobre|"
                       r"novembre|décembre|decembre|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)(?!\w)",
                       re.IGNORECASE)
# English names only capitalised ("march", "may" are also words); "May" with a day has a figure anyway
_EN_DATES = re.compile(r"(?<!\w)(?:January|February|March|April|June|July|August|September|October|November|"
                       r"December|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)(?!\w)")


@dataclass(frozen=True)
class Worth:
    """A sentence no claim covers, and what makes it worth checking."""

    sentence: Sentence
    signals: tuple[str, ...]  # "figures", "a date", "a quotation"


def signals(sentence: str) -> list[str]:
    """What in ``sentence`` a checker would check: figures, a date, a quotation."""
    found = []
    if _FIGURES.search(sentence):
        found.append("figures")
    if _FR_DATES.search(sentence) or _EN_DATES.search(sentence):
        found.append("a date")
    if _QUOTATION.search(sentence):
        found.append("a quotation")
    return found


def merged(spans: Iterable[tuple[int, int]]) -> tuple[list[int], list[int]]:
    """Overlapping spans joined: their starts and ends, in order."""
    starts: list[int] = []
    ends: list[int] = []
    for s, e in sorted(spans):
        if starts and s <= ends[-1]:
            ends[-1] = max(ends[-1], e)
        else:
            starts.append(s)
            ends.append(e)
    return starts, ends


def uncovered(sentences: Iterable[Sentence], covered: Iterable[tuple[int, int]]) -> list[Worth]:
    """The sentences worth checking that no ``covered`` span touches, in the order of the text."""
    starts, ends = merged(covered)
    out = []
    for s in sentences:
        k = bisect_right(starts, s.end - 1) - 1
        if k >= 0 and ends[k] > s.start:
            continue
        found = signals(s.text)
        if found:
            out.append(Worth(s, tuple(found)))
    return out


def next_uncovered(found: list[Worth], offset: int, *, here: bool = False) -> Worth | None:
    """The first of ``found`` starting after ``offset`` (or at it, with ``here``), wrapping round."""
    for w in found:
        if w.sentence.start > offset or (here and w.sentence.start == offset):
            return w
    return found[0] if found else None
