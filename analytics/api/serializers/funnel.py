"""The funnel's answer (/api/v1/analytics/funnel/): the same figures as the page, per stage in the fixed order."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from analytics.rules.funnel import Durations, Funnel, PurchaseStep
from crm.rules.stages import Stage


def _days(durations: Durations) -> dict[str, Any]:
    return {
        "count": durations.count,
        "median_days": durations.median_days,
        "p75_days": durations.p75_days,
        "mean_days": durations.mean_days,
    }


class DurationsSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    median_days = serializers.DecimalField(max_digits=10, decimal_places=1, allow_null=True)
    p75_days = serializers.DecimalField(max_digits=10, decimal_places=1, allow_null=True)
    mean_days = serializers.DecimalField(max_digits=10, decimal_places=1, allow_null=True)


class StageSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    stage = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]
    count = serializers.IntegerField()
    amount = serializers.DecimalField(max_digits=18, decimal_places=2, allow_null=True)
    average = serializers.DecimalField(max_digits=18, decimal_places=2, allow_null=True)
    of_previous = serializers.DecimalField(max_digits=8, decimal_places=1, allow_null=True)
    of_first = serializers.DecimalField(max_digits=8, decimal_places=1, allow_null=True)
    days = DurationsSerializer()
    lost = serializers.IntegerField()
    worst = serializers.BooleanField()


class PurchaseSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    clients = serializers.IntegerField()
    of_previous = serializers.DecimalField(max_digits=8, decimal_places=1, allow_null=True)
    of_first = serializers.DecimalField(max_digits=8, decimal_places=1, allow_null=True)


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField()
    deals = serializers.IntegerField()


class FunnelSerializer(serializers.Serializer):
    view = serializers.CharField()
    date_from = serializers.DateField()
    date_to = serializers.DateField()
    as_of = serializers.DateField()
    formula = serializers.CharField()
    won = serializers.IntegerField()
    lost = serializers.IntegerField()
    closed = serializers.IntegerField()
    conversion = serializers.DecimalField(max_digits=8, decimal_places=1, allow_null=True)
    won_amount = serializers.DecimalField(max_digits=18, decimal_places=2)
    average_won = serializers.DecimalField(max_digits=18, decimal_places=2, allow_null=True)
    cycle = DurationsSerializer()
    worst_stage = serializers.CharField(allow_null=True)
    worst_reasons = ReasonSerializer(many=True)
    stages = StageSerializer(many=True)
    purchases = PurchaseSerializer(many=True)


def funnel_payload(*, query: Any, funnel: Funnel, steps: list[PurchaseStep]) -> dict[str, Any]:
    return {
        "view": query.view,
        "date_from": query.date_from,
        "date_to": query.date_to,
        "as_of": query.as_of,
        "formula": "conversion = won / (won + lost)",
        "won": funnel.won,
        "lost": funnel.lost,
        "closed": funnel.closed,
        "conversion": funnel.conversion,
        "won_amount": funnel.won_amount,
        "average_won": funnel.average_won,
        "cycle": _days(funnel.cycle),
        "worst_stage": funnel.worst_stage,
        "worst_reasons": [{"reason": reason, "deals": deals} for reason, deals in funnel.worst_reasons],
        "stages": [
            {
                "number": row.number,
                "stage": row.code,
                "label": str(Stage(row.code).label),
                "count": row.count,
                # The period view counts deals without their amounts.
                "amount": row.amount if query.view == "cohort" else None,
                "average": row.average if query.view == "cohort" else None,
                "of_previous": row.of_previous,
                "of_first": row.of_first,
                "days": _days(row.durations),
                "lost": row.lost,
                "worst": row.worst,
            }
            for row in funnel.stages
        ],
        "purchases": [
            {"number": s.number, "clients": s.clients, "of_previous": s.of_previous, "of_first": s.of_first}
            for s in steps
        ],
    }
