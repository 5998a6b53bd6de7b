from __future__ import annotations

from rest_framework import serializers


class LostClientSerializer(serializers.Serializer):
    client_id = serializers.IntegerField()
    name = serializers.CharField()
    segment = serializers.CharField()
    lost_month = serializers.DateField()
    last_purchase = serializers.DateField()
    category = serializers.CharField()
    turnover = serializers.DecimalField(max_digits=16, decimal_places=2)
    reason = serializers.CharField()
    reason_source = serializers.CharField(help_text='"deal", "win_back" or ""')
    won_back = serializers.BooleanField()


class BreakdownSerializer(serializers.Serializer):
    label = serializers.CharField()  # type: ignore[assignment]
    counts = serializers.ListField(child=serializers.IntegerField())
    total = serializers.IntegerField()


class LostSerializer(serializers.Serializer):
    as_of = serializers.DateField()
    lost_after_months = serializers.IntegerField()
    months = serializers.ListField(child=serializers.DateField())
    counts = serializers.ListField(child=serializers.IntegerField())
    total = serializers.IntegerField()
    this_month = serializers.IntegerField()
    last_month = serializers.IntegerField()
    trend = serializers.DecimalField(max_digits=8, decimal_places=1)
    won_back = serializers.IntegerField()
    by_reason = BreakdownSerializer(many=True)
    by_category = BreakdownSerializer(many=True)
    by_segment = BreakdownSerializer(many=True)
    clients = LostClientSerializer(many=True)
