"""Read shapes of plan/fact and Tool 1 for /api/v1/plan-fact/ and /api/v1/cross-sell/."""

from __future__ import annotations

from rest_framework import serializers


class PlanFactDaySerializer(serializers.Serializer):
    date = serializers.DateField()
    working = serializers.BooleanField()
    fact = serializers.DecimalField(max_digits=16, decimal_places=2, allow_null=True)
    cumulative = serializers.DecimalField(max_digits=16, decimal_places=2, allow_null=True)
    plan = serializers.DecimalField(max_digits=16, decimal_places=2)
    forecast = serializers.DecimalField(max_digits=16, decimal_places=2, allow_null=True)


class SeriesSerializer(serializers.Serializer):
    name = serializers.CharField()
    target = serializers.DecimalField(max_digits=16, decimal_places=2)
    fact = serializers.DecimalField(max_digits=16, decimal_places=2)
    fact_new = serializers.DecimalField(max_digits=16, decimal_places=2, source="fact_new_total")
    fact_existing = serializers.DecimalField(max_digits=16, decimal_places=2, source="fact_existing_total")
    plan_to_date = serializers.DecimalField(max_digits=16, decimal_places=2)
    forecast = serializers.DecimalField(max_digits=16, decimal_places=2)
    working_days = serializers.SerializerMethodField()
    working_days_passed = serializers.IntegerField(source="working_passed")

    def get_working_days(self, series) -> int:  # type: ignore[no-untyped-def]
        return len(series.working)


class ManagerFactSerializer(serializers.Serializer):
    manager = serializers.IntegerField(source="manager.pk")
    manager_name = serializers.CharField(source="manager.__str__")
    plan = serializers.IntegerField(source="plan_id", allow_null=True)
    series = SeriesSerializer()


class PlanFactSerializer(serializers.Serializer):
    month = serializers.DateField()
    total = SeriesSerializer()
    days = PlanFactDaySerializer(many=True, source="total.rows")
    managers = ManagerFactSerializer(many=True)
    teams = SeriesSerializer(many=True)


class CrossSellRowSerializer(serializers.Serializer):
    client = serializers.IntegerField(source="client.pk")
    client_name = serializers.CharField(source="client.name")
    turnover = serializers.DecimalField(max_digits=16, decimal_places=2)
    category = serializers.IntegerField(source="category.pk")
    category_name = serializers.CharField(source="category.name")
    because_of = serializers.SerializerMethodField()
    product = serializers.IntegerField(source="product.pk", allow_null=True, default=None)
    product_name = serializers.CharField(source="product.name", allow_null=True, default=None)
    value = serializers.DecimalField(max_digits=16, decimal_places=2)
    within_cover = serializers.BooleanField()

    def get_because_of(self, row) -> list[str]:  # type: ignore[no-untyped-def]
        return [category.name for category in row.because_of]


class CrossSellSerializer(serializers.Serializer):
    manager = serializers.IntegerField(source="manager.pk")
    month = serializers.DateField()
    window_start = serializers.DateField()
    window_end = serializers.DateField()
    plan = serializers.IntegerField(source="plan.pk", allow_null=True, default=None)
    cross_sell_cover = serializers.DecimalField(max_digits=16, decimal_places=2, source="cover")
    carried = serializers.DecimalField(max_digits=16, decimal_places=2)
    rows = CrossSellRowSerializer(many=True)
