"""Plans through the API: the figures of DOMAIN.md section 4 with the regular-client lines, and generation input."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.params import parse_month
from crm.api.serializers.fields import name_of
from crm.models import User
from planning.models import Plan, PlanLine
from planning.rules.plans import gap_percent, gap_warning
from planning.selectors.plans import plan_numbers


@extend_schema_field({"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}$", "example": "2026-05"})
class MonthField(serializers.Field):
    """A month as `YYYY-MM`, read as its first day."""

    default_error_messages = {"invalid": _("Enter the month as YYYY-MM.")}

    def to_internal_value(self, data: Any) -> date:
        try:
            month = parse_month(data if isinstance(data, str) else None)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.messages) from None
        if month is None:
            self.fail("invalid")
        return month

    def to_representation(self, value: date) -> str:
        return f"{value:%Y-%m}"


class PlanLineSerializer(serializers.ModelSerializer):
    client_name = name_of("client")
    plan = serializers.DecimalField(source="plan_amount", max_digits=16, decimal_places=2, read_only=True)

    class Meta:
        model = PlanLine
        fields = ["client", "client_name", "months_with_purchases", "monthly", "window_total", "plan"]


class PlanSerializer(serializers.ModelSerializer):
    manager_name = name_of("manager")
    month = MonthField(read_only=True)
    gap_percent = serializers.SerializerMethodField()
    gap_warning = serializers.SerializerMethodField()
    lines = PlanLineSerializer(many=True, read_only=True)

    class Meta:
        model = Plan
        fields = [
            "id",
            "manager",
            "manager_name",
            "month",
            "version",
            "status",
            "target",
            "one_off_share",
            "active_existing_share",
            "window_start",
            "window_end",
            "months_worked",
            "window_total",
            "regular_total",
            "average_monthly",
            "one_off",
            "active_gap",
            "gap_percent",
            "gap_warning",
            "active_existing",
            "active_new",
            "cross_sell_cover",
            "created_by",
            "created_at",
            "approved_by",
            "approved_at",
            "lines",
        ]
        read_only_fields = fields

    def get_gap_percent(self, plan: Plan) -> Decimal | None:
        return gap_percent(plan.target, plan.active_gap)

    def get_gap_warning(self, plan: Plan) -> bool:
        # The head's band, read once per response (the context is shared by every row).
        if "plan_numbers" not in self.context:
            self.context["plan_numbers"] = plan_numbers()
        numbers = self.context["plan_numbers"]
        return gap_warning(plan.target, plan.active_gap, low=numbers.gap_band_min, high=numbers.gap_band_max)


class PlanListSerializer(PlanSerializer):
    """A plan in the list: its figures and how many lines it has; the lines themselves are on the detail."""

    lines = None  # type: ignore[assignment]
    line_count = serializers.IntegerField(read_only=True, help_text="Lines of the plan (read them on the detail).")

    class Meta(PlanSerializer.Meta):
        fields = [*(name for name in PlanSerializer.Meta.fields if name != "lines"), "line_count"]
        read_only_fields = fields


class PlanGenerateSerializer(serializers.Serializer):
    # Any user id: a seller naming someone else gets 403 from the service, not "does not exist".
    manager = serializers.PrimaryKeyRelatedField(queryset=User.objects.all())
    month = MonthField()
    target = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=Decimal("0"))
    # Without them, the lower ends of the head's ranges (20 per cent and 1/2 by default).
    one_off_share = serializers.DecimalField(max_digits=6, decimal_places=4, required=False)
    active_existing_share = serializers.DecimalField(max_digits=6, decimal_places=4, required=False)


class PlanApproveSerializer(serializers.Serializer):
    # A draft whose G is negative (R + O above T) is approved only with this set: else 400 on this field.
    confirm_negative_g = serializers.BooleanField(default=False)
