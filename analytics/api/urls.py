"""The analytics' part of /api/v1/analytics/, registered on the project's router."""

from rest_framework.viewsets import ViewSetMixin

from analytics.api.views.abc import AbcMatrixViewSet, AbcTransitionsViewSet
from analytics.api.views.contests import ContestViewSet
from analytics.api.views.dashboard import DashboardViewSet
from analytics.api.views.funnel import FunnelViewSet
from analytics.api.views.lost import LostViewSet
from analytics.api.views.ltv import LtvViewSet
from analytics.api.views.nps import NpsViewSet
from analytics.api.views.wallet import WalletViewSet

ROUTES: list[tuple[str, type[ViewSetMixin], str]] = [
    ("analytics/contests", ContestViewSet, "analytics-contest"),
    ("analytics/nps", NpsViewSet, "analytics-nps"),
    ("analytics/ltv", LtvViewSet, "analytics-ltv"),
    ("analytics/wallet", WalletViewSet, "analytics-wallet"),
    ("analytics/lost", LostViewSet, "analytics-lost"),
    ("analytics/abc", AbcMatrixViewSet, "analytics-abc"),
    ("analytics/abc-transitions", AbcTransitionsViewSet, "analytics-abc-transitions"),
    ("analytics/funnel", FunnelViewSet, "analytics-funnel"),
    ("analytics/dashboard", DashboardViewSet, "analytics-dashboard"),
]
