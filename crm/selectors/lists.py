"""The rows of the head's reference lists, each with how much uses it (one query per list)."""

from __future__ import annotations

from django.db.models import Count, QuerySet

from crm.models import LostReason, MarketSegment, ProductCategory


def lost_reasons_page() -> QuerySet[LostReason]:
    return LostReason.objects.annotate(uses=Count("deals")).order_by("-is_active", "sort_order", "name")


def segments_page() -> QuerySet[MarketSegment]:
    return MarketSegment.objects.annotate(uses=Count("client")).order_by("-is_active", "name")


def categories_page() -> QuerySet[ProductCategory]:
    return (
        ProductCategory.objects.select_related("parent")
        .annotate(uses=Count("products", distinct=True), subcategories=Count("children", distinct=True))
        .order_by("-is_active", "name")
    )
