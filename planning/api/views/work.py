"""/api/v1/plan-fact/, /api/v1/cross-sell/ and Tool 2: the same figures as the pages, with the same visibility."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.helpers import forced_singular_serializer
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from core.http import user_of
from core.params import parse_id, parse_month
from crm.api.permissions import InSales
from crm.models import User
from planning.api.serializers.work import (
    CrossSellSerializer,
    PlanFactSerializer,
    Tool2ItemSerializer,
    Tool2Serializer,
    Tool2StrikeSerializer,
)
from planning.models import Tool2Item
from planning.selectors.factual import plan_fact
from planning.selectors.work import cross_sell_list, featured_valid, month_start, tool2_list, visible_sellers
from planning.services.tools import tool2_item_add, tool2_item_remove, tool2_strike, tool2_unstrike

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
        return parse_month(self.request.query_params.get("month")) or month_start(timezone.localdate())

    def manager(self) -> User | None:
        """The `manager` asked for among the visible sellers (404 otherwise); None when not asked."""
        pk = parse_id(self.request.query_params.get("manager"), field="manager")
        if pk is None:
            return None
        manager = visible_sellers(self.user).filter(pk=pk).first()
        if manager is None:
            raise Http404
        return manager


class PlanFactViewSet(PlanWorkViewSetBase):
    """Plan/fact by day for the month: per manager, team and everyone the user sees (or one manager)."""

    @extend_schema(parameters=PARAMETERS, responses=forced_singular_serializer(PlanFactSerializer))
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

    @extend_schema(parameters=PARAMETERS, responses=forced_singular_serializer(CrossSellSerializer))
    def list(self, request: Request) -> Response:
        manager = self.manager() or (self.user if self.user.is_seller else None)
        if manager is None:
            raise ValidationError({"manager": [_("Choose a manager.")]})
        return Response(CrossSellSerializer(cross_sell_list(user=self.user, manager=manager, month=self.month())).data)


class Tool2ViewSet(PlanWorkViewSetBase):
    """A manager's own Tool 2 (yourself by default; a team lead his team's, the head anyone's, read-only);
    `strike` / `unstrike` one of the head's items on your own list."""

    @extend_schema(parameters=PARAMETERS[1:], responses=forced_singular_serializer(Tool2Serializer))
    def list(self, request: Request) -> Response:
        manager = self.manager() or (self.user if self.user.is_seller else None)
        if manager is None:
            raise ValidationError({"manager": [_("Choose a manager.")]})
        tool2 = tool2_list(user=self.user, manager=manager, today=timezone.localdate())
        return Response(Tool2Serializer(tool2).data)

    def featured(self) -> Any:
        serializer = Tool2StrikeSerializer(data=self.request.data)
        serializer.is_valid(raise_exception=True)
        item = featured_valid(today=timezone.localdate()).filter(pk=serializer.validated_data["item"]).first()
        if item is None:
            raise ValidationError({"item": [_("There is no such item of the head today.")]})
        return item

    @extend_schema(request=Tool2StrikeSerializer, responses=Tool2Serializer)
    @action(detail=False, methods=["post"])
    def strike(self, request: Request) -> Response:
        tool2_strike(by=self.user, item=self.featured())
        return self.list(request)

    @extend_schema(request=Tool2StrikeSerializer, responses=Tool2Serializer)
    @action(detail=False, methods=["post"])
    def unstrike(self, request: Request) -> Response:
        tool2_unstrike(by=self.user, item=self.featured())
        return self.list(request)


class Tool2ItemViewSet(
    mixins.ListModelMixin, mixins.CreateModelMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet
):
    """The lines managers added to their own Tool 2, as the user may see them; a seller adds and deletes his own."""

    permission_classes = [IsAuthenticated, InSales]
    serializer_class = Tool2ItemSerializer

    queryset = Tool2Item.objects.none()

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):  # the schema is built without a user
            return Tool2Item.objects.none()
        return Tool2Item.objects.visible_to(user_of(self.request)).order_by("manager_id", "kind", "pk")

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        item = tool2_item_add(by=user_of(request), today=timezone.localdate(), **serializer.validated_data)
        return Response(self.get_serializer(item).data, status=status.HTTP_201_CREATED)

    def perform_destroy(self, instance: Tool2Item) -> None:
        tool2_item_remove(by=user_of(self.request), item=instance)
