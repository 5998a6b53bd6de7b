"""The analytics' part of /api/v1/analytics/, registered on the project's router."""

from rest_framework.viewsets import ViewSetMixin

from analytics.api.views.contests import ContestViewSet
from analytics.api.views.funnel import FunnelViewSet

ROUTES: list[tuple[str, type[ViewSetMixin], str]] = [
    ("analytics/contests", ContestViewSet, "analytics-contest"),
    ("analytics/funnel", FunnelViewSet, "analytics-funnel"),
]
