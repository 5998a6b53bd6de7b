"""Pay pages: a manager's month (the 20-second breakdown), the head's schemes per role, and the KPI results."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from core.access import RoleRequiredMixin
from core.calendar import month_shift, month_start
from core.params import or_none, parse_id, parse_month
from crm.forms.people import add_service_errors
from crm.models import Role, User
from planning.forms.pay import KpiResultsForm, PaySchemeForms
from planning.models import PAY_ROLES, KpiResult, PayScheme
from planning.selectors.pay import month_pay, pay_managers
from planning.services.pay import kpi_results_set, pay_scheme_save


def chosen_month(value: str | None) -> date:
    """The `month` asked for; this month when it is missing, malformed or outside the sane years."""
    return or_none(parse_month, value) or month_start(timezone.localdate())


class MyPayView(RoleRequiredMixin, View):
    """A seller's own pay for a month; a team lead reads his team's, the head anyone's. Anyone else is not found."""

    template_name = "planning/pay/pay.html"
    role_check = "works_in_sales"
    role_denied = gettext_lazy("Pay is computed for sales managers and team leads.")

    def get(self, request: HttpRequest) -> HttpResponse:
        user = self.user
        today = timezone.localdate()
        month = chosen_month(request.GET.get("month"))
        managers = pay_managers(user)
        chosen = request.GET.get("manager") or (str(user.pk) if user.is_seller else "")
        manager = None
        if chosen:
            manager = managers.filter(pk=or_none(parse_id, chosen) or 0).first()
            if manager is None:
                raise Http404
        pay = month_pay(viewer=user, manager=manager, month=month, today=today) if manager else None
        context = {
            "pay": pay,
            "month": month,
            "manager": manager,
            "managers": list(managers) if user.sees_everything or user.is_team_lead else [],
            "previous_month": month_shift(month, -1),
            "next_month": month_shift(month, 1),
            "may_edit": user.is_head,
        }
        return TemplateResponse(request, self.template_name, context)


class HeadOnlyMixin(RoleRequiredMixin):
    role_check = "is_head"
    role_denied = gettext_lazy("Pay schemes and KPI results are for the sales head and the administrator.")


class PaySchemesView(HeadOnlyMixin, View):
    """One role's scheme at a time (tabs per seller role): fixed, soft, 0-5 KPIs (the head's limits), thresholds."""

    template_name = "planning/pay/schemes.html"

    def role(self) -> str:
        role = self.request.GET.get("role") or Role.MANAGER
        return role if role in PAY_ROLES else Role.MANAGER

    def scheme(self, role: str) -> PayScheme | None:
        return PayScheme.objects.filter(role=role).prefetch_related("kpis", "thresholds").first()

    def render(self, forms: PaySchemeForms, role: str, status: int = 200) -> HttpResponse:
        tabs = [(value, Role(value).label) for value in PAY_ROLES]
        context = {"forms": forms, "role": role, "role_label": Role(role).label, "tabs": tabs}
        return TemplateResponse(self.request, self.template_name, context, status=status)

    def get(self, request: HttpRequest) -> HttpResponse:
        role = self.role()
        return self.render(PaySchemeForms(scheme=self.scheme(role)), role)

    def post(self, request: HttpRequest) -> HttpResponse:
        role = self.role()
        forms = PaySchemeForms(request.POST, scheme=self.scheme(role))
        if forms.is_valid():
            try:
                pay_scheme_save(by=self.user, role=role, **forms.cleaned_data())
            except ValidationError as exc:
                forms.add_errors(exc)
            else:
                messages.success(request, _("The pay scheme is saved."))
                return redirect(f"{reverse('pay_schemes')}?role={role}")
        return self.render(forms, role, status=400)


class KpiResultsView(HeadOnlyMixin, View):
    """The month's KPI results of every seller against his role's KPIs, in one table."""

    template_name = "planning/pay/kpi_results.html"

    def make_form(self, month: date, data: Any = None) -> KpiResultsForm:
        managers = list(User.objects.sellers().order_by("last_name", "first_name", "username"))
        schemes = PayScheme.objects.filter(role__in=PAY_ROLES).prefetch_related("kpis")
        kpis_by_role = {s.role: list(s.kpis.all()) for s in schemes}
        achieved = {
            (m, k): a
            for m, k, a in KpiResult.objects.filter(month=month, manager__in=managers).values_list(
                "manager_id", "kpi_id", "achieved"
            )
        }
        return KpiResultsForm(data, managers=managers, kpis_by_role=kpis_by_role, achieved=achieved)

    def render(self, form: KpiResultsForm, month: date, status: int = 200) -> HttpResponse:
        context = {
            "form": form,
            "month": month,
            "previous_month": month_shift(month, -1),
            "next_month": month_shift(month, 1),
        }
        return TemplateResponse(self.request, self.template_name, context, status=status)

    def get(self, request: HttpRequest) -> HttpResponse:
        month = chosen_month(request.GET.get("month"))
        return self.render(self.make_form(month), month)

    def post(self, request: HttpRequest) -> HttpResponse:
        month = chosen_month(request.GET.get("month"))
        form = self.make_form(month, request.POST)
        if form.is_valid():
            try:
                kpi_results_set(by=self.user, month=month, results=form.results())
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The KPI results are saved."))
                return redirect(f"{reverse('pay_kpi_results')}?month={month:%Y-%m}")
        return self.render(form, month, status=400)
