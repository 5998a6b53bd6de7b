"""The problem register: the list with filters, a problem with its history and the actions of each role, and the
client's confirmation page (no login; opening it records nothing)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from core.http import user_of
from crm.forms.people import add_service_errors
from vip.forms.problems import CallConfirmForm, ClientAnswerForm, ProblemFilterForm
from vip.models import Problem, ProblemEvent, VipNotification
from vip.selectors.problems import problem_rows, unread_notices
from vip.services.problems import may_follow_up, may_service, problem_confirm, problem_fixed, problem_take
from vip.services.tokens import LinkExpired, LinkInvalid, LinkUsed, problem_from_token
from vip.views.access import RegisterPageMixin

PER_PAGE = 100


class ProblemListView(RegisterPageMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        form = ProblemFilterForm(request.GET or None)
        filters = form.cleaned_data if form.is_valid() else {"status": "", "client": ""}
        rows = list(problem_rows(user=self.user, status=filters["status"], client=filters["client"])[:PER_PAGE])
        context = {"rows": rows, "filters": form, "notices": unread_notices(self.user)}
        return TemplateResponse(request, "vip/problem_list.html", context)


def visible_problem(request: HttpRequest, pk: int) -> Problem:
    queryset = Problem.objects.visible_to(user_of(request)).select_related("client", "employee", "questionnaire")
    return get_object_or_404(queryset, pk=pk)


class ProblemDetailView(RegisterPageMixin, View):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        problem = visible_problem(request, pk)
        VipNotification.objects.filter(problem=problem, user=self.user, read_at__isnull=True).update(
            read_at=timezone.now()
        )
        return TemplateResponse(request, "vip/problem_detail.html", self.context(problem))

    def context(self, problem: Problem, form: CallConfirmForm | None = None) -> dict[str, object]:
        user = self.user
        return {
            "problem": problem,
            "events": problem.events.select_related("by"),
            "may_take": may_service(user) and problem.status == Problem.Status.OPEN,
            "may_fix": may_service(user) and problem.status in (Problem.Status.OPEN, Problem.Status.IN_WORK),
            "may_confirm": may_follow_up(problem, user) and problem.status == Problem.Status.FIXED,
            "confirm_form": form or CallConfirmForm(),
            "sees_questionnaire": problem.questionnaire_id is not None and user.role != "service",
        }


class ProblemActionView(ProblemDetailView):
    """POST take / fixed (service) and confirm (the employee records the client's answer from the call)."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int, action: str) -> HttpResponse:
        problem = visible_problem(request, pk)
        note = request.POST.get("note", "")[:2000]
        try:
            if action == "take":
                problem_take(problem=problem, by=self.user, note=note)
                messages.success(request, _("The problem is in work."))
            elif action == "fixed":
                problem_fixed(problem=problem, by=self.user, note=note)
                messages.success(request, _("Marked fixed; the employee will ask the client to confirm."))
            elif action == "confirm":
                form = CallConfirmForm(request.POST)
                if not form.is_valid():
                    return TemplateResponse(request, "vip/problem_detail.html", self.context(problem, form), status=400)
                try:
                    problem_confirm(
                        problem=problem,
                        ok=form.cleaned_data["answer"] == "ok",
                        words=form.cleaned_data["words"],
                        by=self.user,
                        channel=ProblemEvent.Channel.CALL,
                    )
                except ValidationError as exc:
                    add_service_errors(form, exc)
                    return TemplateResponse(request, "vip/problem_detail.html", self.context(problem, form), status=400)
                messages.success(request, _("The client's answer is recorded."))
            else:
                raise Http404
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        except PermissionDenied as exc:
            raise PermissionDenied(str(exc)) from exc
        return redirect("vip_problem_detail", problem.pk)


class ConfirmLinkView(View):
    """The client's page behind the e-mail link: GET shows the problem and two buttons and records nothing (mail
    scanners open links); POST records the answer once. A bad, expired or used link gets a page saying so."""

    def refusal(self, request: HttpRequest, exc: Exception) -> HttpResponse:
        if isinstance(exc, LinkExpired):
            reason, status = "expired", 410
        elif isinstance(exc, LinkUsed):
            reason, status = "used", 410
        else:
            reason, status = "invalid", 400
        return TemplateResponse(request, "vip/confirm_refused.html", {"reason": reason}, status=status)

    def get(self, request: HttpRequest, token: str) -> HttpResponse:
        try:
            problem = problem_from_token(token)
        except (LinkInvalid, LinkExpired, LinkUsed) as exc:
            return self.refusal(request, exc)
        return TemplateResponse(request, "vip/confirm.html", {"problem": problem, "form": ClientAnswerForm()})

    def post(self, request: HttpRequest, token: str) -> HttpResponse:
        try:
            problem = problem_from_token(token)
        except (LinkInvalid, LinkExpired, LinkUsed) as exc:
            return self.refusal(request, exc)
        form = ClientAnswerForm(request.POST)
        if not form.is_valid():
            return TemplateResponse(request, "vip/confirm.html", {"problem": problem, "form": form}, status=400)
        try:
            problem_confirm(
                problem=problem,
                ok=form.cleaned_data["answer"] == "ok",
                words=form.cleaned_data["words"],
                by=None,
                channel=ProblemEvent.Channel.LINK,
            )
        except ValidationError:
            return self.refusal(request, LinkUsed(problem))
        return TemplateResponse(
            request, "vip/confirm_done.html", {"ok": form.cleaned_data["answer"] == "ok", "problem": problem}
        )
