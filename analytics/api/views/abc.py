"""`/api/v1/analytics/abc/` (the 3 x 3 matrix) and `/api/v1/analytics/abc-transitions/` (the moves between the
cells since the month before, and the falls), with the pages' filter and scope; a bad parameter answers 400."""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from analytics.api.permissions import SeesAnalytics
from analytics.forms.abc import AbcFilterForm
from analytics.models import AnalyticsSettings
from analytics.selectors.abc import Slice, abc_falls, abc_matrix, abc_month, abc_transitions
from core.http import user_of

PARAMETERS = [
    OpenApiParameter("as_of", OpenApiTypes.DATE, description="Any day of the month (default: today)."),
    OpenApiParameter("team", OpenApiTypes.INT, description="A team in the user's scope."),
    OpenApiParameter("manager", OpenApiTypes.INT, description="A manager in the user's scope."),
]
FALLS_LIMIT = 200


class AbcViewSet(viewsets.ViewSet):
    permission_classes = [IsAuthenticated, SeesAnalytics]

    def where(self, request: Request) -> tuple[Slice, Any]:
        form = AbcFilterForm(request.query_params, user=user_of(request))
        if not form.is_valid():
            raise ValidationError(form.errors.get_json_data())
        return form.slice(), abc_month(form.day())

    @staticmethod
    def rules() -> dict[str, Any]:
        s = AnalyticsSettings.current()
        return {
            "basis": s.abc_basis,
            "a_share": str(s.abc_a_share),
            "b_share": str(s.abc_b_share),
            "xyz_method": s.xyz_method,
            "x_months": s.xyz_x_months,
            "y_months": s.xyz_y_months,
            "cv_x": str(s.xyz_cv_x),
            "cv_y": str(s.xyz_cv_y),
        }


class AbcMatrixViewSet(AbcViewSet):
    """Per cell: clients, 12-month revenue and margin, shares of the slice's clients and revenue, the advice."""

    @extend_schema(parameters=PARAMETERS, responses=OpenApiTypes.OBJECT)
    def list(self, request: Request) -> Response:
        where, month = self.where(request)
        return Response({**abc_matrix(where, month).as_dict(), "rules": self.rules()})


class AbcTransitionsViewSet(AbcViewSet):
    """Moves between the cells since the month before (`from` "—": not classified then), and the falls."""

    @extend_schema(parameters=PARAMETERS, responses=OpenApiTypes.OBJECT)
    def list(self, request: Request) -> Response:
        where, month = self.where(request)
        falls = abc_falls(where, month)
        data = abc_transitions(where, month).as_dict()
        data["falls"] = [
            {
                "client": row.client_id,
                "name": row.client.name,
                "owner": row.client.owner_id,
                "from": getattr(row, "previous", None),
                "to": row.cell,
                "revenue": str(row.revenue),
            }
            for row in falls[:FALLS_LIMIT]
        ]
        data["falls_count"] = falls.count() if month else 0
        return Response(data)
