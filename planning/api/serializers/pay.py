"""Pay in the API: a manager's month (earned, forecast, next threshold) and the pay schemes per role."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from crm.models import Role
from planning.api.serializers.plans import MonthField
from planning.models import PayKpi, PayScheme, PayThreshold


def money(**kwargs: Any) -> serializers.DecimalField:
    """Roubles and kopecks, as the models keep them."""
    return serializers.DecimalField(max_digits=16, decimal_places=2, **kwargs)


class ThresholdSerializer(serializers.Serializer):
    percent = serializers.IntegerField()
    rate = serializers.DecimalField(max_digits=5, decimal_places=2)


class PayPartsSerializer(serializers.Serializer):
    """One month's pay at a fact: fixed + soft_part + bonus = total."""

    fact = money()
    target = money(allow_null=True)
    fulfilment_percent = serializers.DecimalField(max_digits=9, decimal_places=2, source="fulfilment", allow_null=True)
    threshold = ThresholdSerializer(allow_null=True)
    fixed = money()
    soft_part = money()
    bonus = money()
    total = money()


class NextThresholdSerializer(serializers.Serializer):
    threshold = ThresholdSerializer()
    sales_at_threshold = money()
    still_needed = money()
    per_remaining_day = money(allow_null=True)
    pay = PayPartsSerializer()


class KpiLineSerializer(serializers.Serializer):
    name = serializers.CharField()
    weight = serializers.IntegerField()
    achieved = serializers.IntegerField(allow_null=True)
    contribution = serializers.DecimalField(max_digits=7, decimal_places=2)


class OutlookSerializer(serializers.Serializer):
    days_in_month = serializers.IntegerField()
    days_passed = serializers.IntegerField()
    days_left = serializers.IntegerField()
    earned = PayPartsSerializer()
    forecast = PayPartsSerializer()
    forecast_fact = money()
    next_threshold = NextThresholdSerializer(allow_null=True)
    kpis = KpiLineSerializer(many=True)


class MonthPaySerializer(serializers.Serializer):
    """`outlook` is null when the role has no scheme; `message` says why a part is missing."""

    manager = serializers.IntegerField(source="manager.pk")
    manager_name = serializers.CharField(source="manager.__str__")
    month = MonthField(read_only=True)
    today = serializers.DateField()
    plan = serializers.SerializerMethodField()
    scheme = serializers.IntegerField(source="scheme.pk", allow_null=True, default=None)
    message = serializers.CharField()
    outlook = OutlookSerializer(allow_null=True)

    def get_plan(self, obj: Any) -> dict[str, Any] | None:
        plan = obj.plan
        if plan is None:
            return None
        return {"id": plan.pk, "version": plan.version, "status": plan.status, "target": f"{plan.target:.2f}"}


class PayKpiSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(required=False, allow_null=True)

    class Meta:
        model = PayKpi
        fields = ["id", "name", "weight"]
        extra_kwargs = {"weight": {"min_value": 1, "max_value": 100}}


class PayThresholdSerializer(serializers.ModelSerializer):
    class Meta:
        model = PayThreshold
        fields = ["fulfilment_percent", "rate"]


class PaySchemeSerializer(serializers.ModelSerializer):
    role_display = serializers.CharField(source="get_role_display", read_only=True)
    kpis = PayKpiSerializer(many=True, read_only=True)
    thresholds = PayThresholdSerializer(many=True, read_only=True)

    class Meta:
        model = PayScheme
        fields = ["id", "role", "role_display", "fixed", "soft", "kpis", "thresholds", "updated_at"]


class PaySchemeWriteSerializer(serializers.Serializer):
    """POST sets (or replaces) a role's scheme; PATCH may leave out any part, which then stays as it is."""

    role = serializers.ChoiceField(choices=Role.choices)
    fixed = money(min_value=0)
    soft = money(min_value=0)
    kpis = PayKpiSerializer(many=True)
    thresholds = PayThresholdSerializer(many=True)
