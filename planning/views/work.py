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
from core.params import or_none, parse_id, parse_month
from crm.forms.people import add_service_errors
from crm.models import User
from planning.forms.work import (
    ComplementForm,
    FeaturedItemForm,
    ManagerMonthForm,
    Tool2ItemForm,
    posted_id,
)
from planning.models import ComplementRule, FeaturedItem, Tool2Item
from planning.selectors.work import (
    cross_sell_list,
    featured_valid,
    month_start,
    plan_work,
    tool2_groups,
    tool2_list,
    visible_sellers,
)
from planning.services.tools import (
    complement_add,
    complement_remove,
    featured_item_add,
    featured_item_remove,
    tool2_item_add,
    tool2_item_remove,
    tool2_strike,
    tool2_unstrike,
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
    if request.GET.get("manager"):
        return get_object_or_404(sellers, pk=page_id(request.GET.get("manager")))
    return user if user.is_seller else None


def page_id(value: str | None) -> int:
    """An id from the query string; 0 (found by nothing, so 404) when it is not one."""
    return or_none(parse_id, value) or 0


def chosen_month(request: HttpRequest) -> Any:
    """The `month` asked for, this month when it is missing; malformed or outside the sane years: not found."""
    try:
        return parse_month(request.GET.get("month")) or month_start(timezone.localdate())
    except ValidationError:
        raise Http404 from None


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
    """Tool 2. A seller keeps his own list: the head's items less those he struck out, plus his own lines. A team
    lead reads his team's lists, the head anyone's (`?manager=`), read-only; without a manager the head edits the
    department-wide items that start every list."""

    template_name = "planning/work/tool2.html"

    def render(
        self, *, head_form: FeaturedItemForm | None = None, own_form: Tool2ItemForm | None = None, status: int = 200
    ) -> HttpResponse:
        user = self.user
        today = timezone.localdate()
        sellers = visible_sellers(user)
        manager = chosen_manager(self.request, sellers)
        context: dict[str, Any] = {
            "chooser": ManagerMonthForm(self.request.GET or None, sellers=sellers, with_month=False),
            "manager": manager,
            "today": today,
            "query": self.request.GET.urlencode(),
        }
        if manager is None:
            context.update(groups=tool2_groups(today=today), form=head_form or self.head_form())
        else:
            editable = manager.pk == user.pk
            context.update(
                tool2=tool2_list(user=user, manager=manager, today=today),
                editable=editable,
                own_form=(own_form or Tool2ItemForm()) if editable else None,
            )
        return TemplateResponse(self.request, self.template_name, context, status=status)

    def head_form(self) -> FeaturedItemForm | None:
        return FeaturedItemForm(initial={"valid_from": timezone.localdate()}) if self.user.is_head else None

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.render()

    def post(self, request: HttpRequest) -> HttpResponse:
        if self.user.is_head:
            return self.post_department(request)
        if self.user.is_seller:
            return self.post_own(request)
        raise PermissionDenied(_("Only the sales head edits Tool 2."))

    def post_department(self, request: HttpRequest) -> HttpResponse:
        if "remove" in request.POST:
            item = get_object_or_404(FeaturedItem, pk=posted_id(request.POST.get("remove")))
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
        return self.render(head_form=form, status=400)

    def post_own(self, request: HttpRequest) -> HttpResponse:
        """The seller's own list: `strike` or `unstrike` one of the head's items, `remove` his own line, or add one."""
        user, today = self.user, timezone.localdate()
        if "strike" in request.POST or "unstrike" in request.POST:
            striking = "strike" in request.POST
            raw = request.POST.get("strike" if striking else "unstrike")
            featured = get_object_or_404(featured_valid(today=today), pk=posted_id(raw))
            if striking:
                tool2_strike(by=user, item=featured)
                messages.success(request, _("The item is struck out of your list."))
            else:
                tool2_unstrike(by=user, item=featured)
                messages.success(request, _("The item is back on your list."))
            return redirect("tool2")
        if "remove" in request.POST:
            item = get_object_or_404(Tool2Item.objects.visible_to(user), pk=posted_id(request.POST.get("remove")))
            tool2_item_remove(by=user, item=item)
            messages.success(request, _("The item is removed."))
            return redirect("tool2")
        form = Tool2ItemForm(request.POST)
        if form.is_valid():
            try:
                tool2_item_add(by=user, today=today, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The item is added to your list."))
                return redirect("tool2")
        return self.render(own_form=form, status=400)


class Tool2PrintView(SalesRequiredMixin, View):
    """One A4 page: the chosen manager's own list (a seller's by default), else the department-wide items."""

    def get(self, request: HttpRequest) -> HttpResponse:
        user = self.user
        today = timezone.localdate()
        manager = chosen_manager(request, visible_sellers(user))
        context: dict[str, Any] = {"today": today, "manager": manager}
        if manager is None:
            context["groups"] = tool2_groups(today=today)
        else:
            context["tool2"] = tool2_list(user=user, manager=manager, today=today)
        return TemplateResponse(request, "planning/work/tool2_print.html", context)
