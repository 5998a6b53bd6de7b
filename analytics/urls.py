"""The analytics pages."""

from django.urls import URLPattern, path

from analytics.views import abc, contests, dashboard, funnel, lost, ltv, nps, settings, wallet

urlpatterns: list[URLPattern] = [
    path("analytics/abc/", abc.AbcMatrixView.as_view(), name="analytics_abc"),
    path("analytics/abc/export/", abc.AbcMatrixExportView.as_view(), name="analytics_abc_export"),
    path("analytics/abc/falls/export/", abc.AbcFallsExportView.as_view(), name="analytics_abc_falls_export"),
    path("analytics/abc/cell/<str:cell>/", abc.AbcCellView.as_view(), name="analytics_abc_cell"),
    path("analytics/abc/cell/<str:cell>/export/", abc.AbcCellExportView.as_view(), name="analytics_abc_cell_export"),
    path("analytics/settings/", settings.AnalyticsSettingsView.as_view(), name="analytics_settings"),
    path("analytics/dashboard/", dashboard.DashboardView.as_view(), name="analytics_dashboard"),
    path(
        "analytics/dashboard/export/<slug:table>/",
        dashboard.DashboardExportView.as_view(),
        name="analytics_dashboard_export",
    ),
    path("analytics/dashboard/weekly.pdf", dashboard.DashboardPdfView.as_view(), name="analytics_dashboard_pdf"),
    path("analytics/morning/", dashboard.MorningSheetView.as_view(), name="analytics_morning"),
    path("analytics/contests/", contests.ContestListView.as_view(), name="analytics_contest_list"),
    path("analytics/contests/new/", contests.ContestFormView.as_view(), name="analytics_contest_create"),
    path("analytics/contests/<int:pk>/", contests.ContestDetailView.as_view(), name="analytics_contest_detail"),
    path("analytics/contests/<int:pk>/edit/", contests.ContestFormView.as_view(), name="analytics_contest_edit"),
    path("analytics/contests/<int:pk>/export/", contests.ContestExportView.as_view(), name="analytics_contest_export"),
    path("analytics/nps/", nps.NpsPageView.as_view(), name="analytics_nps"),
    path("analytics/nps/export/", nps.NpsExportView.as_view(), name="analytics_nps_export"),
    path("analytics/nps/answer/", nps.NpsAnswerView.as_view(), name="analytics_nps_answer"),
    path("analytics/nps/survey/", nps.NpsSurveyStartView.as_view(), name="analytics_nps_survey"),
    # The contact's page behind the survey's e-mail link: outside login.
    path("nps/<str:token>/", nps.NpsPublicView.as_view(), name="nps_public"),
    path("analytics/ltv/", ltv.LtvView.as_view(), name="analytics_ltv"),
    path("analytics/ltv/export/", ltv.LtvExportView.as_view(), name="analytics_ltv_export"),
    path("analytics/wallet/", wallet.WalletView.as_view(), name="analytics_wallet"),
    path("analytics/wallet/export/", wallet.WalletExportView.as_view(), name="analytics_wallet_export"),
    path("analytics/lost/", lost.LostView.as_view(), name="analytics_lost"),
    path("analytics/lost/export/", lost.LostExportView.as_view(), name="analytics_lost_export"),
    path("analytics/funnel/", funnel.FunnelView.as_view(), name="analytics_funnel"),
    path("analytics/funnel/export/", funnel.FunnelExportView.as_view(), name="analytics_funnel_export"),
    path("analytics/funnel/deals/", funnel.FunnelDealsView.as_view(), name="analytics_funnel_deals"),
    path("analytics/funnel/clients/", funnel.FunnelClientsView.as_view(), name="analytics_funnel_clients"),
]
