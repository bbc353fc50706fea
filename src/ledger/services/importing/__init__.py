"""Imports: bringing a ledger, a spreadsheet or fact-checkers' ClaimReview feeds into the ledger.

``import_file(ledger, path, fmt)`` reads ``path`` in one of ``FORMATS``:

- ``json``: restore a whole ledger exported with ``ledger export --all --format json`` into an
  empty workspace, identical to the original (``json_ledger.py``);
- ``csv``: claims from a spreadsheet, into articles already in the ledger (``csv_import.py``);
- ``claimreview``: schema.org ClaimReview JSON-LD, ratings read through the verdict map
  (``claimreview.py``, ``verdicts.py``).

Every import is one transaction. Records are checked before they are written and written whole
through the store's bulk paths; a bad record is reported with its line or index and the reason,
and the good ones go in (``strict`` refuses the whole file instead). A file nothing could be
imported from changes nothing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ledger.errors import InvalidInput
from ledger.services.importing.report import BadRecord, ImportReport
from ledger.services.progress import NO_PROGRESS, Progress

FORMATS = ("json", "csv", "claimreview")

__all__ = ["FORMATS", "BadRecord", "ImportReport", "import_file"]


def import_file(ledger: Any, path: Path, fmt: str, *, strict: bool = False,
                progress: Progress = NO_PROGRESS) -> ImportReport:
    from ledger.services.importing.verdicts import verdict_map

    if fmt not in FORMATS:
        raise InvalidInput(f"unknown import format {fmt!r}; formats: {', '.join(FORMATS)}")
    path = Path(path)
    if not path.is_file():
        raise InvalidInput(f"{str(path)!r} does not exist or is not a file")
    with path.open("rb") as probe:
        head = probe.read(8192)
    if b"\x00" in head:
        raise InvalidInput(f"{path.name} is a binary file, not {fmt} text")
    name = path.name
    try:
        with path.open("r", encoding="utf-8-sig", newline="" if fmt == "csv" else None) as fp:
            if fmt == "json":
                from ledger.services.importing.json_ledger import restore

                return restore(ledger, fp, name, strict=strict, progress=progress)
            verdicts = verdict_map(ledger.config.raw, ledger.vocabulary)
            if fmt == "csv":
                from ledger.services.importing.csv_import import import_csv

                return import_csv(ledger, fp, name, verdicts=verdicts, strict=strict, progress=progress)
            from ledger.services.importing.claimreview import import_claimreview

            return import_claimreview(ledger, fp, name, verdicts=verdicts, strict=strict, progress=progress)
    except UnicodeDecodeError as exc:
        raise InvalidInput(f"{name} is not UTF-8 text (byte {exc.start} of a block); nothing was imported") from None
    except RecursionError:  # whatever part of the reading went that deep: the import rolled back whole
        from ledger.services.importing.jsonstream import TOO_DEEP

        raise InvalidInput(f"{name}: {TOO_DEEP}; nothing was imported") from None
