"""New-client hunting pages: the monthly long and short lists, and the head's department settings."""

from django.urls import path

from crm.views import hunting, settings

urlpatterns = [
    path("long-list/", hunting.LongListView.as_view(), name="long_list"),
    path("long-list/export/", hunting.LongListExportView.as_view(), name="long_list_export"),
    path("long-list/print/", hunting.LongListPrintView.as_view(), name="long_list_print"),
    path("long-list/draft/", hunting.LongListDraftView.as_view(), name="long_list_draft"),
    path("long-list/entries/<int:pk>/", hunting.LongListEntryView.as_view(), name="long_list_entry"),
    path("settings/", settings.DepartmentSettingsView.as_view(), name="department_settings"),
]
