"""Plan pages (DOMAIN.md section 4): the month's plans with their status, and a plan with every figure explained."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from core.access import RoleRequiredMixin
from core.calendar import month_shift
from core.http import user_of
from core.params import or_none, parse_month
from crm.forms.people import add_service_errors
from crm.models import DepartmentSettings, User
from planning.forms.plans import PlanAdjustForm, PlanApproveForm, PlanGenerateForm
from planning.models import Plan
from planning.selectors.plans import (
    default_target,
    plan_explained,
    plan_month_rows,
    plan_versions,
    plans_with_lines,
)
from planning.services.plans import may_generate_for, plan_adjust, plan_approve, plan_generate


def chosen_month(value: str | None, today: date) -> date:
    """`YYYY-MM` from the query string; next month (the one being planned) when missing or malformed."""
    return or_none(parse_month, value) or month_shift(today, 1)


class PlansMixin(RoleRequiredMixin):
    role_check = "works_in_sales"
    role_denied = gettext_lazy("Plans are for sales managers and the sales head.")


def visible_sellers(user: User) -> list[User]:
    return list(User.objects.visible_to(user).sellers().order_by("last_name", "first_name", "pk"))


def plannable_for(user: User) -> list[User]:
    """Whom the user may set a plan for: the head anyone, a team lead his team if the head allows it, a manager
    nobody (he reads his draft)."""
    settings = DepartmentSettings.current()  # read once, not once per seller
    return [seller for seller in visible_sellers(user) if may_generate_for(user, seller, settings=settings)]


def chosen_manager(value: str | None, user: User, managers: list[User]) -> User | None:
    """The manager the new plan is for: `?manager=<id>` among those the user may plan for, else the user himself
    (a team lead), else the only one; None when it is the head's choice still to make."""
    by_pk = {m.pk: m for m in managers}
    if value and value.isdigit() and int(value) in by_pk:
        return by_pk[int(value)]
    if user.pk in by_pk:
        return by_pk[user.pk]
    return managers[0] if len(managers) == 1 else None


def plan_form_initial(*, user: User, managers: list[User], month: date, manager: User | None) -> dict[str, Any]:
    """The new plan's month (the one shown, by default next month) and, once the manager is known, its T: his last
    approved target, else A rounded to thousands."""
    initial: dict[str, Any] = {"month": month, "manager": manager.pk if manager else None}
    if manager is not None:
        initial["target"] = default_target(user=user, manager=manager, month=month).target
    return initial


class PlanListView(PlansMixin, View):
    template_name = "planning/plans/plan_list.html"

    def render(
        self, request: HttpRequest, month: date, form: PlanGenerateForm | None = None, status: int = 200
    ) -> HttpResponse:
        user = self.user
        managers = plannable_for(user)
        if form is None:
            manager = chosen_manager(request.GET.get("manager"), user, managers)
            initial = plan_form_initial(user=user, managers=managers, month=month, manager=manager)
            form = PlanGenerateForm(initial=initial, managers=managers)
        context = {
            "month": month,
            "previous_month": month_shift(month, -1),
            "next_month": month_shift(month, 1),
            "rows": plan_month_rows(user=user, month=month),
            "form": form,
            "may_approve": user.is_head,
            "may_plan": {m.pk for m in managers},
        }
        return TemplateResponse(request, self.template_name, context, status=status)

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.render(request, chosen_month(request.GET.get("month"), timezone.localdate()))


class PlanGenerateView(PlanListView):
    http_method_names = ["post"]

    def post(self, request: HttpRequest) -> HttpResponse:
        user = self.user
        form = PlanGenerateForm(request.POST, managers=plannable_for(user))
        month = chosen_month(request.POST.get("month"), timezone.localdate())
        if form.is_valid():
            data = form.cleaned_data
            target = data["target"]
            if target is None:
                target = default_target(user=user, manager=data["manager"], month=data["month"]).target
            try:
                plan = plan_generate(
                    manager=data["manager"],
                    month=data["month"],
                    target=target,
                    by=user,
                    one_off_share=data["one_off_share"],
                    active_existing_share=data["active_existing_share"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Plan version %(version)s is ready.") % {"version": plan.version})
                return redirect("plan_detail", pk=plan.pk)
        return self.render(request, month, form=form, status=400)


class PlanDetailView(PlansMixin, View):
    template_name = "planning/plans/plan_detail.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.user.is_authenticated:
            plans = plans_with_lines(Plan.objects.visible_to(user_of(request)))
            self.plan = get_object_or_404(plans, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def render(self, request: HttpRequest, form: PlanAdjustForm | None = None, status: int = 200) -> HttpResponse:
        user = self.user
        plan = self.plan
        if form is None:
            form = PlanAdjustForm(
                initial={
                    "target": plan.target,
                    "active_existing_share": plan.active_existing_share.normalize(),
                    "one_off_share": plan.one_off_share.normalize(),
                }
            )
        context = {
            "plan": plan,
            "explained": plan_explained(plan),
            "versions": plan_versions(plan=plan, user=user),
            "form": form,
            "may_approve": user.is_head,
            "now": timezone.now(),
        }
        return TemplateResponse(request, self.template_name, context, status=status)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self.render(request)


class PlanPrintView(PlanDetailView):
    template_name = "planning/plans/plan_print.html"


class PlanAdjustView(PlanDetailView):
    """The head sets T, s and the one-off share: a new version of the plan, never an edit of this one."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        form = PlanAdjustForm(request.POST)
        if form.is_valid():
            try:
                plan = plan_adjust(plan=self.plan, by=self.user, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Plan version %(version)s is ready.") % {"version": plan.version})
                return redirect("plan_detail", pk=plan.pk)
        return self.render(request, form=form, status=400)


class PlanApproveView(PlanDetailView):
    """Approve a draft. A draft whose G is negative first shows its figures and the sentence to tick (GET, or a
    POST without the tick: 400 with the field error, nothing written)."""

    http_method_names = ["get", "post"]
    template_name = "planning/plans/plan_approve.html"

    def render_confirm(self, request: HttpRequest, form: PlanApproveForm, status: int = 200) -> HttpResponse:
        if not self.user.is_head:
            raise PermissionDenied(_("Only the sales head approves plans."))
        context = {"plan": self.plan, "form": form, "explained": plan_explained(self.plan)}
        return TemplateResponse(request, self.template_name, context, status=status)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self.render_confirm(request, PlanApproveForm(plan=self.plan))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        form = PlanApproveForm(request.POST, plan=self.plan)
        if form.is_valid():
            try:
                plan_approve(plan=self.plan, by=self.user, confirm_negative_g=form.cleaned_data["confirm_negative_g"])
            except ValidationError as exc:
                if "confirm_negative_g" not in getattr(exc, "error_dict", {}):
                    messages.error(request, " ".join(exc.messages))
                    return redirect("plan_detail", pk=self.plan.pk)
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The plan is approved."))
                return redirect("plan_detail", pk=self.plan.pk)
        return self.render_confirm(request, form, status=400)
