"""Russian-style formatting of money and dates for templates: `{% load crm_format %}`."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django import template
from django.utils import timezone

from core.money import format_rub

register = template.Library()


@register.filter
def money(value: Decimal | int | str | None) -> str:
    """`1234567.5` -> `1 234 567,50 ₽`; empty for a missing or unreadable amount."""
    if value is None or value == "":
        return ""
    try:
        return format_rub(Decimal(value))
    except (InvalidOperation, TypeError, ValueError):
        return ""


def _local(value: datetime) -> datetime:
    return timezone.localtime(value) if timezone.is_aware(value) else value


@register.filter
def ru_date(value: date | datetime | None) -> str:
    """`2026-11-22` -> `22.11.2026` (a date-time is shown in the current time zone)."""
    if not isinstance(value, date):
        return ""
    if isinstance(value, datetime):
        value = _local(value)
    return value.strftime("%d.%m.%Y")


@register.filter
def ru_datetime(value: datetime | None) -> str:
    """`2026-11-22 14:05` -> `22.11.2026 14:05` in the current time zone."""
    if not isinstance(value, datetime):
        return ru_date(value)
    return _local(value).strftime("%d.%m.%Y %H:%M")


@register.filter
def quantity(value: Decimal | int | str | None) -> str:
    """`1234.500` -> `1 234,5`, `20.000` -> `20`: a quantity as a Russian reader writes it."""
    if value is None or value == "":
        return ""
    try:
        number = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        return ""
    whole = number == number.to_integral_value()
    text = f"{int(number):,}" if whole else f"{number.normalize():,f}"
    return text.replace(",", "\u00a0").replace(".", ",")
