"""The REST API views, one module per part of the CRM."""

from .activities import ActivityViewSet, SaleLineViewSet
from .catalogue import (
    BrandViewSet,
    LostReasonViewSet,
    ProductCategoryViewSet,
    ProductViewSet,
    SegmentViewSet,
    StageProbabilityViewSet,
)
from .clients import ClientViewSet, ContactViewSet
from .deals import DealViewSet
from .people import MeView, TeamViewSet, UserViewSet

__all__ = [
    "ActivityViewSet",
    "BrandViewSet",
    "ClientViewSet",
    "ContactViewSet",
    "DealViewSet",
    "LostReasonViewSet",
    "MeView",
    "ProductCategoryViewSet",
    "ProductViewSet",
    "SaleLineViewSet",
    "SegmentViewSet",
    "StageProbabilityViewSet",
    "TeamViewSet",
    "UserViewSet",
]
