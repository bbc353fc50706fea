"""CSL-JSON: the ledger's sources as citation managers (Zotero, Pandoc, …) import them.

One JSON array of CSL items, one per source, in source id order — every source of the ledger,
or those cited by the claims of one article. The mapping of source kinds onto CSL item types is
``citations.CSL_TYPES``; the reliability grade and the archived copy's SHA-256 go in ``note``.
"""

from __future__ import annotations

import json
from typing import TextIO

from sqlalchemy import Connection

from ledger.services.export.citations import csl_item
from ledger.services.export.query import SOURCE, Scope, count, keyset, row_dict
from ledger.services.progress import NO_PROGRESS, Progress


def write_csl(conn: Connection, scope: Scope, out: TextIO, *, progress: Progress = NO_PROGRESS) -> int:
    where = None if scope.whole else SOURCE.c.id.in_(scope.cited_source_ids())
    advance = progress.task("exporting CSL-JSON", count(conn, SOURCE, where=where))
    out.write("[")
    n = 0
    for row in keyset(conn, SOURCE, where=where):
        item = csl_item(row_dict(SOURCE, row))
        out.write(("\n" if n == 0 else ",\n") + json.dumps(item, sort_keys=True, ensure_ascii=False, indent=None))
        n += 1
        advance(1)
    out.write("\n]\n" if n else "]\n")
    return n
