"""/api/v1/plans/: read plans (a manager sees his own), generate one, and the head approves."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer

from crm.api.views.base import ReadOnlyVisibleViewSet
from planning.api.serializers.plans import (
    PlanApproveSerializer,
    PlanGenerateSerializer,
    PlanListSerializer,
    PlanSerializer,
)
from planning.filters import PlanFilterSet
from planning.models import Plan, PlanLine
from planning.selectors.plans import plans_with_lines
from planning.services.plans import plan_approve, plan_generate


class PlanViewSet(ReadOnlyVisibleViewSet):
    """Monthly plans by DOMAIN.md section 4; every version is a row. The list gives each plan's figures and line
    count, the detail (and the answers of generate and approve) its regular-client lines too."""

    model = Plan
    queryset = Plan.objects.none()
    serializer_class = PlanSerializer
    filterset_class = PlanFilterSet
    ordering_fields = ["month", "version", "updated_at", "id"]

    def optimise(self, queryset: QuerySet[Plan]) -> QuerySet[Plan]:
        if self.action == "list":
            count = PlanLine.objects.filter(plan=OuterRef("pk")).order_by().values("plan").annotate(n=Count("pk"))
            return queryset.select_related("manager", "created_by", "approved_by").annotate(
                line_count=Coalesce(Subquery(count.values("n"), output_field=IntegerField()), 0)
            )
        return plans_with_lines(queryset)

    def get_serializer_class(self) -> type[BaseSerializer]:
        return PlanListSerializer if self.action == "list" else PlanSerializer

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
