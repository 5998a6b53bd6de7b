"""Activities and the sales history."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from crm.models import (
    Activity,
    Client,
    Deal,
    SaleLine,
)

from .fields import ChoiceOrNullField, VisibleRelatedField, name_of


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
    serializer_choice_field = ChoiceOrNullField  # a blank choice is null
    client = VisibleRelatedField(Client)
    deal = VisibleRelatedField(Deal, required=False, allow_null=True)

    class Meta:
        model = Activity
        fields = [
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
