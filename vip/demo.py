"""The demo department's VIP programme (`seed_demo`): the standard questionnaire, a campaign in progress with a
dedicated and a part-time employee, a list of the best clients, questionnaires in every state, problems in every
status, proposals from the complete questionnaires (crm deals at `proposal`) and referrals (prospect list entries, one
already a client with a deal). Built through the services, so the demo shows what the product does; it sends no
e-mail."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.test.utils import override_settings
from django.utils import timezone

from crm.models import Client, ProspectEntry, ProspectList, Role, User
from crm.services.deals import deal_create
from crm.services.prospects import prospect_claim
from vip.models import (
    Answer,
    Campaign,
    Problem,
    ProblemEvent,
    ProgrammeClient,
    Question,
    Questionnaire,
    QuestionnaireOffer,
    QuestionnaireTemplate,
    Referral,
    StaffAssignment,
    VipNotification,
)
from vip.rules.questionnaires import Kind, Rule, Section
from vip.services.after import REFERRAL_LIST_NAME, offer_create, referral_add
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
# What the complete questionnaires (by their order) tell of room to grow and new products; each line is an item of
# the questionnaire, and the items in OFFERS become proposals (the rest wait on the questionnaire to be proposed).
GROWTH = (
    "Поставки в новый филиал в Казани\nКвартальный объём расходников",
    "Второй склад с весны",
    "Перевести закупки филиалов на нас",
    "",
)
NEW_PRODUCTS = (
    "Сервисный контракт на обслуживание",
    "",
    "Сервисный контракт на обслуживание\nОбучение персонала",
    "",
)
# (questionnaire, kind, item, amount ₽).
OFFERS = (
    (0, QuestionnaireOffer.Kind.VOLUME, "Поставки в новый филиал в Казани", Decimal(850000)),
    (0, QuestionnaireOffer.Kind.NEW_PRODUCT, "Сервисный контракт на обслуживание", Decimal(240000)),
    (1, QuestionnaireOffer.Kind.VOLUME, "Второй склад с весны", Decimal(1200000)),
    (2, QuestionnaireOffer.Kind.NEW_PRODUCT, "Обучение персонала", Decimal(180000)),
)
# (questionnaire, company, phone, contact person, what became of it): "client" is claimed and gets a deal, "prospect"
# waits on the list; the third referral names a client another manager already has (the check finds it in the base).
REFERRALS = (
    (0, "ИП Соколова Анна Викторовна", "+7 917 555-21-43", "Анна Викторовна, владелец", "client"),
    (1, "ООО «Агрохолдинг Приволжский»", "+7 843 555-70-12", "Игорь Петрович, закупки", "prospect"),
)


def programme_wipe() -> None:
    """Delete the programme (before the demo's people go: they are protected by it), with the lists its referrals
    went to (a prospect list protects its owner)."""
    ProspectList.objects.filter(name=REFERRAL_LIST_NAME).delete()
    for model in (
        Referral,
        QuestionnaireOffer,
        VipNotification,
        ProblemEvent,
        Problem,
        Answer,
        Questionnaire,
        Question,
        QuestionnaireTemplate,
    ):
        model.objects.all().delete()
    StaffAssignment.objects.all().delete()
    Campaign.objects.all().delete()
    ProgrammeClient.objects.all().delete()


def _answer_all(questionnaire: Questionnaire, by: User, *, fail: bool, texts: dict[str, str] | None = None) -> None:
    texts = texts or {}
    for question in questionnaire.template.questions.order_by("position", "id"):
        if question.kind == Kind.TEXT and question.section in texts:
            raw = texts[question.section]
        elif question.rule == Rule.MUST_BE_YES:
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
    start = as_of - timedelta(weeks=4)
    # Named by its quarter, like a real pass of the base ("Обход IV кв. 2026"), whatever day the demo is built for.
    quarter = ("I", "II", "III", "IV")[(start.month - 1) // 3]
    campaign = Campaign.objects.create(name=f"Обход {quarter} кв. {start.year}", start=start, weeks=13)
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
    complete: list[Questionnaire] = []
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
            texts: dict[str, str] | None = None
            if outcome == "complete" and len(complete) < len(GROWTH):
                texts = {
                    Section.GROWTH.value: GROWTH[len(complete)],
                    Section.NEW_PRODUCTS.value: NEW_PRODUCTS[len(complete)],
                }
            _answer_all(questionnaire, employee, fail=outcome not in ("complete", "draft"), texts=texts)
            if outcome == "complete":
                questionnaire_complete(questionnaire=questionnaire, by=employee)
                complete.append(questionnaire)
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
    after = after_quality_seed(complete, as_of=as_of)
    # The tiers by Pareto from the clients' sales and the next due dates from the meetings just made (docs/vip.md).
    tiers = frequencies_refresh(as_of=as_of)
    return {"questionnaires": made, "programme_clients": len(best), "overdue": tiers["overdue"], **after}


def after_quality_seed(complete: list[Questionnaire], *, as_of: date) -> dict[str, int]:
    """The proposals and referrals of the complete questionnaires, as their employees make them on the day."""
    now = timezone.make_aware(datetime.combine(as_of, time(15, 0)))
    offers = referrals = 0
    for index, kind, text, amount in OFFERS:
        if index < len(complete):
            questionnaire = complete[index]
            data = {"kind": kind, "text": text, "amount": amount}
            offer_create(questionnaire=questionnaire, by=questionnaire.employee, data=data, now=now)
            offers += 1
    for index, name, phone, contact, becomes in REFERRALS:
        if index >= len(complete):
            continue
        questionnaire = complete[index]
        data = {"name": name, "phone": phone, "contact": contact}
        referral = referral_add(questionnaire=questionnaire, by=questionnaire.employee, data=data, now=now)
        referrals += 1
        entry = referral.entry
        if becomes == "client" and entry is not None and entry.check_result == ProspectEntry.Check.FREE:
            client = prospect_claim(entry=entry, by=referral.assigned_to, today=as_of)
            deal_create(
                by=referral.assigned_to,
                client=client,
                title="Первая поставка по рекомендации",
                owner=referral.assigned_to,
                amount=Decimal(300000),
                now=now,
            )
    # A company the client named that another manager already works: the check finds it in the base.
    if len(complete) > 2:
        questionnaire = complete[2]
        known = (
            Client.objects.exclude(owner=questionnaire.employee)
            .filter(owner__isnull=False, vip_entry__isnull=True)
            .order_by("id")
            .first()
        )
        if known is not None:
            data = {"name": known.name, "inn": known.inn, "phone": known.phone, "contact": "со слов клиента"}
            referral_add(questionnaire=questionnaire, by=questionnaire.employee, data=data, now=now)
            referrals += 1
    return {"offers": offers, "referrals": referrals}
