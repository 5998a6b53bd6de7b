"""The head's reassignment queue (the 3-month rule): flags with their facts, and the two decisions."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from crm.models import Deal, Reassignment, User

from .fields import name_of


class QueueDealSerializer(serializers.ModelSerializer):
    stage_display = serializers.CharField(source="get_stage_display", read_only=True)

    class Meta:
        model = Deal
        fields = ["id", "title", "stage", "stage_display", "amount"]
        read_only_fields = fields


class SuggestionSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="__str__", read_only=True)
    load = serializers.IntegerField(read_only=True, help_text=_("Clients the manager owns now."))

    class Meta:
        model = User
        fields = ["id", "name", "load"]
        read_only_fields = fields


class ReassignmentSerializer(serializers.ModelSerializer):
    """A flag; `suggestions` (who may take the client, lightest load first) only for the head."""

    client_name = name_of("client")
    owner_name = name_of("owner")
    new_owner_name = name_of("new_owner")
    decided_by_name = name_of("decided_by")
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    activities_count = serializers.IntegerField(
        read_only=True, help_text=_("The owner's activities with the client during this ownership.")
    )
    last_contact = serializers.DateTimeField(read_only=True, allow_null=True, help_text=_("Last done call or meeting."))
    deals = QueueDealSerializer(source="client.queue_deals", many=True, read_only=True)
    # Not `read_only`: drf-spectacular lists every read-only field as required, and other users' flags come without
    # it. The serializer only ever writes responses (the decisions take ReassignSerializer and ExtendSerializer).
    suggestions = SuggestionSerializer(many=True, required=False, help_text=_("Only for the sales head."))
    schema_optional_fields = ("suggestions",)  # crm/api/schema.py: not in a response's `required`

    class Meta:
        model = Reassignment
        fields = [
            "id",
            "client",
            "client_name",
            "owner",
            "owner_name",
            "owned_since",
            "flagged_on",
            "status",
            "status_display",
            "extended_until",
            "new_owner",
            "new_owner_name",
            "reason",
            "decided_by",
            "decided_by_name",
            "decided_at",
            "activities_count",
            "last_contact",
            "deals",
            "suggestions",
            "updated_at",
        ]
        read_only_fields = fields

    def to_representation(self, instance: Reassignment) -> dict[str, Any]:
        data = super().to_representation(instance)
        if not hasattr(instance, "suggestions"):
            data.pop("suggestions", None)
        return data


class ReassignSerializer(serializers.Serializer):
    owner = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.all(), help_text=_("The new manager (one of the suggestions).")
    )
    reason = serializers.CharField(max_length=500)


class ExtendSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500)
