"""The seeded generator behind the demo data and the benchmarks: deterministic, valid, believable."""

from datetime import date, datetime, time
from decimal import Decimal
from itertools import pairwise

import phonenumbers
import pytest
from django.db.models import Count, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone
from stdnum.ru import inn as stdnum_inn

from crm.demo.generator import generate, wipe
from crm.models import (
    Activity,
    Client,
    ContactPerson,
    Deal,
    DealPayment,
    DealStageChange,
    LostReason,
    Role,
    SaleLine,
    Team,
    User,
)
from crm.rules.stages import ORDER, PIPELINE, Stage
from crm.services.deals import GATES
from tests.crm.factories import ClientFactory, UserFactory

AS_OF = date(2026, 11, 23)
SMALL = {"clients": 80, "managers": 4, "deals": 60, "months": 12, "as_of": AS_OF}


@pytest.fixture
def department(db):
    return generate(**SMALL)


def snapshot() -> dict[str, list]:
    return {
        "people": list(User.objects.order_by("username").values_list("username", "last_name", "first_name", "role")),
        "clients": list(
            Client.objects.order_by("inn").values_list("name", "inn", "phone", "email", "owner__username", "status")
        ),
        "sales": list(
            SaleLine.objects.order_by("document_number", "line_no").values_list(
                "document_number", "line_no", "date", "client__inn", "product__sku", "amount", "is_paid", "paid_date"
            )
        ),
        "deals": list(
            Deal.objects.order_by("title").values_list("title", "stage", "amount", "client__inn", "owner__username")
        ),
        "history": list(
            DealStageChange.objects.order_by("deal__title", "at").values_list("deal__title", "to_stage", "at")
        ),
        "activities": list(
            Activity.objects.order_by("client__inn", "subject", "done_at", "due_at").values_list(
                "kind", "client__inn", "subject", "due_at", "done_at"
            )
        ),
    }


def test_the_same_seed_gives_the_same_department_and_another_seed_another(db):
    generate(**SMALL)
    first = snapshot()
    wipe()
    generate(**SMALL)
    assert snapshot() == first
    wipe()
    generate(**SMALL, seed=7)
    other = snapshot()
    assert other["clients"] != first["clients"]
    assert other["sales"] != first["sales"]


def test_counts_match_what_was_asked_and_what_was_written(department):
    assert department.clients == Client.objects.count() == 80
    assert department.deals == Deal.objects.count() == 60
    assert department.sale_lines == SaleLine.objects.count() > 0
    assert department.products == 200
    assert User.objects.filter(role=Role.MANAGER).count() == 4
    assert Team.objects.count() == 2
    assert set(Team.objects.values_list("lead__role", flat=True)) == {Role.TEAM_LEAD}


def test_every_role_of_the_department_has_its_demo_login(department):
    roles = dict(User.objects.values_list("username", "role"))
    assert roles["head"] == Role.HEAD
    assert roles["vip"] == Role.VIP_HEAD
    assert roles["service"] == Role.SERVICE
    assert roles["base"] == Role.BASE_MANAGER
    assert roles["admin"] == Role.ADMIN
    assert User.objects.get(username="manager01").check_password("demo12345")
    assert all(name and name[0].isupper() for name in User.objects.values_list("last_name", flat=True))


def test_clients_have_valid_inns_and_e164_phones_and_pass_model_validation(department):
    for client in Client.objects.all():
        assert stdnum_inn.is_valid(client.inn), client.inn
        assert len(client.inn) == 10
        number = phonenumbers.parse(client.phone)
        assert phonenumbers.is_valid_number(number), client.phone
        assert phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164) == client.phone
        client.full_clean()
    assert Client.objects.values("inn").distinct().count() == 80
    for contact in ContactPerson.objects.all():
        contact.full_clean()


def test_sales_lines_belong_to_the_clients_owner_and_paid_lines_have_a_paid_date(department):
    lines = SaleLine.objects.select_related("client")
    assert all(line.manager_id == line.client.owner_id for line in lines)
    assert not lines.filter(is_paid=True, paid_date__isnull=True).exists()
    assert lines.filter(is_paid=False).exists()
    assert all(line.paid_date >= line.date for line in lines.filter(is_paid=True))
    assert not lines.filter(date__gte=AS_OF).exists()
    assert all(isinstance(line.amount, Decimal) and line.amount > 0 for line in lines)


def test_regular_one_off_and_lapsed_buyers_exist(department):
    # DOMAIN.md section 4: regular = purchases in at least 3 of the 4 full months before the plan month.
    window = (date(2026, 7, 1), date(2026, 10, 31))
    months = (
        SaleLine.objects.filter(date__range=window)
        .annotate(month=TruncMonth("date"))
        .values("client")
        .annotate(months=Count("month", distinct=True))
    )
    per_client = [row["months"] for row in months]
    assert any(m >= 3 for m in per_client)
    assert any(m == 1 for m in per_client)
    five_months_ago = date(2026, 6, 23)
    lapsed = Client.objects.filter(sales__isnull=False).exclude(sales__date__gte=five_months_ago).distinct()
    assert lapsed.exists()
    assert Client.objects.filter(sales__isnull=True, status=Client.Status.PROSPECT).exists()


def test_deals_cover_every_stage_and_lost(department):
    assert set(Deal.objects.values_list("stage", flat=True)) == {s.value for s in Stage}


def test_each_deals_history_climbs_one_stage_at_a_time_and_ends_at_its_stage(department):
    for deal in Deal.objects.prefetch_related("stage_changes"):
        changes = sorted(deal.stage_changes.all(), key=lambda c: c.at)
        assert changes[0].from_stage == "" and changes[0].to_stage == Stage.GOAL
        assert changes[-1].to_stage == deal.stage
        assert deal.stage_changed_at == changes[-1].at
        for before, after in pairwise(changes):
            assert after.from_stage == before.to_stage
            assert after.at >= before.at
            if after.to_stage != Stage.LOST:
                assert ORDER[after.to_stage] == ORDER[before.to_stage] + 1
        assert changes[-1].at <= datetime.combine(AS_OF, time(9), timezone.get_default_timezone())


def test_lost_deals_have_a_reason_from_the_heads_list_and_the_stage_they_were_lost_at(department):
    lost = Deal.objects.filter(stage=Stage.LOST)
    assert lost.exists()
    reasons = set(LostReason.objects.values_list("pk", flat=True))
    for deal in lost:
        assert deal.lost_reason_id in reasons
        assert deal.lost_from_stage in PIPELINE[: ORDER[Stage.PAYMENT]]
        assert deal.stage_changes.latest("at").from_stage == deal.lost_from_stage


def test_every_stage_a_deal_has_passed_meets_the_services_gate(department):
    for deal in Deal.objects.select_related("client__owner"):
        reached = deal.lost_from_stage if deal.stage == Stage.LOST else deal.stage
        for passed in PIPELINE[: ORDER[reached] - 1]:
            assert GATES[passed](deal) == {}, (deal.pk, deal.stage, passed)
        assert deal.owner_id == deal.client.owner_id


def test_paid_deals_are_paid_in_full_and_won_deals_have_a_win_date(department):
    won = Deal.objects.won()
    assert won.exists()
    for deal in won:
        paid = DealPayment.objects.filter(deal=deal).aggregate(total=Sum("amount"))["total"]
        assert paid == deal.paid_amount == deal.invoice_amount
        assert deal.won_at is not None
    assert not Deal.objects.open().filter(won_at__isnull=False).exists()


def test_open_deals_show_both_kinds_of_hygiene_problem_and_healthy_ones(department):
    now = datetime.combine(AS_OF, time(9), timezone.get_default_timezone())
    active = Deal.objects.active()
    without_task = set(Deal.objects.without_open_task(now).values_list("pk", flat=True))
    overdue = set(Deal.objects.with_overdue_task(now).values_list("pk", flat=True))
    assert without_task
    assert overdue
    assert active.exclude(pk__in=without_task | overdue).exists()
    assert Activity.objects.filter(kind=Activity.Kind.CALL, deal__isnull=True).exists()


def test_rows_added_after_generation_get_fresh_ids(department):
    owner = UserFactory(role=Role.MANAGER)
    client = ClientFactory(owner=owner, inn="7707083893")
    assert client.pk > Client.objects.exclude(pk=client.pk).order_by("-pk").values_list("pk", flat=True)[0]


def test_a_larger_line_target_makes_more_lines_per_document(db):
    result = generate(clients=30, managers=2, deals=15, months=6, as_of=AS_OF, sale_lines=3000)
    documents = SaleLine.objects.values("document_number").distinct().count()
    assert result.sale_lines == SaleLine.objects.count()
    assert 2000 <= result.sale_lines <= 4500
    assert result.sale_lines / documents > 5
