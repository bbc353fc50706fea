"""PostgreSQL bulk loads through ``COPY … FROM STDIN`` (psycopg 3 ``cursor.copy``).

``COPY`` skips the per-statement work of an INSERT; rows are written with ``write_row``, which
psycopg encodes in C. Values are adapted as an INSERT would adapt them (dates, booleans as they
are), and text no backend can store (NUL) is refused the same way before anything is sent.
"""

from __future__ import annotations

from typing import Any, Sequence

from sqlalchemy import Connection

from ledger.errors import InvalidInput


def copy_rows(conn: Connection, table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    if not rows:
        return
    if "\\x00" in repr(rows):  # one C-speed pass, as the INSERT guard does for executemany batches
        raise InvalidInput("the text holds a NUL character, which a ledger cannot store; nothing was changed")
    cols = ", ".join(f'"{c}"' for c in columns)
    cursor = conn.connection.driver_connection.cursor()
    try:
        with cursor.copy(f'COPY "{table}" ({cols}) FROM STDIN') as copy:
            write = copy.write_row
            for row in rows:
                write(row)
    finally:
        cursor.close()
