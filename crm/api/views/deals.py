"""Deals through the 14 stages: move, lose, payments, stage history."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from core.parsers import MultiPartParser
from crm.api.permissions import HeadDeletes, NoServiceWrites, SellersOrHeadCreateDeals
from crm.api.serializers import (
    DealLoseSerializer,
    DealMoveSerializer,
    DealPaymentSerializer,
    DealSerializer,
    DealWriteSerializer,
    StageChangeSerializer,
)
from crm.filters import DealFilterSet
from crm.models import Deal, DealStageChange
from crm.services.deals import (
    deal_create,
    deal_delete,
    deal_lose,
    deal_move_stage,
    deal_proposal_file_set,
    deal_register_payment,
    deal_update,
)

from .base import ServiceWriteViewSet, write_schema

PROPOSAL_FILE_SCHEMA = {"type": "object", "properties": {"proposal_file": {"type": "string", "format": "binary"}}}


@write_schema(DealSerializer, DealWriteSerializer)
class DealViewSet(ServiceWriteViewSet):
    """A manager's own deals, a team lead's team's, all of them for the head."""

    model = Deal
    queryset = Deal.objects.none()
    serializer_class = DealSerializer
    write_serializer_class = DealWriteSerializer
    filterset_class = DealFilterSet
    permission_classes = [IsAuthenticated, NoServiceWrites, SellersOrHeadCreateDeals, HeadDeletes]
    ordering_fields = ["updated_at", "created_at", "amount", "expected_close_date", "stage_changed_at", "id"]

    def optimise(self, queryset: QuerySet[Deal]) -> QuerySet[Deal]:
        return queryset.select_related("client", "owner", "lost_reason").prefetch_related("lines__product")

    def perform_service_create(self, data: dict[str, Any]) -> Deal:
        return deal_create(by=self.user, **data)

    def perform_service_update(self, instance: Deal, data: dict[str, Any]) -> Deal:
        products = data.pop("products", None)
        return deal_update(deal=instance, by=self.user, data=data, products=products)

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        deal_delete(deal=self.get_object(), by=self.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=DealMoveSerializer, responses={200: DealSerializer})
    @action(detail=True, methods=["post"])
    def move(self, request: Request, pk: str | None = None) -> Response:
        """Move to `stage` with the completion data of the stage being left; back only by the head, with a reason."""
        deal = self.get_object()
        serializer = DealMoveSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        deal = deal_move_stage(
            deal=deal,
            to_stage=serializer.validated_data["stage"],
            by=self.user,
            reason=serializer.validated_data["reason"],
            data=serializer.completion_data(),
        )
        return self.read(deal)

    @extend_schema(request=DealLoseSerializer, responses={200: DealSerializer})
    @action(detail=True, methods=["post"])
    def lose(self, request: Request, pk: str | None = None) -> Response:
        """Mark the deal lost with a reason from the head's list."""
        deal = self.get_object()
        serializer = DealLoseSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        deal = deal_lose(
            deal=deal,
            reason=serializer.validated_data["reason"],
            note=serializer.validated_data["note"],
            by=self.user,
        )
        return self.read(deal)

    @extend_schema(request=DealPaymentSerializer, responses={201: DealPaymentSerializer})
    @action(detail=True, methods=["post"])
    def payments(self, request: Request, pk: str | None = None) -> Response:
        """Record a (possibly partial) payment against the invoice."""
        deal = self.get_object()
        serializer = DealPaymentSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        payment = deal_register_payment(deal=deal, by=self.user, **serializer.validated_data)
        return Response(DealPaymentSerializer(payment).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request={
            "multipart/form-data": {
                "type": "object",
                "properties": {"proposal_file": {"type": "string", "format": "binary"}},
            }
        },
    )
    @action(detail=True, methods=["post"], url_path="proposal-file", parser_classes=[MultiPartParser])
    def proposal_file(self, request: Request, pk: str | None = None) -> Response:
        """Attach the proposal as sent (multipart `proposal_file`): with the amount, the proposal stage's document."""
        deal = self.get_object()
        upload = request.FILES.get("proposal_file")
        if upload is None:
            raise ValidationError({"proposal_file": [_("Attach the file as proposal_file (multipart/form-data).")]})
        return self.read(deal_proposal_file_set(deal=deal, by=self.user, file=upload))

    @extend_schema(responses={200: StageChangeSerializer(many=True)})
    @action(detail=True, methods=["get"], filterset_class=None, pagination_class=None)
    def history(self, request: Request, pk: str | None = None) -> Response:
        """Every stage change of the deal: who, when, from, to, why."""
        deal = self.get_object()
        changes = DealStageChange.objects.visible_to(self.user).filter(deal=deal).select_related("by")
        return Response(StageChangeSerializer(changes, many=True).data)
