"""Long and short lists, and cold-call norms."""

from __future__ import annotations

from rest_framework import serializers

from crm.models import ColdCallNorm, LongList, LongListEntry, User

from .fields import VisibleRelatedField, name_of


class LongListEntrySerializer(serializers.ModelSerializer):
    client_name = name_of("client")
    reason_display = serializers.CharField(source="get_reason_display", read_only=True)
    first_call_at = serializers.DateTimeField(read_only=True, allow_null=True, default=None)

    class Meta:
        model = LongListEntry
        fields = [
            "id",
            "long_list",
            "client",
            "client_name",
            "reason",
            "reason_display",
            "rank",
            "past_turnover",
            "called_at",
            "first_call_at",
            "interested",
            "short_listed",
            "potential_monthly",
            "potential_yearly",
            "not_worth",
            "needs",
            "reasons_not_bought",
            "objections",
            "updated_at",
        ]


class LongListEntryWriteSerializer(serializers.Serializer):
    interested = serializers.BooleanField(required=False, allow_null=True)
    short_listed = serializers.BooleanField(required=False)
    potential_monthly = serializers.DecimalField(
        max_digits=14, decimal_places=2, required=False, allow_null=True, min_value=0
    )
    potential_yearly = serializers.DecimalField(
        max_digits=16, decimal_places=2, required=False, allow_null=True, min_value=0
    )
    needs = serializers.CharField(required=False, allow_blank=True)
    reasons_not_bought = serializers.CharField(required=False, allow_blank=True)
    objections = serializers.CharField(required=False, allow_blank=True)


class LongListSerializer(serializers.ModelSerializer):
    owner_name = name_of("owner")
    entries = LongListEntrySerializer(many=True, read_only=True, source="rows")

    class Meta:
        model = LongList
        fields = ["id", "owner", "owner_name", "month", "drafted_at", "updated_at", "entries"]


class ColdCallNormSerializer(serializers.ModelSerializer):
    manager_name = name_of("manager")

    class Meta:
        model = ColdCallNorm
        fields = ["id", "manager", "manager_name", "daily_calls", "set_by", "updated_at"]


class ColdCallNormWriteSerializer(serializers.Serializer):
    manager = VisibleRelatedField(User)
    daily_calls = serializers.IntegerField(min_value=0, max_value=1000)
