"""The analytics' part of /api/v1/analytics/, registered on the project's router."""

from rest_framework.viewsets import ViewSetMixin

from analytics.api.views.contests import ContestViewSet
from analytics.api.views.nps import NpsViewSet

ROUTES: list[tuple[str, type[ViewSetMixin], str]] = [
    ("analytics/contests", ContestViewSet, "analytics-contest"),
    ("analytics/nps", NpsViewSet, "analytics-nps"),
]
