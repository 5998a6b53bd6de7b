"""The CRM's pages, by sub-domain: people, the pipeline, imports, clients, hunting, prospects, reassignments,
stock requests, search."""

from django.urls import URLPattern, path

from crm.views import (
    audit,
    auth,
    board,
    calendar,
    clients,
    deal_card,
    deals,
    home,
    hunting,
    imports,
    lists,
    myday,
    people,
    prospects,
    reassignments,
    review,
    search,
    settings,
    stock,
    winbacks,
)


def list_pages(base: str, kind: lists.ListKind) -> list[URLPattern]:
    """A reference list's pages: the list, new, edit, activate or deactivate, delete."""
    views = lists.views_of(kind)
    return [
        path(f"{base}/", views["list"], name=kind.url("list")),
        path(f"{base}/new/", views["create"], name=kind.url("create")),
        path(f"{base}/<int:pk>/edit/", views["update"], name=kind.url("update")),
        path(f"{base}/<int:pk>/active/", views["active"], name=kind.url("active")),
        path(f"{base}/<int:pk>/delete/", views["delete"], name=kind.url("delete")),
    ]


urlpatterns = [
    # Login, the home page, users and teams.
    path("login/", auth.CrmLoginView.as_view(), name="login"),
    path("logout/", auth.CrmLogoutView.as_view(), name="logout"),
    path("", home.HomeView.as_view(), name="home"),
    path("users/", people.UserListView.as_view(), name="user_list"),
    path("users/export/", people.UserExportView.as_view(), name="user_export"),
    path("users/new/", people.UserCreateView.as_view(), name="user_create"),
    path("users/<int:pk>/edit/", people.UserUpdateView.as_view(), name="user_update"),
    path("users/<int:pk>/active/", people.UserSetActiveView.as_view(), name="user_set_active"),
    path("teams/", people.TeamListView.as_view(), name="team_list"),
    path("teams/export/", people.TeamExportView.as_view(), name="team_export"),
    path("teams/new/", people.TeamCreateView.as_view(), name="team_create"),
    path("teams/<int:pk>/edit/", people.TeamUpdateView.as_view(), name="team_update"),
    # The pipeline pages: the board, the deal card and the head's pipeline review.
    path("pipeline/", board.BoardView.as_view(), name="board"),
    path("pipeline/columns/", board.BoardColumnsView.as_view(), name="board_columns"),
    path("pipeline/column/", board.BoardColumnPageView.as_view(), name="board_column_page"),
    path("pipeline/export/", board.BoardExportView.as_view(), name="board_export"),
    path("pipeline/deals/<int:pk>/move/", board.DealMoveView.as_view(), name="deal_move"),
    path("pipeline/review/", review.PipelineReviewView.as_view(), name="pipeline_review"),
    path("pipeline/review/print/", review.PipelineReviewPrintView.as_view(), name="pipeline_review_print"),
    path("pipeline/review/export/", review.PipelineReviewExportView.as_view(), name="pipeline_review_export"),
    path("deals/new/", deals.DealCreateView.as_view(), name="deal_create"),
    path("deals/<int:pk>/", deal_card.DealDetailView.as_view(), name="deal_detail"),
    path("deals/<int:pk>/edit/", deals.DealUpdateView.as_view(), name="deal_update"),
    path("deals/<int:pk>/print/", deal_card.DealPrintView.as_view(), name="deal_print"),
    path("deals/<int:pk>/payments/", deal_card.DealPaymentView.as_view(), name="deal_payment"),
    path("deals/<int:pk>/proposal-file/", deal_card.DealProposalFileView.as_view(), name="deal_proposal_file"),
    path("deals/<int:pk>/activities/", deal_card.DealActivityView.as_view(), name="deal_activity"),
    # The import page: upload and dry run, preview, confirm, progress, samples and the XLSX exports.
    path("imports/", imports.ImportListView.as_view(), name="import_list"),
    path("imports/export/", imports.ImportListExportView.as_view(), name="import_list_export"),
    path("imports/samples/<str:kind>.csv", imports.ImportSampleView.as_view(), name="import_sample"),
    path("imports/<int:pk>/", imports.ImportDetailView.as_view(), name="import_detail"),
    path("imports/<int:pk>/progress/", imports.ImportProgressView.as_view(), name="import_progress"),
    path("imports/<int:pk>/confirm/", imports.ImportConfirmView.as_view(), name="import_confirm"),
    path("imports/<int:pk>/errors/export/", imports.ImportErrorsExportView.as_view(), name="import_errors_export"),
    # My day's actions and the client pages: list, Excel, print, card, edit, contacts, calls.
    path("my-day/calls/export/", myday.CallsExportView.as_view(), name="my_day_calls_export"),
    path("activities/<int:pk>/complete/", myday.ActivityCompleteView.as_view(), name="activity_complete"),
    path("clients/", clients.ClientListView.as_view(), name="client_list"),
    path("clients/export/", clients.ClientExportView.as_view(), name="client_export"),
    path("clients/print/", clients.ClientListPrintView.as_view(), name="client_list_print"),
    path("clients/new/", clients.ClientCreateView.as_view(), name="client_create"),
    path("clients/inn-check/", clients.ClientInnCheckView.as_view(), name="client_inn_check"),
    path("clients/<int:pk>/", clients.ClientDetailView.as_view(), name="client_detail"),
    path("clients/<int:pk>/print/", clients.ClientPrintView.as_view(), name="client_print"),
    path("clients/<int:pk>/edit/", clients.ClientUpdateView.as_view(), name="client_update"),
    path("clients/<int:pk>/contacts/", clients.ContactCreateView.as_view(), name="contact_create"),
    path("clients/<int:pk>/activities/", clients.ClientActivityView.as_view(), name="client_activity"),
    path("contacts/<int:pk>/edit/", clients.ContactUpdateView.as_view(), name="contact_update"),
    path("contacts/<int:pk>/delete/", clients.ContactDeleteView.as_view(), name="contact_delete"),
    path("clients/<int:pk>/call/", myday.CallLogView.as_view(), name="call_log"),
    # New-client hunting pages: the monthly long and short lists, and the head's department settings.
    path("long-list/", hunting.LongListView.as_view(), name="long_list"),
    path("long-list/export/", hunting.LongListExportView.as_view(), name="long_list_export"),
    path("long-list/print/", hunting.LongListPrintView.as_view(), name="long_list_print"),
    path("long-list/draft/", hunting.LongListDraftView.as_view(), name="long_list_draft"),
    path("long-list/entries/<int:pk>/", hunting.LongListEntryView.as_view(), name="long_list_entry"),
    path("settings/", settings.DepartmentSettingsView.as_view(), name="department_settings"),
    path("audit/", audit.AuditView.as_view(), name="audit"),
    path("settings/calendar/", calendar.WorkingCalendarView.as_view(), name="working_calendar"),
    # Prospect lists (build, check, claim, print) and the sources report.
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
    # The 3-month rule's pages: the head's reassignment queue, a flag's decision page, the clients near the rule.
    path("reassignments/", reassignments.ReassignmentQueueView.as_view(), name="reassignment_queue"),
    path("reassignments/export/", reassignments.ReassignmentExportView.as_view(), name="reassignment_export"),
    path("reassignments/bulk/", reassignments.ReassignmentBulkView.as_view(), name="reassignment_bulk"),
    path("reassignments/win-backs/", winbacks.WinBackListView.as_view(), name="win_backs"),
    path("long-list/entries/<int:pk>/take/", winbacks.WinBackTakeView.as_view(), name="win_back_take"),
    path("reassignments/near/", reassignments.NearRuleView.as_view(), name="clients_near_rule"),
    path("reassignments/<int:pk>/", reassignments.ReassignmentDetailView.as_view(), name="reassignment_detail"),
    path(
        "reassignments/<int:pk>/reassign/",
        reassignments.DecisionView.as_view(which="reassign"),
        name="reassignment_reassign",
    ),
    path(
        "reassignments/<int:pk>/extend/",
        reassignments.DecisionView.as_view(which="extend"),
        name="reassignment_extend",
    ),
    # Stock requests: recorded from the client card or after a call; the head's list, answers and Excel.
    path("clients/<int:pk>/stock-requests/new/", stock.StockRequestCreateView.as_view(), name="stock_request_create"),
    path("stock-requests/", stock.StockRequestListView.as_view(), name="stock_request_list"),
    path("stock-requests/export/", stock.StockRequestExportView.as_view(), name="stock_request_export"),
    path("stock-requests/<int:pk>/answer/", stock.StockRequestAnswerView.as_view(), name="stock_request_answer"),
    # The top bar's search: the dropdown while typing and the full results page.
    path("search/", search.SearchView.as_view(), name="search"),
    path("search/dropdown/", search.SearchDropdownView.as_view(), name="search_dropdown"),
    # The head's reference lists ("Справочники"); the complement map is planning's (plans/complements/).
    *list_pages("lists/loss-reasons", lists.LOST_REASONS),
    *list_pages("lists/segments", lists.SEGMENTS),
    *list_pages("lists/categories", lists.CATEGORIES),
    path("lists/stage-probabilities/", lists.StageProbabilitiesView.as_view(), name="stage_probabilities"),
]
