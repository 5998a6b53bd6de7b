"""Calls, meetings, e-mails and tasks; and the sales history (read only: it comes from 1C imports)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from crm.api.serializers import (
    ActivityCompleteSerializer,
    ActivitySerializer,
    ActivityWriteSerializer,
    SaleLineSerializer,
)
from crm.api.serializers.activities import CallLogResultSerializer, CallLogSerializer
from crm.filters import ActivityFilterSet, SaleLineFilterSet
from crm.models import Activity, SaleLine
from crm.services.activities import activity_complete, activity_create, activity_update, call_log_with_next_task

from .base import (
    ReadOnlyVisibleViewSet,
    ServiceWriteViewSet,
    created_before,
    sent_uuid,
    uuid_conflict,
    write_schema,
)


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

    @extend_schema(
        request=CallLogSerializer,
        responses={201: CallLogResultSerializer, 200: CallLogResultSerializer},
    )
    @action(detail=False, methods=["post"], url_path="log-call")
    def log_call(self, request: Request) -> Response:
        """Log a call that ended and plan the next task: both are saved, or neither. With `uuid` (and `next_uuid`) a
        request sent again answers 200 with the rows the first one made."""
        visible = self.get_queryset()
        call_uuid, next_uuid = sent_uuid(request), sent_uuid(request, "next_uuid")
        if (answer := self.logged_before(call_uuid, next_uuid, visible)) is not None:
            return answer
        serializer = CallLogSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            call, next_task = call_log_with_next_task(
                by=self.user,
                client=data["client"],
                deal=data["deal"],
                task=data["task"],
                direction=data["direction"],
                call_result=data["call_result"],
                duration_minutes=data["duration_minutes"],
                note=data["note"],
                next_subject=data["next_subject"],
                next_due_at=data["next_due_at"],
                now=data["done_at"],
                call_uuid=data.get("uuid"),
                next_uuid=data.get("next_uuid"),
            )
        except (IntegrityError, DjangoValidationError) as exc:
            # The same call sent twice at the same moment: the other request logged it.
            taken = isinstance(exc, IntegrityError) or "uuid" in getattr(exc, "error_dict", {})
            if taken and (answer := self.logged_before(call_uuid, next_uuid, visible)) is not None:
                return answer
            raise
        return self.log_call_answer(call, next_task, status.HTTP_201_CREATED)

    def logged_before(
        self, call_uuid: UUID | None, next_uuid: UUID | None, visible: QuerySet[Activity]
    ) -> Response | None:
        """The call and task a log-call with these UUIDs made before (200), or None when it is new; 409 for a UUID
        another row has."""
        call = created_before(Activity, call_uuid, visible)
        next_task = created_before(Activity, next_uuid, visible)
        if call is None and next_task is None:
            return None
        if call is None:
            # The call's UUID is new but the task's is taken: not a repeat of the same request.
            raise uuid_conflict()
        return self.log_call_answer(call, next_task, status.HTTP_200_OK)

    def log_call_answer(self, call: Activity, next_task: Activity | None, status_code: int) -> Response:
        visible = self.get_queryset()
        rows = {row.pk: row for row in visible.filter(pk__in=[call.pk, *([next_task.pk] if next_task else [])])}
        context = self.get_serializer_context()
        body = {
            "call": ActivitySerializer(rows.get(call.pk, call), context=context).data,
            "next_task": None
            if next_task is None
            else ActivitySerializer(rows.get(next_task.pk, next_task), context=context).data,
        }
        return Response(body, status=status_code)

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
