"""Dates and times as the ledger stores them: dates known to the day, the month or the year
(with their level-0 EDTF strings), and event timestamps as people read them.

Kept apart from the date parser (``ledger.text.dates``, which loads python-dateutil) so that
reading a stored date costs nothing beyond the standard library.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, datetime, timezone

PRECISIONS = ("year", "month", "day")
_EDTF = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


class PartialDate(date):
    """A date known to the month or the year: it stands at the first day of the span it covers
    (so it sorts and compares as that day), prints as written and knows its last day."""

    precision: str

    def __new__(cls, year: int, month: int = 1, day: int = 1, precision: str = "day"):  # noqa: ANN204
        if precision not in PRECISIONS:
            raise ValueError(f"unknown date precision {precision!r}")
        self = super().__new__(cls, year, 1 if precision == "year" else month, day if precision == "day" else 1)
        self.precision = precision
        return self

    @classmethod
    def of(cls, d: date, precision: str = "day") -> PartialDate:
        return cls(d.year, d.month, d.day, precision)

    def isoformat(self) -> str:
        if self.precision == "year":
            return f"{self.year:04d}"
        if self.precision == "month":
            return f"{self.year:04d}-{self.month:02d}"
        return super().isoformat()

    __str__ = isoformat

    def __repr__(self) -> str:
        return f"PartialDate({self.isoformat()!r})"

    def __reduce__(self):  # noqa: ANN204 - copies and pickles keep the precision
        return (PartialDate, (self.year, self.month, self.day, self.precision))

    @property
    def start(self) -> date:
        return date(self.year, self.month, self.day)

    @property
    def end(self) -> date:
        """The last day the date covers."""
        if self.precision == "year":
            return date(self.year, 12, 31)
        if self.precision == "month":
            return date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])
        return self.start

    @property
    def edtf(self) -> str:
        return self.isoformat()


def precision_of(d: date | None) -> str | None:
    if d is None:
        return None
    return getattr(d, "precision", "day")


def last_day(d: date) -> date:
    """The last day ``d`` covers (itself for a full date)."""
    return d.end if isinstance(d, PartialDate) else d


def first_day(d: date) -> date:
    return date(d.year, d.month, d.day)


def to_edtf(d: date | None) -> str | None:
    """The EDTF string of a partial date, None for a full day (or no date): what is stored
    beside the date column, which holds the first day."""
    if isinstance(d, PartialDate) and d.precision != "day":
        return d.isoformat()
    return None


def from_stored(d: date | None, edtf: str | None) -> date | None:
    """The date a row holds: its EDTF string when it has one (a month, a year), else the day."""
    if edtf:
        parsed = from_edtf(edtf)
        if parsed is not None:
            return parsed
    return d


def from_edtf(text: str) -> PartialDate | None:
    m = _EDTF.match(text.strip())
    if not m:
        return None
    year, month, day = m.group(1), m.group(2), m.group(3)
    try:
        if day:
            return PartialDate(int(year), int(month), int(day), "day")
        if month:
            return PartialDate(int(year), int(month), 1, "month")
        return PartialDate(int(year), 1, 1, "year")
    except ValueError:
        return None


def readable_time(stamp: str) -> str:
    """An event time as people read it: ``2026-11-21 18:57 UTC``."""
    try:
        moment = datetime.fromisoformat(str(stamp).replace("Z", "+00:00"))
    except ValueError:
        return str(stamp)
    if moment.tzinfo is not None:
        moment = moment.astimezone(timezone.utc)
    return moment.strftime("%Y-%m-%d %H:%M UTC")
