from datetime import date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ledger.errors import InvalidInput
from ledger.text.dates import (FRENCH_MONTHS, PartialDate, as_written, date_parts, format_date, from_edtf, last_day,
                               parse_date, to_edtf)

UNACCENTED = {2: "fevrier", 8: "aout", 12: "decembre"}


@pytest.mark.parametrize(
    "text, expected",
    [
        ("2024-06-18", date(2024, 6, 18)),
        ("2024-06-11", date(2024, 6, 11)),  # year first is never read day-first
        ("18/06/2024", date(2024, 6, 18)),
        ("05/06/2024", date(2024, 6, 5)),  # day first
        ("18.06.2024", date(2024, 6, 18)),
        ("June 18, 2024", date(2024, 6, 18)),
        ("18 June 2024", date(2024, 6, 18)),
        ("18th June 2024", date(2024, 6, 18)),
        ("18 juin 2024", date(2024, 6, 18)),
        ("mardi 18 juin 2024", date(2024, 6, 18)),
        ("le 1er juillet 2024", date(2024, 7, 1)),
        ("mercredi 1er mai 2024", date(2024, 5, 1)),
        ("18 JUIN 2024", date(2024, 6, 18)),
        ("  18 juin 2024 \n", date(2024, 6, 18)),
        ("Le 18 Juin 2024", date(2024, 6, 18)),
        ("2022-01-28 18:35", date(2022, 1, 28)),
        ("2024-06-18T10:00:00+02:00", date(2024, 6, 18)),
        ("18 juin 2024 à 10h30", date(2024, 6, 18)),
        ("3 février 2024", date(2024, 2, 3)),
        ("3 fevrier 2024", date(2024, 2, 3)),
        ("15 août 2024", date(2024, 8, 15)),
        ("15 aout 2024", date(2024, 8, 15)),
        ("25 décembre 2023", date(2023, 12, 25)),
        ("25 decembre 2023", date(2023, 12, 25)),
        ("1 janv. 2024", date(2024, 1, 1)),
        ("18 févr. 2024", date(2024, 2, 18)),
        ("3 sept. 2024", date(2024, 9, 3)),
        ("3 déc. 2024", date(2024, 12, 3)),
        ("29 février 2024", date(2024, 2, 29)),
        ("dimanche 7 avril 2024", date(2024, 4, 7)),
    ],
)
def test_accepted_forms(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize("month, name", sorted({**FRENCH_MONTHS}.items()))
def test_every_french_month(month, name):
    assert parse_date(f"10 {name} 2023") == date(2023, month, 10)
    assert parse_date(f"10 {name.upper()} 2023") == date(2023, month, 10)


@pytest.mark.parametrize("month, name", sorted(UNACCENTED.items()))
def test_unaccented_months(month, name):
    assert parse_date(f"10 {name} 2023") == date(2023, month, 10)


@pytest.mark.parametrize(
    "text, reference, expected",
    [
        ("ce 18 juin", date(2024, 6, 20), date(2024, 6, 18)),
        ("18 juin", date(2024, 3, 1), date(2024, 6, 18)),  # a little ahead: same year
        ("June 18", date(2024, 7, 1), date(2024, 6, 18)),
        ("mardi 18 juin", date(2024, 6, 20), date(2024, 6, 18)),
        ("28 décembre", date(2025, 1, 5), date(2024, 12, 28)),  # would be far ahead
        ("le 1er juillet", date(2024, 12, 20), date(2024, 7, 1)),  # 193 days ahead
        ("le 1er juillet", date(2025, 1, 5), date(2025, 7, 1)),  # 177 days ahead
        ("2 juillet", date(2025, 1, 1), date(2025, 7, 2)),  # exactly 182 days
        ("4 juillet", date(2025, 1, 1), date(2024, 7, 4)),  # 184 days: previous year
        ("15 août", date(2025, 1, 5), date(2024, 8, 15)),
        ("29 février", date(2025, 3, 1), date(2024, 2, 29)),  # no 29 Feb in 2025
        ("5 janvier", date(2025, 1, 5), date(2025, 1, 5)),
    ],
)
def test_yearless_dates_follow_the_reference(text, reference, expected):
    assert parse_date(text, reference=reference) == expected


@pytest.mark.parametrize("text", ["18 juin", "ce 18 juin", "June 18"])
def test_yearless_date_without_reference_is_refused(text):
    with pytest.raises(InvalidInput) as info:
        parse_date(text, field="claim date")
    message = str(info.value)
    assert f"claim date '{text}'" in message
    assert "no year" in message and "publication date" in message


@pytest.mark.parametrize(
    "text, reason",
    [
        ("32 juin 2024", "day is out of range for month"),
        ("2024-02-30", "day is out of range for month"),
        ("31/04/2024", "day is out of range for month"),
        ("29 février 2023", "day is out of range for month"),
        ("2024-13-01", "month must be in 1..12"),
    ],
)
def test_impossible_dates(text, reason):
    with pytest.raises(InvalidInput) as info:
        parse_date(text, field="published date")
    assert str(info.value) == f"invalid published date '{text}': {reason}"


@pytest.mark.parametrize("text", ["hello", "next tuesday-ish", "le", "99999999999999999999", "18 juin 2024 blah"])
def test_garbage_is_refused(text):
    with pytest.raises(InvalidInput) as info:
        parse_date(text, field="claim date", reference=date(2024, 6, 20))
    assert str(info.value) == (
        f"cannot read claim date '{text}' as a date (try 2024-06-18, 18 juin 2024, June 2024 or 2024)"
    )


@pytest.mark.parametrize("text", ["mardi", "1er", "18"])
def test_a_day_alone_is_refused(text):
    with pytest.raises(InvalidInput) as info:
        parse_date(text, reference=date(2024, 6, 20))
    assert f"date '{text}' needs a month or a year" in str(info.value)


@pytest.mark.parametrize(
    "text, shown, first, last",
    [
        ("2024", "2024", date(2024, 1, 1), date(2024, 12, 31)),
        ("juin 2024", "2024-06", date(2024, 6, 1), date(2024, 6, 30)),
        ("janvier 2024", "2024-01", date(2024, 1, 1), date(2024, 1, 31)),
        ("June 2024", "2024-06", date(2024, 6, 1), date(2024, 6, 30)),
        ("2024-02", "2024-02", date(2024, 2, 1), date(2024, 2, 29)),
        ("février 2023", "2023-02", date(2023, 2, 1), date(2023, 2, 28)),
        ("enero de 2024", "2024-01", date(2024, 1, 1), date(2024, 1, 31)),
        ("junho de 2024", "2024-06", date(2024, 6, 1), date(2024, 6, 30)),
        ("März 2024", "2024-03", date(2024, 3, 1), date(2024, 3, 31)),
        ("settembre 2024", "2024-09", date(2024, 9, 1), date(2024, 9, 30)),
    ],
)
def test_months_and_years_keep_their_precision(text, shown, first, last):
    d = parse_date(text)
    assert isinstance(d, PartialDate)
    assert d.isoformat() == str(d) == format_date(d) == shown
    assert (d.start, last_day(d)) == (first, last)
    assert date_parts(d) == [int(x) for x in shown.split("-")]
    assert from_edtf(to_edtf(d)) == d and from_edtf(to_edtf(d)).precision == d.precision


def test_partial_dates_are_valid_edtf():
    edtf = pytest.importorskip("edtf")
    for text in ("2024", "juin 2024", "2024-06-18"):
        d = parse_date(text)
        assert str(edtf.parse_edtf(d.isoformat())) == d.isoformat()


@pytest.mark.parametrize(
    "text, expected",
    [
        ("18 de junio de 2024", date(2024, 6, 18)),
        ("martes 18 de junio de 2024", date(2024, 6, 18)),
        ("18 de junho de 2024", date(2024, 6, 18)),
        ("18. Juni 2024", date(2024, 6, 18)),
        ("Dienstag, 18. Juni 2024", date(2024, 6, 18)),
        ("18 giugno 2024", date(2024, 6, 18)),
        ("martedì 18 giugno 2024", date(2024, 6, 18)),
        ("3 diciembre 2023", date(2023, 12, 3)),
    ],
)
def test_spanish_portuguese_german_italian_days(text, expected):
    assert parse_date(text) == expected


def test_yearless_month_follows_the_reference():
    assert parse_date("en janvier", reference=date(2024, 6, 20)).isoformat() == "2024-01"
    assert parse_date("décembre", reference=date(2024, 3, 1)).isoformat() == "2023-12"


@pytest.mark.parametrize(
    "text, lang, expected",
    [("janvier 2024", "fr", "janvier 2024"), ("2024-01", "en", "January 2024"), ("2024-01", "es", "enero de 2024"),
     ("2024-06", "pt-BR", "junho de 2024"), ("2024-03", "de", "März 2024"), ("2024-09", "it", "settembre 2024"),
     ("2024", "fr", "2024"), ("2024-06-18", "fr", "2024-06-18")],
)
def test_dates_as_a_report_writes_them(text, lang, expected):
    assert as_written(parse_date(text), lang) == expected


@pytest.mark.parametrize("text", ["", "   ", "\t\n"])
def test_empty_text_is_refused(text):
    with pytest.raises(InvalidInput) as info:
        parse_date(text, field="claim date")
    assert str(info.value).startswith("claim date is empty")


def test_errors_are_one_line():
    for text in ["32 juin 2024", "hello", "mardi", "18 juin", ""]:
        with pytest.raises(InvalidInput) as info:
            parse_date(text)
        assert "\n" not in str(info.value)


@pytest.mark.parametrize(
    "value, expected",
    [
        (date(2024, 6, 18), "2024-06-18"),
        (date(5, 1, 2), "0005-01-02"),
        (datetime(2024, 6, 18, 10, 30), "2024-06-18"),
        (None, None),
    ],
)
def test_format_date(value, expected):
    assert format_date(value) == expected


valid_dates = st.dates(min_value=date(1000, 1, 1), max_value=date(9999, 12, 31))


@given(valid_dates)
def test_iso_round_trip(d):
    assert parse_date(d.isoformat()) == d
    assert parse_date(format_date(d)) == d


@given(valid_dates)
def test_french_written_round_trip(d):
    assert parse_date(f"{d.day} {FRENCH_MONTHS[d.month]} {d.year}") == d
