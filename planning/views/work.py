"""Working the plan: the week's targets and calls, the one-off funnel, Tool 1 (cross-sell) and Tool 2, and the
head's edits of the complement map and of Tool 2."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from core.access import RoleRequiredMixin
from core.http import user_of
from crm.forms.people import add_service_errors
from crm.models import User
from planning.forms.work import ComplementForm, FeaturedItemForm, ManagerMonthForm, parse_month, posted_id
from planning.models import ComplementRule, FeaturedItem
from planning.selectors.work import cross_sell_list, month_start, plan_work, tool2_groups, visible_sellers
from planning.services.tools import (
    complement_add,
    complement_remove,
    featured_item_add,
    featured_item_remove,
)


class SalesRequiredMixin(RoleRequiredMixin):
    role_check = "works_in_sales"
    role_denied = gettext_lazy("The plan pages are for the sales department.")


class HeadRequiredMixin(RoleRequiredMixin):
    role_check = "is_head"
    role_denied = gettext_lazy("Only the sales head edits this page.")


def chosen_manager(request: HttpRequest, sellers: Any) -> User | None:
    """The `manager` asked for among the sellers the user sees (404 for anyone else); a seller defaults to himself."""
    user = user_of(request)
    raw = request.GET.get("manager")
    if raw:
        if not raw.isdigit():
            raise Http404
        return get_object_or_404(sellers, pk=int(raw))
    return user if user.is_seller else None


def chosen_month(request: HttpRequest) -> Any:
    today = timezone.localdate()
    month = parse_month(request.GET.get("month"), month_start(today))
    if month is None:
        raise Http404
    return month


class PlanWorkView(SalesRequiredMixin, View):
    template_name = "planning/work/plan_work.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        user = self.user
        sellers = visible_sellers(user)
        manager = chosen_manager(request, sellers)
        today = timezone.localdate()
        context = {
            "chooser": ManagerMonthForm(request.GET or None, sellers=sellers, with_month=False),
            "manager": manager,
            "today": today,
            "work": plan_work(user=user, manager=manager, today=today) if manager else None,
        }
        return TemplateResponse(request, self.template_name, context)


class CrossSellView(SalesRequiredMixin, View):
    template_name = "planning/work/cross_sell.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        user = self.user
        sellers = visible_sellers(user)
        manager = chosen_manager(request, sellers)
        month = chosen_month(request)
        context = {
            "chooser": ManagerMonthForm(request.GET or None, sellers=sellers, initial={"month": month}),
            "manager": manager,
            "month": month,
            "tool1": cross_sell_list(user=user, manager=manager, month=month) if manager else None,
            "query": request.GET.urlencode(),
        }
        return TemplateResponse(request, self.template_name, context)


class CrossSellPrintView(CrossSellView):
    template_name = "planning/work/cross_sell_print.html"


class ComplementMapView(HeadRequiredMixin, View):
    """The head's complement map: add a pair (bad input keeps the choice), remove a pair."""

    def render(self, form: ComplementForm, status: int = 200) -> HttpResponse:
        rules = ComplementRule.objects.select_related("category", "complement").order_by(
            "category__name", "complement__name"
        )
        return TemplateResponse(
            self.request, "planning/work/complement_map.html", {"form": form, "rules": rules}, status=status
        )

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.render(ComplementForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        if "remove" in request.POST:
            rule = get_object_or_404(ComplementRule, pk=posted_id(request.POST.get("remove")))
            complement_remove(by=self.user, rule=rule)
            messages.success(request, _("The pair is removed."))
            return redirect("complement_map")
        form = ComplementForm(request.POST)
        if form.is_valid():
            try:
                complement_add(by=self.user, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The pair is added."))
                return redirect("complement_map")
        return self.render(form, status=400)


class Tool2View(SalesRequiredMixin, View):
    """Everyone in sales reads today's Tool 2; the head adds and removes items on the same page."""

    template_name = "planning/work/tool2.html"

    def render(self, form: FeaturedItemForm | None, status: int = 200) -> HttpResponse:
        today = timezone.localdate()
        context = {"groups": tool2_groups(today=today), "today": today, "form": form}
        return TemplateResponse(self.request, self.template_name, context, status=status)

    def get(self, request: HttpRequest) -> HttpResponse:
        editable = self.user.is_head
        return self.render(FeaturedItemForm(initial={"valid_from": timezone.localdate()}) if editable else None)

    def post(self, request: HttpRequest) -> HttpResponse:
        if not self.user.is_head:
            raise PermissionDenied(_("Only the sales head edits Tool 2."))
        if "remove" in request.POST:
            item = get_object_or_404(FeaturedItem, pk=request.POST.get("remove") or 0)
            featured_item_remove(by=self.user, item=item)
            messages.success(request, _("The item is removed."))
            return redirect("tool2")
        form = FeaturedItemForm(request.POST)
        if form.is_valid():
            try:
                featured_item_add(by=self.user, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The item is added."))
                return redirect("tool2")
        return self.render(form, status=400)


class Tool2PrintView(SalesRequiredMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        today = timezone.localdate()
        context = {"groups": tool2_groups(today=today), "today": today}
        return TemplateResponse(request, "planning/work/tool2_print.html", context)
