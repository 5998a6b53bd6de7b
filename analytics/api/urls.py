"""The analytics' part of /api/v1/analytics/, registered on the project's router."""

from rest_framework.viewsets import ViewSetMixin

from analytics.api.views.abc import AbcMatrixViewSet, AbcTransitionsViewSet

ROUTES: list[tuple[str, type[ViewSetMixin], str]] = [
    ("analytics/abc", AbcMatrixViewSet, "analytics-abc"),
    ("analytics/abc-transitions", AbcTransitionsViewSet, "analytics-abc-transitions"),
]
