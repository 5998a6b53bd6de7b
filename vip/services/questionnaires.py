"""Writes to questionnaires (seed 002 steps 5, 8-10, 15): create one for a meeting, save each answer as it is typed,
pause at the section where a quality answer fails its rule (and open the problem), resume there, complete."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.hooks import VIP_ANSWER_SAVED, hooks_run
from crm.models import ChangeLog, Client, User
from crm.services.history import changelog_record, snapshot
from vip.models import Answer, Campaign, ProgrammeClient, Question, Questionnaire, QuestionnaireTemplate
from vip.models.programme import runs_programme
from vip.rules.questionnaires import SECTION_ORDER, AnswerError, Kind, parse_answer, rule_passes, rule_text
from vip.services.problems import problem_open


def field_name(question: Question) -> str:
    """The name of a question's field on the page and in a field error."""
    return f"q{question.pk}"


def may_fill(questionnaire: Questionnaire, by: User) -> bool:
    """The employee who holds the meeting, or the VIP head (the head too), fills the questionnaire."""
    return runs_programme(by) or questionnaire.employee_id == by.pk


def current_template() -> QuestionnaireTemplate | None:
    return QuestionnaireTemplate.objects.filter(is_current=True).order_by("-version", "-id").first()


@transaction.atomic
def questionnaire_create(
    *,
    client: Client,
    by: User,
    meeting_date: date,
    employee: User | None = None,
    campaign: Campaign | None = None,
    template: QuestionnaireTemplate | None = None,
) -> Questionnaire:
    """A questionnaire for a meeting with a programme client, on the current template version."""
    entry = ProgrammeClient.objects.filter(client=client).first()
    if entry is None:
        raise ValidationError({"client": [_("The client is not on the programme's list.")]})
    employee = employee or by
    if not runs_programme(by) and not (employee.pk == by.pk and entry.assigned_to_id == by.pk):
        raise PermissionDenied(_("Only the VIP head or the client's employee in the programme starts a questionnaire."))
    template = template or current_template()
    if template is None:
        raise ValidationError({"template": [_("The VIP head has not made a questionnaire template yet.")]})
    questionnaire = Questionnaire(
        client=client, employee=employee, campaign=campaign, template=template, meeting_date=meeting_date
    )
    questionnaire.full_clean()
    questionnaire.save()
    changelog_record(obj=questionnaire, by=by, action=ChangeLog.Action.CREATE)
    return questionnaire


def _lock(questionnaire: Questionnaire) -> Questionnaire:
    fresh = Questionnaire.objects.select_for_update().get(pk=questionnaire.pk)
    for field in Questionnaire._meta.concrete_fields:
        setattr(questionnaire, field.attname, getattr(fresh, field.attname))
    return questionnaire


def _field_error(question: Question, message: str) -> ValidationError:
    return ValidationError({field_name(question): [message]})


@transaction.atomic
def questionnaire_answer(
    *, questionnaire: Questionnaire, question: Question, raw: str, by: User, now: datetime | None = None
) -> Answer | None:
    """Save one answer as typed (an empty one clears it). A wrong type or range is a field error and changes nothing
    else. A quality answer that fails its rule pauses the questionnaire at its section and opens the problem."""
    if not may_fill(questionnaire, by):
        raise PermissionDenied(_("Only the employee who holds the meeting or the VIP head fills the questionnaire."))
    _lock(questionnaire)
    if question.template_id != questionnaire.template_id:
        raise _field_error(question, _("The question is not on this questionnaire."))
    if questionnaire.status == Questionnaire.Status.COMPLETE:
        raise _field_error(question, _("The questionnaire is complete."))
    if (
        questionnaire.status == Questionnaire.Status.PAUSED
        and SECTION_ORDER[question.section] > SECTION_ORDER[questionnaire.paused_at_section]
    ):
        raise _field_error(
            question, _("The questionnaire is paused: it goes on when the client has confirmed the fix.")
        )
    try:
        parsed = parse_answer(question.kind, raw, question.choices)
    except AnswerError as exc:
        raise _field_error(question, str(exc)) from exc
    existing = Answer.objects.filter(questionnaire=questionnaire, question=question).first()
    if parsed is None:
        if existing is not None:
            existing.delete()
        return None
    passed = rule_passes(question.rule, parsed, question.limit)
    answer = existing or Answer(questionnaire=questionnaire, question=question)
    answer.text, answer.number, answer.flag = parsed.text, parsed.number, parsed.flag
    answer.passed = passed
    answer.answered_by = by
    answer.save()
    hooks_run(VIP_ANSWER_SAVED, answer=answer)
    if not passed and not questionnaire.problems.unresolved().filter(question=question).exists():
        _pause(questionnaire, question=question, by=by, now=now)
        problem_open(
            client=questionnaire.client,
            by=by,
            questionnaire=questionnaire,
            question=question,
            section=question.section,
            what=_("%(question)s — the answer «%(answer)s» fails the rule «%(rule)s».")
            % {
                "question": question.text,
                "answer": _answer_label(question, answer),
                "rule": rule_text(question.rule, question.limit),
            },
        )
    return answer


def _answer_label(question: Question, answer: Answer) -> str:
    if question.kind == Kind.YES_NO:
        return _("yes") if answer.flag else _("no")
    return answer.display


def _pause(questionnaire: Questionnaire, *, question: Question, by: User, now: datetime | None) -> None:
    before = snapshot(questionnaire, ["status", "paused_at_section", "paused_at"])
    if questionnaire.status != Questionnaire.Status.PAUSED:
        questionnaire.paused_at_section = question.section
        questionnaire.paused_at = now or timezone.now()
    elif SECTION_ORDER[question.section] < SECTION_ORDER[questionnaire.paused_at_section]:
        questionnaire.paused_at_section = question.section
    questionnaire.status = Questionnaire.Status.PAUSED
    questionnaire.save()
    changelog_record(obj=questionnaire, by=by, action=ChangeLog.Action.UPDATE, before=before)


@transaction.atomic
def questionnaire_resume(
    *, questionnaire: Questionnaire, by: User, meeting_date: date | None = None, now: datetime | None = None
) -> Questionnaire:
    """Go on at the section where the questionnaire stopped, once the client has confirmed every problem of it
    fixed; every earlier answer is kept. `meeting_date`: the new meeting's date."""
    if not may_fill(questionnaire, by):
        raise PermissionDenied(_("Only the employee who holds the meeting or the VIP head fills the questionnaire."))
    _lock(questionnaire)
    if questionnaire.status != Questionnaire.Status.PAUSED:
        raise ValidationError(_("The questionnaire is not paused."))
    if questionnaire.problems.unresolved().exists():
        raise ValidationError(_("The questionnaire goes on only when the client has confirmed the problem fixed."))
    before = snapshot(questionnaire, ["status", "resumed_at", "meeting_date"])
    questionnaire.status = Questionnaire.Status.DRAFT
    questionnaire.resumed_at = now or timezone.now()
    if meeting_date:
        questionnaire.meeting_date = meeting_date
    questionnaire.save()
    changelog_record(obj=questionnaire, by=by, action=ChangeLog.Action.UPDATE, before=before)
    return questionnaire


@transaction.atomic
def questionnaire_complete(*, questionnaire: Questionnaire, by: User, now: datetime | None = None) -> Questionnaire:
    """The meeting is over and the questionnaire filled: it counts toward the week's quota."""
    if not may_fill(questionnaire, by):
        raise PermissionDenied(_("Only the employee who holds the meeting or the VIP head fills the questionnaire."))
    _lock(questionnaire)
    if questionnaire.status != Questionnaire.Status.DRAFT:
        raise ValidationError(_("Only a questionnaire being filled can be completed."))
    before = snapshot(questionnaire, ["status", "completed_at"])
    questionnaire.status = Questionnaire.Status.COMPLETE
    questionnaire.completed_at = now or timezone.now()
    questionnaire.save()
    changelog_record(obj=questionnaire, by=by, action=ChangeLog.Action.UPDATE, before=before)
    return questionnaire


@transaction.atomic
def template_question_add(*, template: QuestionnaireTemplate, by: User, data: dict[str, Any]) -> Question:
    """Add a question to a template version no questionnaire uses yet; a used version is never changed."""
    if not runs_programme(by):
        raise PermissionDenied(_("Only the VIP head keeps the questionnaire templates."))
    if template.is_used:
        raise ValidationError(_("This version is already in use; make a new version to change the questions."))
    question = Question(template=template, **data)
    question.full_clean()
    question.save()
    return question


@transaction.atomic
def template_new_version(*, template: QuestionnaireTemplate, by: User) -> QuestionnaireTemplate:
    """Copy a version with its questions into the next one, which becomes current."""
    if not runs_programme(by):
        raise PermissionDenied(_("Only the VIP head keeps the questionnaire templates."))
    QuestionnaireTemplate.objects.filter(name=template.name).update(is_current=False)
    last = QuestionnaireTemplate.objects.filter(name=template.name).order_by("-version").first()
    copy = QuestionnaireTemplate.objects.create(
        name=template.name, version=(last.version if last else template.version) + 1, is_current=True, created_by=by
    )
    Question.objects.bulk_create(
        [
            Question(
                template=copy,
                section=q.section,
                position=q.position,
                text=q.text,
                kind=q.kind,
                choices=q.choices,
                rule=q.rule,
                limit=q.limit,
            )
            for q in template.questions.all()
        ]
    )
    return copy
