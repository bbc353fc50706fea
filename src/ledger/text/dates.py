"""Reading the dates people type, at the precision they give: a day, a month or a year.

Everything goes through python-dateutil with a parser that also knows the month and weekday
names of French, Spanish, Portuguese, German and Italian. ``18 juin 2024`` is a day,
``janvier 2024``, ``June 2024`` or ``2024-01`` a month, ``2024`` a year: a partial date is a
:class:`PartialDate` (a ``date`` standing at the first day of the span it covers, which knows its
precision, shows itself as written — ``2024-01``, never ``2024-01-01`` — and knows the last day
it covers). Level-0 EDTF strings (``2024``, ``2024-01``, ``2024-01-18``) are how partial dates
are stored and exported. A date without a year is placed relative to the article's publication
date.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, timedelta

from dateutil import parser as du_parser

from ledger.errors import InvalidInput
from ledger.text.stored_dates import (PRECISIONS, PartialDate, first_day, from_edtf, from_stored,  # noqa: F401
                                      last_day, precision_of, to_edtf)

FRENCH_MONTHS = {
    1: "janvier", 2: "février", 3: "mars", 4: "avril", 5: "mai", 6: "juin",
    7: "juillet", 8: "août", 9: "septembre", 10: "octobre", 11: "novembre", 12: "décembre",
}
# Month names as a report writes them, by language (primary subtag); "{m} {y}" or "{m} de {y}".
MONTH_NAMES: dict[str, tuple[str, ...]] = {
    "fr": tuple(FRENCH_MONTHS[m] for m in range(1, 13)),
    "en": ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"),
    "es": ("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre",
           "noviembre", "diciembre"),
    "pt": ("janeiro", "fevereiro", "março", "abril", "maio", "junho", "julho", "agosto", "setembro", "outubro",
           "novembro", "dezembro"),
    "de": ("Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober",
           "November", "Dezember"),
    "it": ("gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio", "agosto", "settembre",
           "ottobre", "novembre", "dicembre"),
}
_MONTH_YEAR = {"es": "{m} de {y}", "pt": "{m} de {y}"}

HINT = "try 2024-06-18, 18 juin 2024, June 2024 or 2024"

# A yearless date may lie at most this far after the article before it is read
# as belonging to the previous year.
MAX_AHEAD = timedelta(days=183)

# Two defaults that differ in every field: whatever differs between the two
# parses was not in the text. Both years are leap years so that 29 February parses;
# the days stay apart even after dateutil moves a lone weekday ("mardi") forward.
_DEFAULT_A = datetime(4, 1, 1)
_DEFAULT_B = datetime(8, 12, 20)

_YEAR_FIRST = re.compile(r"\d{4}\s*[-/.]")


def date_parts(d: date | None) -> list[int] | None:
    """CSL-JSON ``date-parts`` for one date: one, two or three parts as precise as the date."""
    if d is None:
        return None
    p = precision_of(d)
    return [d.year] if p == "year" else [d.year, d.month] if p == "month" else [d.year, d.month, d.day]


def as_written(d: date | None, lang: str | None = None) -> str | None:
    """The date as a report in ``lang`` writes it: ``janvier 2024``, ``June 2024``, ``2024``;
    a full day stays ISO (as reports print it today)."""
    if d is None:
        return None
    p = precision_of(d)
    if p == "year":
        return f"{d.year:04d}"
    if p == "month":
        primary = (lang or "en").split("-")[0].lower()
        names = MONTH_NAMES.get(primary, MONTH_NAMES["en"])
        return _MONTH_YEAR.get(primary, "{m} {y}").format(m=names[d.month - 1], y=d.year)
    return format_date(d)


class MultilingualInfo(du_parser.parserinfo):
    """dateutil vocabulary: month and weekday names and filler words of English, French,
    Spanish, Portuguese, German and Italian."""

    JUMP = du_parser.parserinfo.JUMP + ["le", "la", "ce", "du", "de", "en", "à", "er", "el", "del", "em", "do",
                                        "da", "den", "der", "il", "di", "dello", "feira", "º", "°"]
    WEEKDAYS = [
        ("Mon", "Monday", "lundi", "lunes", "segunda", "Montag", "lunedì", "lunedi"),
        ("Tue", "Tuesday", "mardi", "martes", "terça", "terca", "Dienstag", "martedì", "martedi"),
        ("Wed", "Wednesday", "mercredi", "miércoles", "miercoles", "quarta", "Mittwoch", "mercoledì", "mercoledi"),
        ("Thu", "Thursday", "jeudi", "jueves", "quinta", "Donnerstag", "giovedì", "giovedi"),
        ("Fri", "Friday", "vendredi", "viernes", "sexta", "Freitag", "venerdì", "venerdi"),
        ("Sat", "Saturday", "samedi", "sábado", "sabado", "Samstag", "Sonnabend", "sabato"),
        ("Sun", "Sunday", "dimanche", "domingo", "Sonntag", "domenica"),
    ]
    MONTHS = [
        ("Jan", "January", "janvier", "janv", "enero", "janeiro", "Januar", "Jänner", "gennaio"),
        ("Feb", "February", "février", "fevrier", "févr", "fevr", "fév", "fev", "febrero", "fevereiro", "Februar",
         "febbraio"),
        ("Mar", "March", "mars", "marzo", "março", "März", "Maerz"),
        ("Apr", "April", "avril", "avr", "abril", "aprile"),
        ("May", "mai", "mayo", "maio", "maggio"),
        ("Jun", "June", "juin", "junio", "junho", "Juni", "giugno"),
        ("Jul", "July", "juillet", "juil", "julio", "julho", "Juli", "luglio"),
        ("Aug", "August", "août", "aout", "agosto"),
        ("Sep", "Sept", "September", "septembre", "septiembre", "setiembre", "setembro", "settembre"),
        ("Oct", "October", "octobre", "octubre", "outubro", "Oktober", "ottobre"),
        ("Nov", "November", "novembre", "noviembre", "novembro"),
        ("Dec", "December", "décembre", "decembre", "déc", "diciembre", "dezembro", "Dezember", "dicembre"),
    ]


FrenchEnglishInfo = MultilingualInfo  # the name earlier code knew it by
_PARSER = du_parser.parser(MultilingualInfo())


def _parse_with(text: str, default: datetime) -> datetime:
    year_first = bool(_YEAR_FIRST.match(text))
    return _PARSER.parse(text, default=default, dayfirst=not year_first, yearfirst=year_first)


def parse_date(text: str, *, reference: date | None = None, field: str = "date") -> date:
    """Read a typed date at the precision it is written: a day gives a ``date``, a month or a
    year a :class:`PartialDate`. A date without a year is placed relative to ``reference``."""
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
    has_year, has_month, has_day = a.year == b.year, a.month == b.month, a.day == b.day
    if not has_month and (has_day or not has_year):
        raise InvalidInput(f"{field} '{cleaned}' needs a month or a year, not only a day ({HINT})")
    if has_year:
        if not has_month:
            return PartialDate(a.year, precision="year")
        if not has_day:
            return PartialDate(a.year, a.month, precision="month")
        return a.date()
    if not has_day:
        return _resolve_month(cleaned, a.month, reference, field)
    return _resolve_year(cleaned, a.month, a.day, reference, field)


def _no_year(text: str, field: str) -> InvalidInput:
    return InvalidInput(f"{field} '{text}' has no year and the article has no publication date to take it from")


def _resolve_year(text: str, month: int, day: int, reference: date | None, field: str) -> date:
    """Place a yearless day in the year of the reference, or the one before."""
    if reference is None:
        raise _no_year(text, field)
    reference = first_day(reference)
    for year in (reference.year, reference.year - 1):
        try:
            candidate = date(year, month, day)
        except ValueError:  # 29 February outside a leap year
            continue
        if candidate - reference <= MAX_AHEAD:
            return candidate
    raise InvalidInput(f"invalid {field} '{text}': no such day near {reference.isoformat()}")


def _resolve_month(text: str, month: int, reference: date | None, field: str) -> PartialDate:
    """Place a yearless month ("en janvier") in the reference's year, or the one before."""
    if reference is None:
        raise _no_year(text, field)
    year = reference.year if date(reference.year, month, 1) - first_day(reference) <= MAX_AHEAD \
        else reference.year - 1
    return PartialDate(year, month, precision="month")


def format_date(d: date | None) -> str | None:
    """ISO 'YYYY-MM-DD' ('YYYY-MM' or 'YYYY' for a partial date), or None for no date."""
    if d is None:
        return None
    if isinstance(d, PartialDate):
        return d.isoformat()
    return f"{d.year:04d}-{d.month:02d}-{d.day:02d}"


def stored_day(d: date | None) -> date | None:
    """The plain ``date`` a date column stores: a partial date's first day."""
    return None if d is None else first_day(d)
