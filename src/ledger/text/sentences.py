"""Sentences of a French or English news text, as character spans of the original.

Good enough for an audit, not a linguist: a sentence ends at ``.``, ``!``, ``?`` or ``…``
(with any closing quotes or brackets after it) when the next word starts a new sentence
(a capital, a digit, an opening quote), and at every line break. Common abbreviations
(``M.``, ``Mme``, ``Dr.``, ``U.S.``, initials) and a quotation that goes on after its closing
mark (« … », a-t-il dit) do not end a sentence.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

_END = re.compile(r"[.!?…]+(?:[ \u00a0\u202f]?[\"'»”’)\]])*(?=\s)|\n")
_OPENERS = "«“\"‘'([—–-¿¡"
_ABBREVIATIONS = frozenset({
    "m", "mm", "mme", "mmes", "mlle", "mlles", "dr", "pr", "prof", "me", "mgr", "st", "ste", "gén", "gen", "col",
    "cdt", "lt", "sgt", "mr", "mrs", "ms", "jr", "sr", "sen", "rep", "gov", "gouv", "no", "n°", "vol", "p", "pp",
    "art", "al", "etc", "cf", "ex", "av", "apr", "env", "vs", "inc", "ltd", "co", "corp", "dept", "éd", "ed",
    "fig", "chap", "min", "max", "approx", "janv", "févr", "déc", "jan", "feb", "mar", "aug", "sept", "oct",
    "nov", "dec",
})
_WORD_BEFORE = re.compile(r"([\w°.-]+)$")


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    text: str


def _is_abbreviation(text: str, dot: int) -> bool:
    """Whether the ``.`` at ``dot`` closes an abbreviation or an initial rather than a sentence."""
    m = _WORD_BEFORE.search(text, max(0, dot - 20), dot)
    if not m:
        return False
    word = m.group(1).rstrip(".")
    if "." in word:  # U.S, J.-C, a.m
        return True
    if len(word) == 1 and word.isalpha() and word.isupper():  # an initial: J. Smith
        return True
    return word.lower() in _ABBREVIATIONS


def _starts_sentence(text: str, pos: int) -> bool:
    n = len(text)
    while pos < n and text[pos].isspace():
        if text[pos] == "\n":
            return True
        pos += 1
    if pos >= n:
        return True
    ch = text[pos]
    return ch.isupper() or ch.isdigit() or ch in _OPENERS


def split_sentences(text: str) -> list[Sentence]:
    """Every non-blank sentence of ``text`` with its offsets (whitespace trimmed)."""
    out: list[Sentence] = []
    start = 0
    for m in _END.finditer(text):
        end = m.end()
        if m.group() != "\n":
            if m.group()[0] == "." and m.group()[1:2] != "." and _is_abbreviation(text, m.start()):
                continue
            if not _starts_sentence(text, end):
                continue
        _add(out, text, start, end)
        start = end
    _add(out, text, start, len(text))
    return out


def _add(out: list[Sentence], text: str, start: int, end: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start < end:
        out.append(Sentence(start, end, text[start:end]))


class SentenceIndex:
    """Sentences of one text, to find those around a span quickly."""

    def __init__(self, text: str):
        self.text = text
        self.sentences = split_sentences(text)
        self._starts = [s.start for s in self.sentences]

    def around(self, start: int, end: int) -> tuple[int, int]:
        """The span from the start of the sentence holding ``start`` to the end of the one holding ``end``."""
        if not self.sentences:
            return start, end
        first = max(0, bisect_right(self._starts, start) - 1)
        last = max(first, bisect_right(self._starts, max(start, end - 1)) - 1)
        return min(start, self.sentences[first].start), max(end, self.sentences[last].end)

    def index_at(self, offset: int) -> int | None:
        """The sentence holding ``offset`` (or, between two sentences, the next one), by its index."""
        if not self.sentences:
            return None
        i = max(0, bisect_right(self._starts, offset) - 1)
        if offset >= self.sentences[i].end and i + 1 < len(self.sentences):
            return i + 1
        return i

    def extend(self, start: int, end: int) -> tuple[int, int]:
        """What a sentence key selects: with nothing selected (``start == end``), the sentence at
        the cursor; with a selection, the selection carried to the end of the next sentence."""
        if not self.sentences:
            return start, end
        if start == end:
            i = self.index_at(start)
            s = self.sentences[i]  # type: ignore[index]
            return s.start, s.end
        i = self.index_at(max(start, end - 1))
        s = self.sentences[i]  # type: ignore[index]
        if s.end > end:
            return start, s.end  # the selection ends inside a sentence: finish it first
        if i + 1 < len(self.sentences):
            return start, self.sentences[i + 1].end
        return start, end
