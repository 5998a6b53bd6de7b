"""Prospect lists in the browser (the user's lists, one list with its check, its print in two copies) and the
sources report."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views import View

from core.access import RoleRequiredMixin
from core.exports import Column, xlsx_response
from core.http import user_of
from crm.forms.people import add_service_errors
from crm.forms.prospects import ProspectEntryForm, ProspectFileForm, ProspectListForm
from crm.models import Client, Deal, DepartmentSettings, ProspectEntry, ProspectList, User
from crm.models.validators import format_phone
from crm.selectors.prospects import (
    list_entries,
    list_owner_choices,
    list_progress,
    prospect_lists_with_progress,
    sources_report,
    sources_totals,
)
from crm.services.prospects import (
    ensure_may_build,
    may_build_for,
    may_claim_for,
    prospect_add_warm,
    prospect_claim,
    prospect_entries_import,
    prospect_entry_add,
    prospect_list_create,
    prospect_list_recheck,
)


class ProspectsMixin(RoleRequiredMixin):
    """Prospect lists are for sellers, the base manager and the head; other roles get 403, not an empty page."""

    role_check = "works_prospects"
    role_denied = gettext_lazy("Your role does not work with prospect lists.")


def visible_list(request: HttpRequest, pk: int) -> ProspectList:
    """The list if the user may see it; 404 otherwise (never 403 for someone else's list)."""
    lists = ProspectList.objects.visible_to(user_of(request)).select_related("owner", "created_by")
    return get_object_or_404(lists, pk=pk)


SOURCE_LABELS = dict(Client.Source.choices)
DETAIL_LABELS = dict(Client.SourceDetail.choices)


def labelled(entries: Any) -> list[ProspectEntry]:
    """The entries with their source and source detail as words (the entry stores codes, like the client)."""
    rows = list(entries)
    for entry in rows:
        entry.source_label = SOURCE_LABELS.get(entry.source, "")
        entry.detail_label = DETAIL_LABELS.get(entry.source_detail, "")
    return rows


class ProspectListIndexView(ProspectsMixin, View):
    template_name = "crm/prospects/prospect_list_index.html"

    def render(self, request: HttpRequest, form: ProspectListForm, status: int = 200) -> HttpResponse:
        user = self.user
        lists = prospect_lists_with_progress(ProspectList.objects.visible_to(user)).order_by("-created_at", "-id")
        context = {
            "lists": lists,
            "form": form,
            "target": DepartmentSettings.current().prospect_list_size,
            "chooses_owner": not user.is_seller or user.is_team_lead,
        }
        return TemplateResponse(request, self.template_name, context, status=status)

    def form(self, request: HttpRequest, data: Any = None) -> ProspectListForm:
        return ProspectListForm(data, owners=list_owner_choices(self.user))

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.render(request, self.form(request))

    def post(self, request: HttpRequest) -> HttpResponse:
        form = self.form(request, request.POST)
        if form.is_valid():
            try:
                created = prospect_list_create(
                    by=self.user,
                    owner=form.cleaned_data["owner"],
                    name=form.cleaned_data["name"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The prospect list is created."))
                return redirect("prospect_list_detail", pk=created.pk)
        return self.render(request, form, status=400)


class ProspectListDetailView(ProspectsMixin, View):
    template_name = "crm/prospects/prospect_list_detail.html"

    def context(self, request: HttpRequest, prospect_list: ProspectList, **forms: Any) -> dict[str, Any]:
        user = self.user
        return {
            "plist": prospect_list,
            "entries": labelled(list_entries(prospect_list)),
            "progress": list_progress(prospect_list),
            "may_build": may_build_for(user, prospect_list.owner),
            "may_claim": may_claim_for(user, prospect_list.owner),
            "entry_form": forms.get("entry_form") or ProspectEntryForm(),
            "file_form": forms.get("file_form") or ProspectFileForm(),
            "file_errors": forms.get("file_errors") or [],
            "now": timezone.now(),
        }

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        prospect_list = visible_list(request, pk)
        return TemplateResponse(request, self.template_name, self.context(request, prospect_list))


class ProspectListPrintView(ProspectListDetailView):
    """The list twice on A4, a page break between: one copy for the manager, one for the head."""

    template_name = "crm/prospects/prospect_list_print.html"

    def context(self, request: HttpRequest, prospect_list: ProspectList, **forms: Any) -> dict[str, Any]:
        context = super().context(request, prospect_list)
        context["copies"] = [_("Manager's copy"), _("Sales head's copy")]
        return context


class ProspectListExportView(ProspectsMixin, View):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        prospect_list = visible_list(request, pk)
        columns = [
            Column(gettext_lazy("Company"), lambda e: e.name, width=40),
            Column(gettext_lazy("INN"), lambda e: e.inn, width=14),
            Column(gettext_lazy("Phone"), lambda e: format_phone(e.phone), width=16),
            Column(gettext_lazy("E-mail"), lambda e: e.email, width=24),
            Column(gettext_lazy("Address"), lambda e: e.address, width=40),
            Column(gettext_lazy("Source"), lambda e: SOURCE_LABELS.get(e.source, "")),
            Column(gettext_lazy("Where found"), lambda e: DETAIL_LABELS.get(e.source_detail, "")),
            Column(gettext_lazy("Check"), lambda e: e.get_check_result_display(), width=24),
            Column(gettext_lazy("Worked by"), lambda e: str(e.worked_by) if e.worked_by else "", width=24),
        ]
        return xlsx_response(
            filename=f"prospects-{prospect_list.pk}",
            title=str(prospect_list.name),
            columns=columns,
            rows=list_entries(prospect_list).iterator(chunk_size=2000),
        )


class ListActionView(ProspectListDetailView):
    """A POST on a list; on bad input the list page comes back with the errors and what was typed."""

    http_method_names = ["post"]

    def invalid(self, request: HttpRequest, prospect_list: ProspectList, **forms: Any) -> HttpResponse:
        context = self.context(request, prospect_list, **forms)
        return TemplateResponse(request, self.template_name, context, status=400)


class ProspectEntryAddView(ListActionView):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        prospect_list = visible_list(request, pk)
        ensure_may_build(self.user, prospect_list)
        form = ProspectEntryForm(request.POST)
        if form.is_valid():
            try:
                entry = prospect_entry_add(prospect_list=prospect_list, by=self.user, data=form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                if entry.check_result == ProspectEntry.Check.TAKEN:
                    messages.warning(
                        request,
                        _("%(name)s is worked by %(manager)s: struck off the list.")
                        % {"name": entry.name, "manager": entry.worked_by},
                    )
                else:
                    messages.success(request, _("%(name)s is added to the list.") % {"name": entry.name})
                return redirect("prospect_list_detail", pk=prospect_list.pk)
        return self.invalid(request, prospect_list, entry_form=form)


class ProspectListImportView(ListActionView):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        prospect_list = visible_list(request, pk)
        ensure_may_build(self.user, prospect_list)
        form = ProspectFileForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                result = prospect_entries_import(
                    prospect_list=prospect_list,
                    by=self.user,
                    file=form.cleaned_data["file"],
                    strict=form.cleaned_data["strict"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                if result.added:
                    messages.success(
                        request,
                        ngettext("%(count)s company is added.", "%(count)s companies are added.", result.added)
                        % {"count": result.added},
                    )
                if not result.errors:
                    return redirect("prospect_list_detail", pk=prospect_list.pk)
                if not result.added:
                    form.add_error(None, _("Nothing is added: correct the rows below and upload the file again."))
                return self.invalid(request, prospect_list, file_form=form, file_errors=result.errors)
        return self.invalid(request, prospect_list, file_form=form)


class ProspectListWarmView(ListActionView):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        prospect_list = visible_list(request, pk)
        added = prospect_add_warm(prospect_list=prospect_list, by=self.user, today=timezone.localdate())
        messages.success(
            request,
            ngettext(
                "%(count)s company from the warm base is added.",
                "%(count)s companies from the warm base are added.",
                added,
            )
            % {"count": added},
        )
        return redirect("prospect_list_detail", pk=prospect_list.pk)


class ProspectListCheckView(ListActionView):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        prospect_list = visible_list(request, pk)
        counts = prospect_list_recheck(prospect_list=prospect_list, by=self.user)
        messages.success(
            request,
            _("The list is checked against the base: %(taken)s worked by other managers, %(dup)s repeated.")
            % {"taken": counts["taken"], "dup": counts["duplicate"]},
        )
        return redirect("prospect_list_detail", pk=prospect_list.pk)


class ProspectEntryClaimView(ProspectsMixin, View):
    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        entries = ProspectEntry.objects.visible_to(self.user)
        entry = get_object_or_404(entries, pk=pk)
        try:
            client = prospect_claim(entry=entry, by=self.user, today=timezone.localdate())
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("%(name)s is now the manager's client.") % {"name": client.name})
        return redirect("prospect_list_detail", pk=entry.prospect_list_id)


# --- the sources report ---------------------------------------------------------------------------------------------


class SourcesMixin(RoleRequiredMixin):
    role_check = "reviews_team"
    role_denied = gettext_lazy("The sources report is for the sales head and team leads.")


def report_rows(user: User) -> list[Any]:
    return sources_report(clients=Client.objects.visible_to(user), deals=Deal.objects.visible_to(user))


class SourcesReportView(SourcesMixin, View):
    template_name = "crm/prospects/sources_report.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        rows = report_rows(self.user)
        context = {"rows": rows, "totals": sources_totals(rows), "now": timezone.now()}
        return TemplateResponse(request, self.template_name, context)


class SourcesReportExportView(SourcesMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        columns = [
            Column(gettext_lazy("Source"), lambda r: r.source_label, width=16),
            Column(gettext_lazy("Where found"), lambda r: r.detail_label, width=28),
            Column(gettext_lazy("Clients"), lambda r: r.clients, width=10),
            Column(gettext_lazy("Clients with purchases"), lambda r: r.buyers, width=14),
            Column(gettext_lazy("Won deals"), lambda r: r.won_deals, width=12),
            Column(gettext_lazy("Won deals, ₽"), lambda r: r.won_amount, money=True),
        ]
        return xlsx_response(
            filename="sources",
            title=_("Sources"),
            columns=columns,
            rows=report_rows(self.user),
        )
