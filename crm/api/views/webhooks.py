"""Webhooks (`webhooks`, with `test`) and their delivery log (`webhook-deliveries`): the head's and the admin's."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from core.params import parse_id
from crm.api.permissions import HeadOnly
from crm.api.serializers.webhooks import WebhookDeliverySerializer, WebhookSerializer, WebhookWriteSerializer
from crm.models import Webhook, WebhookDelivery
from crm.services.webhooks import webhook_create, webhook_delete, webhook_test, webhook_update

from .base import ReadOnlyVisibleViewSet, ServiceWriteViewSet, write_schema


@write_schema(WebhookSerializer, WebhookWriteSerializer)
class WebhookViewSet(mixins.DestroyModelMixin, ServiceWriteViewSet):
    """URLs the CRM POSTs events to, signed with each one's `secret` (docs/webhooks.md). Only the head and the
    administrator; anyone else gets 403."""

    model = Webhook
    queryset = Webhook.objects.none()
    serializer_class = WebhookSerializer
    write_serializer_class = WebhookWriteSerializer
    permission_classes = [IsAuthenticated, HeadOnly]
    ordering_fields = ["id", "created_at", "updated_at"]

    def site_url(self) -> str:
        return self.request.build_absolute_uri("/")

    def perform_service_create(self, data: dict[str, Any]) -> Webhook:
        return webhook_create(by=self.user, site_url=self.site_url(), **data)

    def perform_service_update(self, instance: Webhook, data: dict[str, Any]) -> Webhook:
        return webhook_update(webhook=instance, by=self.user, data=data, site_url=self.site_url())

    def perform_destroy(self, instance: Webhook) -> None:
        webhook_delete(webhook=instance, by=self.user)

    @extend_schema(request=None, responses={202: WebhookDeliverySerializer})
    @action(detail=True, methods=["post"])
    def test(self, request: Request, pk: str | None = None) -> Response:
        """Queue a `ping` to this webhook; its answer shows in the delivery (`webhook-deliveries/{id}/`)."""
        delivery = webhook_test(webhook=self.get_object(), by=self.user, now=timezone.now())
        delivery.refresh_from_db()
        return Response(WebhookDeliverySerializer(delivery).data, status=status.HTTP_202_ACCEPTED)


@extend_schema_view(
    list=extend_schema(parameters=[OpenApiParameter("webhook", int, description="Only this webhook's deliveries.")])
)
class WebhookDeliveryViewSet(ReadOnlyVisibleViewSet):
    """The delivery log, newest first; `?webhook=<id>` keeps one webhook's. Each attempt's answer is in
    `attempt_log`."""

    model = WebhookDelivery
    queryset = WebhookDelivery.objects.none()
    serializer_class = WebhookDeliverySerializer
    permission_classes = [IsAuthenticated, HeadOnly]
    ordering_fields = ["id", "created_at"]

    def optimise(self, queryset: QuerySet[WebhookDelivery]) -> QuerySet[WebhookDelivery]:
        webhook = parse_id(self.request.query_params.get("webhook"), field="webhook")
        if webhook is not None:
            queryset = queryset.filter(webhook_id=webhook)
        return queryset.order_by("-created_at", "-id")
