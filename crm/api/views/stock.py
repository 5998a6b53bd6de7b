"""Stock requests (`stock-requests`): sellers record what their clients would buy, the head answers (`answer`)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from crm.api.serializers.stock import StockAnswerSerializer, StockRequestSerializer, StockRequestWriteSerializer
from crm.filters import StockRequestFilterSet
from crm.models import StockRequest
from crm.selectors.stock import stock_request_rows
from crm.services.stock import stock_request_answer, stock_request_create

from .base import ServiceWriteViewSet, write_schema


@write_schema(StockRequestSerializer, StockRequestWriteSerializer)
class StockRequestViewSet(ServiceWriteViewSet):
    """A seller sees and records the requests of his clients (a team lead his team's); the head sees all and
    answers. Requests are not changed or deleted through the API: the head's answer is the change."""

    model = StockRequest
    queryset = StockRequest.objects.none()
    serializer_class = StockRequestSerializer
    write_serializer_class = StockRequestWriteSerializer
    filterset_class = StockRequestFilterSet
    ordering_fields = ["id", "created_at", "updated_at", "answered_at", "quantity"]
    http_method_names = ["get", "post", "head", "options"]

    def optimise(self, queryset: QuerySet[StockRequest]) -> QuerySet[StockRequest]:
        return stock_request_rows(queryset).order_by("-created_at", "-id")

    def perform_service_create(self, data: dict[str, Any]) -> StockRequest:
        return stock_request_create(by=self.user, **data)

    @extend_schema(request=StockAnswerSerializer, responses={200: StockRequestSerializer})
    @action(detail=True, methods=["post"])
    def answer(self, request: Request, pk: str | None = None) -> Response:
        """The head's answer: `ordered`, or `refused` with an `answer` saying why."""
        stock_request = self.get_object()
        if not self.user.is_head:
            raise PermissionDenied(_("Only the sales head answers stock requests."))
        serializer = StockAnswerSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        stock_request_answer(by=self.user, request=stock_request, **serializer.validated_data)
        return self.read(stock_request)
