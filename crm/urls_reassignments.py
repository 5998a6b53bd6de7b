"""The 3-month rule's pages: the head's reassignment queue, a flag's decision page, the clients near the rule."""

from django.urls import path

from crm.views import reassignments

urlpatterns = [
    path("reassignments/", reassignments.ReassignmentQueueView.as_view(), name="reassignment_queue"),
    path("reassignments/export/", reassignments.ReassignmentExportView.as_view(), name="reassignment_export"),
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
]
