"""/api/v1/plan-fact/ and /api/v1/cross-sell/: the same figures as the pages, with the same visibility."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import viewsets
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from core.http import user_of
from crm.api.permissions import InSales
from crm.models import User
from planning.api.serializers.work import CrossSellSerializer, PlanFactSerializer
from planning.forms.work import parse_month
from planning.selectors.factual import plan_fact
from planning.selectors.work import cross_sell_list, month_start, visible_sellers

PARAMETERS = [
    OpenApiParameter("month", OpenApiTypes.STR, description="YYYY-MM; the current month when omitted"),
    OpenApiParameter("manager", OpenApiTypes.INT, description="a seller you see; 404 for anyone else"),
]


class PlanWorkViewSetBase(viewsets.ViewSet):
    permission_classes = [IsAuthenticated, InSales]

    @property
    def user(self) -> User:
        return user_of(self.request)

    def month(self) -> date:
        month = parse_month(self.request.query_params.get("month"), month_start(timezone.localdate()))
        if month is None:
            raise ValidationError({"month": [_("Give the month as YYYY-MM.")]})
        return month

    def manager(self) -> User | None:
        """The `manager` asked for among the visible sellers (404 otherwise); None when not asked."""
        raw = self.request.query_params.get("manager")
        if not raw:
            return None
        if not raw.isdigit():
            raise ValidationError({"manager": [_("Give the manager's id.")]})
        manager = visible_sellers(self.user).filter(pk=int(raw)).first()
        if manager is None:
            raise Http404
        return manager


class PlanFactViewSet(PlanWorkViewSetBase):
    """Plan/fact by day for the month: per manager, team and everyone the user sees (or one manager)."""

    @extend_schema(parameters=PARAMETERS, responses=PlanFactSerializer)
    def list(self, request: Request) -> Response:
        manager = self.manager()
        result = plan_fact(
            user=self.user,
            month=self.month(),
            today=timezone.localdate(),
            managers=[manager] if manager else None,
        )
        return Response(PlanFactSerializer(result).data)


class CrossSellViewSet(PlanWorkViewSetBase):
    """Tool 1 for the manager (yourself by default) and the plan month."""

    @extend_schema(parameters=PARAMETERS, responses=CrossSellSerializer)
    def list(self, request: Request) -> Response:
        manager = self.manager() or (self.user if self.user.is_seller else None)
        if manager is None:
            raise ValidationError({"manager": [_("Choose a manager.")]})
        return Response(CrossSellSerializer(cross_sell_list(user=self.user, manager=manager, month=self.month())).data)
