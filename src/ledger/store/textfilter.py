"""The text filter of the article and source lists: what the user types is found in a title (or
outlet, publisher) whatever its case and accents — ``coree`` finds "Corée", ``à pyong`` finds
"À Pyongyang" — and ``%`` or ``_`` typed by the user are plain characters, not wildcards.

Both sides are folded the same way: the pattern by ``fold`` in Python; the column in SQL, on
SQLite by the same ``fold`` registered as a deterministic SQL function on the connection, on
PostgreSQL by ``lower`` and ``translate``. The letters folded are those of the Latin-1 range plus
œ/Œ, and the combining accents of decomposed text.
"""

from __future__ import annotations

import unicodedata
from sqlalchemy import ColumnElement, Connection, func, literal, or_

ESCAPE = "\\"


def _table() -> dict[str, str]:
    fold: dict[str, str] = {"œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae", "ß": "ss", "ø": "o", "Ø": "o"}
    for code in range(0xC0, 0x100):
        ch = chr(code)
        base = unicodedata.normalize("NFD", ch)[0]
        if base != ch and base.isascii() and base.isalpha():
            fold[ch] = base.lower()
    for code in (0x300, 0x301, 0x302, 0x303, 0x308, 0x30A, 0x327):  # decomposed accents and cedilla
        fold[chr(code)] = ""
    return fold


FOLD = _table()


def fold(text: str) -> str:
    """``text`` without accents, in lower case, as the SQL side folds a column."""
    text = unicodedata.normalize("NFC", text)
    return "".join(FOLD.get(ch, ch) for ch in text).lower()


_MULTI = {k: v for k, v in FOLD.items() if len(v) > 1 and k.islower()}  # œ → oe: translate maps one to one
_ONE_FROM = "".join(k for k, v in FOLD.items() if len(v) == 1 and k.islower())
_ONE_TO = "".join(FOLD[k] for k in _ONE_FROM)
_DROP = "".join(k for k, v in FOLD.items() if not v)  # past the end of TO: translate deletes them


def folded(conn: Connection, column: ColumnElement) -> ColumnElement:
    """The SQL expression folding ``column`` (NULL read as empty) like ``fold``."""
    value = func.coalesce(column, "")
    if conn.dialect.name == "sqlite":
        conn.connection.driver_connection.create_function("ledger_fold", 1, _sql_fold, deterministic=True)
        return func.ledger_fold(value)
    expr = func.translate(func.lower(value), literal(_ONE_FROM + _DROP), literal(_ONE_TO))
    for ch, repl in _MULTI.items():
        expr = func.replace(expr, literal(ch), literal(repl))
    return expr


def _sql_fold(value: str | None) -> str:
    return fold(value) if isinstance(value, str) else ""


def contains_pattern(text: str) -> str:
    """A LIKE pattern finding the folded ``text`` anywhere, its wildcards escaped."""
    escaped = fold(text).replace(ESCAPE, ESCAPE * 2).replace("%", ESCAPE + "%").replace("_", ESCAPE + "_")
    return f"%{escaped}%"


def matching(conn: Connection, text: str, *columns: ColumnElement) -> ColumnElement:
    """Rows where any of ``columns`` holds ``text`` (case, accents and wildcards as above)."""
    pattern = contains_pattern(text)
    return or_(*(folded(conn, c).like(pattern, escape=ESCAPE) for c in columns))
