"""PostgreSQL bulk loads through ``COPY … FROM STDIN`` (psycopg 3 ``cursor.copy``).

``COPY`` skips the per-statement work of an INSERT; rows are written with ``write_row``, which
psycopg encodes in C. Values are adapted as an INSERT would adapt them (dates, booleans as they
are), and text no backend can store (NUL) is refused the same way before anything is sent.

``rows`` may be an iterator: each row then goes to the server as soon as it is made, so the
server stores rows while Python computes the next ones (the bulk paths build their rows, event
payloads and hash chain that way). The caller then checks for NUL characters on its input
(``refuse_nul``) and says so with ``checked``.
"""

from __future__ import annotations

from typing import Any, Iterable, Sequence

from sqlalchemy import Connection

from ledger.errors import InvalidInput


def refuse_nul(values: Any) -> None:
    """Refuse ``values`` (rows, or the input they are made from) if any text in them holds a NUL:
    one C-speed pass, as the INSERT guard does for executemany batches."""
    if "\\x00" in repr(values):
        raise InvalidInput("the text holds a NUL character, which a ledger cannot store; nothing was changed")


def copy_rows(conn: Connection, table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]], *,
              checked: bool = False) -> None:
    if not checked:
        rows = list(rows)
        if not rows:
            return
        refuse_nul(rows)
    from psycopg.copy import QueuedLibpqWriter

    cols = ", ".join(f'"{c}"' for c in columns)
    cursor = conn.connection.driver_connection.cursor()
    try:
        # a thread of its own sends the data, so Python goes on building rows while the server is busy
        with cursor.copy(f'COPY "{table}" ({cols}) FROM STDIN', writer=QueuedLibpqWriter(cursor)) as copy:
            write = copy.write_row
            for row in rows:
                write(row)
    finally:
        cursor.close()
