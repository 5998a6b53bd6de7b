"""/api/v1/plans/: read plans (a manager sees his own), generate one, and the head approves."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from crm.api.views.base import ReadOnlyVisibleViewSet
from planning.api.serializers.plans import PlanApproveSerializer, PlanGenerateSerializer, PlanSerializer
from planning.filters import PlanFilterSet
from planning.models import Plan
from planning.selectors.plans import plans_with_lines
from planning.services.plans import plan_approve, plan_generate


class PlanViewSet(ReadOnlyVisibleViewSet):
    """Monthly plans by DOMAIN.md section 4 with their regular-client lines; every version is a row."""

    model = Plan
    queryset = Plan.objects.none()
    serializer_class = PlanSerializer
    filterset_class = PlanFilterSet
    ordering_fields = ["month", "version", "updated_at", "id"]

    def optimise(self, queryset: QuerySet[Plan]) -> QuerySet[Plan]:
        return plans_with_lines(queryset)

    @extend_schema(request=PlanGenerateSerializer, responses={201: PlanSerializer})
    @action(detail=False, methods=["post"])
    def generate(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = PlanGenerateSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        plan = plan_generate(by=self.user, **serializer.validated_data)
        return self.read(plan, status.HTTP_201_CREATED)

    @extend_schema(request=PlanApproveSerializer, responses={200: PlanSerializer})
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        plan = self.get_object()
        serializer = PlanApproveSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        plan = plan_approve(plan=plan, by=self.user, **serializer.validated_data)
        return self.read(plan)
