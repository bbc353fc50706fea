"""Reading a large JSON document without holding it in memory.

The ledger's JSON export is one object whose values are scalars or arrays of records. This reader
walks such an object with the standard library's decoder, one record at a time, refilling a
bounded buffer from the file and keeping count of lines so a bad record can be named by the line
it starts on. Any valid JSON of that shape is read, however it is indented.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from typing import Any, Iterator, TextIO

from ledger.errors import InvalidInput

CHUNK = 1 << 16
MAX_RECORD = 64 * 1024 * 1024
TOO_DEEP = "nested too deeply (arrays and objects more than about 1,000 levels inside each other)"
# One line of a JSON Lines file is read whole, so it is capped: 16 MiB of text by default
# (``LEDGER_MAX_JSON_LINE``, in characters, overrides it); a JSON document that is not JSON Lines
# and not the ledger's own export is read whole too, up to four times that.
MAX_LINE = 16 * 1024 * 1024


def max_line() -> int:
    """The cap on one JSON Lines line, in characters (``LEDGER_MAX_JSON_LINE`` overrides it)."""
    raw = os.environ.get("LEDGER_MAX_JSON_LINE", "").strip()
    if not raw:
        return MAX_LINE
    try:
        value = int(raw)
    except ValueError:
        value = 0
    if value < 1:
        raise InvalidInput(f"LEDGER_MAX_JSON_LINE must be a positive number of characters, not {raw!r}")
    return value


def size(chars: int) -> str:
    return f"{chars / (1024 * 1024):g} MiB" if chars >= 1024 * 1024 else f"{chars:,} characters"
_WS = " \t\r\n"


@dataclass(frozen=True)
class Header:
    key: str
    value: Any


@dataclass(frozen=True)
class Record:
    section: str
    index: int
    line: int
    value: Any


class _Reader:
    def __init__(self, fp: TextIO, name: str):
        self.fp = fp
        self.name = name
        self.buf = ""
        self.pos = 0
        self.line = 1
        self.eof = False
        self.decoder = json.JSONDecoder()

    def _fill(self) -> bool:
        if self.eof:
            return False
        chunk = self.fp.read(CHUNK)
        if not chunk:
            self.eof = True
            return False
        if self.pos:
            self.buf = self.buf[self.pos:]
            self.pos = 0
        self.buf += chunk
        return True

    def _advance(self, new: int) -> None:
        self.line += self.buf.count("\n", self.pos, new)
        self.pos = new

    def fail(self, why: str) -> None:
        raise InvalidInput(f"{self.name} line {self.line}: {why}")

    def peek(self) -> str:
        while True:
            while self.pos < len(self.buf) and self.buf[self.pos] in _WS:
                if self.buf[self.pos] == "\n":
                    self.line += 1
                self.pos += 1
            if self.pos < len(self.buf):
                return self.buf[self.pos]
            if not self._fill():
                return ""

    def expect(self, ch: str) -> None:
        got = self.peek()
        if got != ch:
            self.fail(f"not valid JSON: expected {ch!r}, found {got or 'the end of the file'!r}")
        self._advance(self.pos + 1)

    def value(self) -> Any:
        self.peek()
        while True:
            try:
                obj, end = self.decoder.raw_decode(self.buf, self.pos)
            except json.JSONDecodeError as exc:
                # maybe only cut short by the end of the buffer: read more and try again
                if not self.eof and len(self.buf) - self.pos < MAX_RECORD and self._fill():
                    continue
                where = self.line + self.buf.count("\n", self.pos, exc.pos)
                raise InvalidInput(f"{self.name} line {where}: not valid JSON: {exc.msg}") from None
            except RecursionError:
                raise InvalidInput(f"{self.name} line {self.line}: not valid JSON: {TOO_DEEP}") from None
            # a value ending exactly at the end of the buffer (a number) may go on in the next chunk
            if end == len(self.buf) and not self.eof and self._fill():
                continue
            self._advance(end)
            return obj


def read_object(fp: TextIO, name: str) -> Iterator[Header | Record]:
    """Yield the top-level object's scalar members as ``Header`` and the elements of its array
    members as ``Record``, in file order."""
    r = _Reader(fp, name)
    if r.peek() == "\ufeff":
        r._advance(r.pos + 1)
    r.expect("{")
    if r.peek() == "}":
        r._advance(r.pos + 1)
        return
    while True:
        key = r.value()
        if not isinstance(key, str):
            r.fail("not valid JSON: a member name must be a string")
        r.expect(":")
        if r.peek() == "[":
            r._advance(r.pos + 1)
            index = 0
            if r.peek() == "]":
                r._advance(r.pos + 1)
            else:
                while True:
                    r.peek()
                    line = r.line
                    yield Record(key, index, line, r.value())
                    index += 1
                    nxt = r.peek()
                    if nxt == ",":
                        r._advance(r.pos + 1)
                        continue
                    r.expect("]")
                    break
        else:
            yield Header(key, r.value())
        nxt = r.peek()
        if nxt == ",":
            r._advance(r.pos + 1)
            continue
        r.expect("}")
        break
    if r.peek():
        r.fail("not valid JSON: text after the end of the document")
