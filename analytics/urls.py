"""The analytics pages."""

from django.urls import URLPattern, path

from analytics.views.dashboard import (
    DashboardExportView,
    DashboardPdfView,
    DashboardView,
    MorningSheetView,
)

urlpatterns: list[URLPattern] = [
    path("analytics/dashboard/", DashboardView.as_view(), name="analytics_dashboard"),
    path("analytics/dashboard/export/<slug:table>/", DashboardExportView.as_view(), name="analytics_dashboard_export"),
    path("analytics/dashboard/weekly.pdf", DashboardPdfView.as_view(), name="analytics_dashboard_pdf"),
    path("analytics/morning/", MorningSheetView.as_view(), name="analytics_morning"),
]
