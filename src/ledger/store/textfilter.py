"""The text filter of the article and source lists: what the user types is found in a title (or
outlet, publisher) whatever its case and accents — ``coree`` finds "Corée", ``à pyong`` finds
"À Pyongyang" — and ``%`` or ``_`` typed by the user are plain characters, not wildcards.

The filter goes through the tables' full-text indexes (FTS5 on SQLite, the ``search`` tsvector
on PostgreSQL), so it costs what the index lookup costs, not a function call per row: the typed
words are matched as a phrase whose words match from their start (``pyong`` finds "Pyongyang",
like ``ledger search``). Both indexes fold case and accents. When what was typed holds more than
words and single spaces (``100%``, ``l'or``, ``snake_case``), the rows the index found are also
held to the exact folded text, wildcards escaped; only text without any word (``%`` alone) falls
back to that check on every row.

The exact check folds both sides the same way: the pattern by ``fold`` in Python; the column in
SQL, on SQLite by the same ``fold`` registered as a deterministic SQL function on the
connection, on PostgreSQL by ``lower`` and ``translate``. The letters folded are those of the
Latin-1 range plus œ/Œ, and the combining accents of decomposed text.
"""

from __future__ import annotations

import itertools
import re
import unicodedata

from sqlalchemy import ColumnElement, Connection, Table, and_, column, func, literal, or_, select, table as sql_table
from sqlalchemy import text as sql_text

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


# The full-text index of each filtered table: FTS5 table on SQLite (tokenised with accents removed;
# ligatures are kept as they are, hence the variants below), ``search`` column on PostgreSQL.
FTS_INDEX = {"article": "article_fts", "source": "source_fts"}
_WORD = re.compile(r"[^\W_]+", re.UNICODE)  # FTS5 and PostgreSQL split words at "_" too
_LIGATURES = {"oe": "œ", "ae": "æ", "ss": "ß"}  # folded spellings FTS5 does not fold back
_MOST_VARIANTS = 16


def _variants(word: str) -> list[str]:
    """``word`` and its spellings with ligatures (``oeil`` → ``oeil``, ``œil``): FTS5 folds accents
    but keeps œ, æ and ß, which ``fold`` spells out."""
    spots = [(m.start(), m.group()) for m in re.finditer("|".join(_LIGATURES), word)]
    found = []
    for choice in itertools.product((False, True), repeat=min(len(spots), 3)):
        out, last = [], 0
        for (at, pair), use in zip(spots, choice):
            out.append(word[last:at] + (_LIGATURES[pair] if use else pair))
            last = at + len(pair)
        found.append("".join(out) + word[last:])
    return found


def _fts5_phrases(words: list[str]) -> str | None:
    """An FTS5 query: the words as one phrase, the last one a prefix (None when the ligature
    variants would be too many)."""
    combos = list(itertools.islice(itertools.product(*(_variants(w) for w in words)), _MOST_VARIANTS + 1))
    if len(combos) > _MOST_VARIANTS:
        return None
    return " OR ".join('"' + " ".join(c) + '"*' for c in combos)


def _tsquery(words: list[str]) -> str:
    return " <-> ".join(words[:-1] + [words[-1] + ":*"])


def filtered(conn: Connection, text: str, table: Table, *columns: ColumnElement) -> ColumnElement:
    """Rows of ``table`` where any of ``columns`` holds ``text`` (see the module's docstring),
    found through the table's full-text index."""
    folded_text = fold(text)
    words = _WORD.findall(folded_text)
    exact = folded_text == " ".join(words)  # nothing the index does not see
    if not words:
        return matching(conn, text, *columns)
    if conn.dialect.name == "postgresql":
        index = sql_text(f"{table.name}.search @@ to_tsquery('ledger_search', :filter_q)").bindparams(
            filter_q=_tsquery(words))
    else:
        phrases = _fts5_phrases(words)
        if phrases is None:
            return matching(conn, text, *columns)
        fts = FTS_INDEX[table.name]
        rowid = sql_table(fts, column("rowid")).c.rowid
        index = table.c.id.in_(select(rowid).where(sql_text(f"{fts} MATCH :filter_q").bindparams(filter_q=phrases)))
    return index if exact else and_(index, matching(conn, text, *columns))

