"""The head's reassignment queue (`reassignments`): the flags the nightly 3-month rule raised, and the decisions."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from crm.api.serializers.reassignments import ExtendSerializer, ReassignmentSerializer, ReassignSerializer
from crm.filters import ReassignmentFilterSet
from crm.models import Deal, Reassignment
from crm.selectors.reassignments import attach_suggestions, queue_rows
from crm.services.reassignments import reassignment_extend, reassignment_reassign

from .base import ReadOnlyVisibleViewSet


class ReassignmentViewSet(ReadOnlyVisibleViewSet):
    """Flags with their facts; the head gets suggestions and decides (`reassign`, `extend`). A manager sees the
    flags on his own clients, read-only."""

    model = Reassignment
    queryset = Reassignment.objects.none()
    serializer_class = ReassignmentSerializer
    filterset_class = ReassignmentFilterSet
    ordering_fields = ["flagged_on", "owned_since", "updated_at", "id"]

    def optimise(self, queryset: QuerySet[Reassignment]) -> QuerySet[Reassignment]:
        return queue_rows(flags=queryset, deals=Deal.objects.visible_to(self.user))

    def with_suggestions(self, rows: list[Reassignment]) -> list[Reassignment]:
        if self.user.is_head:
            attach_suggestions([row for row in rows if row.status == Reassignment.Status.PENDING])
        return rows

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        queryset = self.filter_queryset(self.get_queryset())
        page = self.with_suggestions(list(self.paginate_queryset(queryset) or []))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        row = self.with_suggestions([self.get_object()])[0]
        return Response(self.get_serializer(row).data)

    def decision(self, serializer_class: type[ExtendSerializer | ReassignSerializer]) -> tuple[Reassignment, dict]:
        flag = self.get_object()
        if not self.user.is_head:
            raise PermissionDenied(_("Only the sales head decides on the reassignment queue."))
        serializer = serializer_class(data=self.request.data)
        serializer.is_valid(raise_exception=True)
        return flag, dict(serializer.validated_data)

    @extend_schema(request=ReassignSerializer, responses={200: ReassignmentSerializer})
    @action(detail=True, methods=["post"])
    def reassign(self, request: Request, pk: str | None = None) -> Response:
        """Give the client to `owner` with a `reason`: never its current owner nor a manager who lost it before."""
        flag, data = self.decision(ReassignSerializer)
        now = timezone.now()
        reassignment_reassign(
            reassignment=flag,
            to_owner=data["owner"],
            by=self.user,
            reason=data["reason"],
            today=timezone.localdate(now),
            now=now,
        )
        return self.read(flag)

    @extend_schema(request=ExtendSerializer, responses={200: ReassignmentSerializer})
    @action(detail=True, methods=["post"])
    def extend(self, request: Request, pk: str | None = None) -> Response:
        """Leave the client with its manager for the department's extension days, once, with a `reason`."""
        flag, data = self.decision(ExtendSerializer)
        now = timezone.now()
        reassignment_extend(
            reassignment=flag, by=self.user, reason=data["reason"], today=timezone.localdate(now), now=now
        )
        return self.read(flag)
