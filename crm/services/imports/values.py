"""Cell values as 1C and Excel write them: decimal commas, spaces in numbers, Russian dates, да/нет."""

from __future__ import annotations

from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

SPACES = str.maketrans("", "", " \u00a0\u202f\u2009\t'")
TRUE_WORDS = {"да", "yes", "y", "1", "true", "истина", "+", "оплачено", "оплачен", "д"}
QUANTUM = {places: Decimal(1).scaleb(-places) for places in range(7)}
LIMIT = {digits: Decimal(10) ** digits for digits in range(1, 30)}
FALSE_WORDS = {"нет", "no", "n", "0", "false", "ложь", "-", "не оплачено", "не оплачен", "н"}


class CellError(ValueError):
    """A value that cannot be read; the message is shown to the user next to its row and column."""


def text(value: Any) -> str:
    """A cell as trimmed text; Excel numbers that are whole (an INN typed as a number) lose the `.0`."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.replace("\u00a0", " ").strip()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.strftime("%d.%m.%Y")
    return str(value).strip()


def parse_decimal(value: Any, *, places: int, max_digits: int) -> Decimal:
    """`1 234,50`, `1234.50`, `1,234.50`, `1.234,50` and Excel numbers, rounded half-up to `places`."""
    if isinstance(value, bool):
        raise CellError(_("%(value)s is not a number.") % {"value": value})
    if isinstance(value, (int, Decimal)):
        number = Decimal(value)
    elif isinstance(value, float):
        number = Decimal(repr(value))
    else:
        raw = str(value).strip()
        cleaned = raw.translate(SPACES).replace("₽", "").replace("руб.", "").replace("р.", "")
        if "," in cleaned and "." in cleaned:
            # The separator that comes last is the decimal one; the other groups thousands.
            if cleaned.rfind(",") > cleaned.rfind("."):
                cleaned = cleaned.replace(".", "").replace(",", ".")
            else:
                cleaned = cleaned.replace(",", "")
        else:
            cleaned = cleaned.replace(",", ".")
        try:
            number = Decimal(cleaned)
        except InvalidOperation:
            raise CellError(_("%(value)s is not a number.") % {"value": raw}) from None
        if not number.is_finite():
            raise CellError(_("%(value)s is not a number.") % {"value": raw})
    number = number.quantize(QUANTUM[places], rounding=ROUND_HALF_UP)
    if abs(number) >= LIMIT[max_digits - places]:
        raise CellError(_("%(value)s is too large.") % {"value": value})
    return number


def parse_date(value: Any) -> date:
    """`22.11.2026`, `22.11.26`, `2026-11-22`, `22.11.2026 0:00:00` (1C) and Excel dates."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    raw = text(value)
    part = raw.split(" ", 1)[0].split("T", 1)[0]
    try:
        if len(part) == 10 and part[2] == "." and part[5] == ".":
            return date(int(part[6:]), int(part[3:5]), int(part[:2]))
        if len(part) == 10 and part[4] == "-" and part[7] == "-":
            return date(int(part[:4]), int(part[5:7]), int(part[8:]))
        pieces = part.replace("/", ".").split(".")
        if len(pieces) == 3 and all(p.isdigit() for p in pieces):
            day, month, year = (int(p) for p in pieces)
            if len(pieces[2]) == 2:
                year += 2000
            if len(pieces[2]) in (2, 4):
                return date(year, month, day)
    except ValueError:
        pass
    raise CellError(_("%(value)s is not a date (expected 22.11.2026 or 2026-11-22).") % {"value": raw})


def parse_bool(value: Any) -> bool | None:
    """да/нет, yes/no, 1/0, true/false; an empty cell is None (not said)."""
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)) and value in (0, 1):
        return bool(value)
    raw = text(value).lower()
    if not raw:
        return None
    if raw in TRUE_WORDS:
        return True
    if raw in FALSE_WORDS:
        return False
    raise CellError(_("%(value)s is not yes or no (да/нет, 1/0).") % {"value": raw})
