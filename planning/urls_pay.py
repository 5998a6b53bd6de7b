"""Pay pages: /pay/ (a seller's own month, the head's choice of seller), the head's schemes and KPI results."""

from django.urls import path

from planning.views import pay

urlpatterns = [
    path("pay/", pay.MyPayView.as_view(), name="my_pay"),
    path("pay/schemes/", pay.PaySchemesView.as_view(), name="pay_schemes"),
    path("pay/kpi-results/", pay.KpiResultsView.as_view(), name="pay_kpi_results"),
]
