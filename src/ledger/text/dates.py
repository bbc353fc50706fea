"""Reading the dates people type: ISO, English and French written dates.

Everything goes through python-dateutil with a parser that also knows French
month and weekday names. A date without a year is placed relative to the
article's publication date; text without a day and a month is refused rather
than completed with today's values.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, timedelta

from dateutil import parser as du_parser

from ledger.errors import InvalidInput

FRENCH_MONTHS = {
    1: "janvier", 2: "février", 3: "mars", 4: "avril", 5: "mai", 6: "juin",
    7: "juillet", 8: "août", 9: "septembre", 10: "octobre", 11: "novembre", 12: "décembre",
}

HINT = "try 2024-06-18, 18 juin 2024 or June 18, 2024"

# A yearless date may lie at most this far after the article before it is read
# as belonging to the previous year.
MAX_AHEAD = timedelta(days=183)

# Two defaults that differ in every field: whatever differs between the two
# parses was not in the text. Both years are leap years so that 29 February parses;
# the days stay apart even after dateutil moves a lone weekday ("mardi") forward.
_DEFAULT_A = datetime(4, 1, 1)
_DEFAULT_B = datetime(8, 12, 20)

_YEAR_FIRST = re.compile(r"\d{4}\s*[-/.]")


class FrenchEnglishInfo(du_parser.parserinfo):
    """dateutil vocabulary: English plus French months, weekdays and filler words."""

    JUMP = du_parser.parserinfo.JUMP + ["le", "la", "ce", "du", "de", "en", "à", "er"]
    WEEKDAYS = [
        ("Mon", "Monday", "lundi"), ("Tue", "Tuesday", "mardi"),
        ("Wed", "Wednesday", "mercredi"), ("Thu", "Thursday", "jeudi"),
        ("Fri", "Friday", "vendredi"), ("Sat", "Saturday", "samedi"),
        ("Sun", "Sunday", "dimanche"),
    ]
    MONTHS = [
        ("Jan", "January", "janvier", "janv"),
        ("Feb", "February", "février", "fevrier", "févr", "fevr", "fév", "fev"),
        ("Mar", "March", "mars"),
        ("Apr", "April", "avril", "avr"),
        ("May", "mai"),
        ("Jun", "June", "juin"),
        ("Jul", "July", "juillet", "juil"),
        ("Aug", "August", "août", "aout"),
        ("Sep", "Sept", "September", "septembre"),
        ("Oct", "October", "octobre"),
        ("Nov", "November", "novembre"),
        ("Dec", "December", "décembre", "decembre", "déc"),
    ]


_PARSER = du_parser.parser(FrenchEnglishInfo())


def _parse_with(text: str, default: datetime) -> datetime:
    year_first = bool(_YEAR_FIRST.match(text))
    return _PARSER.parse(text, default=default, dayfirst=not year_first, yearfirst=year_first)


def parse_date(text: str, *, reference: date | None = None, field: str = "date") -> date:
    """Read a typed date; a yearless one is placed relative to `reference`."""
    cleaned = unicodedata.normalize("NFC", text or "").strip()
    if not cleaned:
        raise InvalidInput(f"{field} is empty ({HINT})")
    unreadable = InvalidInput(f"cannot read {field} '{cleaned}' as a date ({HINT})")
    try:
        a = _parse_with(cleaned, _DEFAULT_A)
        b = _parse_with(cleaned, _DEFAULT_B)
    except du_parser.ParserError as exc:
        if isinstance(exc.__cause__, ValueError):  # understood, but no such day
            raise InvalidInput(f"invalid {field} '{cleaned}': {exc.__cause__}") from None
        raise unreadable from None
    except (ValueError, OverflowError):
        raise unreadable from None
    if a.month != b.month or a.day != b.day:
        raise InvalidInput(f"{field} '{cleaned}' needs a day and a month ({HINT})")
    if a.year == b.year:
        return a.date()
    return _resolve_year(cleaned, a.month, a.day, reference, field)


def _resolve_year(text: str, month: int, day: int, reference: date | None, field: str) -> date:
    """Place a yearless day in the year of the reference, or the one before."""
    if reference is None:
        raise InvalidInput(
            f"{field} '{text}' has no year and the article has no publication date to take it from"
        )
    for year in (reference.year, reference.year - 1):
        try:
            candidate = date(year, month, day)
        except ValueError:  # 29 February outside a leap year
            continue
        if candidate - reference <= MAX_AHEAD:
            return candidate
    raise InvalidInput(f"invalid {field} '{text}': no such day near {reference.isoformat()}")


def format_date(d: date | None) -> str | None:
    """ISO 'YYYY-MM-DD', or None for no date."""
    if d is None:
        return None
    return f"{d.year:04d}-{d.month:02d}-{d.day:02d}"
