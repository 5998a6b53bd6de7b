"""Russian-style formatting of money, dates, phones and names for templates: `{% load crm_format %}`."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django import template
from django.utils import timezone

from core import names
from core.money import format_rub
from crm.models.validators import format_phone

register = template.Library()


def _rub(value: Decimal | int | str | None, *, kopecks: bool) -> str:
    if value is None or value == "":
        return "—"
    try:
        return format_rub(Decimal(value), kopecks=kopecks)
    except (InvalidOperation, TypeError, ValueError):
        return "—"


@register.filter
def money(value: Decimal | int | str | None) -> str:
    """A plan or a total in whole roubles, half-up: `1234567.5` -> `1 234 568 ₽`; `—` for a missing amount."""
    return _rub(value, kopecks=False)


@register.filter
def money_exact(value: Decimal | int | str | None) -> str:
    """A document's or a payment's amount to the kopeck: `1234567.5` -> `1 234 567,50 ₽`; `—` for a missing one."""
    return _rub(value, kopecks=True)


@register.filter
def phone(value: str | None) -> str:
    """A stored E.164 number as a Russian reads it: `+74955810283` -> `+7 495 581-02-83` (`tel:` links keep E.164)."""
    return format_phone(value or "")


@register.filter
def genitive(person: object) -> str:
    """A person's name after «у», «для», «от»: «у Софии Терентьевой» (unchanged outside Russian or if unknown)."""
    return names.genitive(person)


@register.filter
def dative(person: object) -> str:
    """A person's name after «к», «менеджеру»: «Ивану Петрову»."""
    return names.dative(person)


@register.filter
def instrumental(person: object) -> str:
    """A person's name after «за», «с»: «за Софией Терентьевой»."""
    return names.instrumental(person)


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
