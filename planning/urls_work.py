"""Pages for working the plan: the week, Tool 1 and its complement map, Tool 2, plan/fact."""

from django.urls import path

from planning.views import factual, work

urlpatterns = [
    path("plans/work/", work.PlanWorkView.as_view(), name="plan_work"),
    path("plans/cross-sell/", work.CrossSellView.as_view(), name="cross_sell"),
    path("plans/cross-sell/print/", work.CrossSellPrintView.as_view(), name="cross_sell_print"),
    path("plans/complements/", work.ComplementMapView.as_view(), name="complement_map"),
    path("plans/tool2/", work.Tool2View.as_view(), name="tool2"),
    path("plans/tool2/print/", work.Tool2PrintView.as_view(), name="tool2_print"),
    path("plans/fact/", factual.PlanFactView.as_view(), name="plan_fact"),
    path("plans/fact/export/", factual.PlanFactExportView.as_view(), name="plan_fact_export"),
]
