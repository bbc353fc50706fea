"""Characters that must never reach a terminal raw, and the three ways of showing them.

A terminal obeys C0 controls (ESC starts an escape sequence), C1 controls (U+009B is a one-byte
CSI, U+009D an OSC, U+0085 a line break), DEL, and reorders text around bidirectional overrides and
isolates (U+202A–U+202E, U+2066–U+2069) and marks (U+200E, U+200F, U+061C): printed raw, user text
could recolour the screen, retitle the window, hide a line or show ``verified`` where the ledger
says ``false``. Output for a terminal or standard output shows them as escapes instead:

- ``visible``: ``\\x1b`` / ``\\u202e`` text (plain output, CSV);
- ``json_escaped``: JSON's own ``\\u009b`` escapes, so a JSON document keeps its exact text;
- ``entity_escaped``: ``&#x202e;`` references, so HTML and Markdown render the same text.

Files written with ``-o`` keep the exact text.
"""

from __future__ import annotations

import re

BIDI = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
UNSAFE = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{BIDI}]")
# what json.dumps leaves raw (it always escapes C0 itself)
_JSON_RAW = re.compile(f"[\x7f-\x9f{BIDI}]")
# a CR that is not the first half of a CRLF line end
_BARE_CR = re.compile(r"\r(?!\n)")


def escape_code(char: str) -> str:
    code = ord(char)
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def visible(text: str, *, crlf: bool = False) -> str:
    """Unsafe characters as ``\\x1b``-style text; tabs and line feeds kept (and CRLF line ends
    when ``crlf``: a CR that ends no line is still shown, it would overwrite the line)."""
    if crlf:
        text = _BARE_CR.sub("\\\\x0d", text)
        return UNSAFE.sub(lambda m: m.group() if m.group() == "\r" else escape_code(m.group()), text)
    return UNSAFE.sub(lambda m: escape_code(m.group()), text)


def json_escaped(text: str) -> str:
    """JSON text (from ``json.dumps``) with DEL, C1 and bidi characters as ``\\u`` escapes: the
    same JSON value, nothing a terminal obeys. Such characters can only stand inside strings."""
    return _JSON_RAW.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def entity_escaped(text: str) -> str:
    """HTML or Markdown with unsafe characters as numeric character references."""
    return UNSAFE.sub(lambda m: f"&#x{ord(m.group()):x};", text)
