"""The long list page (DOMAIN.md section 3, new-client hunting): the month's calls, the short list, Excel and print."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from core.access import RoleRequiredMixin
from core.calendar import month_start
from core.concurrency import StaleVersion, editing_version
from core.exports import Column, xlsx_response
from core.http import user_of
from core.params import or_none, parse_month
from crm.forms.concurrency import REVISION, mark_stale
from crm.forms.hunting import LongListEntryForm
from crm.forms.people import add_service_errors
from crm.models import DepartmentSettings, LongList, LongListEntry, User
from crm.models.validators import format_phone
from crm.selectors.hunting import entry_rows, long_list_page
from crm.services.hunting import long_list_draft, long_list_entry_update


class HuntingMixin(RoleRequiredMixin):
    role_check = "works_in_sales"
    role_denied = gettext_lazy("Long lists are for sales managers and the sales head.")


class LongListQuery:
    """Whose list and which month the request asks for: a manager sees his own; a team lead and the head choose."""

    def __init__(self, request: HttpRequest) -> None:
        self.user = user_of(request)
        self.now = timezone.now()
        self.today = timezone.localdate(self.now)
        self.month = or_none(parse_month, request.GET.get("month")) or month_start(self.today)
        self.managers = list(User.objects.visible_to(self.user).sellers().order_by("last_name", "first_name"))
        chosen = request.GET.get("manager")
        by_id = {str(m.pk): m for m in self.managers}
        if self.user.is_seller and not chosen:
            chosen = str(self.user.pk)
        self.manager: User | None = by_id.get(chosen or "") or (self.managers[0] if self.managers else None)

    @property
    def choose_manager(self) -> bool:
        return len(self.managers) > 1

    @cached_property
    def long_list(self) -> LongList | None:
        if self.manager is None:
            return None
        lists = LongList.objects.visible_to(self.user).select_related("owner")
        return lists.filter(owner=self.manager, month=self.month).first()

    def querystring(self) -> str:
        parts = [f"month={self.month:%Y-%m}"]
        if self.manager is not None:
            parts.append(f"manager={self.manager.pk}")
        return "&".join(parts)


class LongListView(HuntingMixin, TemplateView):
    template_name = "crm/hunting/long_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        query = LongListQuery(self.request)
        settings = DepartmentSettings.current()
        page = (
            long_list_page(long_list=query.long_list, today=query.today, settings=settings) if query.long_list else None
        )
        context.update(
            query=query,
            page=page,
            settings=settings,
            now=query.now,
            may_draft=query.user.is_head and query.manager is not None and query.long_list is None,
        )
        return context


class LongListPrintView(LongListView):
    template_name = "crm/hunting/long_list_print.html"


def long_list_columns() -> list[Column]:
    return [
        Column(gettext_lazy("No."), lambda e: e.rank, width=6),
        Column(gettext_lazy("Client"), lambda e: e.client.name, width=40),
        Column(gettext_lazy("INN"), lambda e: e.client.inn, width=14),
        Column(gettext_lazy("Phone"), lambda e: format_phone(e.client.phone), width=16),
        Column(gettext_lazy("Why on the list"), lambda e: e.get_reason_display(), width=28),
        Column(gettext_lazy("Turnover of the past 2 years"), lambda e: e.past_turnover, money=True),
        Column(gettext_lazy("Called"), lambda e: e.first_call_at),
        Column(
            gettext_lazy("Interest"),
            lambda e: {True: _("yes"), False: _("no")}.get(e.interested, ""),
            width=10,
        ),
        Column(gettext_lazy("Short list"), lambda e: _("yes") if e.short_listed else "", width=10),
        Column(gettext_lazy("Monthly potential"), lambda e: e.potential_monthly, money=True),
        Column(gettext_lazy("Not worth the time"), lambda e: _("yes") if e.not_worth else "", width=10),
        Column(gettext_lazy("Needs"), lambda e: e.needs, width=30),
        Column(gettext_lazy("Why they did not buy"), lambda e: e.reasons_not_bought, width=30),
        Column(gettext_lazy("Objections and how they were solved"), lambda e: e.objections, width=30),
    ]


class LongListExportView(HuntingMixin, View):
    """The list the page shows (this manager, this month) as XLSX."""

    def get(self, request: HttpRequest) -> HttpResponse:
        query = LongListQuery(request)
        rows = entry_rows(query.long_list) if query.long_list else LongListEntry.objects.none()
        owner = query.manager.username if query.manager else "none"
        return xlsx_response(
            filename=f"long-list-{owner}-{query.month:%Y-%m}",
            title=_("Long list"),
            columns=long_list_columns(),
            rows=rows,
        )


class LongListDraftView(HuntingMixin, View):
    """The head drafts a manager's list now (a manager who joined after the 1st)."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest) -> HttpResponse:
        query = LongListQuery(request)
        if query.manager is None:
            raise PermissionDenied(_("Choose a manager."))
        try:
            long_list_draft(manager=query.manager, month=query.month, by=query.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The long list is drafted."))
        return redirect(f"{reverse('long_list')}?{query.querystring()}")


class LongListEntryView(HuntingMixin, View):
    """The outcome of the call: interest, the short list with needs and objections, the monthly potential."""

    template_name = "crm/hunting/entry_form.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.user.is_authenticated:
            visible = LongListEntry.objects.filter(long_list__in=LongList.objects.visible_to(user_of(request)))
            self.entry = get_object_or_404(visible.select_related("client", "long_list__owner"), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def back_url(self) -> str:
        long_list = self.entry.long_list
        return f"{reverse('long_list')}?month={long_list.month:%Y-%m}&manager={long_list.owner_id}"

    def render(self, form: LongListEntryForm, status: int = 200) -> HttpResponse:
        context = {
            "form": form,
            "entry": self.entry,
            "back_url": self.back_url(),
            "threshold": (settings := DepartmentSettings.current()).potential_threshold,
            "yearly_threshold": settings.potential_yearly_threshold,
        }
        return TemplateResponse(self.request, self.template_name, context, status=status)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self.render(LongListEntryForm(initial=LongListEntryForm.initial_for(self.entry)))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        form = LongListEntryForm(request.POST)
        if form.is_valid():
            data = dict(form.cleaned_data)
            revision = data.pop(REVISION, None)
            try:
                with editing_version(revision):
                    long_list_entry_update(entry=self.entry, by=self.user, data=data)
            except StaleVersion as exc:
                mark_stale(form, exc.current)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Saved: %(client)s") % {"client": self.entry.client.name})
                return redirect(self.back_url())
        return self.render(form, status=400)
