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
