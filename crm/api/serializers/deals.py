"""Deals: the read shape, writes, stage moves, loss, payments and the stage history."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from crm.models import (
    Client,
    Deal,
    DealPayment,
    DealProduct,
    DealStageChange,
    LostReason,
    Product,
    User,
)
from crm.rules.stages import Stage
from crm.services.deals import ALL_MOVE_FIELDS

from .fields import ZERO, ChoiceOrNullField, VisibleRelatedField, name_of


class DealProductSerializer(serializers.ModelSerializer):
    product_name = name_of("product")
    amount = serializers.DecimalField(max_digits=16, decimal_places=2, read_only=True)

    class Meta:
        model = DealProduct
        fields = ["product", "product_name", "quantity", "price", "amount"]


class DealProductWriteSerializer(serializers.Serializer):
    product = serializers.PrimaryKeyRelatedField(queryset=Product.objects.all())
    quantity = serializers.DecimalField(
        max_digits=14, decimal_places=3, min_value=Decimal("0.001"), default=Decimal("1")
    )
    price = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=ZERO, required=False)


class DealSerializer(serializers.ModelSerializer):
    serializer_choice_field = ChoiceOrNullField  # a blank choice is null
    client_name = name_of("client")
    owner_name = name_of("owner")
    stage_display = serializers.CharField(source="get_stage_display", read_only=True)
    stage_number = serializers.IntegerField(read_only=True)
    amount_due = serializers.DecimalField(max_digits=14, decimal_places=2, read_only=True)
    lost_reason_name = name_of("lost_reason")
    products = DealProductSerializer(source="lines", many=True, read_only=True)
    # Whether the proposal file is attached (it is downloaded from the deal card, never from a public link).
    has_proposal_file = serializers.SerializerMethodField()

    def get_has_proposal_file(self, deal: Deal) -> bool:
        return bool(deal.proposal_file)

    class Meta:
        model = Deal
        fields = [
            "id",
            "uuid",
            "title",
            "client",
            "client_name",
            "owner",
            "owner_name",
            "stage",
            "stage_display",
            "stage_number",
            "stage_changed_at",
            "amount",
            "probability",
            "expected_close_date",
            *ALL_MOVE_FIELDS,
            "has_proposal_file",
            "paid_amount",
            "amount_due",
            "lost_reason",
            "lost_reason_name",
            "lost_from_stage",
            "lost_note",
            "won_at",
            "closed_at",
            "products",
            "created_at",
            "updated_at",
        ]


MONEY_FIELDS = ("amount", "proposal_amount", "agreed_amount", "invoice_amount")


class DealWriteSerializer(serializers.ModelSerializer):
    """Create: client, title, optional manager, amount, dates, products. Update: details and completion data."""

    client = VisibleRelatedField(Client)
    owner = serializers.PrimaryKeyRelatedField(queryset=User.objects.filter(is_active=True), required=False)
    products = DealProductWriteSerializer(many=True, required=False)
    uuid = serializers.UUIDField(
        required=False, help_text=_("The client's own UUID for the new row: a create sent again answers the same row.")
    )

    class Meta:
        model = Deal
        fields = ["uuid", "client", "title", "owner", "amount", "expected_close_date", "plan_month", "products"]
        extra_kwargs = {field: {"min_value": ZERO} for field in MONEY_FIELDS}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance is not None:
            self.fields.pop("client")
            self.fields.pop("uuid")
            for field in ALL_MOVE_FIELDS:
                self.fields.setdefault(field, self.build_move_field(field))
            # After the contract the invoice is the head's to change, and he says why (crm/services/deals.py).
            self.fields["invoice_reason"] = serializers.CharField(max_length=500, required=False, write_only=True)

    def build_move_field(self, name: str) -> serializers.Field:
        field_class, kwargs = self.build_standard_field(name, Deal._meta.get_field(name))  # type: ignore[arg-type]
        kwargs.update(self.Meta.extra_kwargs.get(name, {}))
        kwargs["required"] = False
        return field_class(**kwargs)


class DealMoveSerializer(serializers.ModelSerializer):
    """`stage` to move to, a `reason` for a backward move, and the completion data of the stage being left."""

    stage = serializers.ChoiceField(choices=Stage.choices)
    reason = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")

    class Meta:
        model = Deal
        fields = ["stage", "reason", *ALL_MOVE_FIELDS]
        extra_kwargs = {
            **{field: {"required": False} for field in ALL_MOVE_FIELDS},
            **{field: {"required": False, "min_value": ZERO} for field in MONEY_FIELDS if field in ALL_MOVE_FIELDS},
        }

    def completion_data(self) -> dict[str, Any]:
        """Only the completion fields the request actually sent."""
        return {field: value for field, value in self.validated_data.items() if field in ALL_MOVE_FIELDS}


class DealLoseSerializer(serializers.Serializer):
    reason = serializers.PrimaryKeyRelatedField(queryset=LostReason.objects.all())
    note = serializers.CharField(required=False, allow_blank=True, default="")


class DealPaymentSerializer(serializers.ModelSerializer):
    class Meta:
        model = DealPayment
        fields = ["id", "amount", "paid_on", "document_number", "by", "created_at"]
        read_only_fields = ["id", "by", "created_at"]


class StageChangeSerializer(serializers.ModelSerializer):
    serializer_choice_field = ChoiceOrNullField  # a blank choice is null
    from_stage_display = serializers.CharField(source="get_from_stage_display", read_only=True)
    to_stage_display = serializers.CharField(source="get_to_stage_display", read_only=True)
    by_name = name_of("by")

    class Meta:
        model = DealStageChange
        fields = [
            "id",
            "from_stage",
            "from_stage_display",
            "to_stage",
            "to_stage_display",
            "is_backward",
            "reason",
            "by",
            "by_name",
            "at",
        ]
