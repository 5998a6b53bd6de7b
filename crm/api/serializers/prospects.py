"""Prospect lists and their entries."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from crm.models import ProspectEntry, ProspectList, User

from .fields import ChoiceOrNullField, PhoneField, name_of


class ProspectListSerializer(serializers.ModelSerializer):
    owner_name = name_of("owner")
    created_by_name = name_of("created_by")
    entries_count = serializers.IntegerField(read_only=True, default=0)
    ready_count = serializers.IntegerField(
        read_only=True, default=0, help_text="Free (or own) entries with phone, e-mail and address."
    )
    taken_count = serializers.IntegerField(read_only=True, default=0)
    duplicate_count = serializers.IntegerField(read_only=True, default=0)
    target = serializers.SerializerMethodField()
    missing = serializers.SerializerMethodField()

    class Meta:
        model = ProspectList
        fields = [
            "id",
            "name",
            "owner",
            "owner_name",
            "created_by",
            "created_by_name",
            "entries_count",
            "ready_count",
            "taken_count",
            "duplicate_count",
            "target",
            "missing",
            "created_at",
            "updated_at",
        ]

    def get_target(self, obj: ProspectList) -> int:
        return int(self.context.get("target", 0))

    def get_missing(self, obj: ProspectList) -> int:
        return max(self.get_target(obj) - getattr(obj, "ready_count", 0), 0)


class ProspectListWriteSerializer(serializers.ModelSerializer):
    owner = serializers.PrimaryKeyRelatedField(queryset=User.objects.filter(is_active=True), required=False)

    class Meta:
        model = ProspectList
        fields = ["name", "owner"]


class ProspectEntrySerializer(serializers.ModelSerializer):
    serializer_choice_field = ChoiceOrNullField  # a blank choice is null
    worked_by_name = name_of("worked_by")
    check_result_display = serializers.CharField(source="get_check_result_display", read_only=True)
    is_complete = serializers.BooleanField(read_only=True)

    class Meta:
        model = ProspectEntry
        fields = [
            "id",
            "prospect_list",
            "name",
            "inn",
            "phone",
            "email",
            "address",
            "source",
            "source_detail",
            "check_result",
            "check_result_display",
            "matched_by",
            "worked_by",
            "worked_by_name",
            "client",
            "is_complete",
            "checked_at",
            "created_at",
            "updated_at",
        ]


class ProspectEntryWriteSerializer(serializers.Serializer):
    """What a user types; the service checks the INN, the phone, the e-mail and the source codes."""

    name = serializers.CharField(max_length=255)
    inn = serializers.CharField(max_length=12, required=False, allow_blank=True)
    phone = PhoneField()
    email = serializers.CharField(max_length=254, required=False, allow_blank=True)
    address = serializers.CharField(max_length=500, required=False, allow_blank=True)
    source = serializers.CharField(max_length=30, required=False, allow_blank=True)  # type: ignore[assignment]
    source_detail = serializers.CharField(max_length=40, required=False, allow_blank=True)

    def to_internal_value(self, data: Any) -> dict[str, Any]:
        return dict(super().to_internal_value(data))
