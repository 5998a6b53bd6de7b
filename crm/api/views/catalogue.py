"""The product catalogue and the reference lists a mobile client keeps in sync."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from crm.api.permissions import HeadWritesOrReadOnly
from crm.api.serializers import (
    BrandSerializer,
    LostReasonSerializer,
    ProductCategorySerializer,
    ProductSerializer,
    SegmentSerializer,
    StageProbabilitySerializer,
)
from crm.filters import (
    BrandFilterSet,
    LostReasonFilterSet,
    ProductCategoryFilterSet,
    ProductFilterSet,
    SegmentFilterSet,
)
from crm.models import Brand, LostReason, MarketSegment, Product, ProductCategory
from crm.rules.stages import ORDER, Stage
from crm.services.lists import stage_probabilities_current
from crm.services.products import product_create, product_update

from .base import ReadOnlyVisibleViewSet, ServiceWriteViewSet


class ProductViewSet(ServiceWriteViewSet):
    """Everyone reads the catalogue; the head and the administrator change it."""

    model = Product
    queryset = Product.objects.none()
    serializer_class = ProductSerializer
    filterset_class = ProductFilterSet
    permission_classes = [IsAuthenticated, HeadWritesOrReadOnly]
    ordering_fields = ["name", "sku", "price", "updated_at", "id"]

    def optimise(self, queryset: QuerySet[Product]) -> QuerySet[Product]:
        return queryset.select_related("category", "brand")

    def perform_service_create(self, data: dict[str, Any]) -> Product:
        return product_create(by=self.user, data=data)

    def perform_service_update(self, instance: Product, data: dict[str, Any]) -> Product:
        return product_update(product=instance, by=self.user, data=data)


class ReferenceViewSet(ReadOnlyVisibleViewSet):
    """A short list shared by the whole department, kept by the head in the admin."""

    ordering_fields = ["name", "id"]

    def get_queryset(self) -> QuerySet[Any]:
        return self.queryset.all()  # type: ignore[union-attr]


class ProductCategoryViewSet(ReferenceViewSet):
    queryset = ProductCategory.objects.all()
    serializer_class = ProductCategorySerializer
    filterset_class = ProductCategoryFilterSet


class BrandViewSet(ReferenceViewSet):
    queryset = Brand.objects.all()
    serializer_class = BrandSerializer
    filterset_class = BrandFilterSet


class LostReasonViewSet(ReferenceViewSet):
    queryset = LostReason.objects.all()
    serializer_class = LostReasonSerializer
    filterset_class = LostReasonFilterSet
    ordering_fields = ["sort_order", "name", "id"]


class SegmentViewSet(ReferenceViewSet):
    queryset = MarketSegment.objects.all()
    serializer_class = SegmentSerializer
    filterset_class = SegmentFilterSet


class StageProbabilityViewSet(viewsets.ViewSet):
    """The 14 stages in order, each with its win probability (the head's value, else the default)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses=StageProbabilitySerializer(many=True))
    def list(self, request: Request) -> Response:
        rows = [
            {"stage": code, "number": ORDER[code], "name": str(Stage(code).label), "probability": probability}
            for code, probability in stage_probabilities_current().items()
        ]
        return Response(StageProbabilitySerializer(rows, many=True).data)
