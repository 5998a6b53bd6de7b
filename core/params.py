"""Every value a user types into a query string or a request, parsed in one place: ids, years, months, dates,
datetimes with an offset, decimals, and text without lone surrogates.

Each `parse_*` returns None for an empty value and raises `ValidationError({field: [message]})` for a bad one, so
the API answers 400 with a field message (salesdept/api.py) and a page may put it on a form. `or_none` turns a bad
value into None for a page that ignores a bad filter.

Business dates (months, plans, activities) live in `MIN_YEAR`..`MAX_YEAR`: a year 12 or 9999 is a typo, and
PostgreSQL, `month_shift` and the time zone's offsets of the 19th century (LMT, `+02:30:17`) all break far
outside it. `updated_since` also accepts the years from 1970, which sync clients send for "everything".
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

T = TypeVar("T")

MIN_YEAR = 2000
MAX_YEAR = 2100
SYNC_MIN_YEAR = 1970
MAX_OFFSET = timedelta(hours=14)  # the widest offsets in use are UTC-12:00 and UTC+14:00
MAX_ID = 2**63 - 1  # PostgreSQL's bigint

ID_RE = re.compile(r"[0-9]{1,19}")  # ASCII only: "²" and "٣" pass str.isdigit()
YEAR_RE = re.compile(r"[0-9]{4}")
MONTH_RE = re.compile(r"([0-9]{4})-([0-9]{2})")
DATE_RE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
DECIMAL_RE = re.compile(r"[+-]?[0-9]+(?:\.[0-9]+)?")
SURROGATE_RE = re.compile("[\ud800-\udfff]")


def field_error(field: str, message: str) -> ValidationError:
    return ValidationError({field: [message]})


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def in_years(year: int, low: int = MIN_YEAR, high: int = MAX_YEAR) -> bool:
    return low <= year <= high


def years_message(low: int = MIN_YEAR, high: int = MAX_YEAR) -> str:
    return _("The year must be from %(low)s to %(high)s.") % {"low": low, "high": high}


def check_years(value: date | None, *, field: str, low: int = MIN_YEAR, high: int = MAX_YEAR) -> None:
    """A date or datetime typed in a form or a request lies in the sane years (a field error otherwise)."""
    if value is not None and not in_years(value.year, low, high):
        raise field_error(field, years_message(low, high))


def parse_id(value: Any, *, field: str = "id") -> int | None:
    """A row id: ASCII digits, at most bigint."""
    text = _text(value)
    if not text:
        return None
    if not ID_RE.fullmatch(text) or int(text) > MAX_ID:
        raise field_error(field, _("Give the id as a whole number."))
    return int(text)


def parse_year(value: Any, *, field: str = "year") -> int | None:
    text = _text(value)
    if not text:
        return None
    if not YEAR_RE.fullmatch(text):
        raise field_error(field, _("Give the year as four digits."))
    year = int(text)
    if not in_years(year):
        raise field_error(field, years_message())
    return year


def parse_month(value: Any, *, field: str = "month") -> date | None:
    """`YYYY-MM` -> the first day of that month."""
    text = _text(value)
    if not text:
        return None
    match = MONTH_RE.fullmatch(text)
    if not match or not 1 <= int(match[2]) <= 12:
        raise field_error(field, _("Give the month as YYYY-MM, for example 2026-11."))
    year = int(match[1])
    if not in_years(year):
        raise field_error(field, years_message())
    return date(year, int(match[2]), 1)


def parse_date(value: Any, *, field: str = "date") -> date | None:
    """`YYYY-MM-DD`."""
    text = _text(value)
    if not text:
        return None
    match = DATE_RE.fullmatch(text)
    try:
        day = date(int(match[1]), int(match[2]), int(match[3])) if match else None
    except ValueError:
        day = None
    if day is None:
        raise field_error(field, _("Give the date as YYYY-MM-DD, for example 2026-11-20."))
    check_years(day, field=field)
    return day


def parse_datetime_with_offset(
    value: Any, *, field: str, min_year: int = MIN_YEAR, require_offset: bool = False
) -> datetime | None:
    """ISO 8601 with an offset of at most 14 hours, returned in UTC.

    Without an offset it is read in the current time zone, or refused when `require_offset` (the API's sync
    filters: a phone's local time must not be read as Moscow time).
    """
    text = _text(value)
    if not text:
        return None
    try:
        moment = parse_datetime(text)
    except ValueError:  # well formed, but no such day or offset (+99:00)
        moment = None
    if moment is None:
        raise field_error(field, _("Give the date and time in ISO 8601, for example 2026-11-20T09:30:00+03:00."))
    check_years(moment, field=field, low=min_year)
    if require_offset and timezone.is_naive(moment):
        raise field_error(
            field, _("Give the time zone offset too: Z for UTC or +03:00, for example 2026-11-20T06:30:00Z.")
        )
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    offset = moment.utcoffset() or timedelta(0)
    if abs(offset) > MAX_OFFSET:
        raise field_error(field, _("The time zone offset must be from -14:00 to +14:00."))
    return moment.astimezone(UTC)


def parse_decimal(value: Any, *, field: str, max_digits: int = 14, decimal_places: int = 2) -> Decimal | None:
    """A plain decimal number (a dot or a comma), no exponent, no NaN, within the column's digits."""
    text = _text(value).replace(",", ".").replace(" ", "").replace("\u00a0", "")
    if not text:
        return None
    if not DECIMAL_RE.fullmatch(text):
        raise field_error(field, _("Enter a number."))
    number = Decimal(text)
    digits, exponent = number.as_tuple().digits, int(number.as_tuple().exponent)
    if -exponent > decimal_places:
        raise field_error(field, _("Give at most %(places)s digits after the point.") % {"places": decimal_places})
    if len(digits) + exponent > max_digits - decimal_places:
        raise field_error(field, _("The number is too large."))
    return number


def or_none(parser: Callable[..., T | None], value: Any, **kwargs: Any) -> T | None:
    """The parsed value, or None when it is bad: for a page that ignores a bad filter."""
    try:
        return parser(value, **kwargs)
    except ValidationError:
        return None


def has_lone_surrogate(text: str) -> bool:
    """A UTF-16 half (`"\\ud800"`) that JSON may carry but UTF-8 and PostgreSQL cannot."""
    return bool(SURROGATE_RE.search(text))
