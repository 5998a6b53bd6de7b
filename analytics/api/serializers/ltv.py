from __future__ import annotations

from rest_framework import serializers


class LtvFactorsSerializer(serializers.Serializer):
    clients = serializers.IntegerField()
    purchases = serializers.IntegerField()
    revenue = serializers.DecimalField(max_digits=16, decimal_places=2)
    client_months = serializers.IntegerField()
    margin = serializers.DecimalField(max_digits=16, decimal_places=2)
    margin_revenue = serializers.DecimalField(max_digits=16, decimal_places=2)
    margin_known = serializers.BooleanField()
    average_check = serializers.DecimalField(max_digits=16, decimal_places=2, help_text="S, roubles")
    purchases_per_month = serializers.DecimalField(max_digits=10, decimal_places=3, help_text="C")
    profitability = serializers.DecimalField(max_digits=7, decimal_places=2, help_text="P, %")
    lifetime = serializers.DecimalField(max_digits=7, decimal_places=1, help_text="t, months")
    ltv = serializers.DecimalField(max_digits=16, decimal_places=2, help_text="S x C x P x t, roubles")


class LtvRowSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]
    factors = LtvFactorsSerializer()


class LtvSerializer(serializers.Serializer):
    as_of = serializers.DateField()
    by = serializers.CharField()
    default_profitability = serializers.DecimalField(max_digits=5, decimal_places=2)
    lost_after_months = serializers.IntegerField()
    stored = serializers.BooleanField(help_text="read from the nightly aggregate of as_of")
    total = LtvFactorsSerializer()
    rows = LtvRowSerializer(many=True)
