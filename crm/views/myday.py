"""My day, the sellers' home page: tasks due, clients to call, deals to fix; logging a call with its next task."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from core.calendar import next_working_day
from core.exports import Column, xlsx_response
from core.http import AuthedHttpRequest, user_of
from core.panels import MY_DAY, panels_for
from core.params import or_none, parse_id
from crm.forms.clients import CallLogForm
from crm.forms.people import add_service_errors
from crm.models import Activity, Client, Deal, DepartmentSettings, User
from crm.models.validators import format_phone
from crm.selectors.calendar import work_calendar
from crm.selectors.clients import OwnerFigures, calls_due, my_day
from crm.selectors.hunting import cold_call_widget
from crm.selectors.reassignments import near_rule_clients, near_rule_rows
from crm.services.activities import activity_complete, call_log_with_next_task
from crm.services.stock import may_request_for

ROWS = 30


NEAR_RULE_ROWS = 10


def near_rule_widget(user: User, today: date) -> dict[str, Any]:
    """The first clients near the 3-month rule and how many there are (the page lists them all, paged)."""
    rows = near_rule_rows(user, today)
    return {"near_rule": near_rule_clients(rows[:NEAR_RULE_ROWS]), "near_rule_count": len(rows)}


def my_day_context(request: HttpRequest, now: datetime, figures: OwnerFigures | None = None) -> dict[str, Any]:
    """What the home page shows a sales manager or a team lead (the team lead sees the team's work)."""
    user = user_of(request)
    regular_only = request.GET.get("calls") == "regular"
    day = my_day(user=user, now=now, rows=ROWS, regular_only=regular_only, figures=figures)
    context: dict[str, Any] = {
        "kind": "my_day",
        "day": day,
        "regular_only": regular_only,
        "regular_min_months": DepartmentSettings.current().regular_min_months,
        "show_owner": user.is_team_lead,
        "next_url": request.get_full_path(),
        "cold_calls": cold_call_widget(User.objects.visible_to(user).sellers(), timezone.localdate(now)),
        **near_rule_widget(user, timezone.localdate(now)),
        "panels": panels_for(MY_DAY, user=user, today=timezone.localdate(now)),
    }
    return context


def safe_next(request: HttpRequest, fallback: str) -> str:
    """The `next` parameter if it points into this site, else `fallback`."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return fallback


def default_next_due(now: datetime) -> datetime:
    """The next working day at 10:00 local time: the usual moment to call back."""
    return timezone.make_aware(
        datetime.combine(next_working_day(timezone.localdate(now), work_calendar()), time(10, 0))
    )


class CallLogView(LoginRequiredMixin, View):
    """Log a call on a client (optionally on one of its deals) and plan the next task; htmx gets the bare form."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if request.user.is_authenticated:
            user = user_of(request)
            self.client_obj = get_object_or_404(Client.objects.visible_to(user), pk=kwargs["pk"])
            self.deals = Deal.objects.visible_to(user).open().filter(client=self.client_obj)
            self.task = self.task_of(request, user)
        return super().dispatch(request, *args, **kwargs)

    def task_of(self, request: HttpRequest, user: User) -> Activity | None:
        """`?task=<id>`: the planned task of this client the call is made for (done when the call is saved)."""
        if "task" not in request.GET:
            return None
        pk = or_none(parse_id, request.GET.get("task"))
        planned = Activity.objects.visible_to(user).planned().filter(client=self.client_obj)
        if pk is None:
            raise Http404(_("No such task."))
        return get_object_or_404(planned, pk=pk)

    def make_form(self, data: Any = None) -> CallLogForm:
        task_deal = self.task.deal_id if self.task is not None else None
        initial = {
            "next_due_at": timezone.localtime(default_next_due(timezone.now())),
            "next_subject": _("Call back"),
            "deal": self.request.GET.get("deal") or task_deal,
        }
        asks_stock = may_request_for(user_of(self.request), self.client_obj)
        return CallLogForm(data, deals=self.deals, asks_stock=asks_stock, initial=initial)

    def render(self, form: CallLogForm, status: int = 200) -> HttpResponse:
        template = "crm/myday/_call_form.html" if self.request.htmx else "crm/myday/call_log.html"  # type: ignore[attr-defined]
        context = {
            "form": form,
            "client": self.client_obj,
            "task": self.task,
            "action": self.request.get_full_path(),
            "next_url": safe_next(self.request, reverse("home")),
        }
        return TemplateResponse(self.request, template, context, status=status)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self.render(self.make_form())

    def post(self, request: AuthedHttpRequest, pk: int) -> HttpResponse:
        form = self.make_form(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                call_log_with_next_task(
                    by=request.user,
                    client=self.client_obj,
                    deal=data["deal"],
                    direction=data["direction"],
                    call_result=data["call_result"],
                    duration_minutes=data["duration_minutes"],
                    note=data["note"],
                    next_subject=data["next_subject"],
                    next_due_at=data["next_due_at"],
                    now=timezone.now(),
                    task=self.task,
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            except PermissionDenied as exc:
                form.add_error(None, str(exc) or _("You may not work with this client."))
            else:
                if self.task is not None:
                    messages.success(request, _("The call is logged, the task is done and the next one is planned."))
                else:
                    messages.success(request, _("The call is logged and the next task is planned."))
                target = safe_next(request, reverse("home"))
                if data.get("ask_stock"):
                    stock_form = reverse("stock_request_create", args=[self.client_obj.pk])
                    target = f"{stock_form}?{urlencode({'next': target})}"
                if request.htmx:  # type: ignore[attr-defined]
                    return HttpResponse(status=204, headers={"HX-Redirect": target})
                return redirect(target)
        return self.render(form, status=400)


class ActivityCompleteView(LoginRequiredMixin, View):
    """Tick a planned task, call or meeting as done."""

    http_method_names = ["post"]

    def post(self, request: AuthedHttpRequest, pk: int) -> HttpResponse:
        activity = get_object_or_404(Activity.objects.visible_to(request.user).planned(), pk=pk)
        try:
            activity_complete(activity=activity, by=request.user, done_at=timezone.now())
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
        else:
            messages.success(request, _("Done: %(subject)s") % {"subject": activity.subject})
        return redirect(safe_next(request, reverse("home")))


CALLS_COLUMNS = [
    Column(gettext_lazy("Client"), lambda c: c.name, width=40),
    Column(gettext_lazy("INN"), lambda c: c.inn, width=14),
    Column(gettext_lazy("Phone"), lambda c: format_phone(c.phone), width=16),
    Column(gettext_lazy("Manager"), lambda c: str(c.owner) if c.owner else "", width=24),
    Column(gettext_lazy("Status"), lambda c: c.get_status_display()),
    Column(gettext_lazy("Months bought of the last 4"), lambda c: c.months_bought, width=12),
    Column(gettext_lazy("Last contact"), lambda c: c.last_contact),
    Column(gettext_lazy("Last purchase"), lambda c: c.last_purchase),
    Column(gettext_lazy("Turnover, 12 months"), lambda c: c.turnover_12m, money=True),
]


class CallsExportView(LoginRequiredMixin, View):
    """The clients to call, as My day lists them, in Excel."""

    def get(self, request: AuthedHttpRequest) -> HttpResponse:
        user = request.user
        if not user.is_seller:
            raise PermissionDenied(_("The list of calls is for sales managers and team leads."))
        rows = calls_due(user=user, today=timezone.localdate(), regular_only=request.GET.get("calls") == "regular")
        return xlsx_response(filename="calls", title=_("Calls"), columns=CALLS_COLUMNS, rows=rows)
