"""Stock requests: what a client would buy if we stocked it, and the head's answer."""

from __future__ import annotations

from decimal import Decimal

from rest_framework import serializers

from crm.models import Client, Product, ProductCategory, StockRequest

from .fields import VisibleRelatedField, name_of


class StockRequestSerializer(serializers.ModelSerializer):
    client_name = name_of("client.name")
    manager = serializers.IntegerField(source="client.owner_id", read_only=True, allow_null=True)
    manager_name = name_of("client.owner")
    product_name = name_of("product.name")
    product_sku = name_of("product.sku")
    category_name = name_of("category.name")
    item_label = serializers.CharField(read_only=True)
    requested_by_name = name_of("requested_by")
    answered_by_name = name_of("answered_by")
    status_display = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = StockRequest
        fields = [
            "id",
            "client",
            "client_name",
            "manager",
            "manager_name",
            "product",
            "product_name",
            "product_sku",
            "category",
            "category_name",
            "item_name",
            "item_label",
            "quantity",
            "unit",
            "note",
            "requested_by",
            "requested_by_name",
            "created_at",
            "status",
            "status_display",
            "answer",
            "answered_by",
            "answered_by_name",
            "answered_at",
            "updated_at",
        ]
        read_only_fields = fields


class StockRequestWriteSerializer(serializers.Serializer):
    """One of `product`, `category` or `item_name` (an item not in the catalogue yet)."""

    client = VisibleRelatedField(Client)
    product = serializers.PrimaryKeyRelatedField(queryset=Product.objects.all(), required=False, allow_null=True)
    category = serializers.PrimaryKeyRelatedField(
        queryset=ProductCategory.objects.all(), required=False, allow_null=True
    )
    item_name = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")
    quantity = serializers.DecimalField(max_digits=12, decimal_places=3, min_value=Decimal("0.001"))
    unit = serializers.CharField(max_length=16, required=False, allow_blank=True, default="")
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class StockAnswerSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=[StockRequest.Status.ORDERED, StockRequest.Status.REFUSED])
    answer = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
