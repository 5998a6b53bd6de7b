"""/api/v1/analytics/wallet/: share of wallet (analytics/selectors/wallet.py)."""

from __future__ import annotations

from drf_spectacular.helpers import forced_singular_serializer
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from analytics.api.serializers.wallet import WalletSerializer
from analytics.api.views.reports import AS_OF, ReportViewSet
from analytics.selectors.wallet import wallet_report
from core.params import parse_id


class WalletViewSet(ReportViewSet):
    """Share of wallet: per (client, category) with a figure, per category, and the whole."""

    @extend_schema(
        parameters=[AS_OF, OpenApiParameter("category", OpenApiTypes.INT, description="one product category")],
        responses=forced_singular_serializer(WalletSerializer),
    )
    def list(self, request: Request) -> Response:
        category = parse_id(request.query_params.get("category"), field="category")
        return Response(WalletSerializer(wallet_report(user=self.user, as_of=self.as_of(), category_id=category)).data)
