"""The questionnaire pages: my questionnaires, a new one, the questionnaire filled in the meeting (each answer saved
as typed, through htmx), its pause on a quality problem and its resumption."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from core.http import user_of
from crm.forms.people import add_service_errors
from vip.forms.after import OfferForm, ReferralForm
from vip.forms.problems import ProblemDetailsForm
from vip.forms.questionnaires import QuestionnaireCreateForm, ResumeForm
from vip.models import Campaign, Problem, Question, Questionnaire
from vip.models.programme import runs_programme
from vip.selectors.after import (
    offer_items,
    offer_prefill,
    questionnaire_offers,
    questionnaire_referrals,
    tool2_suggestions,
)
from vip.selectors.questionnaires import questionnaire_rows, questionnaire_sections, startable_clients
from vip.selectors.wallet import growth_block
from vip.services.problems import may_follow_up, problem_details_set
from vip.services.questionnaires import (
    current_template,
    may_fill,
    questionnaire_answer,
    questionnaire_complete,
    questionnaire_create,
    questionnaire_resume,
)
from vip.services.templates import template_standard_create
from vip.views.access import QuestionnairePageMixin
from vip.views.contacts_block import contacts_context

PER_PAGE = 50


class QuestionnaireListView(QuestionnairePageMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        user = self.user
        status = request.GET.get("status", "")
        rows = list(questionnaire_rows(user=user, status=status)[:PER_PAGE])
        context = {
            "rows": rows,
            "status": status,
            "statuses": Questionnaire.Status.choices,
            "may_start": runs_programme(user) or startable_clients(user).exists(),
            "needs_template": runs_programme(user) and current_template() is None,
            "runs_programme": runs_programme(user),
        }
        return TemplateResponse(request, "vip/questionnaire_list.html", context)


class TemplateStandardView(QuestionnairePageMixin, View):
    def post(self, request: HttpRequest) -> HttpResponse:
        template_standard_create(by=self.user)
        messages.success(request, _("The standard questionnaire is ready."))
        return redirect("vip_questionnaire_list")


class QuestionnaireCreateView(QuestionnairePageMixin, View):
    def form(self, request: HttpRequest) -> QuestionnaireCreateForm:
        user = self.user
        return QuestionnaireCreateForm(
            request.POST or None,
            entries=startable_clients(user),
            campaigns=Campaign.objects.visible_to(user),
            employees=runs_programme(user),
        )

    def get(self, request: HttpRequest) -> HttpResponse:
        return TemplateResponse(request, "vip/questionnaire_form.html", {"form": self.form(request)})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = self.form(request)
        if form.is_valid():
            try:
                questionnaire = questionnaire_create(
                    client=form.cleaned_data["client"].client,
                    by=self.user,
                    employee=form.cleaned_data.get("employee") or self.user,
                    campaign=form.cleaned_data["campaign"],
                    meeting_date=form.cleaned_data["meeting_date"],
                )
            except (ValidationError, PermissionDenied) as exc:
                add_service_errors(form, exc if isinstance(exc, ValidationError) else ValidationError(str(exc)))
            else:
                return redirect("vip_questionnaire_detail", questionnaire.pk)
        return TemplateResponse(request, "vip/questionnaire_form.html", {"form": form}, status=400)


def visible_questionnaire(request: HttpRequest, pk: int) -> Questionnaire:
    queryset = Questionnaire.objects.visible_to(user_of(request)).select_related("client", "employee", "template")
    return get_object_or_404(queryset, pk=pk)


class QuestionnaireDetailView(QuestionnairePageMixin, View):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return TemplateResponse(request, "vip/questionnaire_detail.html", detail_context(request, pk))


def detail_context(request: HttpRequest, pk: int, **extra: object) -> dict[str, object]:
    user = user_of(request)
    questionnaire = visible_questionnaire(request, pk)
    editable = may_fill(questionnaire, user)
    problems = list(questionnaire.problems.select_related("question").order_by("created_at", "id"))
    context: dict[str, object] = {
        "questionnaire": questionnaire,
        "sections": questionnaire_sections(questionnaire, editable=editable),
        "editable": editable,
        "problems": problems,
        "problem_forms": {
            p.pk: ProblemDetailsForm(initial={f: getattr(p, f) for f in ProblemDetailsForm.base_fields})
            for p in problems
            if p.status != Problem.Status.CLOSED and may_follow_up(p, user)
        },
        "may_resume": editable
        and questionnaire.status == Questionnaire.Status.PAUSED
        and all(p.status == Problem.Status.CLOSED for p in problems),
        "resume_form": ResumeForm(),
        "offers": (offers := questionnaire_offers(questionnaire, user)),
        "offer_items": offer_items(questionnaire, offers) if editable else [],
        "referrals": questionnaire_referrals(questionnaire, user),
        "growth": growth_block(questionnaire, user, editable=editable),
        "tool2_suggestions": (suggestions := tool2_suggestions(questionnaire, offers) if editable else []),
        "offer_form": OfferForm(initial=offer_prefill(request, suggestions)) if editable else None,
        "referral_form": ReferralForm(may_assign=runs_programme(user)) if editable else None,
    }
    context.update(contacts_context(questionnaire, user))
    context.update(extra)
    return context


class QuestionnaireAnswerView(QuestionnairePageMixin, View):
    """htmx: one answer, as typed; answers the field's status (saved, or the field message). When the answer paused
    the questionnaire, the page reloads to show the pause and the problem form."""

    def post(self, request: HttpRequest, pk: int, question_id: int) -> HttpResponse:
        questionnaire = visible_questionnaire(request, pk)
        question = Question.objects.filter(pk=question_id, template_id=questionnaire.template_id).first()
        if question is None:
            raise Http404
        problems_before = questionnaire.problems.count()
        error = ""
        status = 200
        try:
            questionnaire_answer(
                questionnaire=questionnaire, question=question, raw=request.POST.get("value", ""), by=self.user
            )
        except ValidationError as exc:
            error = (
                " ".join(m for ms in exc.message_dict.values() for m in ms)
                if hasattr(exc, "error_dict")
                else " ".join(exc.messages)
            )
            status = 400
        except PermissionDenied as exc:
            error, status = str(exc) or _("You may not fill this questionnaire."), 403
        if not request.headers.get("HX-Request"):
            if error:
                messages.error(request, error)
            return redirect("vip_questionnaire_detail", questionnaire.pk)
        response = TemplateResponse(
            request,
            "vip/_answer_status.html",
            {"error": error, "question": question},
            status=200 if status == 400 else status,
        )
        # A new problem (the pause, or a second failed quality answer): reload into the problem form.
        if questionnaire.problems.count() != problems_before:
            response["HX-Refresh"] = "true"
        return response


class QuestionnaireProblemView(QuestionnairePageMixin, View):
    """The employee records the problem in full where the questionnaire stopped."""

    def post(self, request: HttpRequest, pk: int, problem_id: int) -> HttpResponse:
        questionnaire = visible_questionnaire(request, pk)
        problem = get_object_or_404(questionnaire.problems.all(), pk=problem_id)
        form = ProblemDetailsForm(request.POST)
        if form.is_valid():
            try:
                problem_details_set(problem=problem, by=self.user, data=form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            except PermissionDenied as exc:
                raise PermissionDenied(str(exc)) from exc
            else:
                messages.success(request, _("The problem is recorded and sent to the VIP head and the service owner."))
                return redirect("vip_questionnaire_detail", questionnaire.pk)
        context = detail_context(request, pk)
        context["problem_forms"][problem.pk] = form  # type: ignore[index]
        return TemplateResponse(request, "vip/questionnaire_detail.html", context, status=400)


class QuestionnaireResumeView(QuestionnairePageMixin, View):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        questionnaire = visible_questionnaire(request, pk)
        form = ResumeForm(request.POST)
        meeting_date = form.cleaned_data["meeting_date"] if form.is_valid() else None
        try:
            questionnaire_resume(questionnaire=questionnaire, by=self.user, meeting_date=meeting_date)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The questionnaire goes on where it stopped."))
        return redirect(f"{questionnaire_url(questionnaire)}#section-{questionnaire.paused_at_section}")


class QuestionnaireCompleteView(QuestionnairePageMixin, View):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        questionnaire = visible_questionnaire(request, pk)
        try:
            questionnaire_complete(questionnaire=questionnaire, by=self.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The questionnaire is complete."))
        return redirect("vip_questionnaire_detail", questionnaire.pk)


def questionnaire_url(questionnaire: Questionnaire) -> str:
    return reverse("vip_questionnaire_detail", args=[questionnaire.pk])
