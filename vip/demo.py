"""The demo department's VIP programme (`seed_demo`): the standard questionnaire, a summer campaign with a dedicated
and a part-time employee, a list of the best clients, questionnaires in every state and problems in every status.
Built through the services, so the demo shows what the product does; it sends no e-mail."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction
from django.db.models import Sum
from django.test.utils import override_settings
from django.utils import timezone

from crm.models import Client, Role, User
from vip.models import (
    Answer,
    Campaign,
    Problem,
    ProblemEvent,
    ProgrammeClient,
    Question,
    Questionnaire,
    QuestionnaireTemplate,
    StaffAssignment,
    VipNotification,
)
from vip.rules.questionnaires import Kind, Rule
from vip.services.frequency import frequencies_refresh
from vip.services.problems import problem_confirm, problem_details_set, problem_fixed, problem_take
from vip.services.questionnaires import (
    questionnaire_answer,
    questionnaire_complete,
    questionnaire_create,
    questionnaire_resume,
)
from vip.services.templates import template_standard_create

LIST_SIZE = 30
# The demo's questionnaires: (how many, what becomes of them).
PLAN = (
    (4, "complete"),
    (2, "draft"),
    (1, "open"),
    (1, "in_work"),
    (1, "fixed"),
    (1, "reopened"),
    (1, "closed"),
    (1, "resumed"),
)


def programme_wipe() -> None:
    """Delete the programme (before the demo's people go: they are protected by it)."""
    for model in (VipNotification, ProblemEvent, Problem, Answer, Questionnaire, Question, QuestionnaireTemplate):
        model.objects.all().delete()
    StaffAssignment.objects.all().delete()
    Campaign.objects.all().delete()
    ProgrammeClient.objects.all().delete()


def _answer_all(questionnaire: Questionnaire, by: User, *, fail: bool) -> None:
    for question in questionnaire.template.questions.order_by("position", "id"):
        if question.rule == Rule.MUST_BE_YES:
            raw = "no" if fail else "yes"
        elif question.rule == Rule.NO_FAILURE_MONTH:
            raw = "no"
        elif question.rule == Rule.MIN:
            raw = str((question.limit or 0) + 20)
        elif question.kind == Kind.YES_NO:
            raw = "yes"
        elif question.kind == Kind.SCORE:
            raw = "9"
        elif question.kind == Kind.NUMBER:
            raw = "1500000"
        else:
            raw = "Записано на встрече"
        questionnaire_answer(questionnaire=questionnaire, question=question, raw=raw, by=by)
        questionnaire.refresh_from_db()
        if questionnaire.status == Questionnaire.Status.PAUSED:
            return


@transaction.atomic
@override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend")
def programme_seed(*, as_of: date) -> dict[str, int]:
    """The demo programme as of `as_of`; does nothing when the programme has questionnaires already."""
    if Questionnaire.objects.exists():
        return {"questionnaires": 0}
    vip = User.objects.filter(role=Role.VIP_HEAD, is_active=True).first()
    service = User.objects.filter(role=Role.SERVICE, is_active=True).first()
    staff = list(User.objects.filter(role=Role.MANAGER, is_active=True).order_by("username")[:2])
    if vip is None or service is None or len(staff) < 2:
        return {"questionnaires": 0}
    template_standard_create(by=vip)
    campaign = Campaign.objects.create(name="Лето", start=as_of - timedelta(weeks=4), weeks=13)
    StaffAssignment.objects.create(campaign=campaign, user=staff[0], load=StaffAssignment.Load.DEDICATED)
    StaffAssignment.objects.create(campaign=campaign, user=staff[1], load=StaffAssignment.Load.PART_TIME)
    best = list(
        Client.objects.filter(owner__in=staff)
        .annotate(revenue=Sum("sales__amount"))
        .filter(revenue__isnull=False)
        .order_by("-revenue", "id")[:LIST_SIZE]
    )
    for rank, client in enumerate(best):
        tier = (
            ProgrammeClient.Tier.MONTHLY
            if rank < 3
            else ProgrammeClient.Tier.QUARTERLY
            if rank < 10
            else ProgrammeClient.Tier.YEARLY
        )
        ProgrammeClient.objects.create(client=client, tier=tier, added_by=vip, assigned_to=client.owner)
    made = 0
    clients = iter(best)
    for count, outcome in PLAN:
        for _ in range(count):
            met = next(clients, None)
            if met is None or met.owner is None:
                break
            employee = met.owner
            questionnaire = questionnaire_create(
                client=met, by=employee, campaign=campaign, meeting_date=as_of - timedelta(days=made + 1)
            )
            made += 1
            _answer_all(questionnaire, employee, fail=outcome not in ("complete", "draft"))
            if outcome == "complete":
                questionnaire_complete(questionnaire=questionnaire, by=employee)
                continue
            if outcome == "draft":
                continue
            problem = questionnaire.problems.get()
            problem_details_set(
                problem=problem,
                by=employee,
                data={"since": "около месяца", "impact": "встаёт работа офиса", "witnesses": "бухгалтерия"},
            )
            if outcome == "open":
                continue
            problem_take(problem=problem, by=service)
            if outcome == "in_work":
                continue
            problem_fixed(problem=problem, by=service, note="заменили оборудование", now=timezone.now())
            if outcome == "fixed":
                continue
            if outcome == "reopened":
                problem_confirm(problem=problem, ok=False, words="по вечерам всё так же медленно", by=employee)
                continue
            problem_confirm(problem=problem, ok=True, words="всё работает", by=employee)
            if outcome == "resumed":
                questionnaire_resume(questionnaire=questionnaire, by=employee, meeting_date=as_of)
    # The tiers by Pareto from the clients' sales and the next due dates from the meetings just made (docs/vip.md).
    tiers = frequencies_refresh(as_of=as_of)
    return {"questionnaires": made, "programme_clients": len(best), "overdue": tiers["overdue"]}
