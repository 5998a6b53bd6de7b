"""Calls, meetings, e-mails and tasks; and the sales history (read only: it comes from 1C imports)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from crm.api.serializers import (
    ActivityCompleteSerializer,
    ActivitySerializer,
    ActivityWriteSerializer,
    SaleLineSerializer,
)
from crm.filters import ActivityFilterSet, SaleLineFilterSet
from crm.models import Activity, SaleLine
from crm.services.activities import activity_complete, activity_create, activity_update

from .base import ReadOnlyVisibleViewSet, ServiceWriteViewSet, write_schema


@write_schema(ActivitySerializer, ActivityWriteSerializer)
class ActivityViewSet(ServiceWriteViewSet):
    model = Activity
    queryset = Activity.objects.none()
    serializer_class = ActivitySerializer
    write_serializer_class = ActivityWriteSerializer
    filterset_class = ActivityFilterSet
    ordering_fields = ["due_at", "done_at", "created_at", "updated_at", "id"]

    def optimise(self, queryset: QuerySet[Activity]) -> QuerySet[Activity]:
        return queryset.select_related("client", "deal", "owner")

    def perform_service_create(self, data: dict[str, Any]) -> Activity:
        return activity_create(by=self.user, data=data)

    def perform_service_update(self, instance: Activity, data: dict[str, Any]) -> Activity:
        return activity_update(activity=instance, by=self.user, data=data)

    @extend_schema(request=ActivityCompleteSerializer, responses={200: ActivitySerializer})
    @action(detail=True, methods=["post"])
    def complete(self, request: Request, pk: str | None = None) -> Response:
        """Mark the task, call or meeting done (now, unless `done_at` says when)."""
        activity = self.get_object()
        serializer = ActivityCompleteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        activity = activity_complete(activity=activity, by=self.user, **serializer.validated_data)
        return self.read(activity)


class SaleLineViewSet(ReadOnlyVisibleViewSet):
    """Sales history lines: of the clients a manager owns and the lines he sold himself."""

    model = SaleLine
    queryset = SaleLine.objects.none()
    serializer_class = SaleLineSerializer
    filterset_class = SaleLineFilterSet
    ordering_fields = ["date", "amount", "updated_at", "id"]

    def optimise(self, queryset: QuerySet[SaleLine]) -> QuerySet[SaleLine]:
        return queryset.select_related("client", "product", "manager")
