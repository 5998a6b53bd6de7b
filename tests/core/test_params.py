"""The one set of parameter parsers: a good value parsed, an empty one None, a bad one a field error."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from core.params import (
    check_years,
    has_lone_surrogate,
    or_none,
    parse_date,
    parse_datetime_with_offset,
    parse_decimal,
    parse_id,
    parse_month,
    parse_year,
)


def field_of(exc: pytest.ExceptionInfo[ValidationError]) -> list[str]:
    return list(exc.value.message_dict)


@pytest.mark.parametrize(
    ("raw", "expected"), [("42", 42), (" 7 ", 7), ("", None), (None, None), (str(2**63 - 1), 2**63 - 1)]
)
def test_parse_id_reads_ascii_digits(raw, expected):
    assert parse_id(raw, field="manager") == expected


@pytest.mark.parametrize("raw", ["²", "٣", "abc", "-1", "1.5", "1e3", str(2**63), "9" * 30, "0x10"])
def test_parse_id_refuses_unicode_digits_signs_and_overflow_under_its_field(raw):
    with pytest.raises(ValidationError) as exc:
        parse_id(raw, field="manager")
    assert field_of(exc) == ["manager"]


def test_parse_year_keeps_to_the_sane_years():
    assert parse_year("2026") == 2026
    for raw in ("1999", "2101", "0012", "99999", "²⁰²⁶"):
        with pytest.raises(ValidationError):
            parse_year(raw)


@pytest.mark.parametrize(
    ("raw", "expected"), [("2026-05", date(2026, 5, 1)), ("2000-01", date(2000, 1, 1)), ("", None)]
)
def test_parse_month_reads_yyyy_mm(raw, expected):
    assert parse_month(raw) == expected


@pytest.mark.parametrize(
    "raw", ["9999-12", "0000-01", "1999-12", "2101-01", "2026-13", "2026-00", "2026-5", "май", "2026-05-01"]
)
def test_parse_month_refuses_malformed_months_and_years_out_of_range(raw):
    with pytest.raises(ValidationError) as exc:
        parse_month(raw)
    assert field_of(exc) == ["month"]


def test_parse_date_reads_iso_days_in_range_only():
    assert parse_date("2026-02-28", field="day") == date(2026, 2, 28)
    for raw in ("2026-02-30", "0012-01-01", "10000-01-01", "28.02.2026"):
        with pytest.raises(ValidationError) as exc:
            parse_date(raw, field="day")
        assert field_of(exc) == ["day"]


def test_parse_datetime_with_offset_returns_utc():
    assert parse_datetime_with_offset("2026-01-01T03:00:00+03:00", field="at") == datetime(2026, 1, 1, tzinfo=UTC)
    assert parse_datetime_with_offset("2026-01-01T00:00:00Z", field="at") == datetime(2026, 1, 1, tzinfo=UTC)
    # Without an offset the time is Moscow's (the project's TIME_ZONE).
    assert parse_datetime_with_offset("2026-01-01T03:00:00", field="at") == datetime(2026, 1, 1, tzinfo=UTC)
    assert parse_datetime_with_offset("1970-01-01T00:00:00Z", field="at", min_year=1970) is not None


@pytest.mark.parametrize(
    "raw",
    [
        "2026-01-01T00:00:00-19:00",
        "2026-01-01T00:00:00+99:00",
        "2026-01-01T00:00:00+14:30",
        "0000-01-01T00:00:00Z",
        "10000-01-01T00:00:00Z",
        "0012-01-01T00:00:00",
        "2026-02-30T00:00:00Z",
        "вчера",
    ],
)
def test_parse_datetime_with_offset_refuses_what_postgresql_cannot_hold(raw):
    with pytest.raises(ValidationError) as exc:
        parse_datetime_with_offset(raw, field="updated_since")
    assert field_of(exc) == ["updated_since"]


def test_parse_decimal_reads_plain_numbers_within_the_digits():
    assert parse_decimal("1 234,50", field="amount") == Decimal("1234.50")
    assert parse_decimal("-3", field="amount") == Decimal("-3")
    for raw in ("NaN", "Infinity", "1e400", "1.234", "1" * 13, "²"):
        with pytest.raises(ValidationError) as exc:
            parse_decimal(raw, field="amount")
        assert field_of(exc) == ["amount"]


def test_or_none_turns_a_bad_value_into_none_for_pages():
    assert or_none(parse_month, "9999-12") is None
    assert or_none(parse_id, "²") is None
    assert or_none(parse_id, "5") == 5


def test_check_years_and_lone_surrogates():
    check_years(date(2026, 1, 1), field="due_at")
    check_years(None, field="due_at")
    with pytest.raises(ValidationError):
        check_years(date(12, 1, 1), field="due_at")
    assert has_lone_surrogate("a\ud800b")
    assert not has_lone_surrogate("Привет 😀")
