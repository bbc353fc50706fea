"""What a ledger can store: text without NUL characters or lone surrogates, numbers within 64 bits.

Every statement's parameters are checked before they reach the driver, the same way on SQLite and
PostgreSQL: by an engine hook in ``ledger.db``, and by the plain sqlite3 reads of
``services.reading``.
"""

from __future__ import annotations

import re
from typing import Any

from ledger.errors import InvalidInput

_UNSTORABLE = re.compile(r"[\x00\ud800-\udfff]")
_INT64 = (-(2**63), 2**63 - 1)


def _unstorable(value: str) -> InvalidInput:
    char = _UNSTORABLE.search(value).group()
    what = "a NUL character" if char == "\x00" else f"an undecodable byte ({char!r}, not valid Unicode)"
    shown = value if len(value) <= 60 else value[:59] + "…"
    return InvalidInput(f"the text {shown!r} holds {what}, which a ledger cannot store; nothing was changed")


def _plain_batch(parameters: Any) -> bool:
    """True when a batch surely holds no NUL, lone surrogate or number beyond 64 bits: orjson
    refuses the last two and writes NUL as ``\\u0000`` (a backslash typed before ``u0000`` is
    doubled, so it only sends the batch through the careful check)."""
    import orjson

    try:
        return b"\\u0000" not in orjson.dumps(parameters)
    except TypeError:  # orjson's errors, and values it does not know (bytes…): check value by value
        return False


def check_parameters(parameters: Any, *, executemany: bool = False) -> None:
    """Refuse text no backend can store faithfully (NUL, lone surrogates from undecodable
    arguments) and numbers beyond 64 bits before they reach the driver, the same way on SQLite
    and PostgreSQL."""
    if not parameters:
        return
    if executemany and _plain_batch(parameters):  # bulk batches: one C-speed pass
        return
    for row in (parameters if executemany else (parameters,)):
        for value in (row.values() if isinstance(row, dict) else row):
            if type(value) is str and _UNSTORABLE.search(value):
                raise _unstorable(value)
            if type(value) is int and not _INT64[0] <= value <= _INT64[1]:
                raise InvalidInput(f"the number {value} is too large for a ledger; nothing was changed")
