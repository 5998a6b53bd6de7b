"""Field types the API shares: ids with names, references to visible rows, phones as typed."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from rest_framework import serializers

ZERO = Decimal("0")


def name_of(source: str) -> serializers.CharField:
    """The display name of a related object (its `__str__`), next to its id."""
    return serializers.CharField(source=source, read_only=True, allow_null=True)


class VisibleRelatedField(serializers.PrimaryKeyRelatedField):
    """A reference by id to a row the requesting user may see; any other id is "does not exist"."""

    def __init__(self, model: Any, **kwargs: Any) -> None:
        self.model = model
        kwargs.setdefault("queryset", model.objects.none())
        super().__init__(**kwargs)

    def get_queryset(self):
        request = self.context.get("request")
        if request is None:
            return self.model.objects.none()
        return self.model.objects.visible_to(request.user)


class PhoneField(serializers.CharField):
    """Any way of writing a phone; the service normalises it to E.164 (+7 and ten digits) and reports a bad one."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("allow_blank", True)
        kwargs.setdefault("max_length", 32)
        super().__init__(**kwargs)


class ChoiceOrNullField(serializers.ChoiceField):
    """A choice that may be left empty is `null` in the API, never `""` (typed clients cannot hold a blank enum member).

    The model keeps `""`; a write may send `null` or `""` for "none". Used as `serializer_choice_field` of the
    serializers whose models have blank-able choices, so the schema says `nullable` and its enum has no `""`.
    """

    def __init__(self, **kwargs: Any) -> None:
        self.blank_as_null = bool(kwargs.pop("allow_blank", False))
        if self.blank_as_null:
            kwargs["allow_null"] = True
        super().__init__(**kwargs)

    def validate_empty_values(self, data: Any) -> tuple[bool, Any]:
        if self.blank_as_null and data is None and not self.read_only:
            return True, ""
        return super().validate_empty_values(data)

    def to_internal_value(self, data: Any) -> Any:
        if self.blank_as_null and data == "":
            return ""
        return super().to_internal_value(data)

    def to_representation(self, value: Any) -> Any:
        if self.blank_as_null and value in ("", None):
            return None
        return super().to_representation(value)
