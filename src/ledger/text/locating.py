"""Finding an excerpt in a source's text from a few words, and saying where it stands.

``find_words`` matches the words typed in order, ignoring case and whatever punctuation or spacing
lies between them ("missiles hit kharkiv" finds "missiles hit Kharkiv,"); ``locator_at`` names the
place of an offset as a checker would cite it: the page (when the text keeps page breaks, as a PDF
extraction does with form feeds) and the paragraph.
"""

from __future__ import annotations

import re

_WORD = re.compile(r"\w+", re.UNICODE)
_PARAGRAPH_BREAK = re.compile(r"\n[ \t\u00a0]*\n")


def words_pattern(words: str) -> re.Pattern[str] | None:
    """The words of ``words`` in order, anything but letters and digits between them."""
    found = _WORD.findall(words)
    if not found:
        return None
    return re.compile(r"\W+".join(re.escape(w) for w in found), re.IGNORECASE)


def find_words(text: str, words: str, start: int = 0) -> tuple[int, int] | None:
    """The first match of ``words`` at or after ``start``, wrapping round to the top."""
    pattern = words_pattern(words)
    if pattern is None:
        return None
    m = pattern.search(text, start) or pattern.search(text, 0)
    return (m.start(), m.end()) if m else None


def _paragraph_number(text: str, offset: int) -> int:
    """The paragraph holding ``offset`` in ``text``, from 1: blank lines part paragraphs, or single
    line breaks in a text that has no blank line."""
    breaks = _PARAGRAPH_BREAK if _PARAGRAPH_BREAK.search(text) else re.compile(r"\n")
    before = [m for m in breaks.finditer(text) if m.end() <= offset and text[:m.start()].strip()]
    return len(before) + 1


def locator_at(text: str, offset: int) -> str:
    """Where ``offset`` stands: ``p. 3, ¶ 2`` in a text with page breaks, else ``¶ 4``."""
    offset = max(0, min(offset, len(text)))
    if "\f" in text:
        page = text.count("\f", 0, offset) + 1
        page_start = text.rfind("\f", 0, offset) + 1
        page_end = text.find("\f", offset)
        page_text = text[page_start: page_end if page_end >= 0 else len(text)]
        return f"p. {page}, ¶ {_paragraph_number(page_text, offset - page_start)}"
    return f"¶ {_paragraph_number(text, offset)}"
