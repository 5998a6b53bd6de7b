"""Webhooks and their delivery log, for the head's integrations."""

from __future__ import annotations

from rest_framework import serializers

from crm.models import Webhook, WebhookDelivery
from crm.models.webhooks import SUBSCRIBABLE_EVENTS


class WebhookSerializer(serializers.ModelSerializer):
    events = serializers.ListField(child=serializers.ChoiceField(choices=[e.value for e in SUBSCRIBABLE_EVENTS]))

    class Meta:
        model = Webhook
        fields = ["id", "url", "events", "secret", "is_active", "description", "created_by", "created_at", "updated_at"]
        read_only_fields = fields


class WebhookWriteSerializer(serializers.Serializer):
    """The URL and events are required on create; the secret is made by the server."""

    url = serializers.CharField(max_length=500)
    events = serializers.ListField(
        child=serializers.ChoiceField(choices=[e.value for e in SUBSCRIBABLE_EVENTS]), allow_empty=False, max_length=50
    )
    description = serializers.CharField(max_length=255, required=False, allow_blank=True)
    is_active = serializers.BooleanField(required=False)


class WebhookDeliverySerializer(serializers.ModelSerializer):
    class Meta:
        model = WebhookDelivery
        fields = [
            "id",
            "webhook",
            "event",
            "payload",
            "status",
            "attempts",
            "response_status",
            "response_body",
            "error",
            "duration_ms",
            "attempt_log",
            "created_at",
            "last_attempt_at",
            "delivered_at",
            "next_attempt_at",
        ]
        read_only_fields = fields
