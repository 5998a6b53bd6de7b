"""The programme's pages (seed 002 steps 2-7): the list and building it from the base, personal lists, campaigns and
their staff, the call script and the call that sets the meeting, the blank questionnaire to print."""

from __future__ import annotations

from typing import ClassVar

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.db.models.functions import Length
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from core.access import RoleRequiredMixin
from crm.forms.people import add_service_errors
from crm.models import Client, ProductCategory, User
from vip.forms.programme import (
    AddByHandForm,
    AddClientsForm,
    AssignForm,
    CallScriptForm,
    CampaignForm,
    CandidateFilterForm,
    MeetingCallForm,
    StaffForm,
)
from vip.models import Campaign, ProgrammeClient, QuestionnaireTemplate, StaffAssignment
from vip.models.programme import runs_programme
from vip.rules.questionnaires import Section
from vip.selectors.programme import (
    NextStep,
    attach_winners,
    campaign_assignments,
    campaign_progress,
    campaign_rows,
    candidate_clients,
    current_campaign,
    my_list_rows,
    programme_rows,
)
from vip.services import programme as svc
from vip.services.questionnaires import current_template
from vip.views.access import QuestionnairePageMixin

PER_PAGE = 100


def private_clients(clients: QuerySet[Client]) -> QuerySet[Client]:
    """Clients added by hand are the private ones: no 10-digit (company) INN."""
    return clients.annotate(inn_len=Length("inn")).exclude(inn_len=10)


class ProgrammePageMixin(RoleRequiredMixin):
    role_denied: ClassVar = gettext_lazy("The programme's list is kept by the VIP head.")

    def allows(self, user: User) -> bool:
        return runs_programme(user)


def _fail(request: HttpRequest, exc: ValidationError | PermissionDenied) -> None:
    if isinstance(exc, PermissionDenied):
        messages.error(request, str(exc))
        return
    for text in exc.messages:
        messages.error(request, text)


class ProgrammeListView(ProgrammePageMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        user = self.user
        today = timezone.localdate()
        page = Paginator(programme_rows(user=user), PER_PAGE).get_page(request.GET.get("page"))
        rows = attach_winners(list(page.object_list))
        campaigns = Campaign.objects.visible_to(user)
        campaign = current_campaign(user=user, today=today)
        context = {
            "rows": rows,
            "page": page,
            "assign_form": AssignForm(
                entries=ProgrammeClient.objects.visible_to(user),
                campaigns=campaigns,
                initial={"campaign": campaign},
            ),
            "has_campaign": campaign is not None,
            "blank": current_template(),
        }
        return TemplateResponse(request, "vip/programme_list.html", context)


class ProgrammeAssignView(ProgrammePageMixin, View):
    def post(self, request: HttpRequest) -> HttpResponse:
        user = self.user
        form = AssignForm(
            request.POST, entries=ProgrammeClient.objects.visible_to(user), campaigns=Campaign.objects.visible_to(user)
        )
        if not form.is_valid():
            for errors in form.errors.values():
                for text in errors:
                    messages.error(request, str(text))
            return redirect("vip_programme")
        data = form.cleaned_data
        try:
            targets = svc.programme_clients_assign(
                entries=list(data["entries"].select_related("client")),
                campaign=data["campaign"],
                by=user,
                employee=data["employee"],
                split=data["split"],
                reason=data["reason"],
                note=data["note"],
            )
        except (ValidationError, PermissionDenied) as exc:
            _fail(request, exc)
        else:
            messages.success(request, _("Clients given to their employees: %(n)s.") % {"n": len(targets)})
        return redirect("vip_programme")


class ProgrammeBuildView(ProgrammePageMixin, View):
    """Candidates from the base with filters, the bulk "add to the programme", and adding a private client by hand."""

    def candidates(self, request: HttpRequest) -> tuple[CandidateFilterForm, QuerySet[Client]]:
        filters = CandidateFilterForm(request.GET or None)
        data = filters.cleaned_data if filters.is_valid() else {}
        segment = data.get("segment")
        rows = candidate_clients(
            user=self.user,
            today=timezone.localdate(),
            segment_id=segment.pk if segment else None,
            min_revenue=data.get("min_revenue"),
            corporate_only=bool(data.get("corporate")),
        )
        return filters, rows

    def context(self, request: HttpRequest, **extra: object) -> dict[str, object]:
        filters, rows = self.candidates(request)
        page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
        off_list = self.off_list()
        query = request.GET.copy()
        query.pop("page", None)
        context: dict[str, object] = {
            "filters": filters,
            "rows": list(page.object_list),
            "page": page,
            "add_form": AddClientsForm(clients=off_list),
            "hand_form": AddByHandForm(clients=private_clients(off_list)),
            "query": query.urlencode(),
        }
        context.update(extra)
        return context

    def off_list(self) -> QuerySet[Client]:
        return Client.objects.visible_to(self.user).exclude(vip_entry__isnull=False).order_by("name", "id")

    def get(self, request: HttpRequest) -> HttpResponse:
        return TemplateResponse(request, "vip/programme_build.html", self.context(request))

    def post(self, request: HttpRequest) -> HttpResponse:
        user = self.user
        off_list = self.off_list()
        if request.POST.get("by_hand"):
            hand = AddByHandForm(request.POST, clients=private_clients(off_list))
            if hand.is_valid():
                try:
                    svc.programme_client_add_by_hand(
                        client=hand.cleaned_data["client"], by=user, reason=hand.cleaned_data["reason"]
                    )
                except ValidationError as exc:
                    add_service_errors(hand, exc)
                else:
                    messages.success(request, _("The client is on the programme's list."))
                    return redirect("vip_programme")
            return TemplateResponse(
                request, "vip/programme_build.html", self.context(request, hand_form=hand), status=400
            )
        form = AddClientsForm(request.POST, clients=off_list)
        if form.is_valid():
            try:
                added = svc.programme_clients_add(
                    clients=list(form.cleaned_data["clients"]), by=user, tier=form.cleaned_data["tier"]
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Clients added to the programme: %(n)s.") % {"n": len(added)})
                return redirect("vip_programme")
        return TemplateResponse(request, "vip/programme_build.html", self.context(request, add_form=form), status=400)


class ProgrammeRemoveView(ProgrammePageMixin, View):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        entry = get_object_or_404(ProgrammeClient.objects.visible_to(self.user).select_related("client"), pk=pk)
        name = entry.client.name
        svc.programme_client_remove(entry=entry, by=self.user)
        messages.success(request, _("%(name)s is off the programme's list.") % {"name": name})
        return redirect("vip_programme")


NEXT_STEP_LABELS = {
    NextStep.SET_MEETING: gettext_lazy("Set up the meeting"),
    NextStep.MEETING_SET: gettext_lazy("Meeting set"),
    NextStep.IN_PROGRESS: gettext_lazy("Questionnaire in progress"),
    NextStep.PAUSED: gettext_lazy("Paused on a problem"),
    NextStep.DONE: gettext_lazy("Done this campaign"),
}


class MyListView(QuestionnairePageMixin, View):
    """A programme employee's personal list with each client's next step in the current campaign."""

    def get(self, request: HttpRequest) -> HttpResponse:
        user = self.user
        campaign = current_campaign(user=user, today=timezone.localdate())
        rows = my_list_rows(user=user, campaign=campaign)
        for row in rows:
            row.next_label = NEXT_STEP_LABELS[row.next_step]  # type: ignore[attr-defined]
        context = {"rows": rows, "campaign": campaign, "blank": current_template()}
        return TemplateResponse(request, "vip/my_list.html", context)


class CampaignListView(ProgrammePageMixin, View):
    def render(self, request: HttpRequest, form: CampaignForm, status: int = 200) -> HttpResponse:
        context = {"rows": list(campaign_rows(self.user)), "form": form}
        return TemplateResponse(request, "vip/campaign_list.html", context, status=status)

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.render(request, CampaignForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        form = CampaignForm(request.POST)
        if form.is_valid():
            try:
                campaign = svc.campaign_create(by=self.user, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                return redirect("vip_campaign_detail", campaign.pk)
        return self.render(request, form, status=400)


class CampaignDetailView(ProgrammePageMixin, View):
    def render(self, request: HttpRequest, pk: int, form: StaffForm, status: int = 200) -> HttpResponse:
        campaign = get_object_or_404(Campaign.objects.visible_to(self.user), pk=pk)
        context = {
            "campaign": campaign,
            "progress": campaign_progress(campaign),
            "staff": list(campaign_assignments(campaign)),
            "form": form,
        }
        return TemplateResponse(request, "vip/campaign_detail.html", context, status=status)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self.render(request, pk, StaffForm())

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        campaign = get_object_or_404(Campaign.objects.visible_to(self.user), pk=pk)
        form = StaffForm(request.POST)
        if form.is_valid():
            try:
                svc.campaign_staff_set(campaign=campaign, by=self.user, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                return redirect("vip_campaign_detail", campaign.pk)
        return self.render(request, pk, form, status=400)


class CampaignStaffRemoveView(ProgrammePageMixin, View):
    def post(self, request: HttpRequest, pk: int, assignment_id: int) -> HttpResponse:
        assignment = get_object_or_404(StaffAssignment.objects.visible_to(self.user), pk=assignment_id, campaign_id=pk)
        svc.campaign_staff_remove(assignment=assignment, by=self.user)
        return redirect("vip_campaign_detail", pk)


class CallScriptView(QuestionnairePageMixin, View):
    """Everyone in the programme reads the script; the VIP head edits it."""

    def render(self, request: HttpRequest, form: CallScriptForm | None, status: int = 200) -> HttpResponse:
        context = {"script": svc.call_script_text(), "form": form}
        return TemplateResponse(request, "vip/call_script.html", context, status=status)

    def get(self, request: HttpRequest) -> HttpResponse:
        form = CallScriptForm(initial={"text": svc.call_script_text()}) if runs_programme(self.user) else None
        return self.render(request, form)

    def post(self, request: HttpRequest) -> HttpResponse:
        if not runs_programme(self.user):
            raise PermissionDenied(_("Only the VIP head edits the call script."))
        form = CallScriptForm(request.POST)
        if form.is_valid():
            svc.call_script_set(text=form.cleaned_data["text"], by=self.user)
            messages.success(request, _("The call script is saved."))
            return redirect("vip_call_script")
        return self.render(request, form, status=400)


class MeetingCallView(QuestionnairePageMixin, View):
    """From a client of the personal list: the call script, and the call logged with the meeting as a task."""

    def entry(self, pk: int) -> ProgrammeClient:
        entries = ProgrammeClient.objects.visible_to(self.user).select_related("client", "client__owner")
        if not runs_programme(self.user):
            entries = entries.filter(assigned_to=self.user)
        return get_object_or_404(entries, pk=pk)

    def render(self, request: HttpRequest, entry: ProgrammeClient, form: MeetingCallForm, status: int = 200):
        context = {"entry": entry, "script": svc.call_script_text(), "form": form}
        return TemplateResponse(request, "vip/meeting_call.html", context, status=status)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self.render(request, self.entry(pk), MeetingCallForm())

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        entry = self.entry(pk)
        form = MeetingCallForm(request.POST)
        if form.is_valid():
            try:
                svc.meeting_call_log(entry=entry, by=self.user, **form.cleaned_data)
            except (ValidationError, PermissionDenied) as exc:
                if isinstance(exc, PermissionDenied):
                    exc = ValidationError(
                        _("The CRM does not let you log calls for this client: ask its owner or the VIP head.")
                    )
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The call is logged and the next step is in your tasks."))
                return redirect("vip_my_list")
        return self.render(request, entry, form, status=400)


class TemplatePrintView(QuestionnairePageMixin, View):
    """A blank questionnaire of a template version, on two sides of A4, for a meeting on paper."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        template = get_object_or_404(QuestionnaireTemplate.objects.all(), pk=pk)
        questions = list(template.questions.order_by("position", "id"))
        sections = [(label, [q for q in questions if q.section == code]) for code, label in Section.choices]
        # On paper, room to grow is a line per catalogue category for the client's yearly purchases of it, as the
        # questionnaire asks on screen (templates/vip/_growth.html), typed in afterwards.
        categories = list(
            ProductCategory.objects.filter(is_active=True).order_by("name").values_list("name", flat=True)
        )
        sections = [s for s in sections if s[1] or s[0] == Section.GROWTH.label]
        context = {"template": template, "sections": sections, "categories": categories, "growth": Section.GROWTH.label}
        return TemplateResponse(request, "vip/template_print.html", context)
