"""Planning pages: plans, working the plan (Tools 1 and 2, plan/fact) and pay."""

from django.urls import path

from planning.views import factual, pay, plans, work

urlpatterns = [
    # Plan pages: the month's plans, a plan with every figure explained, its print view; generate, adjust, approve.
    path("plans/", plans.PlanListView.as_view(), name="plan_list"),
    path("plans/generate/", plans.PlanGenerateView.as_view(), name="plan_generate"),
    path("plans/<int:pk>/", plans.PlanDetailView.as_view(), name="plan_detail"),
    path("plans/<int:pk>/print/", plans.PlanPrintView.as_view(), name="plan_print"),
    path("plans/<int:pk>/adjust/", plans.PlanAdjustView.as_view(), name="plan_adjust"),
    path("plans/<int:pk>/approve/", plans.PlanApproveView.as_view(), name="plan_approve"),
    # Pages for working the plan: the week, Tool 1 and its complement map, Tool 2, plan/fact.
    path("plans/work/", work.PlanWorkView.as_view(), name="plan_work"),
    path("plans/cross-sell/", work.CrossSellView.as_view(), name="cross_sell"),
    path("plans/cross-sell/print/", work.CrossSellPrintView.as_view(), name="cross_sell_print"),
    path("plans/complements/", work.ComplementMapView.as_view(), name="complement_map"),
    path("plans/tool2/", work.Tool2View.as_view(), name="tool2"),
    path("plans/tool2/print/", work.Tool2PrintView.as_view(), name="tool2_print"),
    path("plans/fact/", factual.PlanFactView.as_view(), name="plan_fact"),
    path("plans/fact/export/", factual.PlanFactExportView.as_view(), name="plan_fact_export"),
    # Pay pages: /pay/ (a seller's own month, the head's choice of seller), the head's schemes and KPI results.
    path("pay/", pay.MyPayView.as_view(), name="my_pay"),
    path("pay/schemes/", pay.PaySchemesView.as_view(), name="pay_schemes"),
    path("pay/kpi-results/", pay.KpiResultsView.as_view(), name="pay_kpi_results"),
]
