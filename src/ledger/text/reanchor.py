"""Finding every appearance again after an article's text is revised.

The same strategy Hypothesis uses to re-attach annotations to a changed page, on a
TextQuoteSelector (quote + prefix/suffix context) with a position hint:

1. **kept** — the exact quote still stands at its offsets;
2. **moved** — the quote (forgiving typography and whitespace) stands elsewhere: the occurrence
   whose context still matches wins, then the one nearest the old offset;
3. **fuzzy** — the passage was reworded: rapidfuzz aligns the quote with its prefix/suffix context
   in the new text, then the quote inside that region, and accepts it above a threshold;
4. **orphaned** — nothing close enough: the appearance is kept, flagged, for an editor to relink.

This module only computes; ``services.workflow`` writes the result and its events.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from os.path import commonprefix

from rapidfuzz.fuzz import partial_ratio_alignment, ratio

from ledger.models import AppearanceRow
from ledger.text.anchoring import Anchor, fold, make_anchor, span_end

_WORD_START = re.compile(r"(?<![\w])[\w«“\"'(]")
_WORD_END = re.compile(r"[\w»”\"').!?…](?![\w])")
_ONE_TO_ONE = str.maketrans({
    **{c: "'" for c in "\u2018\u2019\u201a\u201b\u2032\u02bc\u00b4`"},
    **{c: '"' for c in "\u201c\u201d\u201e\u201f\u00ab\u00bb\u2033"},
    **{c: "-" for c in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"},
    "\u2026": ".", "\u00a0": " ", "\u202f": " ", "\n": " ", "\t": " ",
})


@dataclass(frozen=True)
class Reanchored:
    appearance: AppearanceRow
    method: str  # "kept" | "moved" | "fuzzy" | "orphaned"
    anchor: Anchor | None
    score: float | None = None

    @property
    def moved(self) -> bool:
        """Whether the stored offsets, quote or orphan flag change."""
        a = self.appearance
        if self.anchor is None:
            return not a.orphaned
        return (a.orphaned or self.anchor.start != a.start or self.anchor.end != a.end
                or self.anchor.quote != a.quote)

    @property
    def context_changed(self) -> bool:
        return self.anchor is not None and (self.anchor.prefix != self.appearance.prefix
                                            or self.anchor.suffix != self.appearance.suffix)


def _fold_same_length(text: str) -> str:
    """Lower case and plain typography, one character for one, so offsets stay valid."""
    folded = text.translate(_ONE_TO_ONE)
    lowered = folded.lower()
    return lowered if len(lowered) == len(folded) else folded


class Reanchorer:
    """One revised text, folded once, against which any number of appearances are re-anchored."""

    def __init__(self, body: str, *, threshold: int = 80):
        self.body = body
        self.threshold = threshold
        self._hay, self._origin = fold(body)
        self._flat = _fold_same_length(body)

    # -------------------------------------------------------------------- exact
    def _occurrences(self, quote: str) -> list[tuple[int, int]]:
        needle, _ = fold(quote.strip())
        if not needle:
            return []
        spans, pos = [], self._hay.find(needle)
        while pos != -1:
            spans.append((self._origin[pos], span_end(self.body, self._origin[pos + len(needle) - 1] + 1)))
            pos = self._hay.find(needle, pos + 1)
        return spans

    def _context_score(self, a: AppearanceRow, start: int, end: int) -> int:
        """How many characters of the stored prefix and suffix still surround ``start``-``end``."""
        before = self.body[max(0, start - len(a.prefix)):start]
        after = self.body[end:end + len(a.suffix)]
        return len(commonprefix([before[::-1], a.prefix[::-1]])) + len(commonprefix([after, a.suffix]))

    # -------------------------------------------------------------------- fuzzy
    def _fuzzy(self, a: AppearanceRow) -> tuple[float, int, int] | None:
        quote = _fold_same_length(a.quote.strip())
        if not quote or not self._flat:
            return None
        candidates: list[tuple[float, int, int, int]] = []
        context = _fold_same_length(a.prefix + a.quote + a.suffix)
        region = partial_ratio_alignment(context, self._flat)
        if region is not None:
            slack = len(quote) // 2 + 8
            lo = max(0, region.dest_start - slack)
            hi = min(len(self._flat), region.dest_end + slack)
            inner = partial_ratio_alignment(quote, self._flat[lo:hi])
            if inner is not None:
                candidates.append((inner.score, 1, lo + inner.dest_start, lo + inner.dest_end))
        anywhere = partial_ratio_alignment(quote, self._flat)
        if anywhere is not None:
            candidates.append((anywhere.score, 0, anywhere.dest_start, anywhere.dest_end))
        if not candidates:
            return None
        score, _, start, end = max(candidates)
        refined, start, end = self._refine(quote, start, end)
        score = max(score, refined)
        return (score, start, end) if score >= self.threshold and start < end else None

    def _refine(self, quote: str, start: int, end: int) -> tuple[float, int, int]:
        """Move a fuzzy window's ends to the word boundaries that best match the quote: the aligned
        window has the old quote's length, the reworded passage may be shorter or longer."""
        reach = max(20, len(quote) * 2 // 3)
        lo, hi = max(0, start - reach), min(len(self.body), end + reach)
        starts = [m.start() for m in _WORD_START.finditer(self.body, lo, hi)] or [start]
        ends = [m.end() for m in _WORD_END.finditer(self.body, lo, hi)] or [end]
        starts = [s for s in starts if abs(s - start) <= reach]
        ends = [e for e in ends if abs(e - end) <= reach]
        best = (-1.0, start, end)
        for s in starts:
            for e in ends:
                if e > s:
                    score = ratio(quote, self._flat[s:e])
                    if score > best[0]:
                        best = (score, s, e)
        return best

    # -------------------------------------------------------------------- public
    def reanchor(self, a: AppearanceRow) -> Reanchored:
        body = self.body
        if 0 <= a.start <= a.end <= len(body) and body[a.start:a.end] == a.quote:
            return Reanchored(a, "kept", make_anchor(body, a.start, a.end), 100.0)
        spans = self._occurrences(a.quote)
        if spans:
            start, end = min(spans, key=lambda s: (-self._context_score(a, *s), abs(s[0] - a.start)))
            return Reanchored(a, "moved", make_anchor(body, start, end), 100.0)
        found = self._fuzzy(a)
        if found is not None:
            score, start, end = found
            return Reanchored(a, "fuzzy", make_anchor(body, start, end), round(score, 1))
        return Reanchored(a, "orphaned", None, None)


def reanchor_all(body: str, appearances: list[AppearanceRow], *, threshold: int = 80) -> list[Reanchored]:
    engine = Reanchorer(body, threshold=threshold)
    return [engine.reanchor(a) for a in appearances]
