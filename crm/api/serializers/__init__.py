"""API shapes. Read serializers show ids with names; write serializers check types, then a service writes."""

from .activities import ActivityCompleteSerializer, ActivitySerializer, ActivityWriteSerializer, SaleLineSerializer
from .clients import (
    BrandSerializer,
    ClientReassignSerializer,
    ClientSerializer,
    ClientWriteSerializer,
    ContactSerializer,
    ContactWriteSerializer,
    LostReasonSerializer,
    ProductCategorySerializer,
    ProductSerializer,
    SegmentSerializer,
    StageProbabilitySerializer,
)
from .deals import (
    DealLoseSerializer,
    DealMoveSerializer,
    DealPaymentSerializer,
    DealProductSerializer,
    DealProductWriteSerializer,
    DealSerializer,
    DealWriteSerializer,
    StageChangeSerializer,
)
from .fields import PhoneField, VisibleRelatedField, name_of
from .people import TeamSerializer, TeamWriteSerializer, UserSerializer, UserWriteSerializer

__all__ = [
    "ActivityCompleteSerializer",
    "ActivitySerializer",
    "ActivityWriteSerializer",
    "BrandSerializer",
    "ClientReassignSerializer",
    "ClientSerializer",
    "ClientWriteSerializer",
    "ContactSerializer",
    "ContactWriteSerializer",
    "DealLoseSerializer",
    "DealMoveSerializer",
    "DealPaymentSerializer",
    "DealProductSerializer",
    "DealProductWriteSerializer",
    "DealSerializer",
    "DealWriteSerializer",
    "LostReasonSerializer",
    "PhoneField",
    "ProductCategorySerializer",
    "ProductSerializer",
    "SaleLineSerializer",
    "SegmentSerializer",
    "StageChangeSerializer",
    "StageProbabilitySerializer",
    "TeamSerializer",
    "TeamWriteSerializer",
    "UserSerializer",
    "UserWriteSerializer",
    "VisibleRelatedField",
    "name_of",
]
