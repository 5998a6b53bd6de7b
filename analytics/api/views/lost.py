"""/api/v1/analytics/lost/: lost clients (analytics/selectors/lost.py)."""

from __future__ import annotations

from drf_spectacular.helpers import forced_singular_serializer
from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from analytics.api.serializers.lost import LostSerializer
from analytics.api.views.reports import AS_OF, ReportViewSet
from analytics.selectors.lost import lost_report


class LostViewSet(ReportViewSet):
    """Lost clients per month over the 12 months up to `as_of`'s month, by reason and direction, with the list."""

    @extend_schema(parameters=[AS_OF], responses=forced_singular_serializer(LostSerializer))
    def list(self, request: Request) -> Response:
        return Response(LostSerializer(lost_report(user=self.user, as_of=self.as_of())).data)
