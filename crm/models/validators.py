"""Validation and normalisation of Russian company identifiers, phones and names."""

import re

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.ru import inn as stdnum_inn

LEGAL_FORMS = re.compile(r"\b(ооо|оао|зао|пао|ао|ип|нко|ано|гуп|муп|фгуп|llc|ltd|jsc|inc)\b", re.IGNORECASE)


def validate_inn(value: str) -> None:
    if not value:
        return
    try:
        stdnum_inn.validate(value)
    except StdnumError as exc:
        raise ValidationError(
            _("INN %(value)s is not valid (10 digits for a company, 12 for a person, with a correct check digit)."),
            params={"value": value},
            code="invalid_inn",
        ) from exc


def validate_kpp(value: str) -> None:
    if value and not re.fullmatch(r"\d{4}[\dA-Z]{2}\d{3}", value):
        raise ValidationError(
            _("KPP must be 9 characters: 4 digits, 2 digits or letters, 3 digits."), code="invalid_kpp"
        )


def normalize_phone(value: str) -> str:
    """Any Russian way of writing a number (8 (495) 123-45-67, +7 495 1234567) -> +74951234567."""
    value = (value or "").strip()
    if not value:
        return ""
    try:
        number = phonenumbers.parse(value, "RU")
    except phonenumbers.NumberParseException as exc:
        raise ValidationError(
            _("Phone %(value)s is not a phone number."), params={"value": value}, code="invalid_phone"
        ) from exc
    if not phonenumbers.is_possible_number(number):
        raise ValidationError(
            _("Phone %(value)s is not a phone number."), params={"value": value}, code="invalid_phone"
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def format_phone(value: str) -> str:
    """A stored E.164 number as Russians write it: +74955810283 -> +7 495 581-02-83; anything unreadable as is."""
    if not value:
        return ""
    try:
        number = phonenumbers.parse(value, "RU")
    except phonenumbers.NumberParseException:
        return value
    if not phonenumbers.is_possible_number(number):
        return value
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def validate_phone(value: str) -> None:
    if value and not re.fullmatch(r"\+\d{7,15}", value):
        raise ValidationError(_("Phone must be stored as +7XXXXXXXXXX."), code="invalid_phone")


def normalize_name(value: str) -> str:
    """«ООО "Ромашка-Плюс"» and 'Ромашка плюс, ООО' both -> 'ромашка плюс', for finding duplicates."""
    value = (value or "").lower().replace("ё", "е")
    value = LEGAL_FORMS.sub(" ", value)
    value = re.sub(r"[^\w]+", " ", value)
    return " ".join(value.split())[:255]


def phone_digits(value: str) -> str:
    """Digits of a search term, with a leading 8 read as the Russian +7."""
    digits = re.sub(r"\D", "", value or "")
    if len(digits) == 11 and digits.startswith("8"):
        digits = "7" + digits[1:]
    return digits
