"""/api/v1/analytics/ltv/, /wallet/ and /lost/: the same figures as the pages, through analytics/selectors/scope.py."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.helpers import forced_singular_serializer
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import viewsets
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from analytics.api.permissions import SeesAnalytics
from analytics.api.serializers.lost import LostSerializer
from analytics.api.serializers.ltv import LtvSerializer
from analytics.api.serializers.wallet import WalletSerializer
from analytics.selectors.lost import lost_report
from analytics.selectors.ltv import DIMENSIONS, ltv_report
from analytics.selectors.wallet import wallet_report
from core.http import user_of
from core.params import parse_date, parse_id
from crm.models import User

AS_OF = OpenApiParameter("as_of", OpenApiTypes.DATE, description="YYYY-MM-DD; today when omitted")


class ReportViewSet(viewsets.ViewSet):
    permission_classes = [IsAuthenticated, SeesAnalytics]

    @property
    def user(self) -> User:
        return user_of(self.request)

    def as_of(self) -> date:
        return parse_date(self.request.query_params.get("as_of"), field="as_of") or timezone.localdate()


class LtvViewSet(ReportViewSet):
    """LTV = S x C x P x t per segment, manager (the client's owner) or cohort of first purchase, and the total."""

    @extend_schema(
        parameters=[AS_OF, OpenApiParameter("by", OpenApiTypes.STR, enum=list(DIMENSIONS), description="segment")],
        responses=forced_singular_serializer(LtvSerializer),
    )
    def list(self, request: Request) -> Response:
        by = request.query_params.get("by") or "segment"
        if by not in DIMENSIONS:
            raise ValidationError({"by": [_("Choose segment, manager or cohort.")]})
        report = ltv_report(user=self.user, as_of=self.as_of())
        data = {
            "as_of": report.as_of,
            "by": by,
            "default_profitability": report.default_profitability,
            "lost_after_months": report.lost_after_months,
            "stored": report.stored,
            "total": report.total,
            "rows": report.groups[by],
        }
        return Response(LtvSerializer(data).data)


class WalletViewSet(ReportViewSet):
    """Share of wallet: per (client, category) with a figure, per category, and the whole."""

    @extend_schema(
        parameters=[AS_OF, OpenApiParameter("category", OpenApiTypes.INT, description="one product category")],
        responses=forced_singular_serializer(WalletSerializer),
    )
    def list(self, request: Request) -> Response:
        category = parse_id(request.query_params.get("category"), field="category")
        return Response(WalletSerializer(wallet_report(user=self.user, as_of=self.as_of(), category_id=category)).data)


class LostViewSet(ReportViewSet):
    """Lost clients per month over the 12 months up to `as_of`'s month, by reason and direction, with the list."""

    @extend_schema(parameters=[AS_OF], responses=forced_singular_serializer(LostSerializer))
    def list(self, request: Request) -> Response:
        return Response(LostSerializer(lost_report(user=self.user, as_of=self.as_of())).data)
