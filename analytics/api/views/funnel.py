"""GET /api/v1/analytics/funnel/: the funnel page's figures with the same parameters and scope."""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.helpers import forced_singular_serializer
from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from analytics.api.permissions import SeesAnalytics
from analytics.api.serializers.funnel import FunnelSerializer, funnel_payload
from analytics.forms.funnel import FunnelForm
from analytics.selectors.funnel import funnel_report, purchase_report
from core.http import user_of


class FunnelViewSet(viewsets.ViewSet):
    """Per stage in the fixed order: deals, % of the previous and of the first stage, days in the stage; conversion
    = won / all closed; the stage most deals are lost at; the 1st, 2nd, 3rd purchases. Parameters as the page's."""

    permission_classes = [IsAuthenticated, SeesAnalytics]

    @extend_schema(responses=forced_singular_serializer(FunnelSerializer))
    def list(self, request: Request) -> Response:
        user = user_of(request)
        form = FunnelForm(request.query_params, by=user, today=timezone.localdate())
        if not form.is_valid():
            raise ValidationError(
                {field: [error["message"] for error in errors] for field, errors in form.errors.get_json_data().items()}
            )
        query = form.query()
        payload = funnel_payload(query=query, funnel=funnel_report(user, query), steps=purchase_report(user, query))
        return Response(FunnelSerializer(payload).data)
