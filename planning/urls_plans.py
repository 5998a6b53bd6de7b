"""Plan pages: the month's plans, a plan with every figure explained, its print view; generate, adjust, approve."""

from django.urls import path

from planning.views import plans

urlpatterns = [
    path("plans/", plans.PlanListView.as_view(), name="plan_list"),
    path("plans/generate/", plans.PlanGenerateView.as_view(), name="plan_generate"),
    path("plans/<int:pk>/", plans.PlanDetailView.as_view(), name="plan_detail"),
    path("plans/<int:pk>/print/", plans.PlanPrintView.as_view(), name="plan_print"),
    path("plans/<int:pk>/adjust/", plans.PlanAdjustView.as_view(), name="plan_adjust"),
    path("plans/<int:pk>/approve/", plans.PlanApproveView.as_view(), name="plan_approve"),
]
