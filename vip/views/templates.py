"""The VIP head's questionnaire templates: the versions (current marked, questionnaires filled on each) and the
editor of a version's questions. An edit of a version in use goes into a new version (vip/services/templates.py)."""

from __future__ import annotations

from typing import ClassVar

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from core.access import RoleRequiredMixin
from crm.forms.people import add_service_errors
from crm.models import User
from vip.forms.templates import QuestionForm
from vip.models import Question, QuestionnaireTemplate
from vip.models.programme import runs_programme
from vip.selectors.templates import template_rows, template_sections
from vip.services.templates import (
    TemplateEdit,
    template_question_create,
    template_question_move,
    template_question_remove,
    template_question_update,
)

ACTIONS = ("add", "save", "up", "down", "remove")


class TemplatePageMixin(RoleRequiredMixin):
    role_denied: ClassVar = gettext_lazy("The questionnaire templates are kept by the VIP head.")

    def allows(self, user: User) -> bool:
        return runs_programme(user)


class TemplateListView(TemplatePageMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        rows = list(template_rows(self.user))
        return TemplateResponse(request, "vip/template_list.html", {"rows": rows})


class TemplateEditView(TemplatePageMixin, View):
    def render(
        self,
        request: HttpRequest,
        template: QuestionnaireTemplate,
        bound: QuestionForm | None = None,
        add_form: QuestionForm | None = None,
        status: int = 200,
    ) -> HttpResponse:
        sections = template_sections(template)
        rows = [
            (
                block,
                [
                    bound if bound is not None and bound.question == q else QuestionForm(question=q, prefix=f"q{q.pk}")
                    for q in block.questions
                ],
            )
            for block in sections
        ]
        if not template.is_current:
            for _block, forms in rows:
                for form in forms:
                    for form_field in form.fields.values():
                        form_field.disabled = True
        context = {
            "template": template,
            "sections": rows,
            "editable": template.is_current,
            "add_form": add_form or QuestionForm(prefix="new"),
            "filled": (filled := template.questionnaires.count()),
            "is_used": filled > 0,
        }
        if (bound is not None and bound.errors) or (add_form is not None and add_form.errors):
            status = 400
        return TemplateResponse(request, "vip/template_edit.html", context, status=status)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self.render(request, get_object_or_404(QuestionnaireTemplate.objects.all(), pk=pk))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        template = get_object_or_404(QuestionnaireTemplate.objects.all(), pk=pk)
        action = request.POST.get("action", "")
        if action not in ACTIONS:
            messages.error(request, _("Unknown action."))
            return self.render(request, template, status=400)
        if action == "add":
            form = QuestionForm(request.POST, prefix="new")
            if not form.is_valid():
                return self.render(request, template, add_form=form)
            try:
                edit = template_question_create(template=template, by=self.user, data=form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
                return self.render(request, template, add_form=form)
            return self.done(request, edit, _("The question is added."))
        question = self.question(request, template)
        if action == "save":
            form = QuestionForm(request.POST, question=question, prefix=f"q{question.pk}")
            if not form.is_valid():
                return self.render(request, template, bound=form)
            try:
                edit = template_question_update(
                    template=template, question=question, by=self.user, data=form.cleaned_data
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
                return self.render(request, template, bound=form)
            return self.done(request, edit, _("The question is saved."))
        try:
            if action == "remove":
                edit = template_question_remove(template=template, question=question, by=self.user)
                return self.done(request, edit, _("The question is removed."))
            edit = template_question_move(template=template, question=question, by=self.user, up=action == "up")
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return self.render(request, template, status=400)
        return self.done(request, edit, _("The question is moved."))

    @staticmethod
    def question(request: HttpRequest, template: QuestionnaireTemplate) -> Question:
        raw = request.POST.get("question", "")
        found = template.questions.filter(pk=int(raw)).first() if raw.isdigit() else None
        if found is None:
            raise Http404
        return found

    @staticmethod
    def done(request: HttpRequest, edit: TemplateEdit, message: str) -> HttpResponse:
        if edit.copied_from is not None:
            messages.success(
                request,
                _("Version %(new)s is made: the questionnaires filled on version %(old)s keep its questions.")
                % {"new": edit.template.version, "old": edit.copied_from.version},
            )
        messages.success(request, message)
        anchor = f"#question-{edit.question.pk}" if edit.question is not None else ""
        return redirect(reverse("vip_template_edit", args=[edit.template.pk]) + anchor)
