"""GET /api/v1/pay/?month=YYYY-MM[&manager=id] and /api/v1/pay-schemes/ (sellers read their role's, the head writes)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.helpers import forced_singular_serializer
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import viewsets
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from core.http import user_of
from core.params import parse_id, parse_month
from crm.api.permissions import HeadWritesOrReadOnly
from crm.api.views.base import ServiceWriteViewSet, write_schema
from planning.api.serializers.pay import MonthPaySerializer, PaySchemeSerializer, PaySchemeWriteSerializer
from planning.models import PayScheme
from planning.rules.pay import KpiInput, Threshold
from planning.selectors.pay import month_pay, pay_managers
from planning.services.pay import pay_scheme_save


class PayViewSet(viewsets.ViewSet):
    """A manager's pay for a month as of today; a seller sees only his own (another's id: 404)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        parameters=[
            OpenApiParameter("month", OpenApiTypes.STR, description="YYYY-MM; this month when left out"),
            OpenApiParameter("manager", OpenApiTypes.INT, description="the head's choice; a seller's own by default"),
        ],
        responses=forced_singular_serializer(MonthPaySerializer),
    )
    def list(self, request: Request) -> Response:
        user = user_of(request)
        if not user.works_in_sales:
            raise PermissionDenied(_("Pay is computed for sales managers and team leads."))
        today = timezone.localdate()
        month = parse_month(request.query_params.get("month")) or today.replace(day=1)
        pk = parse_id(request.query_params.get("manager"), field="manager")
        if pk is None and user.is_seller:
            pk = user.pk
        if pk is None:
            raise ValidationError({"manager": [_("Choose a manager.")]})
        manager = get_object_or_404(pay_managers(user), pk=pk)
        pay = month_pay(viewer=user, manager=manager, month=month, today=today)
        return Response(MonthPaySerializer(pay).data)


@write_schema(PaySchemeSerializer, PaySchemeWriteSerializer)
class PaySchemeViewSet(ServiceWriteViewSet):
    """Pay schemes per role: a seller reads his own role's; the head and the admin read all and write."""

    model = PayScheme
    queryset = PayScheme.objects.none()
    serializer_class = PaySchemeSerializer
    write_serializer_class = PaySchemeWriteSerializer
    http_method_names = ["get", "post", "put", "patch", "head", "options"]
    ordering_fields = ["id", "role", "updated_at"]

    def get_permissions(self) -> list[Any]:
        return [*super().get_permissions(), HeadWritesOrReadOnly()]

    def get_queryset(self) -> QuerySet[PayScheme]:
        schemes = PayScheme.objects.prefetch_related("kpis", "thresholds").order_by("role")
        if self.user.sees_everything:
            return schemes
        if self.user.is_seller:
            return schemes.filter(role=self.user.role)
        return schemes.none()

    def save(self, role: str, data: dict[str, Any], instance: PayScheme | None = None) -> PayScheme:
        if "kpis" in data:
            kpis = [KpiInput(name=k["name"], weight=k["weight"], id=k.get("id")) for k in data["kpis"]]
        else:
            kpis = [KpiInput(name=k.name, weight=k.weight, id=k.pk) for k in instance.kpis.all()]  # type: ignore[union-attr]
        if "thresholds" in data:
            thresholds = [Threshold(t["fulfilment_percent"], Decimal(t["rate"])) for t in data["thresholds"]]
        else:
            thresholds = [Threshold(t.fulfilment_percent, t.rate) for t in instance.thresholds.all()]  # type: ignore[union-attr]
        return pay_scheme_save(
            by=self.user,
            role=role,
            fixed=data.get("fixed", instance.fixed if instance else Decimal(0)),
            soft=data.get("soft", instance.soft if instance else Decimal(0)),
            kpis=kpis,
            thresholds=thresholds,
        )

    def perform_service_create(self, data: dict[str, Any]) -> PayScheme:
        return self.save(data["role"], data, PayScheme.objects.filter(role=data["role"]).first())

    def perform_service_update(self, instance: PayScheme, data: dict[str, Any]) -> PayScheme:
        if data.get("role", instance.role) != instance.role:
            raise ValidationError({"role": [_("A scheme stays with its role; change the other role's own scheme.")]})
        return self.save(instance.role, data, instance)
