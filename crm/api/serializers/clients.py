"""Clients, contact persons, segments and the product catalogue."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from crm.models import (
    Brand,
    Client,
    ContactPerson,
    LostReason,
    MarketSegment,
    Product,
    ProductCategory,
    User,
)
from crm.services.clients import CLIENT_FIELDS

from .fields import ZERO, ChoiceOrNullField, PhoneField, VisibleRelatedField, name_of


class SegmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = MarketSegment
        fields = ["id", "name", "description", "is_active", "updated_at"]


class ClientSerializer(serializers.ModelSerializer):
    serializer_choice_field = ChoiceOrNullField  # a blank choice is null
    owner_name = name_of("owner")
    segment_name = name_of("segment")
    status_display = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = Client
        fields = [
            "id",
            "uuid",
            *CLIENT_FIELDS,
            "segment_name",
            "status_display",
            "owner",
            "owner_name",
            "owned_since",
            "created_at",
            "updated_at",
        ]


class ClientWriteSerializer(serializers.ModelSerializer):
    uuid = serializers.UUIDField(
        required=False, help_text=_("The client's own UUID for the new row: a create sent again answers the same row.")
    )
    serializer_choice_field = ChoiceOrNullField  # a blank choice is null
    phone = PhoneField()
    phone_extra = PhoneField()
    owner = serializers.PrimaryKeyRelatedField(queryset=User.objects.filter(is_active=True), required=False)

    class Meta:
        model = Client
        fields = ["uuid", *CLIENT_FIELDS, "owner"]
        # The INN/KPP uniqueness is checked by the service (full_clean), with the other model rules.
        validators: list[Any] = []

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance is not None:
            self.fields.pop("owner")
            self.fields.pop("uuid")


class ClientReassignSerializer(serializers.Serializer):
    owner = serializers.PrimaryKeyRelatedField(queryset=User.objects.filter(is_active=True))
    reason = serializers.CharField(max_length=500)


class ContactSerializer(serializers.ModelSerializer):
    client_name = name_of("client")

    class Meta:
        model = ContactPerson
        fields = [
            "id",
            "uuid",
            "client",
            "client_name",
            "full_name",
            "position",
            "phone",
            "mobile",
            "email",
            "decision_role",
            "note",
            "created_at",
            "updated_at",
        ]


class ContactWriteSerializer(serializers.ModelSerializer):
    uuid = serializers.UUIDField(
        required=False, help_text=_("The client's own UUID for the new row: a create sent again answers the same row.")
    )
    client = VisibleRelatedField(Client)
    phone = PhoneField()
    mobile = PhoneField()

    class Meta:
        model = ContactPerson
        fields = ["uuid", "client", "full_name", "position", "phone", "mobile", "email", "decision_role", "note"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance is not None:
            self.fields.pop("client")
            self.fields.pop("uuid")


class ProductCategorySerializer(serializers.ModelSerializer):
    class Meta:
        model = ProductCategory
        fields = ["id", "name", "parent", "is_active", "updated_at"]


class BrandSerializer(serializers.ModelSerializer):
    class Meta:
        model = Brand
        fields = ["id", "name", "updated_at"]


class LostReasonSerializer(serializers.ModelSerializer):
    class Meta:
        model = LostReason
        fields = ["id", "name", "is_active", "sort_order", "updated_at"]


class ProductSerializer(serializers.ModelSerializer):
    category_name = name_of("category")
    brand_name = name_of("brand")

    class Meta:
        model = Product
        fields = [
            "id",
            "sku",
            "name",
            "category",
            "category_name",
            "brand",
            "brand_name",
            "unit",
            "price",
            "is_active",
            "updated_at",
        ]
        read_only_fields = ["updated_at"]
        extra_kwargs = {"price": {"min_value": ZERO}, "sku": {"validators": []}}


class StageProbabilitySerializer(serializers.Serializer):
    """A stage of the pipeline with the win probability the head set (or the default)."""

    stage = serializers.CharField()
    number = serializers.IntegerField()
    name = serializers.CharField()
    probability = serializers.IntegerField()
