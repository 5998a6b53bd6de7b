"""Shapes of plan/fact, Tool 1 and Tool 2 for /api/v1/plan-fact/, /api/v1/cross-sell/, /api/v1/tool2/."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from planning.models import Tool2Item


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


class Tool2LineSerializer(serializers.Serializer):
    origin = serializers.SerializerMethodField(help_text="own: the manager added it; department: the head's item")
    id = serializers.SerializerMethodField()
    kind = serializers.CharField()
    name = serializers.CharField()
    brand = serializers.CharField()
    note = serializers.CharField()
    valid_to = serializers.DateField(allow_null=True)

    def get_origin(self, line) -> str:  # type: ignore[no-untyped-def]
        return "own" if line.own else "department"

    def get_id(self, line) -> int:  # type: ignore[no-untyped-def]
        """The own line's id (to delete it) or the head's item's id (to strike it out)."""
        return line.own.pk if line.own else line.featured.pk


class Tool2StruckSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    kind = serializers.CharField()
    name = serializers.CharField(source="product.name")
    note = serializers.CharField()


class Tool2Serializer(serializers.Serializer):
    manager = serializers.IntegerField(source="manager.pk")
    lines = serializers.SerializerMethodField()
    struck = Tool2StruckSerializer(many=True)
    fits_one_page = serializers.BooleanField()

    def get_lines(self, tool2) -> Any:  # type: ignore[no-untyped-def]
        return Tool2LineSerializer([line for _, _, lines in tool2.groups for line in lines], many=True).data


class Tool2StrikeSerializer(serializers.Serializer):
    item = serializers.IntegerField(min_value=1, help_text="the id of one of the head's items valid today")


class Tool2ItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = Tool2Item
        fields = ["id", "manager", "kind", "product", "text", "note", "created_at"]
        read_only_fields = ["id", "manager", "created_at"]
