"""Activities and the sales history."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from crm.models import (
    Activity,
    Client,
    Deal,
    SaleLine,
)

from .fields import ChoiceOrNullField, VisibleRelatedField, name_of

# How far ahead of the server's clock a phone's clock may be when it says when a call ended.
CLOCK_SLACK = timedelta(minutes=5)


class ActivitySerializer(serializers.ModelSerializer):
    serializer_choice_field = ChoiceOrNullField  # a blank choice is null
    client_name = name_of("client")
    deal_title = name_of("deal")
    owner_name = name_of("owner")
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    is_done = serializers.BooleanField(read_only=True)

    class Meta:
        model = Activity
        fields = [
            "id",
            "uuid",
            "kind",
            "kind_display",
            "client",
            "client_name",
            "deal",
            "deal_title",
            "owner",
            "owner_name",
            "subject",
            "note",
            "direction",
            "call_result",
            "duration_seconds",
            "due_at",
            "done_at",
            "is_done",
            "created_at",
            "updated_at",
        ]


class ActivityWriteSerializer(serializers.ModelSerializer):
    uuid = serializers.UUIDField(
        required=False, help_text=_("The client's own UUID for the new row: a create sent again answers the same row.")
    )
    serializer_choice_field = ChoiceOrNullField  # a blank choice is null
    client = VisibleRelatedField(Client)
    deal = VisibleRelatedField(Deal, required=False, allow_null=True)

    class Meta:
        model = Activity
        fields = [
            "uuid",
            "kind",
            "client",
            "deal",
            "subject",
            "note",
            "direction",
            "call_result",
            "duration_seconds",
            "due_at",
            "done_at",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance is not None:
            self.fields.pop("uuid")


class CallLogSerializer(serializers.Serializer):
    """A call that ended and the next task, saved together or not at all (`POST activities/log-call/`)."""

    uuid = serializers.UUIDField(required=False, help_text=_("The client's UUID for the call."))
    client = VisibleRelatedField(Client)
    deal = VisibleRelatedField(Deal, required=False, allow_null=True, default=None)
    task = VisibleRelatedField(
        Activity,
        required=False,
        allow_null=True,
        default=None,
        help_text=_("The planned task the call was made for: it is marked done with the call."),
    )
    direction = serializers.ChoiceField(choices=Activity.Direction.choices)
    call_result = serializers.ChoiceField(choices=Activity.CallResult.choices)
    duration_minutes = serializers.IntegerField(
        required=False, allow_null=True, default=None, min_value=0, max_value=24 * 60
    )
    note = serializers.CharField(required=False, allow_blank=True, default="")
    done_at = serializers.DateTimeField(
        required=False, allow_null=True, default=None, help_text=_("When the call ended; now if not given.")
    )
    next_uuid = serializers.UUIDField(required=False, help_text=_("The client's UUID for the next task."))
    next_subject = serializers.CharField(max_length=255)
    next_due_at = serializers.DateTimeField()

    def validate_done_at(self, value: datetime | None) -> datetime | None:
        if value is not None and value > timezone.now() + CLOCK_SLACK:
            raise serializers.ValidationError(_("A call cannot end in the future."))
        return value


class CallLogResultSerializer(serializers.Serializer):
    call = ActivitySerializer()
    next_task = ActivitySerializer(allow_null=True)


class ActivityCompleteSerializer(serializers.Serializer):
    done_at = serializers.DateTimeField(required=False, help_text=_("When it was done; now if not given."))
    note = serializers.CharField(required=False, allow_blank=True, default="")


class SaleLineSerializer(serializers.ModelSerializer):
    client_name = name_of("client")
    product_name = name_of("product")
    manager_name = name_of("manager")

    class Meta:
        model = SaleLine
        fields = [
            "id",
            "date",
            "document_number",
            "line_no",
            "client",
            "client_name",
            "product",
            "product_name",
            "quantity",
            "amount",
            "margin",
            "is_paid",
            "paid_date",
            "manager",
            "manager_name",
            "updated_at",
        ]
