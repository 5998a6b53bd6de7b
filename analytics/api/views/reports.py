"""What the report routes of /api/v1/analytics/ share: the permission and `as_of` (a bad date is 400)."""

from __future__ import annotations

from datetime import date

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import viewsets
from rest_framework.permissions import IsAuthenticated

from analytics.api.permissions import SeesAnalytics
from core.http import user_of
from core.params import parse_date
from crm.models import User

AS_OF = OpenApiParameter("as_of", OpenApiTypes.DATE, description="YYYY-MM-DD; today when omitted")


class ReportViewSet(viewsets.ViewSet):
    permission_classes = [IsAuthenticated, SeesAnalytics]

    @property
    def user(self) -> User:
        return user_of(self.request)

    def as_of(self) -> date:
        return parse_date(self.request.query_params.get("as_of"), field="as_of") or timezone.localdate()
