"""The import page: upload and dry run, preview, confirm, progress, samples and the XLSX exports."""

from django.urls import path

from crm.views import imports

urlpatterns = [
    path("imports/", imports.ImportListView.as_view(), name="import_list"),
    path("imports/export/", imports.ImportListExportView.as_view(), name="import_list_export"),
    path("imports/samples/<str:kind>.csv", imports.ImportSampleView.as_view(), name="import_sample"),
    path("imports/<int:pk>/", imports.ImportDetailView.as_view(), name="import_detail"),
    path("imports/<int:pk>/progress/", imports.ImportProgressView.as_view(), name="import_progress"),
    path("imports/<int:pk>/confirm/", imports.ImportConfirmView.as_view(), name="import_confirm"),
    path("imports/<int:pk>/errors/export/", imports.ImportErrorsExportView.as_view(), name="import_errors_export"),
]
