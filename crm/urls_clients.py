"""My day's actions and the client pages: list, Excel, print, card, edit, contacts, calls."""

from django.urls import path

from crm.views import clients, myday

urlpatterns = [
    path("my-day/calls/export/", myday.CallsExportView.as_view(), name="my_day_calls_export"),
    path("activities/<int:pk>/complete/", myday.ActivityCompleteView.as_view(), name="activity_complete"),
    path("clients/", clients.ClientListView.as_view(), name="client_list"),
    path("clients/export/", clients.ClientExportView.as_view(), name="client_export"),
    path("clients/print/", clients.ClientListPrintView.as_view(), name="client_list_print"),
    path("clients/<int:pk>/", clients.ClientDetailView.as_view(), name="client_detail"),
    path("clients/<int:pk>/print/", clients.ClientPrintView.as_view(), name="client_print"),
    path("clients/<int:pk>/edit/", clients.ClientUpdateView.as_view(), name="client_update"),
    path("clients/<int:pk>/contacts/", clients.ContactCreateView.as_view(), name="contact_create"),
    path("clients/<int:pk>/call/", myday.CallLogView.as_view(), name="call_log"),
]
