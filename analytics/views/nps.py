"""The NPS pages: the figures (/analytics/nps/), their XLSX, typing an answer in, and the contact's public page
behind the e-mail link (outside login, like vip's confirmation link)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from analytics.forms.nps import LinkAnswerForm, TypedAnswerForm
from analytics.models import AnalyticsSettings, NpsAnswer, NpsInvitation
from analytics.rules.nps import BANDS
from analytics.selectors.nps import BAND_LABELS, NpsGroup, NpsReport, nps_report, recent_answers
from analytics.selectors.scope import clients_in_scope
from analytics.services.nps import (
    LinkExpired,
    LinkInvalid,
    answer_by_link,
    answer_type_in,
    invitation_from_token,
    survey_create,
)
from analytics.views.access import AnalyticsPageMixin
from core.charts import bar_option
from core.exports import Column, xlsx_response
from core.params import parse_date, parse_id

PAGE_CLIENTS = 200


def as_of_of(request: HttpRequest) -> Any:
    try:
        return parse_date(request.GET.get("as_of"), field="as_of") or timezone.localdate()
    except ValidationError:
        return timezone.localdate()


def chart_option(report: NpsReport) -> dict[str, Any]:
    """NPS per manager, one bar each (the table under it holds the counts)."""
    rows = [g for g in report.managers if g.nps is not None]
    option = bar_option(categories=[g.name for g in rows], values=[float(g.nps or 0) for g in rows], name="NPS")
    option["money"] = False
    option["yAxis"] = {"type": "value", "min": -100, "max": 100}
    return option


class NpsPageView(AnalyticsPageMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        as_of = as_of_of(request)
        report = nps_report(user=self.user, as_of=as_of)
        # The worst first (the ones to call), those without answers last; every client is in the XLSX.
        worst = sorted(report.clients, key=lambda g: (g.nps is None, g.nps if g.nps is not None else 0, g.name))
        context = {
            "report": report,
            "as_of": as_of,
            "page_clients": worst[:PAGE_CLIENTS],
            "clients_cut": len(worst) > PAGE_CLIENTS,
            "answers": recent_answers(user=self.user, as_of=as_of),
            "chart_option": chart_option(report),
            "bands": [(edge, BAND_LABELS[band]) for edge, band in BANDS],
            "band_negative": BAND_LABELS["negative"],
            "numbers": AnalyticsSettings.current(),
        }
        return TemplateResponse(request, "analytics/nps/page.html", context)


def _pct(value: Any) -> Any:
    return float(value) if value is not None else None


COLUMNS = [
    Column(gettext_lazy("Level"), lambda row: row[0], width=14),
    Column(gettext_lazy("Name"), lambda row: row[1].name, width=36),
    Column(gettext_lazy("Answers"), lambda row: row[1].counts.answers, width=10),
    Column(gettext_lazy("Promoters (9-10)"), lambda row: row[1].counts.promoters, width=12),
    Column(gettext_lazy("Passives (7-8)"), lambda row: row[1].counts.passives, width=12),
    Column(gettext_lazy("Detractors (0-6)"), lambda row: row[1].counts.detractors, width=12),
    Column("NPS", lambda row: _pct(row[1].nps), width=10),
    Column(gettext_lazy("Band"), lambda row: row[1].band_label, width=30),
    Column(gettext_lazy("NPS weighted by revenue"), lambda row: _pct(row[1].weighted), width=14),
    Column(gettext_lazy("Invitations sent"), lambda row: row[1].sent, width=12),
    Column(gettext_lazy("Answered"), lambda row: row[1].answered, width=12),
    Column(gettext_lazy("Response rate, %"), lambda row: _pct(row[1].response_rate), width=12),
    Column(gettext_lazy("Revenue, 12 months"), lambda row: row[1].revenue, money=True),
    Column(gettext_lazy("Revenue of the clients who answered"), lambda row: row[1].answered_revenue, money=True),
    Column(gettext_lazy("Revenue share answered, %"), lambda row: _pct(row[1].revenue_share), width=12),
]


class NpsExportView(AnalyticsPageMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        as_of = as_of_of(request)
        report = nps_report(user=self.user, as_of=as_of)
        rows: list[tuple[str, NpsGroup]] = [(_("Department"), report.total)]
        rows += [(_("Manager"), g) for g in report.managers]
        rows += [(_("Segment"), g) for g in report.segments]
        rows += [(_("Client"), g) for g in report.clients]
        return xlsx_response(filename=f"nps-{as_of:%Y-%m-%d}", title="NPS", columns=COLUMNS, rows=rows)


class NpsAnswerView(AnalyticsPageMixin, View):
    """An answer heard in the office or on the phone, typed in for one client (from the client card or the NPS page)."""

    def client(self, request: HttpRequest) -> Any:
        try:
            pk = parse_id(request.GET.get("client") or request.POST.get("client"), field="client")
        except ValidationError:
            pk = None
        return get_object_or_404(clients_in_scope(self.user), pk=pk) if pk else None

    def render(self, request: HttpRequest, client: Any, form: TypedAnswerForm, status: int = 200) -> HttpResponse:
        return TemplateResponse(
            request, "analytics/nps/answer_form.html", {"client": client, "form": form}, status=status
        )

    def get(self, request: HttpRequest) -> HttpResponse:
        client = self.client(request)
        if client is None:
            # The NPS page's search: the user's clients whose name or INN has the words, to pick one.
            query = request.GET.get("q", "").strip()[:100]
            found = []
            if query:
                found = list(
                    clients_in_scope(self.user)
                    .filter(Q(name__icontains=query) | Q(inn__startswith=query))
                    .order_by("name", "pk")
                    .values("pk", "name", "inn")[:20]
                )
            return TemplateResponse(request, "analytics/nps/answer_pick.html", {"query": query, "found": found})
        return self.render(request, client, TypedAnswerForm(client=client))

    def post(self, request: HttpRequest) -> HttpResponse:
        client = self.client(request)
        if client is None:
            return HttpResponseRedirect(reverse("analytics_nps"))
        form = TypedAnswerForm(request.POST, client=client)
        if not form.is_valid():
            return self.render(request, client, form, status=400)
        data = form.cleaned_data
        try:
            answer = answer_type_in(
                by=self.user,
                client=client,
                contact=data["contact"],
                score=data["score"],
                channel=data["channel"],
                comment=data["comment"],
                answered_on=data["answered_on"],
            )
        except ValidationError as exc:
            for name, errors in exc.message_dict.items():
                for error in errors:
                    form.add_error(name if name in form.fields else None, error)
            return self.render(request, client, form, status=400)
        text = _("The answer %(score)s of %(client)s is recorded.") % {"score": answer.score, "client": client.name}
        if answer.task_id:
            text += " " + _("A detractor: a task is on the owner's list for the next working day.")
        messages.success(request, text)
        return HttpResponseRedirect(reverse("analytics_nps"))


class NpsSurveyStartView(AnalyticsPageMixin, View):
    """Send a client's contacts the survey now (the nightly job sends them by the cadence)."""

    def post(self, request: HttpRequest) -> HttpResponse:
        try:
            pk = parse_id(request.POST.get("client"), field="client")
        except ValidationError:
            pk = None
        client = get_object_or_404(clients_in_scope(self.user), pk=pk) if pk else None
        if client is None:
            return HttpResponseRedirect(reverse("analytics_nps"))
        try:
            survey = survey_create(client=client, as_of=timezone.localdate(), by=self.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request,
                _("The survey is on its way to %(count)s contact persons of %(client)s.")
                % {"count": survey.invitations.count(), "client": client.name},
            )
        return HttpResponseRedirect(reverse("client_detail", args=[client.pk]))


class NpsPublicView(View):
    """The contact's page behind the link: GET shows the scale with the link's score chosen and records nothing (mail
    scanners open links); POST records the answer once; a second POST says it is already recorded. A tampered or
    expired link gets a page saying so (400 / 410) and changes nothing."""

    def refusal(self, request: HttpRequest, exc: Exception) -> HttpResponse:
        reason, status = ("expired", 410) if isinstance(exc, LinkExpired) else ("invalid", 400)
        return TemplateResponse(request, "analytics/nps/public_refused.html", {"reason": reason}, status=status)

    def already(self, request: HttpRequest, invitation: NpsInvitation) -> HttpResponse:
        return TemplateResponse(
            request, "analytics/nps/public_done.html", {"invitation": invitation, "already": True}, status=200
        )

    def page(self, request: HttpRequest, invitation: NpsInvitation, form: LinkAnswerForm, status: int = 200) -> Any:
        return TemplateResponse(
            request,
            "analytics/nps/public.html",
            {"invitation": invitation, "client": invitation.survey.client, "form": form, "scores": range(11)},
            status=status,
        )

    def get(self, request: HttpRequest, token: str) -> HttpResponse:
        try:
            invitation = invitation_from_token(token)
        except (LinkInvalid, LinkExpired) as exc:
            return self.refusal(request, exc)
        if NpsAnswer.objects.filter(invitation=invitation).exists():
            return self.already(request, invitation)
        raw = request.GET.get("score", "")
        score = int(raw) if raw.isdigit() and int(raw) <= 10 else None
        via = "email" if score is not None else "web"
        return self.page(request, invitation, LinkAnswerForm(initial={"score": score, "via": via}))

    def post(self, request: HttpRequest, token: str) -> HttpResponse:
        try:
            invitation = invitation_from_token(token)
        except (LinkInvalid, LinkExpired) as exc:
            return self.refusal(request, exc)
        form = LinkAnswerForm(request.POST)
        if not form.is_valid():
            return self.page(request, invitation, form, status=400)
        try:
            answer_by_link(
                invitation=invitation,
                score=form.cleaned_data["score"],
                comment=form.cleaned_data["comment"],
                channel=form.cleaned_data["via"] or NpsAnswer.Channel.WEB,
            )
        except ValidationError as exc:
            if not hasattr(exc, "error_dict"):  # "already recorded": the only error without a field
                return self.already(request, invitation)
            for name, errors in exc.message_dict.items():
                for error in errors:
                    form.add_error(name if name in form.fields else None, error)
            return self.page(request, invitation, form, status=400)
        return TemplateResponse(request, "analytics/nps/public_done.html", {"invitation": invitation})
