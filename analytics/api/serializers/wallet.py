from __future__ import annotations

from rest_framework import serializers


class WalletRowSerializer(serializers.Serializer):
    client_id = serializers.IntegerField()
    client = serializers.CharField()
    category_id = serializers.IntegerField()
    category = serializers.CharField()
    ours = serializers.DecimalField(max_digits=16, decimal_places=2)
    total = serializers.DecimalField(max_digits=16, decimal_places=2)
    share = serializers.IntegerField(allow_null=True, help_text="%, ours / total, half up")
    recorded_on = serializers.DateField()
    source = serializers.CharField()  # type: ignore[assignment]


class CategoryWalletSerializer(serializers.Serializer):
    category_id = serializers.IntegerField()
    category = serializers.CharField()
    clients = serializers.IntegerField()
    ours = serializers.DecimalField(max_digits=16, decimal_places=2)
    total = serializers.DecimalField(max_digits=16, decimal_places=2)
    share = serializers.IntegerField(allow_null=True)


class WalletSerializer(serializers.Serializer):
    as_of = serializers.DateField()
    start = serializers.DateField()
    end = serializers.DateField(help_text="exclusive")
    clients_in_scope = serializers.IntegerField()
    clients_with_figure = serializers.IntegerField()
    ours = serializers.DecimalField(max_digits=16, decimal_places=2)
    total = serializers.DecimalField(max_digits=16, decimal_places=2)
    share = serializers.IntegerField(allow_null=True)
    categories = CategoryWalletSerializer(many=True)
    rows = WalletRowSerializer(many=True)
