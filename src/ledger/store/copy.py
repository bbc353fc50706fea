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


class Formatting:
    """One table's ``COPY`` data, formatted into memory by psycopg's own formatter (``Copy`` with a
    ``FileWriter``, as psycopg documents for data sent later). Made on the connection's thread;
    ``format`` may then run on another thread (it never touches the connection), and ``send``
    on the connection's thread streams the bytes in one ``COPY``: the thread holding the
    connection then only waits on the server, and Python's lock stays with the thread building."""

    def __init__(self, conn: Connection, table: str, columns: Sequence[str]):
        from io import BytesIO

        from psycopg import Copy
        from psycopg.copy import FileWriter

        self.conn, self.table, self.columns = conn, table, columns
        self._buffer = BytesIO()
        self._copy = Copy(conn.connection.driver_connection.cursor(), writer=FileWriter(self._buffer))

    def format(self, rows: Iterable[Sequence[Any]]) -> Formatting:
        with self._copy as copy:
            write = copy.write_row
            for row in rows:
                write(row)
        return self

    def send(self) -> None:
        self._copy.cursor.close()  # it only lent its adapters to the formatter
        data = self._buffer.getvalue()
        if not data:
            return
        cols = ", ".join(f'"{c}"' for c in self.columns)
        cursor = self.conn.connection.driver_connection.cursor()
        try:
            with cursor.copy(f'COPY "{self.table}" ({cols}) FROM STDIN') as copy:
                copy.write(data)
        finally:
            cursor.close()
