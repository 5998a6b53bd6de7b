"""/api/v1/analytics/ltv/: the LTV page's figures (analytics/selectors/ltv.py)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from drf_spectacular.helpers import forced_singular_serializer
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from analytics.api.serializers.ltv import LtvSerializer
from analytics.api.views.reports import AS_OF, ReportViewSet
from analytics.selectors.ltv import DIMENSIONS, ltv_report


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
