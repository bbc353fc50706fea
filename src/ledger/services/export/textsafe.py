"""Making user text safe in a report: control characters shown, Markdown syntax escaped.

User text (titles, quotes, notes, names) is data. In a Markdown report it must not become
headings, links, raw HTML or table breaks, nor a link by GitHub's autolinking of bare
``https://…``, ``ftp://…`` and ``www.…`` text: the ``:`` of ``scheme://`` and the dot of ``www.`` get a
backslash, which every CommonMark renderer shows as the same character but which stops the
autolink; in any report a terminal escape sequence must show as
text (``\\x1b``) rather than drive the terminal that prints it. HTML escaping is Jinja's autoescape.
"""

from __future__ import annotations

import re
from typing import Any

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~&])")
_MD_LINE_START = re.compile(r"^(\s*)(?:([-=+])|(\d+)([.)]))")
_AUTOLINK = re.compile(r"(?<=[A-Za-z])(:)(?=//)|(?<![A-Za-z0-9])([Ww][Ww][Ww])(\.)")
_URL = re.compile("https?://[^\\s<>|\\\\`\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]+")


class MdSafe(str):
    """Markdown already escaped or built by the report itself."""


def visible_controls(text: str) -> str:
    """Control characters (ANSI escapes included) as visible ``\\x1b``-style text; tabs and line
    breaks kept."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def md_inline(value: Any) -> str:
    """A value for one line of Markdown: escaped, line breaks folded into spaces."""
    if value is None:
        return ""
    if isinstance(value, MdSafe):
        return value
    text = visible_controls(str(value).replace("\r\n", "\n"))
    text = " ".join(text.split("\n"))
    return _line_start(_escape(text))


def _escape(text: str) -> str:
    """Markdown syntax and autolink triggers escaped, on one line."""
    return _AUTOLINK.sub(lambda m: "\\:" if m.group(1) else m.group(2) + "\\.", _MD_SPECIAL.sub(r"\\\1", text))


def md_link(url: Any) -> MdSafe:
    """A URL the ledger holds as a link (``<https://…>``) when it is a plain http(s) URL; any other
    value as escaped text."""
    text = "" if url is None else str(url)
    if _URL.fullmatch(text):
        return MdSafe(f"<{text}>")
    return MdSafe(md_inline(text))


def _line_start(text: str) -> str:
    """Escape what would start a list or a heading underline at the beginning of a line."""
    def fix(m: re.Match[str]) -> str:
        if m.group(2):
            return m.group(1) + "\\" + m.group(2)
        return m.group(1) + m.group(3) + "\\" + m.group(4)

    return _MD_LINE_START.sub(fix, text)


def md_quote(value: Any) -> MdSafe:
    """A possibly multi-line text as a Markdown block quote, each line escaped."""
    lines = visible_controls(str(value or "").replace("\r\n", "\n")).split("\n")
    out = []
    for line in lines:
        esc = _line_start(_escape(line))
        out.append(("> " + esc).rstrip())
    return MdSafe("\n".join(out))


def md_escape_text(text: str) -> str:
    """Escape for citeproc output rendered into Markdown (one line)."""
    return md_inline(text)
