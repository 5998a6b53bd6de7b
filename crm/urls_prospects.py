"""Prospect lists (build, check, claim, print) and the sources report."""

from django.urls import path

from crm.views import prospects

urlpatterns = [
    path("prospects/", prospects.ProspectListIndexView.as_view(), name="prospect_list_index"),
    path("prospects/<int:pk>/", prospects.ProspectListDetailView.as_view(), name="prospect_list_detail"),
    path("prospects/<int:pk>/print/", prospects.ProspectListPrintView.as_view(), name="prospect_list_print"),
    path("prospects/<int:pk>/export/", prospects.ProspectListExportView.as_view(), name="prospect_list_export"),
    path("prospects/<int:pk>/entries/", prospects.ProspectEntryAddView.as_view(), name="prospect_entry_add"),
    path("prospects/<int:pk>/import/", prospects.ProspectListImportView.as_view(), name="prospect_list_import"),
    path("prospects/<int:pk>/add-warm/", prospects.ProspectListWarmView.as_view(), name="prospect_list_add_warm"),
    path("prospects/<int:pk>/check/", prospects.ProspectListCheckView.as_view(), name="prospect_list_check"),
    path("prospects/entries/<int:pk>/claim/", prospects.ProspectEntryClaimView.as_view(), name="prospect_entry_claim"),
    path("reports/sources/", prospects.SourcesReportView.as_view(), name="sources_report"),
    path("reports/sources/export/", prospects.SourcesReportExportView.as_view(), name="sources_report_export"),
]
