"""The analytics pages."""

from django.urls import URLPattern, path

from analytics.views import contests, funnel

urlpatterns: list[URLPattern] = [
    path("analytics/contests/", contests.ContestListView.as_view(), name="analytics_contest_list"),
    path("analytics/contests/new/", contests.ContestFormView.as_view(), name="analytics_contest_create"),
    path("analytics/contests/<int:pk>/", contests.ContestDetailView.as_view(), name="analytics_contest_detail"),
    path("analytics/contests/<int:pk>/edit/", contests.ContestFormView.as_view(), name="analytics_contest_edit"),
    path("analytics/contests/<int:pk>/export/", contests.ContestExportView.as_view(), name="analytics_contest_export"),
    path("analytics/funnel/", funnel.FunnelView.as_view(), name="analytics_funnel"),
    path("analytics/funnel/export/", funnel.FunnelExportView.as_view(), name="analytics_funnel_export"),
    path("analytics/funnel/deals/", funnel.FunnelDealsView.as_view(), name="analytics_funnel_deals"),
    path("analytics/funnel/clients/", funnel.FunnelClientsView.as_view(), name="analytics_funnel_clients"),
]
