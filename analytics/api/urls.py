"""The analytics' part of /api/v1/analytics/, registered on the project's router."""

from rest_framework.viewsets import ViewSetMixin

from analytics.api.views.nps import NpsViewSet

ROUTES: list[tuple[str, type[ViewSetMixin], str]] = [
    ("analytics/nps", NpsViewSet, "analytics-nps"),
]
