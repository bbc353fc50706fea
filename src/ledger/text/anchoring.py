"""Finding a quoted passage inside an article's text.

Editors paste quotes from wherever they read them, so matching forgives what copy-paste
changes: typographic quotes and apostrophes, dashes, no-break spaces and runs of whitespace.
Text and quote are compared in NFC, so an accent typed as a separate combining mark matches the
precomposed letter. Offsets always refer to the article's original text. An anchor keeps
prefix/suffix context (like the W3C TextQuoteSelector) so it can be found again after the text
is edited.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

from ledger.errors import InvalidInput

CONTEXT_CHARS = 32

_FOLD = {
    **{c: "'" for c in "\u2018\u2019\u201a\u201b\u2032\u02bc\u00b4`"},
    **{c: '"' for c in "\u201c\u201d\u201e\u201f\u00ab\u00bb\u2039\u203a\u2033"},
    **{c: "-" for c in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"},
    "\u2026": "...",
}


@dataclass(frozen=True)
class Anchor:
    quote: str  # the exact text of the article between start and end
    start: int
    end: int
    prefix: str
    suffix: str


def _composed(text: str) -> Iterator[tuple[int, str]]:
    """The characters of ``text`` in NFC (an "e" followed by a combining acute read as "é"), each with
    the offset in ``text`` of the character its cluster starts at."""
    if unicodedata.is_normalized("NFC", text):
        yield from enumerate(text)
        return
    i, n = 0, len(text)
    while i < n:
        j = i + 1
        while j < n and unicodedata.combining(text[j]):
            j += 1
        for ch in unicodedata.normalize("NFC", text[i:j]):
            yield i, ch
        i = j


def span_end(text: str, end: int) -> int:
    """``end`` moved past the combining marks that belong to the character before it."""
    while end < len(text) and unicodedata.combining(text[end]):
        end += 1
    return end


def _normalise(text: str) -> tuple[str, list[int]]:
    """Fold typography, compose accents (NFC) and collapse whitespace; return the folded text and,
    for each of its characters, the offset in ``text`` it came from (a composed character: where
    its cluster starts; ``span_end`` finds where it ends)."""
    out: list[str] = []
    origin: list[int] = []
    in_space = False
    after_open_guillemet = False
    for i, ch in _composed(text):
        if ch.isspace():
            if after_open_guillemet:
                continue  # « meilleur ami » matches "meilleur ami"
            if not in_space:
                out.append(" ")
                origin.append(i)
            in_space = True
            continue
        if ch in "\u00bb\u203a" and in_space:
            out.pop()
            origin.pop()
        in_space = False
        after_open_guillemet = ch in "\u00ab\u2039"
        folded = _FOLD.get(ch, ch)
        for f in folded:
            out.append(f)
            origin.append(i)
    return "".join(out), origin


def fold(text: str) -> tuple[str, list[int]]:
    """``text`` with typography folded and whitespace collapsed, and the original offset of each
    character (to search one text for many quotes without folding it again each time)."""
    return _normalise(text)


def find_all(text: str, quote: str) -> list[tuple[int, int]]:
    """Every (start, end) in ``text`` where ``quote`` occurs, forgiving typography/whitespace."""
    needle, _ = _normalise(quote.strip())
    if not needle:
        return []
    hay, origin = _normalise(text)
    spans = []
    pos = hay.find(needle)
    while pos != -1:
        last = pos + len(needle) - 1
        spans.append((origin[pos], span_end(text, origin[last] + 1)))
        pos = hay.find(needle, pos + 1)
    return spans


def make_anchor(text: str, start: int, end: int) -> Anchor:
    return Anchor(
        quote=text[start:end],
        start=start,
        end=end,
        prefix=text[max(0, start - CONTEXT_CHARS) : start],
        suffix=text[end : end + CONTEXT_CHARS],
    )


def locate(text: str, quote: str, *, occurrence: int | None = None, where: str = "the article") -> Anchor:
    """The one place ``quote`` stands in ``text``; refuses absent or ambiguous quotes."""
    if not quote or not quote.strip():
        raise InvalidInput("the quote is empty")
    spans = find_all(text, quote)
    shown = _shorten(quote)
    if not spans:
        raise InvalidInput(f"the quote “{shown}” does not occur in {where}")
    if occurrence is None:
        if len(spans) > 1:
            raise InvalidInput(
                f"the quote “{shown}” occurs {len(spans)} times in {where}; "
                f"pick one with --occurrence 1..{len(spans)}"
            )
        occurrence = 1
    if not 1 <= occurrence <= len(spans):
        raise InvalidInput(
            f"--occurrence {occurrence} is out of range: the quote occurs {len(spans)} time(s) in {where}"
        )
    start, end = spans[occurrence - 1]
    return make_anchor(text, start, end)


def contains(text: str, passage: str) -> bool:
    return bool(find_all(text, passage))


def _shorten(s: str, limit: int = 60) -> str:
    s = " ".join(s.split())
    return s if len(s) <= limit else s[: limit - 1] + "…"
