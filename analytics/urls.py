"""The analytics pages."""

from django.urls import URLPattern, path

from analytics.views import abc, settings

urlpatterns: list[URLPattern] = [
    path("analytics/abc/", abc.AbcMatrixView.as_view(), name="analytics_abc"),
    path("analytics/abc/export/", abc.AbcMatrixExportView.as_view(), name="analytics_abc_export"),
    path("analytics/abc/falls/export/", abc.AbcFallsExportView.as_view(), name="analytics_abc_falls_export"),
    path("analytics/abc/cell/<str:cell>/", abc.AbcCellView.as_view(), name="analytics_abc_cell"),
    path("analytics/abc/cell/<str:cell>/export/", abc.AbcCellExportView.as_view(), name="analytics_abc_cell_export"),
    path("analytics/settings/", settings.AnalyticsSettingsView.as_view(), name="analytics_settings"),
]
