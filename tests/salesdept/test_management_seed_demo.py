"""`manage.py seed_demo`: makes the demo department once, prints the logins, and refuses to double it."""

from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.test import RequestFactory

from crm.models import Client, Deal, ProspectList, SaleLine, User


def login_request():
    """axes refuses an authenticate() without the request the login came in."""
    return RequestFactory().post("/login/")


def seed(*args: str, clients: int = 60) -> str:
    out = StringIO()
    call_command("seed_demo", "--clients", str(clients), "--as-of", "2026-11-23", *args, stdout=out)
    return out.getvalue()


def counts() -> tuple[int, int, int, int]:
    return User.objects.count(), Client.objects.count(), Deal.objects.count(), SaleLine.objects.count()


@pytest.mark.django_db
def test_seed_demo_makes_the_department_and_prints_working_logins():
    output = seed()
    assert "Вход: head / demo12345 (руководитель отдела продаж)" in output
    assert "Вход: manager01 / demo12345 (менеджер по продажам)" in output
    # 60 generated clients and the VIP referral claimed as a client; 30 generated deals, the 4 VIP proposals and the
    # referral's first deal.
    assert Client.objects.count() == 61
    assert Deal.objects.count() == 35
    assert Deal.objects.filter(vip_offer__isnull=False).count() == 4
    assert SaleLine.objects.exists()
    assert authenticate(login_request(), username="head", password="demo12345") == User.objects.get(username="head")
    assert authenticate(login_request(), username="manager01", password="demo12345") is not None


@pytest.mark.django_db
def test_seed_demo_run_twice_changes_nothing_and_still_prints_the_logins():
    seed()
    before = counts()
    output = seed()
    assert "уже загружены" in output
    assert "Вход: head / demo12345" in output
    assert counts() == before


@pytest.mark.django_db
def test_seed_demo_reset_replaces_the_demo_data_instead_of_adding_to_it():
    seed()
    before = counts()
    first_head = User.objects.get(username="head").pk
    # A list a demo manager made by hand protects him as well: --reset deletes it first.
    ProspectList.objects.create(owner=User.objects.get(username="manager03"), name="Мои звонки")
    output = seed("--reset")
    assert "Вход: head / demo12345" in output
    assert counts() == before
    assert User.objects.get(username="head").pk != first_head


@pytest.mark.django_db
def test_seed_demo_refuses_a_date_that_is_not_a_date():
    with pytest.raises(CommandError):
        call_command("seed_demo", "--clients", "10", "--as-of", "23.11.2026", stdout=StringIO())
    assert not Client.objects.exists()


@pytest.mark.django_db
def test_seed_demo_keeps_an_admin_made_before_it_with_its_own_password():
    User.objects.create_superuser(username="admin", email="admin@example.ru", password="own-secret-1")
    output = seed()
    assert "Вход: head / demo12345" in output
    assert Client.objects.count() == 61
    assert authenticate(login_request(), username="admin", password="own-secret-1") is not None


def test_the_demo_department_gets_default_pay_schemes_its_head_can_edit(db):
    from django.core.management import call_command

    from planning.models import PayScheme

    call_command("seed_demo", "--clients", "60", stdout=__import__("io").StringIO())

    manager = PayScheme.objects.get(role="manager")
    assert sum(k.weight for k in manager.kpis.all()) == 100
    assert [t.fulfilment_percent for t in manager.thresholds.all()] == [80, 90, 100]


@pytest.mark.django_db
def test_seed_demo_runs_the_nightly_jobs_for_the_1st_and_for_today_so_the_first_login_finds_figures():
    from datetime import date

    from crm.models import LongList, Reassignment
    from planning.models import Plan
    from salesdept.models import NightlyJobRun, NightlyRun

    output = seed()

    november = date(2026, 11, 1)
    assert sorted(NightlyRun.objects.values_list("as_of", flat=True)) == [november, date(2026, 11, 23)]
    assert not NightlyJobRun.objects.exclude(status=NightlyJobRun.Status.OK).exists()
    # The monthly part ran on the 1st: every seller has the month's plan draft and long list.
    sellers = User.objects.sellers().count()
    # ... and the demo head approved them, so plan/fact and pay read a target at the first login.
    assert Plan.objects.filter(month=november, status=Plan.Status.APPROVED).count() == sellers > 0
    assert not Plan.objects.filter(month=november, status=Plan.Status.DRAFT).exists()
    assert set(Plan.objects.values_list("approved_by__username", flat=True)) == {"head"}
    assert LongList.objects.filter(month=november).count() == sellers
    monthly = NightlyJobRun.objects.filter(monthly_for=november).values_list("name", flat=True)
    assert sorted(monthly) == ["long_lists_draft", "plan_drafts_generate", "vip_frequencies_refresh"]
    # Today's run flagged the clients the 3-month rule catches: the head's queue is not empty.
    assert Reassignment.objects.filter(status=Reassignment.Status.PENDING).exists()
    assert "Ночные задания за 01.11.2026:" in output
    assert "Ночные задания за 23.11.2026:" in output
    assert "plan_drafts_generate: drafted=" in output
    assert f"планы на 11.2026 утверждены руководителем: {sellers}" in output
    # Plan/fact of the month has a plan and a fact to compare at the first login.
    from planning.selectors.factual import plan_fact_widget

    series = plan_fact_widget(user=User.objects.get(username="head"), today=date(2026, 11, 23))
    assert series is not None
    assert series.target > 0
    assert series.fact > 0
    # ABC/XYZ: the current month and the ones before it are classified, so the matrix, the moves and the falls show.
    from analytics.models import ClientAbc
    from analytics.selectors.abc import Slice, abc_falls, abc_matrix, abc_transitions

    months = set(ClientAbc.objects.values_list("month", flat=True))
    assert {november, date(2026, 10, 1), date(2026, 5, 1)} <= months
    head = User.objects.get(username="head")
    matrix = abc_matrix(Slice(head), november)
    assert matrix.cells["AX"].clients > 0 and matrix.cells["CZ"].clients > 0
    assert abc_transitions(Slice(head), november).moved > 0
    assert abc_falls(Slice(head), november).exists()


@pytest.mark.django_db
def test_seed_demo_on_a_1st_runs_the_nightly_jobs_once():
    from salesdept.models import NightlyRun

    out = StringIO()
    call_command("seed_demo", "--clients", "30", "--as-of", "2026-12-01", stdout=out)
    assert list(NightlyRun.objects.values_list("as_of", flat=True)) == [__import__("datetime").date(2026, 12, 1)]
    assert out.getvalue().count("Ночные задания за") == 1


def vip_state() -> dict[str, object]:
    from django.db.models import Count

    from crm.models import ProspectList
    from vip.models import Campaign, Problem, Questionnaire, QuestionnaireOffer, Referral, StaffAssignment

    def grouped(queryset, *fields):
        return sorted(queryset.values_list(*fields).annotate(n=Count("id")).order_by())

    return {
        "campaigns": list(Campaign.objects.values_list("name", "start", "weeks")),
        "staff": sorted(StaffAssignment.objects.values_list("user__username", "load")),
        "questionnaires": grouped(Questionnaire.objects, "status"),
        "problems": grouped(Problem.objects, "status", "reopened"),
        "offers": sorted(QuestionnaireOffer.objects.values_list("kind", "text", "deal__stage", "deal__amount")),
        "referrals": sorted(
            Referral.objects.values_list("name", "status", "entry__check_result", "entry__client__deals__stage")
        ),
        "referral_lists": ProspectList.objects.filter(name="VIP: рекомендации клиентов").count(),
    }


@pytest.mark.django_db
def test_seed_demo_runs_a_vip_programme_with_every_state_proposals_and_referrals_and_resets_twice():
    from datetime import date
    from decimal import Decimal

    output = seed(clients=200)
    assert "12 VIP-анкет, 4 предложений и 3 рекомендаций по ним." in output
    state = vip_state()
    # A campaign in progress on 23.11.2026 (4 weeks in, 13 long), a dedicated and a part-time employee.
    assert state["campaigns"] == [("Обход IV кв. 2026", date(2026, 10, 26), 13)]
    assert state["staff"] == [("manager01", "dedicated"), ("manager02", "part_time")]
    # Questionnaires in every state: 4 complete, 2 drafts + 1 resumed after its problem closed, 5 paused on a problem.
    assert state["questionnaires"] == [("complete", 4), ("draft", 3), ("paused", 5)]
    # Problems in every status: open (one of them reopened by the client), in work, fixed, closed (two).
    assert state["problems"] == [("closed", 0, 2), ("fixed", 0, 1), ("in_work", 0, 1), ("open", 0, 1), ("open", 1, 1)]
    # Proposals: crm deals walked up to `proposal` with the amount of the offer.
    assert state["offers"] == [
        ("new_product", "Обучение персонала", "proposal", Decimal("180000.00")),
        ("new_product", "Сервисный контракт на обслуживание", "proposal", Decimal("240000.00")),
        ("volume", "Второй склад с весны", "proposal", Decimal("1200000.00")),
        ("volume", "Поставки в новый филиал в Казани", "proposal", Decimal("850000.00")),
    ]
    # Referrals: one became a client with a deal, one waits on the list, one is another manager's client already.
    referrals = state["referrals"]
    assert [row[1:] for row in referrals] == [
        ("prospect", "own", "goal"),
        ("prospect", "free", None),
        ("in_base", "taken", None),
    ]
    assert [row[0] for row in referrals[:2]] == ["ИП Соколова Анна Викторовна", "ООО «Агрохолдинг Приволжский»"]
    assert state["referral_lists"] == 2
    before = counts()
    for _ in range(2):
        output = seed("--reset", clients=200)
        assert "Вход: head / demo12345" in output
        assert counts() == before
        assert vip_state() == state
